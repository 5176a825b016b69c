"""What a public query may not do: federate (``SERVICE``).

pyoxigraph would evaluate ``SERVICE <url>`` by fetching ``url``; DESIGN.md
forbids fetching anything a request names. A query whose text cannot contain
the keyword is let through at once; otherwise rdflib's SPARQL parser decides
whether ``SERVICE`` is really used (not just a string, IRI or variable name).
"""

from __future__ import annotations

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue


class QueryRefused(Exception):
    """The query is valid SPARQL but not allowed here (→ HTTP 400)."""


def check_query(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` uses ``SERVICE``.

    Raises:
        QueryRefused: with a message for the client.
    """
    if "service" not in sparql.lower():
        return
    try:
        tree = parseQuery(sparql)
    except ParseException:
        raise QueryRefused("the query mentions SERVICE and could not be checked; "
                           "federated queries (SERVICE) are not allowed on this endpoint") from None
    if _uses_service(tree):
        raise QueryRefused("federated queries (SERVICE) are not allowed on this endpoint: "
                           "it never fetches data from other services")


def _uses_service(node) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_uses_service(value) for value in node)
    return False
