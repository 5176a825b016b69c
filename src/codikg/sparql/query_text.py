"""What a SPARQL query's text says about itself, without a full parse.

Reads the tokens of :mod:`codikg.sparql.lexer` (strings, IRIs, comments and
prefixed names are single tokens), so a ``FROM`` inside a literal or an IRI
such as ``ex:from`` is not mistaken for a keyword. A text that does not lex
has no form, no dataset clause and is left unchanged.
"""

from __future__ import annotations

from codikg.sparql.lexer import LexError, Token, readings, with_depth

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _top_level(sparql: str) -> list[Token]:
    """The query's tokens outside every ``{ }`` (SPARQL 1.1 reading; none if it does not lex)."""
    try:
        tokens = readings(sparql)[0]
    except LexError:
        return []
    return [token for depth, token in with_depth(tokens) if depth == 0]


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first one at the top
    level), or ``None`` if the text has none of them (not a query)."""
    for token in _top_level(sparql):
        if token.keyword in _FORMS:
            return token.keyword
    return None


def declares_dataset(sparql: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (SPARQL 1.1 §13.2).

    ``FROM`` is a reserved word that only occurs in dataset clauses, which sit
    at the top level before the ``WHERE`` group.
    """
    return any(token.keyword == "FROM" for token in _top_level(sparql))


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


def limit_select(sparql: str, limit: int) -> str:
    """``sparql`` with its solutions capped at ``limit`` if it is a ``SELECT``.

    A query without a top-level ``LIMIT`` gets ``LIMIT limit`` appended (on
    its own line, so error positions stay right); a larger top-level ``LIMIT``
    is lowered to ``limit``. Queries ending with a top-level ``VALUES`` clause
    (which must come last) and other forms are returned unchanged.
    """
    if query_form(sparql) != "SELECT":
        return sparql
    top = _top_level(sparql)
    if any(token.keyword == "VALUES" for token in top[_main_group(top):]):
        return sparql
    limits = [index for index, token in enumerate(top) if token.keyword == "LIMIT"]
    if not limits:
        return f"{sparql}\nLIMIT {limit}"
    value = top[limits[-1] + 1] if limits[-1] + 1 < len(top) else None
    if value is None or value.kind != "INTEGER" or int(value.text) <= limit:
        return sparql
    return f"{sparql[:value.start]}{limit}{sparql[value.end:]}"


def _main_group(top: list[Token]) -> int:
    """Index in ``top`` after the top-level ``WHERE`` (or the query form)."""
    for index in range(len(top) - 1, -1, -1):
        if top[index].keyword in ("WHERE", "SELECT"):
            return index + 1
    return 0
