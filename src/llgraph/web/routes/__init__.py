"""Routers of the HTML pages (the researcher's workbench), one module per kind of page."""
