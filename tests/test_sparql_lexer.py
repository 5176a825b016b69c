"""The SPARQL 1.1 lexer (codikg.sparql.lexer): terminals, longest match,
comments, §19.2 codepoint escapes, errors; and the policy checks built on it."""

from __future__ import annotations

import re

import pytest

from codikg.sparql.lexer import (BEFORE_TOKENISING, GRAMMAR, IN_LITERALS, KEYWORDS, LexError,
                                 decode_escapes, readings, tokenize, with_depth)
from codikg.sparql.policy import (MAX_NESTING, MAX_OPERATORS, QueryRefused, apply_using, check_query,
                                  check_update, is_volatile)
from codikg.sparql.query_text import declares_dataset, limit_select, query_form

SERVICE_REFUSED = ("federated queries (SERVICE) are not allowed on this endpoint: "
                   "it never fetches data from other services")


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text, **kwargs)]


def test_the_grammar_text_has_productions_139_to_173():
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\]", GRAMMAR, re.MULTILINE)]
    assert numbers == list(range(139, 174))


@pytest.mark.parametrize("text, kind", [
    ("<http://example.org/a#b>", "IRIREF"), ("<>", "IRIREF"), ("ex:", "PNAME_NS"), (":", "PNAME_NS"),
    ("ex:a.b", "PNAME_LN"), (":a", "PNAME_LN"), ("ex:a\\.b%20c", "PNAME_LN"), ("ex:1a:b", "PNAME_LN"),
    ("ex.y:z", "PNAME_LN"), ("ภาษา:คำ", "PNAME_LN"), ("_:b0", "BLANK_NODE_LABEL"), ("_:a.b", "BLANK_NODE_LABEL"),
    ("?x", "VAR1"), ("?1", "VAR1"), ("$x_y", "VAR2"), ("?ตัวแปร", "VAR1"), ("@en", "LANGTAG"),
    ("@en-GB-x1", "LANGTAG"), ("12", "INTEGER"), ("1.5", "DECIMAL"), (".5", "DECIMAL"),
    ("1.5e3", "DOUBLE"), ("1.E-3", "DOUBLE"), (".5e1", "DOUBLE"), ("2e10", "DOUBLE"),
    ("+1", "INTEGER_POSITIVE"), ("+1.5", "DECIMAL_POSITIVE"), ("+1e1", "DOUBLE_POSITIVE"),
    ("-1", "INTEGER_NEGATIVE"), ("-.5", "DECIMAL_NEGATIVE"), ("-1e1", "DOUBLE_NEGATIVE"),
    ("'a\\'b'", "STRING_LITERAL1"), ('"a\\"b\\n"', "STRING_LITERAL2"),
    ("'''a'b''c\nd'''", "STRING_LITERAL_LONG1"), ('"""a"b""c\rd"""', "STRING_LITERAL_LONG2"),
    ("()", "NIL"), ("( \t\r\n)", "NIL"), ("[]", "ANON"), ("[ \n]", "ANON"),
])
def test_each_terminal(text, kind):
    assert kinds(text) == [(kind, text)]


def test_punctuation_and_longest_match():
    punctuation = "^^ || && != <= >= { } ( , ) [ ; ] . * / + - ! | ^ ? = < >"
    assert kinds(punctuation) == [("PUNCT", p) for p in punctuation.split()]
    assert kinds("?o]SERVICE") == [("VAR1", "?o"), ("PUNCT", "]"), ("KEYWORD", "SERVICE")]
    assert kinds("x:o]SERVICE") == [("PNAME_LN", "x:o"), ("PUNCT", "]"), ("KEYWORD", "SERVICE")]
    assert kinds("ex:a.") == [("PNAME_LN", "ex:a"), ("PUNCT", ".")]
    assert kinds("1.") == [("INTEGER", "1"), ("PUNCT", ".")]
    assert kinds("?x+1") == [("VAR1", "?x"), ("INTEGER_POSITIVE", "+1")]
    assert kinds("\"\"\"a\"\"\"'b'") == [("STRING_LITERAL_LONG2", '"""a"""'), ("STRING_LITERAL1", "'b'")]
    assert kinds("\"a\"^^xsd:int") == [("STRING_LITERAL2", '"a"'), ("PUNCT", "^^"), ("PNAME_LN", "xsd:int")]
    assert kinds("select:x SELECT*") == [("PNAME_LN", "select:x"), ("KEYWORD", "SELECT"), ("PUNCT", "*")]


def test_keywords_are_case_insensitive_but_a():
    assert [t.keyword for t in tokenize("service Service SERVICE sErViCe a isIRI")] == [
        "SERVICE"] * 4 + ["a", "ISIRI"]
    with pytest.raises(LexError, match="'A' is no SPARQL 1.1 keyword"):
        tokenize("?s A ?o")
    assert {"SERVICE", "LOAD", "RAND", "STRUUID", "GROUP_CONCAT", "SHA512"} <= KEYWORDS


def test_comments_end_at_cr_or_lf():
    assert kinds("ASK # c\rSERVICE") == [("KEYWORD", "ASK"), ("KEYWORD", "SERVICE")]
    assert kinds("ASK # c\nSERVICE") == [("KEYWORD", "ASK"), ("KEYWORD", "SERVICE")]
    assert kinds("ASK # c\u2028SERVICE") == [("KEYWORD", "ASK")]  # only CR and LF end a line
    assert kinds("RAND#c\n()") == [("KEYWORD", "RAND"), ("NIL", "()")]
    assert kinds('"#not a comment" <http://e/#x> # a comment') == [
        ("STRING_LITERAL2", '"#not a comment"'), ("IRIREF", "<http://e/#x>")]


def test_offsets():
    tokens = tokenize("SELECT ?x\n{ ?x a <u> }")
    assert [(t.start, t.end) for t in tokens] == [(0, 6), (7, 9), (10, 11), (12, 14), (15, 16),
                                                  (17, 20), (21, 22)]
    assert [d for d, _ in with_depth(tokens)] == [0, 0, 0, 1, 1, 1, 0]


def test_codepoint_escapes_apply_anywhere_before_tokenising():
    """SPARQL 1.1 §19.2: escapes are replaced before parsing, wherever they are."""
    assert decode_escapes("a\\u0053b\\U0001F600") == ("aSb\U0001F600", [0, 1, 7, 8, 18])
    tokens = tokenize("SELECT * { \\u0053ERVICE <x> {} }")
    assert tokens[3].keyword == "SERVICE" and (tokens[3].start, tokens[3].end) == (11, 23)
    assert kinds("ex:\\u0063") == [("PNAME_LN", "ex:c")]
    # an escape that makes a backslash does not start another escape (syn-codepoint-escape-bad-04)
    with pytest.raises(LexError):
        tokenize("?s ?p \\u005cU00000031")
    with pytest.raises(LexError, match="no Unicode character at 1:2 "):
        tokenize('"\\uD800"')
    # Oxigraph's reading: escapes only inside IRIs and strings
    assert kinds('<\\u0078> "\\u0022"', escapes=IN_LITERALS) == [
        ("IRIREF", "<\\u0078>"), ("STRING_LITERAL2", '"\\u0022"')]
    with pytest.raises(LexError, match=re.escape("unexpected character '\\\\' at 1:1 (character 0)")):
        tokenize("\\u0053ERVICE", escapes=IN_LITERALS)
    assert len(readings("ASK {}")) == 1 and len(readings('ASK { FILTER("\\u0041") }')) == 2


def test_errors_name_the_place():
    with pytest.raises(LexError) as error:
        tokenize("SELECT *\nWHERE { ?s ?p ~ }")
    assert (error.value.offset, error.value.line, error.value.column) == (23, 2, 15)
    assert str(error.value) == "unexpected character '~' at 2:15 (character 23)"
    with pytest.raises(LexError, match="not closed before the end of its line at 1:7 "):
        tokenize('ASK { "a\n" }')
    with pytest.raises(LexError, match="'FOO' is no SPARQL 1.1 keyword"):
        tokenize("FOO")
    with pytest.raises(LexError, match="the escape \\\\q in a string"):
        tokenize('"\\q"')
    with pytest.raises(LexError, match="at 1:15 "):  # no IRIREF: '<' 'http:' '/' '/' 'e'…
        tokenize("ASK { <http://e/a b> ?p ?o }")
    with pytest.raises(ValueError, match="escapes must be"):
        tokenize("ASK {}", escapes="sometimes")
    assert BEFORE_TOKENISING != IN_LITERALS


# ---- the policy on the lexer's tokens -------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * { [ ?q ?o]SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX x: <http://e/> SELECT * { [ ?q x:o]SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o # c\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { OPTIONAL{?s ?p ?o}SERVICE<http://127.0.0.1:9/>{?s ?p ?o} }",
    "SELECT * { FILTER(?s)SERVICE SILENT <http://127.0.0.1:9/> {} }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    # Oxigraph reads "\u005C" as a string holding a backslash; §19.2 as an open string
    'SELECT * { BIND("\\u005C" AS ?x) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } BIND("" AS ?y) }',
])
def test_service_next_to_anything_is_refused(query):
    with pytest.raises(QueryRefused) as refused:
        check_query(query)
    assert str(refused.value) == SERVICE_REFUSED


def test_nesting_hidden_after_a_cr_comment_is_refused():
    query = "SELECT * { # c\r" + "{" * 3000 + "}" * 3000 + " }"
    with pytest.raises(QueryRefused) as refused:
        check_query(query)
    assert str(refused.value) == (f"the query nests brackets more than {MAX_NESTING} levels deep "
                                  "(at character 214); simplify it")
    check_query("SELECT * { # c\r" + "{" * (MAX_NESTING - 1) + "}" * (MAX_NESTING - 1) + " }")


def test_signed_numbers_count_as_operators():
    check_query("SELECT (1" + "+1" * (MAX_OPERATORS - 1) + " AS ?x) {}")
    with pytest.raises(QueryRefused, match=f"more than {MAX_OPERATORS} operators"):
        check_query("SELECT (?x" + "+1" * (MAX_OPERATORS + 1) + " AS ?y) {}")


def test_volatile_functions_are_found_wherever_they_are_written():
    assert is_volatile("SELECT (RAND#c\n() AS ?r) {}")
    assert is_volatile("SELECT (rand\t() AS ?r) {}")
    assert is_volatile("SELECT (STRUUID() AS ?u) {}") and is_volatile("SELECT (BNODE(?x) AS ?b) {}")
    assert is_volatile("SELECT (\\u004EOW() AS ?n) {}")
    assert not is_volatile('SELECT ?now { BIND("rand()" AS ?now) } # NOW()')
    assert not is_volatile("PREFIX e: <http://e/> SELECT ?x { ?x e:uuid ?y }")
    assert is_volatile("SELECT ~")  # does not lex: no cache may keep its answer


def test_unknown_prefix_names_it_and_the_known_ones():
    with pytest.raises(QueryRefused) as refused:
        check_query("SELECT * { ?s foo:bar ?o }")
    message = str(refused.value)
    assert message.startswith("unknown prefix foo: (at character 14); the query declares: none. "
                              "Declare it with PREFIX foo: <namespace IRI>; the prefixes of this "
                              "dataset are cdk:, cdksh:, dcat:, dct:,")
    with pytest.raises(QueryRefused) as refused:
        check_query("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    "SELECT * { ?s skos:broader/cdk:x ?o }")
    assert str(refused.value) == ("unknown prefix cdk: (at character 79); the query declares: skos:. "
                                  "Add PREFIX cdk: <https://w3id.org/codikg/ontology#> before the query")
    check_query("PREFIX : <http://e/> SELECT * { ?s :p ?o }")
    check_query('SELECT * { ?s ?p "foo:bar", <foo:bar> } # foo:bar')


def test_update_checks():
    with pytest.raises(QueryRefused, match="LOAD is not allowed"):
        check_update("LOAD <http://127.0.0.1:9/x> ;")
    with pytest.raises(QueryRefused, match="LOAD is not allowed"):
        check_update("INSERT DATA { <a> <b> <c> }#\rLOAD <http://127.0.0.1:9/x>")
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_update("INSERT { ?s ?p ?o } WHERE { [ ?q ?o]SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    check_update('INSERT DATA { <urn:a> <urn:b> "LOAD <http://x/>" }')
    update = "DELETE WHERE { ?s ?p ?o } ; INSERT { ?s ?p 1 } WHERE {?s ?p ?o}"
    assert apply_using(update, ["urn:d"], []) == (
        "DELETE WHERE { ?s ?p ?o } ; INSERT { ?s ?p 1 } USING <urn:d> WHERE {?s ?p ?o}")


def test_syntax_errors_are_refused_with_their_place():
    with pytest.raises(QueryRefused) as refused:
        check_query("SELECT * WHERE { ?s ?p ?o ~ ?r }")
    assert str(refused.value) == "SPARQL syntax error: unexpected character '~' at 1:27 (character 26)"
    with pytest.raises(QueryRefused, match="as Oxigraph does"):
        check_query("PREFIX e: <http://e/> SELECT * { ?s e:\\u0063 ?o }")


def test_query_text_reads_tokens():
    assert query_form("PREFIX a: <x> # SELECT\r ASK {}") == "ASK"
    assert query_form("~") is None
    assert declares_dataset("SELECT * #x\rFROM <urn:g> {}")
    assert not declares_dataset("PREFIX e: <http://e/> SELECT * { ?s e:from ?o } # FROM <x>")
    assert limit_select("SELECT * {} LIMIT#c\r50000", 11) == "SELECT * {} LIMIT#c\r11"


@pytest.mark.parametrize("text", [
    ("a." * 10_000 + ":") * 3,                      # a prefix can end neither with '.' nor before it
    ("a." * 10_000 + ":b ") * 3,
    "e:" + "a." * 30_000 + " ",
    "'''" + "''a" * 20_000,                         # an unclosed long string
    "SELECT (" + "+".join(["1"] * 30_000) + " AS ?x) {}",
    "<a" * 30_000,
])
def test_adversarial_text_is_refused(text):
    """Twice the endpoint's 32 KiB query limit, each refused (its lexing time is measured by
    ``bench/lexer.py``: a rescan per position once made the first of these take seconds)."""
    with pytest.raises(QueryRefused):
        check_query(text)
