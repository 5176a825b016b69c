"""The one small interface every store behind the app offers (DESIGN.md ``store/``).

Two backends implement it: :class:`codikg.store.EmbeddedStore` (pyoxigraph in
this process) and :class:`codikg.store.remote.RemoteStore` (a SPARQL 1.1 store
reached over HTTP). Both answer with pyoxigraph's result types, so callers
(landing page, trace, report, Linked Data pages, the public endpoint) never
know which one they talk to.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class StoreError(Exception):
    """The store could not answer for a reason that is not the query's fault.

    Attributes:
        status: the HTTP status codikg answers with (502 or 503).
        headers: extra response headers (e.g. ``Retry-After``).
    """

    status = 502
    headers: dict = {}


class StoreUnavailable(StoreError):
    """The store cannot be reached (connection refused or reset, DNS): 503, retry later."""

    status = 503
    headers = {"Retry-After": "5"}


class StoreFailed(StoreError):
    """The store answered with an error or with something unreadable: 502."""


class StoreTimeout(StoreError):
    """The store did not answer within the time limit."""

    status = 503


@runtime_checkable
class Store(Protocol):
    """A read-only SPARQL 1.1 dataset holding one release.

    ``query`` follows :meth:`codikg.store.EmbeddedStore.query`: the default
    graph is the union of the named graphs unless ``FROM``/``FROM NAMED`` or
    the protocol's ``default-graph-uri``/``named-graph-uri`` say otherwise.
    It returns ``pyoxigraph.QuerySolutions``, ``QueryBoolean`` or
    ``QueryTriples``; it raises ``SyntaxError`` for a query the store rejects
    and :class:`StoreError` when the store itself fails.
    """

    def query(self, sparql: str, default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None, base_iri: str | None = None): ...

    def named_graphs(self) -> list[str]: ...
