"""Stores that answer SPARQL over a release (DESIGN.md ``store/``)."""

from codikg.store.oxigraph import EmbeddedStore

__all__ = ["EmbeddedStore"]
