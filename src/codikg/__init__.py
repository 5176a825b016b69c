"""codikg: a strategic plan as an RDF knowledge graph, published as linked data."""

__version__ = "0.1.0"
