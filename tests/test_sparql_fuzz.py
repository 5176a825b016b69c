"""Differential fuzz of the SERVICE refusal against pyoxigraph's own parser.

Valid queries (the W3C positive syntax tests and queries/*.rq) get
``SERVICE <http://127.0.0.1:PORT/> { ?s ?p ?o }`` spliced in at token
boundaries of a group graph pattern, with every kind of white space, comments
ending at CR or LF, and brackets (``]`` ``)`` ``}`` ``?o]`` ``x:o]``) next to
it, spelled in every case and with codepoint escapes. Every variant that
pyoxigraph parses must be refused by the policy; and the guarded path (the
policy, then pyoxigraph only for what it lets through) must open no
connection to a real listener on PORT.

pyoxigraph has no parse-only call (``Store.query`` parses, then evaluates), so
"pyoxigraph parses it" is asked with the same text aimed at a port that
refuses connections: a syntax error is raised before evaluation, anything else
means it parsed. A fixed seed keeps the run deterministic and a few seconds long.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace

from codikg.sparql.lexer import LexError, tokenize, with_depth
from codikg.sparql.policy import QueryRefused, check_query

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "conformance" / "w3c-sparql-syntax"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")

SPACES = ["", " ", "\t", "\r", "\n", "\r\n", "#c\r", "#c\n", "#c\r\n", " # c ] } SERVICE\r", "\t#c\n "]
# not SPARQL white space (pyoxigraph refuses them too): tried in one place only
ODD_SPACES = ["\x0c", "\x0b", "\u00a0", "\u2028", "\u3000", "#c\u2028"]
BEFORE = ["", "[ ?q ?o ]", "[ ?q ?o]", "[ ?q x:o]", "FILTER(?q)", "BIND(1 AS ?q)", "{ ?q ?r ?t }",
          "OPTIONAL{?q ?r ?t}", "?q ?r ?t .", "?q ?r ?t ;"]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICE#c\rSILENT", "SERVICE\tsilent"]
# SPARQL 1.1 §19.2 makes these SERVICE; pyoxigraph does not read escapes there
ESCAPED_KEYWORDS = ["\\u0053ERVICE", "SERVIC\\u0045", "S\\u0045RVICE SILENT", "\\U00000053ERVICE"]
IRIS = ["<http://127.0.0.1:{port}/>", "<http://127.0.0.1:{port}\\u002F>", "<http://127.0.0.1:{port}>"]
BODIES = ["{ ?s ?p ?o }", "{?s ?p ?o}", "{#c\r?s ?p ?o}", "{ ?s ?p ?o . }"]
AFTER = ["", "?q ?r ?t", "[ ?q ?o ]", "FILTER(?q)", "{ ?q ?r ?t }", ". ?q ?r ?t"]
X_PREFIX = "PREFIX x: <http://example.org/x#>\n"


def _base_queries() -> list[str]:
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted((ROOT / "queries").glob("*.rq"))]
    for manifest in sorted(SUITE.glob("*/manifest.ttl")):
        graph = Graph().parse(manifest, format="turtle")
        for kind in (MF.PositiveSyntaxTest11, MF.PositiveSyntaxTest):
            for test in sorted(graph.subjects(RDF.type, kind)):
                texts.append((manifest.parent / str(graph.value(test, MF.action)).rsplit("/", 1)[1])
                             .read_bytes().decode("utf-8"))
    assert len(texts) > 200, "tests/conformance/w3c-sparql-syntax is missing"
    # a base that federates already would be fetched by the oracle itself
    return [t for t in texts if "service" not in t.lower()]


def _splice_points(text: str) -> list[int]:
    """Offsets just inside a group: after '{', and after a '.' or a '}' within one."""
    points = []
    for depth, token in with_depth(tokenize(text)):
        if token.text == "{" or (depth > 0 and token.text == "." and token.kind == "PUNCT") or (
                depth > 0 and token.text == "}"):
            points.append(token.end)
    return points


KEY = "\x00KEYWORD\x00"  # where the keyword goes in a template
PORT = "\x00PORT\x00"


def _template(rng: random.Random, text: str, point: int, before=None, keyword=None, space=None):
    """(query with KEY and PORT to fill in, the keyword)."""
    pick = rng.choice
    keyword = keyword if keyword is not None else pick(KEYWORDS)
    clause = (pick(SPACES) + (before if before is not None else pick(BEFORE))
              + (space if space is not None else pick(SPACES)) + KEY + pick(SPACES)
              + pick(IRIS).replace("{port}", PORT) + pick(SPACES) + pick(BODIES) + pick(SPACES)
              + pick(AFTER) + pick(SPACES))
    query = text[:point] + clause + text[point:]
    return (X_PREFIX + query if "x:o" in clause else query), keyword


def _fill(template: str, keyword: str, port: int, broken: bool = False) -> str:
    """The query; ``broken``: its first word made no keyword (``SERVICEX``)."""
    if broken:
        first, _, rest = keyword.partition(" ")
        keyword = first + "X" + (" " + rest if rest else "")
    return template.replace(KEY, keyword).replace(PORT, str(port))


def _parses(store: ox.Store, query: str) -> bool:
    try:
        store.query(query)
    except SyntaxError:
        return False
    except Exception:  # noqa: BLE001 - evaluation failed: it parsed
        return True
    return True


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.05)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.getpeername())
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join()
    sock.close()


@pytest.fixture
def closed_port():
    """A port bound but not listening: a connection to it is refused at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def test_every_service_pyoxigraph_parses_is_refused(listener, closed_port):
    port, seen = listener
    rng = random.Random(20250601)
    templates = []
    # every bracket × space × keyword right after the '{' of a plain group
    simple = "SELECT * WHERE { ?s ?p ?o }"
    for before in BEFORE:
        for space in SPACES + ODD_SPACES:
            for keyword in KEYWORDS + ESCAPED_KEYWORDS:
                templates.append(_template(rng, simple, 16, before, keyword, space))
    # random variants in every base query, at up to four places each
    bases = 0
    for text in _base_queries():
        try:
            points = _splice_points(text)
        except LexError:
            continue
        bases += 1
        for point in sorted(set(rng.sample(points, min(4, len(points))))):
            templates += [_template(rng, text, point) for _ in range(6)]

    store, oracle = ox.Store(), ox.Store()
    # one triple, so that the patterns next to a SERVICE match and it gets evaluated
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    parsed = live = refused = 0
    let_through = []
    for template, keyword in templates:
        # pyoxigraph reads the keyword as SERVICE iff the query parses and
        # stops parsing when that word is made SERVICEX (in a comment or a
        # string it would still parse)
        parses = _parses(oracle, _fill(template, keyword, closed_port))
        service = parses and not _parses(oracle, _fill(template, keyword, closed_port, broken=True))
        parsed += parses
        live += service
        query = _fill(template, keyword, port)
        try:
            check_query(query)
        except QueryRefused:
            refused += 1
            continue
        if service:
            let_through.append(query)
        _parses(store, query)  # the guarded path: what the policy lets through is evaluated
    time.sleep(0.3)
    summary = (f"{len(templates)} variants from {bases} base queries: {parsed} parsed by pyoxigraph, "
               f"{live} of them with SERVICE as a keyword; {refused} refused by the policy")
    print(summary)
    assert let_through == [], summary
    assert seen == [], summary
    assert live > 1500 and refused >= live, summary
