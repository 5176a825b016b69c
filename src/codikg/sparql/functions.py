"""Custom SPARQL functions offered to every query (the extension hook).

Oxigraph calls a custom function by its IRI, e.g. ``cdk:textMatch(?label,
"บ้าน")``; pyoxigraph takes them as ``custom_functions={NamedNode: callable}``
(https://pyoxigraph.readthedocs.io, ``Store.query``). Every store in the
server — the app's internal :class:`codikg.store.EmbeddedStore` and each
public-query worker process (:mod:`codikg.store.worker`) — passes
:data:`CUSTOM_FUNCTIONS` to pyoxigraph, so a function registered here at
import time works everywhere.

To add one, register it in a module of your own and list that module in
:data:`PROVIDERS` (workers import the providers on start, so the module must
be importable without the web app), or name it in the environment variable
``CODIKG_SPARQL_FUNCTIONS``::

    from codikg.namespaces import NAMESPACE_IRIS
    from codikg.sparql.functions import register

    @register(NAMESPACE_IRIS["cdk"] + "textMatch")
    def text_match(text, pattern):  # pyoxigraph terms in, a term or None out
        ...

A function receives pyoxigraph terms (``NamedNode``, ``BlankNode``,
``Literal``) and returns a term, or ``None`` for a SPARQL evaluation error
(the row is unbound / filtered out). It must be deterministic and fast: it
runs inside the query's time limit.
"""

from __future__ import annotations

import importlib
import os
from typing import Callable

import pyoxigraph as ox

#: IRI → function, passed as pyoxigraph ``custom_functions``.
CUSTOM_FUNCTIONS: dict[ox.NamedNode, Callable] = {}

#: Modules imported by :func:`load_providers` that register functions here;
#: ``CODIKG_SPARQL_FUNCTIONS`` (comma-separated module names) adds more.
PROVIDERS: list[str] = ["codikg.search.sparql_functions"]


def register(iri: str) -> Callable[[Callable], Callable]:
    """Decorator: make the function callable in SPARQL as ``<iri>(...)``.

    Raises:
        ValueError: ``iri`` is already registered to another function.
    """
    node = ox.NamedNode(iri)

    def decorate(function: Callable) -> Callable:
        if node in CUSTOM_FUNCTIONS and CUSTOM_FUNCTIONS[node] is not function:
            raise ValueError(f"SPARQL function <{iri}> is registered twice")
        CUSTOM_FUNCTIONS[node] = function
        return function

    return decorate


def load_providers() -> dict[ox.NamedNode, Callable]:
    """Import every module in :data:`PROVIDERS`; return :data:`CUSTOM_FUNCTIONS`.

    Raises:
        ImportError: a provider module cannot be imported.
    """
    extra = [m.strip() for m in os.environ.get("CODIKG_SPARQL_FUNCTIONS", "").split(",") if m.strip()]
    for name in PROVIDERS + extra:
        importlib.import_module(name)
    return CUSTOM_FUNCTIONS
