"""What a SPARQL query's text says about itself, without a full parse.

Uses the tokenizer of :mod:`codikg.web.policy` (strings, IRIs, comments and
prefixed names are skipped), so a ``FROM`` inside a literal or an IRI such as
``ex:from`` is not mistaken for a keyword.
"""

from __future__ import annotations

from codikg.web.policy import _keywords

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
