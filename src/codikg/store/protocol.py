"""The one small interface every store behind the app offers (docs/DESIGN.md ``store/``).

Two backends implement it: :class:`codikg.store.EmbeddedStore` (pyoxigraph in
this process) and :class:`codikg.store.remote.RemoteStore` (a SPARQL 1.1 store
reached over HTTP). Both answer with pyoxigraph's result types, so callers
(landing page, trace, report, Linked Data pages, the public endpoint) never
know which one they talk to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable


class StoreError(Exception):
    """The store could not answer for a reason that is not the query's fault.

    Attributes:
        status: the HTTP status codikg answers with (502 or 503).
        headers: extra response headers (e.g. ``Retry-After``).
        public: the message for public clients: it never names the store's
            URL (``str(exc)`` does, for the operator's log).
    """

    status = 502
    headers: dict = {}
    public = "the store behind this endpoint failed to answer; try again later"


class StoreUnavailable(StoreError):
    """The store cannot be reached (connection refused or reset, DNS): 503, retry later."""

    status = 503
    headers = {"Retry-After": "5"}
    public = "the store behind this endpoint is unavailable; try again later"


class StoreFailed(StoreError):
    """The store answered with an error or with something unreadable: 502."""


class StoreUnsupported(StoreError):
    """The query needs something this store lacks (e.g. ``cdk:textMatch``): 400,
    the client's to change, not a store failure (so a proxy does not retry it)."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.public = message


class StoreTimeout(StoreError):
    """The store did not answer within the time limit."""

    status = 503
    public = "the store behind this endpoint did not answer in time; try again later"


@runtime_checkable
class Store(Protocol):
    """A read-only SPARQL 1.1 dataset holding one release.

    ``query`` follows :meth:`codikg.store.EmbeddedStore.query`: the default
    graph is the union of the named graphs unless ``FROM``/``FROM NAMED`` or
    the protocol's ``default-graph-uri``/``named-graph-uri`` say otherwise.
    ``substitutions`` (``{pyoxigraph.Variable: NamedNode or Literal}``) binds
    the query's parameters as pyoxigraph does (SEP-0007): each variable
    stands for its value everywhere and must be named in a ``SELECT``'s
    projection; a remote store gets the values written into the text by
    :func:`codikg.sparql.binding.bind_variables`. It returns
    ``pyoxigraph.QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``; it
    raises ``SyntaxError`` for a query the store rejects, :class:`StoreError`
    when the store itself fails, and ``ValueError`` or ``RuntimeError``
    (pyoxigraph's) for substitutions the query cannot take.
    """

    def query(self, sparql: str, default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None, base_iri: str | None = None, *,
              substitutions: Mapping | None = None): ...

    def named_graphs(self) -> list[str]: ...
