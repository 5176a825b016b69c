"""What a SPARQL query's text says about itself, without a full parse.

Uses the tokenizer of :mod:`codikg.sparql.policy` (strings, IRIs, comments and
prefixed names are skipped), so a ``FROM`` inside a literal or an IRI such as
``ex:from`` is not mistaken for a keyword.
"""

from __future__ import annotations

import re

from codikg.sparql.policy import _keywords

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first one at the top
    level), or ``None`` if the text has none of them (not a query)."""
    for word, depth, _ in _keywords(sparql):
        if depth == 0 and word in _FORMS:
            return word
    return None


def declares_dataset(sparql: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (SPARQL 1.1 §13.2).

    ``FROM`` is a reserved word that only occurs in dataset clauses, which sit
    at the top level before the ``WHERE`` group.
    """
    return any(word == "FROM" and depth == 0 for word, depth, _ in _keywords(sparql))


def dataset_clauses(sparql: str, base_iri: str | None = None) -> tuple[list[str], list[str]] | None:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses, resolved
    against its prefixes and base (SPARQL 1.1 §13.2), as ``(default, named)``.

    Parsed with rdflib's SPARQL parser; ``None`` when rdflib cannot parse the
    query (the caller then falls back to a safe dataset).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(sparql), base=base_iri).algebra
    except (ParseException, ValueError, TypeError, KeyError, AttributeError, NotImplementedError):
        return None
    default, named = [], []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            default.append(str(clause["default"]))
        elif "named" in clause:
            named.append(str(clause["named"]))
    return default, named


_INTEGER = re.compile(r"\s*(\d+)")


def limit_select(sparql: str, limit: int) -> str:
    """``sparql`` with its solutions capped at ``limit`` if it is a ``SELECT``.

    A query without a top-level ``LIMIT`` gets ``LIMIT limit`` appended (on
    its own line, so error positions stay right); a larger top-level ``LIMIT``
    is lowered to ``limit``. Queries ending with a top-level ``VALUES`` clause
    (which must come last) and other forms are returned unchanged.
    """
    if query_form(sparql) != "SELECT":
        return sparql
    words = [(word, offset) for word, depth, offset in _keywords(sparql) if depth == 0]
    if any(word == "VALUES" for word, _ in words[_main_group(words):]):
        return sparql
    limits = [offset for word, offset in words if word == "LIMIT"]
    if not limits:
        return f"{sparql}\nLIMIT {limit}"
    start = limits[-1] + len("LIMIT")
    match = _INTEGER.match(sparql, start)
    if match is None or int(match.group(1)) <= limit:
        return sparql
    return f"{sparql[:match.start(1)]}{limit}{sparql[match.end(1):]}"


def _main_group(words: list[tuple[str, int]]) -> int:
    """Index in ``words`` after the top-level ``WHERE`` (or the query form)."""
    for index in range(len(words) - 1, -1, -1):
        if words[index][0] in ("WHERE", "SELECT"):
            return index + 1
    return 0
