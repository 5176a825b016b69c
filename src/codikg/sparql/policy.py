"""What a public query may not do: federate (``SERVICE``), or nest so deep
(brackets, or long chains of operators) that the query parser's recursion
crashes the process.

pyoxigraph would evaluate ``SERVICE <url>`` by fetching ``url``; docs/DESIGN.md
forbids fetching anything a request names. A query whose text cannot contain
the keyword is let through at once; otherwise a tokenizer decides whether
``SERVICE`` is used as a keyword (a bare word outside strings, IRIs, comments,
variables and prefixed names: in SPARQL such a word can only be a keyword).
"""

from __future__ import annotations

import re


class QueryRefused(Exception):
    """The query is valid SPARQL but not allowed here (→ HTTP 400)."""


#: Deepest nesting of ``{ ( [`` accepted. Oxigraph's recursive-descent parser
#: overflows its stack (a segfault, not an error) somewhere between 2,000 and
#: 5,000 levels; real queries stay under 20.
MAX_NESTING = 200

#: Most operators (``|| && = != < > <= >= + - * / ! | ^`` and ``UNION``) in one
#: query. Oxigraph's parser also recurses once per binary operator: in a thread
#: with a 2 MiB stack (as in Oxigraph's server) ``SELECT (1+1+…+1 AS ?x) {}``
#: crashed with 2,000 terms (1,000 passed), ``||`` chains with 4,000, ``!``
#: prefixes with 4,000, and ``{`` nesting between 400 and 800 levels. With
#: this limit and :data:`MAX_NESTING` together a query uses well under half of
#: such a stack; the example queries use at most 11 operators.
MAX_OPERATORS = 250


def check_query(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` uses ``SERVICE``, nests
    deeper than :data:`MAX_NESTING` or has more than :data:`MAX_OPERATORS` operators.

    Raises:
        QueryRefused: with a message for the client.
    """
    check_nesting(sparql)
    if "service" not in sparql.lower():
        return
    if any(word == "SERVICE" for word, _, _ in _keywords(sparql)):
        raise QueryRefused("federated queries (SERVICE) are not allowed on this endpoint: "
                           "it never fetches data from other services")


def check_nesting(sparql: str) -> None:
    """Refuse text whose brackets nest deeper than :data:`MAX_NESTING` or
    that has more than :data:`MAX_OPERATORS` operators (strings, IRIs and
    comments are skipped).

    Raises:
        QueryRefused: naming the depth or count, the limit and where.
    """
    if (sum(sparql.count(c) for c in "{([") <= MAX_NESTING
            and sum(sparql.count(c) for c in "|&=<>+-*/!^") <= MAX_OPERATORS
            and "union" not in sparql.lower()):
        return
    depth = operators = 0
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "open" or (kind == "other" and text in "(["):
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRefused(f"the query nests brackets more than {MAX_NESTING} levels deep "
                                   f"(at character {match.start()}); simplify it")
        elif kind == "close" or (kind == "other" and text in ")]"):
            depth -= 1
        elif kind == "op" or (kind == "word" and text.upper() == "UNION"):
            operators += 1
            if operators > MAX_OPERATORS:
                raise QueryRefused(f"the query has more than {MAX_OPERATORS} operators "
                                   f"(|| && = < > + - * / ! | ^ UNION; at character "
                                   f"{match.start()}), the limit of this endpoint; "
                                   "use VALUES or IN (...) for long lists of alternatives")


# ---- SPARQL Update (only with --allow-update, on a scratch store) ----------

_TOKEN = re.compile(r"""
    (?P<skip>\s+|\#[^\n]*)
  | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s{}()<>,;.]+)
  | (?P<pname>[A-Za-z_][\w.-]*:[^\s{}()<>,;]*|:[^\s{}()<>,;]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<open>\{) | (?P<close>\}) | (?P<datatype>\^\^)
  | (?P<op>\|\||&&|!=|<=|>=|[|=<>+\-*/!^]) | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


#: An IRI reference as the tokenizer reads one (SPARQL 1.1 IRIREF).
_IRI_REF = re.compile(r"""<[^<>"{}|^`\\\x00-\x20]*>""")


def _keywords(text: str):
    """(KEYWORD, brace depth, offset) for every bare word outside strings, IRIs and comments."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            yield match.group().upper(), depth, match.start()


def check_update(sparql: str) -> None:
    """Refuse updates that would fetch: ``LOAD <url>`` and ``SERVICE``.

    Raises:
        QueryRefused: with a message for the client.
    """
    check_nesting(sparql)
    for word, _, _ in _keywords(sparql):
        if word in ("LOAD", "SERVICE"):
            raise QueryRefused(f"{word} is not allowed on this endpoint: it never fetches data "
                               "from elsewhere")


def apply_using(sparql: str, using: list[str], using_named: list[str]) -> str:
    """Apply the protocol's ``using-graph-uri``/``using-named-graph-uri`` to an update.

    SPARQL 1.1 Protocol §2.2.3: the parameters act as ``USING``/``USING
    NAMED`` clauses on every operation with a ``WHERE`` clause; an update
    that has its own ``USING``/``USING NAMED``/``WITH`` is an error.

    Raises:
        QueryRefused: the update also names its dataset, or a parameter is not an
            IRI reference (it would change the update around it) (→ 400).
    """
    if not using and not using_named:
        return sparql
    for param, iris in (("using-graph-uri", using), ("using-named-graph-uri", using_named)):
        for iri in iris:
            if not _IRI_REF.fullmatch(f"<{iri}>"):
                raise QueryRefused(f"{param}={iri!r} is not an IRI")
    keywords = list(_keywords(sparql))
    if any(word in ("USING", "WITH") for word, _, _ in keywords):
        raise QueryRefused("the update names its dataset (USING/WITH) and the request has "
                           "using-graph-uri/using-named-graph-uri: give only one of them")
    clauses = "".join(f"USING <{iri}> " for iri in using)
    clauses += "".join(f"USING NAMED <{iri}> " for iri in using_named)
    out, last = [], 0
    previous = None
    for word, depth, offset in keywords:
        if word == "WHERE" and depth == 0 and previous != "DELETE":
            out.append(sparql[last:offset] + clauses)
            last = offset
        previous = word
    return "".join(out) + sparql[last:]
