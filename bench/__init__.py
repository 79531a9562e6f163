"""Benchmarks of llgraph (``python -m bench``): not tests, and never run by ``make test``."""
