"""Dereferencing IRIs of the base namespace on a live server (Cool URIs, conneg, caching).

Every RDF answer is parsed with rdflib, a parser independent of the
pyoxigraph serialiser that wrote it.
"""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, SKOS

from conftest import BASE, PLAN, ROOT

CDK = Namespace("https://w3id.org/codikg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
CURATION = URIRef(BASE + "graph/codi/2552/curation")
DOCUMENT = URIRef(BASE + "graph/codi/2552/document")

CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

#: (media type, extension, rdflib parser, holds quads)
RDF_TYPES = [
    ("text/turtle", "ttl", "turtle", False),
    ("application/n-triples", "nt", "nt", False),
    ("application/ld+json", "jsonld", "json-ld", False),
    ("application/rdf+xml", "rdf", "xml", False),
    ("application/trig", "trig", "trig", True),
    ("application/n-quads", "nq", "nquads", True),
]

#: One IRI of each kind the base namespace holds (path under the base).
THINGS = [
    "id/codi", "id/codi/plan/2552", "id/codi/plan/2552/vision", "id/codi/plan/2552/mission/1",
    "id/codi/plan/2552/objective/3", "id/codi/plan/2552/issue/3",
    "id/codi/plan/2552/issue/3/indicator/1.2", "id/codi/plan/2552/issue/6/strategy/1.5",
    "id/codi/plan/2552/issue/1/project/1", "id/codi/plan/2552/source",
    "id/codi/plan/2552/curation/objective-3-mission-4", "id/agent/codikg-editors",
]
GRAPHS = ["graph/codi/2552/document", "graph/codi/2552/curation", "graph/ontology", "graph/codi/2552/derived",
          "graph/catalog"]
INDICATOR = "id/codi/plan/2552/issue/3/indicator/1.2"


def parse(body: bytes, parser: str, quads: bool):
    target = Dataset() if quads else Graph()
    target.parse(data=body, format=parser)
    return target


def get(server, path, **headers):
    return httpx.get(server + "/" + path.lstrip("/"), headers=headers, follow_redirects=False, timeout=60)


@pytest.mark.parametrize("accept", [CHROME, FIREFOX, SAFARI], ids=["chrome", "firefox", "safari"])
@pytest.mark.parametrize("path", THINGS)
def test_browser_gets_html_page_of_each_thing(server, path, accept):
    r = get(server, path, accept=accept)
    assert r.status_code == 303
    assert r.headers["location"] == f"/{path}.html"
    assert "Accept" in r.headers["vary"]
    page = httpx.get(server + r.headers["location"], headers={"accept": accept})
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert BASE + path in page.text  # the page names the IRI it describes


@pytest.mark.parametrize("path", GRAPHS)
def test_browser_gets_html_page_of_each_graph(server, path):
    r = get(server, path, accept=CHROME)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-location"] == f"/{path}.html"
    assert BASE + path in r.text


@pytest.mark.parametrize("media_type,ext,parser,quads", RDF_TYPES)
@pytest.mark.parametrize("path", THINGS)
def test_each_rdf_type_for_each_thing(server, path, media_type, ext, parser, quads):
    r = get(server, path, accept=media_type)
    assert r.status_code == 303
    assert r.headers["location"] == f"/{path}.{ext}"
    doc = httpx.get(server + r.headers["location"])
    assert doc.status_code == 200
    assert doc.headers["content-type"] == f"{media_type}; charset=utf-8"
    parsed = parse(doc.content, parser, quads)
    subject = URIRef(BASE + path)
    triples = [q[:3] for q in parsed.quads()] if quads else list(parsed)
    assert any(s == subject for s, _, _ in triples)  # every thing has outgoing statements


@pytest.mark.parametrize("media_type,ext,parser,quads", RDF_TYPES)
@pytest.mark.parametrize("path", GRAPHS)
def test_each_rdf_type_for_each_graph_is_the_whole_graph(server, release, path, media_type, ext,
                                                         parser, quads):
    _, manifest = release
    expected = {**manifest["graphs"], manifest["catalog"]["graph"]: manifest["catalog"]["triples"]}
    r = get(server, path, accept=media_type)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert r.headers["content-location"] == f"/{path}.{ext}"
    parsed = parse(r.content, parser, quads)
    if quads:  # the triples in the default graph, and again in the graph's own name
        graph = parsed.graph(URIRef(BASE + path))
        assert len(graph) == expected[BASE + path]
        assert set(parsed.default_graph) == set(graph)
        assert {g.identifier for g in parsed.graphs() if len(g)} == {URIRef(BASE + path),
                                                                    DATASET_DEFAULT_GRAPH_ID}
    else:
        assert len(parsed) == expected[BASE + path]


def test_curation_graph_holds_the_editors_files(server):
    """Every statement of data/curation/*.ttl (parsed by rdflib) is in the curation graph served."""
    expected = Graph()
    for path in sorted((ROOT / "data" / "plans" / "codi" / "2552" / "curation").glob("*.ttl")):
        expected.parse(path, format="turtle")
    served = parse(get(server, "graph/curation.nt").content, "nt", False)
    assert {_lexical(t) for t in expected} <= {_lexical(t) for t in served}


def _lexical(triple):
    """Literals by lexical form and language: pyoxigraph stores xsd:nonNegativeInteger and the
    other derived integer types as xsd:integer (same value, primitive datatype)."""
    return tuple((str(t), t.language) if isinstance(t, Literal) else t for t in triple)


@pytest.mark.parametrize("accept,ext", [
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/ld+json;q=0.4, text/turtle;q=0.6", "ttl"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "rdf"),
    ("text/html;q=0.2, application/n-quads;q=0.8", "nq"),
    ("application/n-quads;q=0.3, application/trig;q=0.7, text/html;q=0.5", "trig"),
    ("*/*;q=0.1, application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("*/*", "ttl"),
    ("text/*;q=0.3, application/trig;q=0.2", "ttl"),
    ("image/png, application/xml;q=0.5", "rdf"),
    (FIREFOX, "html"),
])
def test_q_value_orders(server, accept, ext):
    r = get(server, INDICATOR, accept=accept)
    assert (r.status_code, r.headers["location"]) == (303, f"/{INDICATOR}.{ext}")
    r = get(server, "graph/curation", accept=accept)
    assert (r.status_code, r.headers["content-location"]) == (200, f"/graph/curation.{ext}")


def test_unsupported_type_gets_406_listing_the_available_ones(server):
    for path in (INDICATOR, "graph/document"):
        r = get(server, path, accept="image/png, application/pdf")
        assert r.status_code == 406
        for media_type, *_ in RDF_TYPES:
            assert media_type in r.text
        assert "text/html" in r.text


@pytest.mark.parametrize("name,ext", [("ttl", "ttl"), ("turtle", "ttl"), ("jsonld", "jsonld"),
                                      ("rdfxml", "rdf"), ("nt", "nt"), ("trig", "trig"),
                                      ("nquads", "nq"), ("html", "html"),
                                      ("application/n-quads", "nq")])
def test_format_parameter_overrides_accept(server, name, ext):
    r = get(server, INDICATOR + f"?format={name}", accept="text/html")
    assert (r.status_code, r.headers["location"]) == (303, f"/{INDICATOR}.{ext}")


def test_indicator_description_is_a_bounded_description(server):
    """Outgoing, incoming, anchor and labels of what is mentioned; each with its graph."""
    ds = parse(get(server, INDICATOR + ".trig").content, "trig", True)
    me = URIRef(BASE + INDICATOR)
    document = ds.graph(DOCUMENT)
    assert (me, SKOS.prefLabel, Literal("ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน", lang="th")) in document
    assert (me, CDK.measures, URIRef(PLAN + "/objective/3")) in document
    # incoming: its parent indicator
    assert (URIRef(PLAN + "/issue/3/indicator/1"), CDK.hasSubIndicator, me) in document
    # labels of what it mentions, in the graph that states them
    assert (URIRef(PLAN + "/objective/3"), SKOS.prefLabel, None) in document
    assert (URIRef(PLAN + "/issue/3/indicator/1"), SKOS.prefLabel, None) in document
    assert (CDK.measures, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("measures", lang="en")) in ds.graph(URIRef(BASE + "graph/ontology"))
    # the Web Annotation anchor (hash IRIs of the resource) and its selectors
    span = URIRef(f"{BASE}{INDICATOR}#source-1")
    assert (me, CDK.sourceSpan, span) in document
    quote = URIRef(f"{BASE}{INDICATOR}#source-1-quote")
    assert (span, OA.hasSelector, quote) in document
    assert (quote, OA.exact, Literal("ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน")) in document
    line = next(document.objects(span, CDK.lineNumber)).toPython()
    source_lines = (ROOT / "data" / "plans" / "codi" / "2552" / "source" / "codi-strategic-plan-2552.txt").read_text(
        encoding="utf-8").splitlines()
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in source_lines[line - 1]
    # bounded: nothing about unrelated elements (another issue's items)
    assert not any(str(s).startswith(PLAN + "/issue/1/") for s, _, _, _ in ds.quads())


def test_curated_links_keep_their_graph_in_quads(server):
    ds = parse(get(server, "id/codi/plan/2552/objective/3.nq").content, "nquads", True)
    me = URIRef(PLAN + "/objective/3")
    curation = ds.graph(CURATION)
    assert (me, CDK.supportsMission, URIRef(PLAN + "/mission/3")) in curation
    assert (me, CDK.supportsMission, URIRef(PLAN + "/mission/4")) in curation
    assert (me, CDK.supportsMission, None) not in ds.graph(DOCUMENT)
    assert (me, RDF.type, CDK.StrategicObjective) in ds.graph(DOCUMENT)
    # incoming: the issue and the curated statements about the link
    assert (URIRef(PLAN + "/issue/3"), CDK.hasObjective, me) in ds.graph(DOCUMENT)
    assert (URIRef(PLAN + "/curation/objective-3-mission-4"), RDF.subject, me) in curation


def test_triple_formats_hold_the_union_without_duplicates(server):
    trig = parse(get(server, INDICATOR + ".trig").content, "trig", True)
    union = {(s, p, o) for s, p, o, _ in trig.quads()}
    # quad formats too: the union in the default graph, where Comunica looks (issue 16)
    assert set(trig.default_graph) == union and len(union) == 47
    assert set(parse(get(server, INDICATOR + ".nq").content, "nquads", True).default_graph) == union
    for ext, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        assert set(parse(get(server, f"{INDICATOR}.{ext}").content, parser, False)) == union


def test_conditional_requests_and_validators(server, release):
    _, manifest = release
    r = get(server, INDICATOR + ".ttl")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag == f'W/"{manifest["release"]}-ttl"'
    assert get(server, INDICATOR + ".ttl", **{"if-none-match": etag}).status_code == 304
    assert get(server, INDICATOR + ".ttl", **{"if-none-match": f'"x", {etag}'}).status_code == 304
    assert get(server, INDICATOR + ".ttl", **{"if-none-match": '"other"'}).status_code == 200
    assert get(server, INDICATOR + ".ttl", **{"if-modified-since": modified}).status_code == 304
    negotiated = get(server, "graph/curation", accept="application/trig")
    assert negotiated.headers["etag"] == f'W/"{manifest["release"]}-trig"'
    not_modified = get(server, "graph/curation", accept="application/trig",
                       **{"if-none-match": negotiated.headers["etag"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["etag"] == negotiated.headers["etag"]
    assert "Accept" in not_modified.headers["vary"]
    # a different representation has a different tag
    assert get(server, "graph/curation", accept="text/turtle").headers["etag"] != negotiated.headers["etag"]


def test_head_gzip_cors_and_alternates(server):
    url = f"{server}/{INDICATOR}.jsonld"
    full = httpx.get(url, headers={"accept-encoding": "identity"})
    head = httpx.head(url, headers={"accept-encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert head.headers["etag"] == full.headers["etag"]
    zipped = httpx.get(f"{server}/graph/document.nq", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    raw = httpx.get(f"{server}/graph/document.nq", headers={"accept-encoding": "identity"})
    assert zipped.content == raw.content  # httpx decompressed it
    assert int(zipped.headers["content-length"]) < len(raw.content) / 3
    assert gzip.decompress(gzip.compress(raw.content)) == raw.content
    assert full.headers["access-control-allow-origin"] == "*"
    assert "ETag" in full.headers["access-control-expose-headers"]
    redirect = get(server, INDICATOR, accept="text/turtle", origin="https://example.org")
    assert redirect.headers["access-control-allow-origin"] == "*"
    links = full.headers["link"]
    for media_type, ext, *_ in RDF_TYPES:
        assert f'</{INDICATOR}.{ext}>; rel="alternate"; type="{media_type}"' in links
    assert json.loads(full.content)  # JSON-LD is JSON


@pytest.mark.parametrize("path", ["id/codi/plan/2552/issue/99", "id/nothing", "graph/nothing",
                                  "id/codi/plan/2552/issue/3/indicator/1.2.9",
                                  "id/codi/plan/2552/%3Cbad%3E"])
def test_unknown_iris_get_404_not_a_stack_trace(server, path):
    page = get(server, path, accept=CHROME)
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'href="/plan"' in page.text and "Traceback" not in page.text
    for media_type, ext, *_ in RDF_TYPES:
        r = get(server, path, accept=media_type)
        assert r.status_code == 404
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        assert "holds no statement about" in r.text
        assert get(server, f"{path}.{ext}").status_code == 404
