"""What a public query may not do: federate (``SERVICE``), load (``LOAD``, in
updates), nest so deep (brackets, or long chains of operators) that the query
parser's recursion crashes the process, or use a prefix it does not declare;
and whether its answer may be cached (volatile functions).

pyoxigraph would evaluate ``SERVICE <url>`` by fetching ``url``; docs/DESIGN.md
forbids fetching anything a request names. Every check reads the tokens of
:mod:`codikg.sparql.lexer` (the SPARQL 1.1 terminals, longest match, comments
ending at CR or LF), in each way an engine may read codepoint escapes
(:func:`codikg.sparql.lexer.escape_readings`): a query is refused if any reading
breaks a rule, and a text that is no sequence of SPARQL 1.1 terminals is
refused too, since nothing could then be told about it.
"""

from __future__ import annotations

from functools import lru_cache

from codikg.sparql.lexer import (BEFORE_TOKENISING, LexError, Token, escape_readings, tokenize,
                                  with_depth)


class QueryRefused(Exception):
    """The query is not allowed here, or is not SPARQL 1.1 text (→ HTTP 400)."""


#: Deepest nesting of ``{ ( [`` accepted. Oxigraph's recursive-descent parser
#: overflows its stack (a segfault, not an error) somewhere between 2,000 and
#: 5,000 levels; real queries stay under 20.
MAX_NESTING = 200

#: Most operators (``|| && = != < > <= >= + - * / ! | ^``, ``UNION`` and the
#: sign of a signed number, which the grammar reads as an addition) in one
#: query. Oxigraph's parser also recurses once per binary operator: in a thread
#: with a 2 MiB stack (as in Oxigraph's server) ``SELECT (1+1+…+1 AS ?x) {}``
#: crashed with 2,000 terms (1,000 passed), ``||`` chains with 4,000, ``!``
#: prefixes with 4,000, and ``{`` nesting between 400 and 800 levels. With
#: this limit and :data:`MAX_NESTING` together a query uses well under half of
#: such a stack; the example queries use at most 11 operators.
MAX_OPERATORS = 250

#: Functions whose value changes between two evaluations of the same query
#: (SPARQL 1.1 §17.4: RAND, NOW, UUID, STRUUID, BNODE).
VOLATILE_FUNCTIONS = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})

_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
_OPERATORS = frozenset({"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "|", "^"})
_SIGNED = frozenset({"INTEGER_POSITIVE", "DECIMAL_POSITIVE", "DOUBLE_POSITIVE",
                     "INTEGER_NEGATIVE", "DECIMAL_NEGATIVE", "DOUBLE_NEGATIVE"})
_SERVICE_REFUSED = ("federated queries (SERVICE) are not allowed on this endpoint: "
                    "it never fetches data from other services")


@lru_cache(maxsize=16)
def _attempts(sparql: str) -> tuple[tuple[Token, ...] | LexError, ...]:
    """The tokens of each reading of :func:`codikg.sparql.lexer.escape_readings`,
    or the error that reading raised."""
    out: list[tuple[Token, ...] | LexError] = []
    for escapes in escape_readings(sparql):
        try:
            out.append(tuple(tokenize(sparql, escapes=escapes)))
        except LexError as exc:
            out.append(exc if escapes == BEFORE_TOKENISING else LexError(
                sparql, exc.offset, exc.reason + " (reading \\u escapes only inside IRIs and "
                                                 "strings, as Oxigraph does)"))
    return tuple(out)


def _read(sparql: str) -> tuple[tuple[Token, ...], ...]:
    """Every reading's tokens.

    Raises:
        QueryRefused: a reading does not lex: ``SERVICE`` if another reading
            uses it, else the syntax error.
    """
    attempts = _attempts(sparql)
    errors = [a for a in attempts if isinstance(a, LexError)]
    if errors:
        if any(token.keyword == "SERVICE" for a in attempts if not isinstance(a, LexError) for token in a):
            raise QueryRefused(_SERVICE_REFUSED)
        raise QueryRefused(f"SPARQL syntax error: {errors[0]}")
    return attempts  # type: ignore[return-value]


def check_query(sparql: str) -> None:
    """Refuse a query that is no SPARQL 1.1 text, nests deeper than
    :data:`MAX_NESTING`, has more than :data:`MAX_OPERATORS` operators, uses
    ``SERVICE`` or a prefix it does not declare.

    Args:
        sparql: the query text, as received.

    Raises:
        QueryRefused: with a message for the client (the first rule broken,
            in that order).
    """
    tokens = _read(sparql)
    for reading in tokens:
        _check_shape(reading)
    if any(token.keyword == "SERVICE" for reading in tokens for token in reading):
        raise QueryRefused(_SERVICE_REFUSED)
    for reading in tokens:
        _check_prefixes(reading)


def check_nesting(sparql: str) -> None:
    """Refuse text whose brackets ``{ ( [`` nest deeper than :data:`MAX_NESTING`
    or that has more than :data:`MAX_OPERATORS` operators (brackets and
    operators inside strings, IRIs and comments do not count).

    Raises:
        QueryRefused: naming the depth or count, the limit and where; or the
            text is no SPARQL 1.1 text.
    """
    for reading in _read(sparql):
        _check_shape(reading)


def _check_shape(tokens: tuple[Token, ...]) -> None:
    depth = operators = 0
    for token in tokens:
        if token.kind == "PUNCT":
            if token.text in _OPEN:
                depth += 1
                if depth > MAX_NESTING:
                    raise QueryRefused(f"the query nests brackets more than {MAX_NESTING} levels "
                                       f"deep (at character {token.start}); simplify it")
                continue
            if token.text in _CLOSE:
                depth -= 1
                continue
        if ((token.kind == "PUNCT" and token.text in _OPERATORS) or token.kind in _SIGNED
                or token.keyword == "UNION"):
            operators += 1
            if operators > MAX_OPERATORS:
                raise QueryRefused(f"the query has more than {MAX_OPERATORS} operators "
                                   f"(|| && = < > + - * / ! | ^ UNION; at character "
                                   f"{token.start}), the limit of this endpoint; "
                                   "use VALUES or IN (...) for long lists of alternatives")


def _check_prefixes(tokens: tuple[Token, ...]) -> None:
    """Refuse a prefixed name whose prefix no earlier ``PREFIX`` declares
    (SPARQL 1.1 §4.1.1.1: an undeclared prefix is an error)."""
    declared: list[str] = []
    previous = None
    for token in tokens:
        if token.kind in ("PNAME_NS", "PNAME_LN"):
            name = token.text.partition(":")[0]
            if previous is not None and previous.keyword == "PREFIX":
                declared.append(name)
            elif name not in declared:
                raise QueryRefused(_unknown_prefix(name, token.start, declared))
        previous = token


def _unknown_prefix(name: str, offset: int, declared: list[str]) -> str:
    from codikg.namespaces import PREFIXES  # rdflib: not loaded by worker processes unless needed

    these = ", ".join(f"{p}:" for p in declared) or "none"
    message = f"unknown prefix {name}: (at character {offset}); the query declares: {these}. "
    if name in PREFIXES:
        return message + f"Add PREFIX {name}: <{PREFIXES[name]}> before the query"
    known = ", ".join(f"{p}:" for p in sorted(PREFIXES))
    return (message + f"Declare it with PREFIX {name}: <namespace IRI>; "
            f"the prefixes of this dataset are {known} (their IRIs: /prefixes)")


def is_volatile(sparql: str) -> bool:
    """Whether the query calls a function of :data:`VOLATILE_FUNCTIONS`, so that
    two evaluations may differ and no cache may keep the answer.

    A text that does not lex counts as volatile (nothing is known of it).
    """
    attempts = _attempts(sparql)
    return any(isinstance(reading, LexError) or any(token.keyword in VOLATILE_FUNCTIONS for token in reading)
               for reading in attempts)


# ---- SPARQL Update (only with --allow-update, on a scratch store) ----------

def check_update(sparql: str) -> None:
    """Refuse updates that would fetch (``LOAD <url>``, ``SERVICE``), that nest
    too deep or have too many operators, or that use an undeclared prefix.

    Raises:
        QueryRefused: with a message for the client.
    """
    tokens = _read(sparql)
    for reading in tokens:
        _check_shape(reading)
    for reading in tokens:
        for token in reading:
            if token.keyword in ("LOAD", "SERVICE"):
                raise QueryRefused(f"{token.keyword} is not allowed on this endpoint: it never "
                                   "fetches data from elsewhere")
    for reading in tokens:
        _check_prefixes(reading)


def _is_iri_reference(iri: str) -> bool:
    """True if ``<iri>`` is one IRIREF terminal (SPARQL 1.1 grammar [139])."""
    text = f"<{iri}>"
    try:
        tokens = tokenize(text)
    except LexError:
        return False
    return len(tokens) == 1 and tokens[0].kind == "IRIREF" and tokens[0].text == text


def apply_using(sparql: str, using: list[str], using_named: list[str]) -> str:
    """Apply the protocol's ``using-graph-uri``/``using-named-graph-uri`` to an update.

    SPARQL 1.1 Protocol §2.2.3: the parameters act as ``USING``/``USING
    NAMED`` clauses on every operation with a ``WHERE`` clause (a top-level
    ``WHERE`` not right after ``DELETE``); an update that has its own
    ``USING``/``USING NAMED``/``WITH`` is an error.

    Args:
        sparql: the update text.
        using, using_named: graph IRIs (not checked here).

    Returns:
        ``sparql`` with the clauses inserted before each such ``WHERE``.

    Raises:
        QueryRefused: the update also names its dataset, is no SPARQL 1.1 text, or a
            parameter is not an IRI reference (it would change the update around it) (→ 400).
    """
    if not using and not using_named:
        return sparql
    for param, iris in (("using-graph-uri", using), ("using-named-graph-uri", using_named)):
        for iri in iris:
            if not _is_iri_reference(iri):
                raise QueryRefused(f"{param}={iri!r} is not an IRI")
    tokens = _read(sparql)[0]
    if any(token.keyword in ("USING", "WITH") for token in tokens):
        raise QueryRefused("the update names its dataset (USING/WITH) and the request has "
                           "using-graph-uri/using-named-graph-uri: give only one of them")
    clauses = "".join(f"USING <{iri}> " for iri in using)
    clauses += "".join(f"USING NAMED <{iri}> " for iri in using_named)
    out, last, previous = [], 0, None
    for depth, token in with_depth(tokens):
        if token.keyword == "WHERE" and depth == 0 and (previous is None or previous.keyword != "DELETE"):
            out.append(sparql[last:token.start] + clauses)
            last = token.start
        previous = token
    return "".join(out) + sparql[last:]
