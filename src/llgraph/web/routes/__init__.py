"""The routers, one module per kind of answer: the SPARQL endpoint, the API and the pages."""
