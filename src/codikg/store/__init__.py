"""Stores that answer SPARQL over a release (DESIGN.md ``store/``)."""

from codikg.store.oxigraph import EmbeddedStore
from codikg.store.protocol import Store, StoreError, StoreFailed, StoreTimeout, StoreUnavailable

__all__ = ["EmbeddedStore", "Store", "StoreError", "StoreFailed", "StoreTimeout", "StoreUnavailable"]
