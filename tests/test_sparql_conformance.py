"""The lexer against the W3C SPARQL syntax tests (tests/conformance/w3c-sparql-syntax).

Every positive syntax test (SPARQL 1.1 ``mf:PositiveSyntaxTest11``; SPARQL 1.0
``mf:PositiveSyntaxTest`` approved by the DAWG) must lex, read either way of
§19.2 escapes; and the lexer must find a ``SERVICE`` keyword in exactly the
tests whose parse tree, by rdflib's SPARQL parser (an independent parser),
has a ``ServiceGraphPattern``. The material is third-party and never
skipped: if the folder is missing, the tests fail.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from rdflib import RDF, Graph, Namespace

from codikg.sparql.lexer import BEFORE_TOKENISING, IN_LITERALS, LexError, tokenize
from codikg.sparql.policy import QueryRefused, check_query

SUITE = Path(__file__).parent / "conformance" / "w3c-sparql-syntax"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")


def _tests() -> tuple[list[Path], list[Path]]:
    """(positive, negative) query files named by the manifests."""
    positive, negative = [], []
    for manifest in sorted(SUITE.glob("*/manifest.ttl")):
        graph = Graph().parse(manifest, format="turtle")

        def files(kind, approved_only=False):
            for test in graph.subjects(RDF.type, kind):
                if approved_only and graph.value(test, DAWGT.approval) != DAWGT.Approved:
                    continue
                yield Path(unquote(urlparse(str(graph.value(test, MF.action))).path))

        positive += files(MF.PositiveSyntaxTest11)
        positive += files(MF.PositiveSyntaxTest, approved_only=True)
        negative += files(MF.NegativeSyntaxTest11)
        negative += files(MF.NegativeSyntaxTest)
    return sorted(positive), sorted(negative)


POSITIVE, NEGATIVE = _tests()


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_the_suite_is_here_whole():
    assert (SUITE / "LICENSE.md").is_file(), f"{SUITE} is missing: the W3C syntax suite belongs in tests/conformance (see its README)"
    folders = {p.name for p in SUITE.iterdir() if p.is_dir()}
    assert folders >= {"syntax-query", "syntax-fed", "syntax-sparql1", "syntax-sparql2", "syntax-sparql3",
                       "syntax-sparql4", "syntax-sparql5"}
    assert len(POSITIVE) == 215 and len(NEGATIVE) == 81
    assert all(path.is_file() for path in POSITIVE + NEGATIVE)


@pytest.mark.parametrize("escapes", [BEFORE_TOKENISING, IN_LITERALS])
def test_every_positive_syntax_test_lexes(escapes):
    failures = {}
    for path in POSITIVE:
        try:
            tokenize(_text(path), escapes=escapes)
        except LexError as exc:
            failures[f"{path.parent.name}/{path.name}"] = str(exc)
    assert failures == {}
    assert len(POSITIVE) == 215


def _has_service_pattern(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_has_service_pattern(v) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_has_service_pattern(v) for v in node)
    return False


def _expects_service(text: str) -> bool | None:
    """Whether the query uses ``SERVICE``, by rdflib's parser; ``None`` if rdflib
    cannot parse it and the text could still spell the keyword."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return _has_service_pattern(parseQuery(text))
    except Exception:  # noqa: BLE001 - rdflib's parser is not fully conformant
        # Without those letters and without escapes no keyword SERVICE can be there.
        if "service" not in text.lower() and "\\u" not in text and "\\U" not in text:
            return False
        return None


def test_service_keyword_exactly_where_the_parser_sees_a_service_pattern():
    expected, found, unknown = set(), set(), []
    for path in POSITIVE:
        text, name = _text(path), f"{path.parent.name}/{path.name}"
        expectation = _expects_service(text)
        if expectation is None:
            unknown.append(name)
        elif expectation:
            expected.add(name)
        if any(token.keyword == "SERVICE" for token in tokenize(text)):
            found.add(name)
    assert unknown == []
    assert found == expected
    assert expected == {"syntax-fed/syntax-service-01.rq", "syntax-fed/syntax-service-02.rq",
                        "syntax-fed/syntax-service-03.rq"}


def test_the_policy_refuses_exactly_the_service_tests():
    refused = set()
    for path in POSITIVE:
        try:
            check_query(_text(path))
        except QueryRefused as exc:
            if "SERVICE" in str(exc):
                refused.add(path.name)
    assert refused == {"syntax-service-01.rq", "syntax-service-02.rq", "syntax-service-03.rq"}


def test_negative_tests_with_a_lexical_fault_do_not_lex():
    """The negative tests whose fault is in the terminals (§19.2 escapes, a
    backslash outside a string, a SPARQL 1.0 draft keyword); the others are
    grammar faults a lexer cannot see."""
    unreadable = set()
    for path in NEGATIVE:
        try:
            tokenize(path.read_bytes().decode("utf-8", "replace"))
        except LexError:
            unreadable.add(path.name)
    assert unreadable == {"syn-codepoint-escape-bad-04.rq", "syn-codepoint-escape-bad-05.rq",
                          "syn-invalid-codepoint-escaped-bad-01.rq", "syn-bad-pname-06.rq",
                          "syntax-bindings-09.rq"}
