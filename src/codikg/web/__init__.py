"""The HTTP face of a release: SPARQL endpoint, landing page, dumps."""
