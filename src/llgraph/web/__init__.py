"""The web layer: FastAPI app serving the SPARQL endpoint, REST API and HTML pages."""

from llgraph.web.app import create_app

__all__ = ["create_app"]
