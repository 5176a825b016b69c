"""Values for a query's variables, written into its text for a store that cannot
take pyoxigraph's ``substitutions`` (a SPARQL store reached over HTTP).

The embedded store binds a variable natively (pyoxigraph ``Store.query(...,
substitutions=)``, which follows SPARQL-dev SEP-0007: the variable stands for
the value everywhere in the query and stays in the answer). A remote store
gets the same query with every occurrence of the variable replaced by the
value, and ``?x`` in the ``SELECT`` projection by ``(value AS ?x)``, so both
answer alike. Values are serialised by :func:`term_text` only: an IRI that
pyoxigraph accepted cannot hold ``>``, spaces or quotes, and a literal's
quotes, backslashes and line breaks are escaped, so no value can change the
query around it.

:func:`values_clause` writes a ``VALUES`` clause for a variable that takes a
set of values (a list of IRIs), with the same serialisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from codikg.sparql.lexer import IN_LITERALS, tokenize

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_CLAUSE_ENDS = {"LIMIT", "OFFSET", "HAVING", "VALUES", "GROUP", "ORDER"}


def term_text(term) -> str:
    """An IRI or a literal as SPARQL text (``<iri>``, ``"text"@th``, ``"1"^^<…#integer>``).

    Args:
        term: a ``pyoxigraph.NamedNode`` or ``pyoxigraph.Literal``.

    Raises:
        ValueError: a blank node (in query text it would be a variable) or a
            quoted triple (not SPARQL 1.1).
        TypeError: ``term`` is not a pyoxigraph term (a plain ``str`` must be
            made a ``NamedNode`` or ``Literal`` first, which checks it).
    """
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)  # N-Triples syntax: pyoxigraph escapes what needs escaping
    if isinstance(term, (ox.BlankNode, ox.Triple)):
        raise ValueError(f"{term} cannot be written into a SPARQL 1.1 query as a value")
    raise TypeError(f"a query value must be a pyoxigraph NamedNode or Literal, not {type(term).__name__}")


def values_clause(variable: str | ox.Variable, terms: Iterable) -> str:
    """``VALUES ?name { term … }``: ``variable`` takes each of ``terms`` in turn.

    Placed after a query's solution modifiers (SPARQL 1.1 §10.2, a trailing
    ``VALUES``), or inside a group.

    Args:
        variable: a ``pyoxigraph.Variable`` or its name without ``?``.
        terms: IRIs or literals, as for :func:`term_text`.

    Raises:
        ValueError, TypeError: as :func:`term_text`.
    """
    name = variable.value if isinstance(variable, ox.Variable) else ox.Variable(variable).value
    return f"VALUES ?{name} {{ {' '.join(term_text(term) for term in terms)} }}"


def bind_variables(sparql: str, substitutions: Mapping[ox.Variable, object] | None) -> str:
    """``sparql`` with each variable of ``substitutions`` replaced by its value (see the module docstring).

    Args:
        sparql: a SPARQL 1.1 query (any form).
        substitutions: ``{pyoxigraph.Variable: NamedNode or Literal}``, as for
            pyoxigraph's ``Store.query``; empty or ``None`` returns ``sparql``.

    Returns:
        The query text; line numbers are kept (no value holds a line break).

    Raises:
        codikg.sparql.lexer.LexError: ``sparql`` is not a sequence of SPARQL 1.1 terminals.
        ValueError: a value is a blank node or a quoted triple; or a ``SELECT``
            does not project a bound variable by name (``SELECT *`` included:
            pyoxigraph refuses that too); or a bound variable is the target of
            ``AS``, in a ``VALUES`` variable list or in a subquery's projection,
            where no value can stand.
        TypeError: a key is not a ``pyoxigraph.Variable`` or a value not a term.
    """
    if not substitutions:
        return sparql
    values: dict[str, str] = {}
    for variable, term in substitutions.items():
        if not isinstance(variable, ox.Variable):
            raise TypeError(f"substitution keys must be pyoxigraph Variables, not {variable!r}")
        values[variable.value] = term_text(term)
    out: list[str] = []
    last = depth = parens = 0
    state = "prologue"  # → projection (top-level SELECT) → body → modifiers
    form = inner_select = None
    previous = modifier = ""
    in_values = star = False
    projected: set[str] = set()
    for token in tokenize(sparql, escapes=IN_LITERALS):  # offsets into sparql as written
        kind, text = token.kind, token.text
        word = token.keyword or ""
        if word in _FORMS and depth == 0 and form is None:
            form, state = word, ("projection" if word == "SELECT" else "body")
        elif word == "SELECT":
            inner_select = depth
        elif word == "VALUES":
            in_values = True
        elif state == "projection" and word in ("WHERE", "FROM"):
            state = "body"
        elif depth == 0 and state in ("body", "modifiers") and word in _CLAUSE_ENDS:
            state, modifier = "modifiers", word
        elif text == "{":
            if state == "projection" and depth == 0:
                state = "body"
            depth, in_values, inner_select = depth + 1, False, None
        elif text == "}":
            depth -= 1
        elif text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        elif text == "*" and state == "projection" and parens == 0:
            star = True
        elif kind in ("VAR1", "VAR2"):
            name = text[1:]
            if state == "projection" and previous == "AS":
                projected.add(name)
            if name in values:
                if previous == "AS" or in_values or inner_select is not None:
                    where = ("the target of AS" if previous == "AS" else
                             "in a VALUES variable list" if in_values else "in a subquery's projection")
                    raise ValueError(f"?{name} cannot be bound to a value: it is {where}")
                if state == "projection":
                    replacement = f"({values[name]} AS ?{name})" if parens == 0 else values[name]
                    projected.add(name)
                elif state == "modifiers" and modifier in ("GROUP", "ORDER") and parens == 0:
                    replacement = f"({values[name]})"
                else:
                    replacement = values[name]
                out.append(sparql[last:token.start])
                out.append(replacement)
                last = token.end
        previous = word or text
    if form == "SELECT":
        missing = sorted(set(values) - projected)
        if star or missing:
            raise ValueError(f"bound variables must be named in the SELECT projection; "
                             f"{'SELECT * names none' if star else '?' + ', ?'.join(missing) + ' is not'}")
    out.append(sparql[last:])
    return "".join(out)
