"""The embedded store: a release loaded into pyoxigraph, read-only.

The store's default graph holds the union of all named graphs (copied at load
time), so that a query without ``FROM`` sees everything while ``FROM``,
``FROM NAMED``, ``default-graph-uri`` and ``named-graph-uri`` keep their
SPARQL 1.1 meaning over the named graphs (pyoxigraph's
``use_default_graph_as_union`` would ignore ``FROM``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from codikg.sparql.functions import load_providers


class EmbeddedStore:
    """A release in an in-memory (or on-disk) pyoxigraph store.

    Args:
        trig_path: the release's TriG dump, or several TriG files (e.g. the
            dump and the release's ``catalog.trig``) loaded together.
        path: a folder for an on-disk store; ``None`` keeps it in memory.

    Queries may call the functions of :mod:`codikg.sparql.functions`.

    Raises:
        SyntaxError: if the TriG file does not parse.
        OSError: if the file cannot be read or the store cannot be opened.
    """

    def __init__(self, trig_path: str | Path | list[str | Path], path: str | Path | None = None):
        self._store = ox.Store(str(path)) if path is not None else ox.Store()
        self._store.clear()
        for one in trig_path if isinstance(trig_path, (list, tuple)) else [trig_path]:
            self._store.bulk_load(path=str(one), format=ox.RdfFormat.TRIG)
        self._store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        )
        self._store.optimize()
        self._functions = load_providers()

    @classmethod
    def open_read_only(cls, path: str | Path) -> "EmbeddedStore":
        """Open an on-disk store written by :func:`codikg.store.disk.create_store`,
        read-only and without loading anything (several processes may do so at once).

        Raises:
            OSError: the folder holds no readable store.
        """
        self = cls.__new__(cls)
        self._store = ox.Store.read_only(str(path))
        self._functions = load_providers()
        return self

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None, base_iri: str | None = None, *,
              substitutions: Mapping[ox.Variable, object] | None = None):
        """Run a SPARQL 1.1 query.

        Args:
            sparql: the query text (Query form only; updates are a syntax error).
            default_graph_uris: protocol ``default-graph-uri`` values.
            named_graph_uris: protocol ``named-graph-uri`` values. When either
                list is non-empty, the two lists are the whole dataset and
                replace the query's ``FROM``/``FROM NAMED``.
            base_iri: resolves relative IRIs in the query (``None``: none allowed).
            substitutions: ``{pyoxigraph.Variable: NamedNode or Literal}``, the
                query's parameters (pyoxigraph's ``substitutions``, SEP-0007):
                each variable stands for its value; a ``SELECT`` must project it.

        Returns:
            ``pyoxigraph.QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.
            Extension functions of :mod:`codikg.search.sparql_functions`
            (``cdk:textMatch``) are available in every query.

        Raises:
            SyntaxError: the query does not parse (message has the position).
            OSError: evaluation failed.
            RuntimeError: a substituted variable is not in the ``SELECT`` projection.
        """
        kwargs = {"base_iri": base_iri, "custom_functions": self._functions or None,
                  "substitutions": dict(substitutions) if substitutions else None}
        if default_graph_uris or named_graph_uris:
            # SPARQL 1.1 Protocol §2.1.4: the parameters together make the dataset.
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris or ()]
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris or ()]
        return self._store.query(sparql, **kwargs)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update (only for a scratch store: see ``--allow-update``).

        The default graph keeps the union copied at load time; updates change
        the graphs they name.

        Raises:
            SyntaxError: the update does not parse.
            OSError: evaluation failed.
        """
        self._store.update(sparql, base_iri=base_iri, custom_functions=self._functions or None)

    def __len__(self) -> int:
        return len(self._store)
