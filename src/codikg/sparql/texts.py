"""The SPARQL the app runs itself: one ``.rq`` file per query in ``codikg/sparql/queries/``.

A file holds one query without ``PREFIX`` lines. :func:`query_text` puts the
declarations of the prefixes it uses in front, generated from
:data:`codikg.namespaces.NAMESPACE_IRIS` by :func:`prefix_block`, so each
namespace IRI is written once. A query's parameters are variables (``?plan``,
``?resource``), projected by its ``SELECT`` and bound when it runs by the
store's ``substitutions`` (:meth:`codikg.store.Store.query`): pyoxigraph binds
them natively; for a remote store one helper (:mod:`codikg.sparql.binding`)
writes each value into the text as an escaped RDF term. The documented example queries in the repository's
``queries/`` folder are something else (:mod:`codikg.sparql.examples`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from codikg.namespaces import NAMESPACE_IRIS
from codikg.sparql.lexer import tokenize

_FOLDER = "queries"


def prefixes_used(sparql: str) -> list[str]:
    """The prefixes of the prefixed names in ``sparql`` (``skos`` for ``skos:notation``),
    in order of first use; names inside strings, IRIs and comments do not count."""
    used: dict[str, None] = {}
    for token in tokenize(sparql):
        if token.kind in ("PNAME_LN", "PNAME_NS"):
            used.setdefault(token.text.split(":", 1)[0], None)
    return list(used)


def prefix_block(prefixes: list[str] | None = None) -> str:
    """``PREFIX name: <iri>`` lines, one per prefix, for queries sent to any store.

    Args:
        prefixes: names of :data:`codikg.namespaces.NAMESPACE_IRIS` (``["cdk", "skos"]``);
            ``None`` declares them all, in that mapping's order.

    Returns:
        The lines, each ending in a newline (``""`` for an empty list).

    Raises:
        KeyError: a name is not one of the project's prefixes.
    """
    names = list(NAMESPACE_IRIS) if prefixes is None else prefixes
    return "".join(f"PREFIX {name}: <{NAMESPACE_IRIS[name]}>\n" for name in names)


@cache
def query_text(name: str) -> str:
    """The query ``queries/{name}.rq`` of this package, ready to send: the
    declarations of the prefixes it uses (:func:`prefix_block`), then the file.

    Args:
        name: the file's stem (``"plan-elements"``).

    Raises:
        LookupError: no such query file.
        ValueError: the file uses a prefix that :data:`codikg.namespaces.NAMESPACE_IRIS`
            does not declare, or declares one itself (names the file and the prefix).
    """
    resource = resources.files(__package__).joinpath(_FOLDER, f"{name}.rq")
    try:
        body = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LookupError(f"no SPARQL query {name!r} in codikg/sparql/{_FOLDER}/") from None
    if any(token.keyword == "PREFIX" for token in tokenize(body)):
        raise ValueError(f"codikg/sparql/{_FOLDER}/{name}.rq declares a PREFIX: the prefixes "
                         "come from codikg.namespaces.NAMESPACE_IRIS")
    used = prefixes_used(body)
    unknown = [prefix for prefix in used if prefix not in NAMESPACE_IRIS]
    if unknown:
        raise ValueError(f"codikg/sparql/{_FOLDER}/{name}.rq uses the prefix {unknown[0]!r}, "
                         "which codikg.namespaces.NAMESPACE_IRIS does not declare")
    return prefix_block(used) + body
