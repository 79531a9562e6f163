"""``python -m llgraph``: the same as the ``llgraph`` command."""

from llgraph.cli import main

raise SystemExit(main())
