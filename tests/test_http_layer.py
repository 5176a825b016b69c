"""The one HTTP layer every route shares: the format registry, conditional
requests (RFC 9110 §13), the format= rule and CORS from the middleware only.
Tests named ``test_bug_…`` are regressions of the bug they are named after."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from starlette.requests import Request

from codikg.graph.dumps import DUMP_FORMATS
from codikg.sparql.formats import (DATASET_FORMATS, GRAPH_FORMATS, RESULTS_CSV, RESULTS_FORMATS, TURTLE,
                                   format_by_name)
from codikg.web.http.conditional import is_current, weak
from codikg.web.middleware import EXPOSED_HEADERS

INDICATOR = "/id/codi/plan/2552/issue/3/indicator/1.2"
BIG_SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 200 # http-layer"
IDENTITY, GZIP = {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip"}
EXPOSED = ", ".join(EXPOSED_HEADERS)
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"  # a SELECT answer, the service description


def _release(client) -> str:
    return client.app.state.served.manifest["release"]


# --- the format registry ----------------------------------------------------------

def test_format_registry_takes_media_types_and_extensions_from_pyoxigraph():
    for fmt in RESULTS_FORMATS + GRAPH_FORMATS + DATASET_FORMATS:
        assert fmt.media_type == fmt.oxigraph.media_type.partition(";")[0]
        assert (fmt.extension, fmt.label) == (fmt.oxigraph.file_extension, fmt.oxigraph.name)
    assert (RESULTS_CSV.media_type, RESULTS_CSV.content_type) == ("text/csv", "text/csv; charset=utf-8")
    assert format_by_name(GRAPH_FORMATS, " N3 ") is TURTLE
    assert format_by_name(GRAPH_FORMATS, "application/x-turtle") is TURTLE
    assert [(d.key, d.media_type) for d in DUMP_FORMATS] == [
        (f.file_extension, f.media_type) for f in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS,
                                                   ox.RdfFormat.JSON_LD, ox.RdfFormat.TURTLE,
                                                   ox.RdfFormat.N_TRIPLES)]


# --- conditional requests: one helper (RFC 9110 §13.1.2, §13.1.3) -----------------

def _request(method: str = "GET", **headers: str | list[str]) -> Request:
    raw = [(name.replace("_", "-").encode(), value.encode())
           for name, values in headers.items() for value in ([values] if isinstance(values, str) else values)]
    return Request({"type": "http", "method": method, "headers": raw, "path": "/", "query_string": b""})


@pytest.mark.parametrize("if_none_match,etag,current", [
    ('"a"', '"a"', True), ('W/"a"', '"a"', True), ('"a"', 'W/"a"', True), ('W/"a"', 'W/"a"', True),
    ('"x", W/"a"', '"a"', True), ('"x" ,"a" , "y"', 'W/"a"', True), ("*", '"a"', True), ("*", None, True),
    ('"b"', '"a"', False), ('W/"b", "c"', 'W/"a"', False), ('"a"', None, False),
    (['"x"', 'W/"a"'], '"a"', True),  # two header lines are one list (RFC 9110 §5.3)
])
def test_if_none_match_uses_weak_comparison(if_none_match, etag, current):
    assert is_current(_request(if_none_match=if_none_match), etag) is current
    assert is_current(_request("HEAD", if_none_match=if_none_match), etag) is current
    assert is_current(_request("POST", if_none_match=if_none_match), etag) is False


def test_if_modified_since_only_without_if_none_match():
    from datetime import datetime, timezone
    modified = datetime(2024, 5, 1, 12, 0, 0, 500_000, tzinfo=timezone.utc)
    same, earlier = "Wed, 01 May 2024 12:00:00 GMT", "Wed, 01 May 2024 11:59:59 GMT"
    assert is_current(_request(if_modified_since=same), None, modified)
    assert not is_current(_request(if_modified_since=earlier), None, modified)
    assert not is_current(_request(if_modified_since="yesterday"), None, modified)
    assert not is_current(_request(if_modified_since=same, if_none_match='"other"'), '"a"', modified)
    assert not is_current(_request("POST", if_modified_since=same), None, modified)


def test_weak_form_of_a_tag():
    assert (weak('"a"'), weak('W/"a"')) == ('W/"a"', 'W/"a"')


# --- bugs of conditional requests -------------------------------------------------

def test_bug_catalog_and_sparql_send_one_strong_etag_for_gzip_and_identity(client):
    release = _release(client)
    for path in ("/catalog", "/.well-known/void"):
        plain, zipped = client.get(path, headers=IDENTITY), client.get(path, headers=GZIP)
        assert (plain.status_code, "content-encoding" in plain.headers) == (200, False)
        assert (zipped.status_code, zipped.headers["content-encoding"]) == (200, "gzip")
        assert plain.headers["etag"] == zipped.headers["etag"] == f'W/"{release}-turtle"'
    for params in ({"query": BIG_SELECT}, {}):  # an answer, the service description
        plain = client.get("/sparql", params=params, headers={**IDENTITY, "Accept": ACCEPT})
        zipped = client.get("/sparql", params=params, headers={**GZIP, "Accept": ACCEPT})
        assert (plain.status_code, "content-encoding" in plain.headers) == (200, False)
        assert (zipped.status_code, zipped.headers["content-encoding"]) == (200, "gzip")
        strong = plain.headers["etag"]
        assert strong.startswith('"') and zipped.headers["etag"] == f"W/{strong}"
        for tag in (strong, f"W/{strong}"):  # either copy revalidates either way (weak comparison)
            again = client.get("/sparql", params=params,
                               headers={**GZIP, "Accept": ACCEPT, "If-None-Match": tag})
            assert (again.status_code, again.headers["etag"], again.content) == (304, f"W/{strong}", b"")
            again = client.get("/sparql", params=params,
                               headers={**IDENTITY, "Accept": ACCEPT, "If-None-Match": tag})
            assert (again.status_code, again.headers["etag"], again.content) == (304, strong, b"")


def test_dump_gzip_twin_keeps_its_own_strong_etag(client):
    dumps = client.app.state.served.manifest["dumps"]
    zipped = client.get("/dumps/latest/codikg.ttl", headers=GZIP)
    assert (zipped.status_code, zipped.headers["content-encoding"]) == (200, "gzip")
    assert zipped.headers["etag"] == f'"{dumps["codikg.ttl.gz"]["sha256"]}"'
    again = client.get("/dumps/latest/codikg.ttl", headers={**GZIP, "If-None-Match": zipped.headers["etag"]})
    assert (again.status_code, again.headers["etag"]) == (304, zipped.headers["etag"])
    plain = client.get("/dumps/latest/codikg.ttl", headers=IDENTITY)
    assert plain.headers["etag"] == f'"{dumps["codikg.ttl"]["sha256"]}"'


@pytest.mark.parametrize("path,variant", [("/catalog", "turtle"), ("/.well-known/void", "turtle"),
                                          ("/catalog?format=nq", "nquads")])
def test_bug_catalog_answers_200_to_a_weak_or_listed_if_none_match(client, path, variant):
    first = client.get(path)
    tag = first.headers["etag"]
    assert (first.status_code, tag) == (200, f'W/"{_release(client)}-{variant}"')
    for header in (tag, tag.removeprefix("W/"), f'"x", {tag}', f'"x",{tag.removeprefix("W/")}', "*"):
        again = client.get(path, headers={"If-None-Match": header})
        assert (again.status_code, again.content) == (304, b""), header
        assert again.headers["etag"] == tag and again.headers["last-modified"] == first.headers["last-modified"]
        assert again.headers["vary"] == "Accept, Origin"
        assert again.headers["access-control-allow-origin"] == "*"
    assert client.get(path, headers={"If-None-Match": '"other", W/"x"'}).status_code == 200
    assert client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
    assert client.get(path, headers={"If-None-Match": '"other"',
                                     "If-Modified-Since": first.headers["last-modified"]}).status_code == 200


def test_catalog_page_validators_follow_the_language(client):
    client.cookies.clear()
    thai = client.get("/catalog", headers={"Accept": "text/html", "Accept-Language": "th"})
    english = client.get("/catalog", headers={"Accept": "text/html", "Accept-Language": "en"})
    release = _release(client)
    assert (thai.headers["etag"], english.headers["etag"]) == (f'W/"{release}-html-th"', f'W/"{release}-html-en"')
    assert thai.headers["vary"] == "Accept, Accept-Language, Cookie, Accept-Encoding, Origin"
    other = client.get("/catalog", headers={"Accept": "text/html", "Accept-Language": "en",
                                            "If-None-Match": thai.headers["etag"]})
    assert other.status_code == 200


@pytest.mark.parametrize("path,accept,variant", [
    ("/ontology", None, "ontology-turtle"), ("/ontology?format=jsonld", None, "ontology-jsonld"),
    ("/ontology", "text/html", "ontology-html-th"), ("/shapes", None, "shapes-turtle"),
    ("/shapes", "application/rdf+xml", "shapes-rdfxml"), ("/shapes", "text/html", "shapes-html-th"),
])
def test_ontology_and_shapes_answer_304_to_their_own_etag(client, path, accept, variant):
    headers = {"Accept": accept} if accept else {}
    first = client.get(path, headers=headers)
    tag = first.headers["etag"]
    assert (first.status_code, tag) == (200, f'W/"{_release(client)}-{variant}"')
    assert first.headers["last-modified"]
    for condition in ({"If-None-Match": tag}, {"If-None-Match": f'"x", {tag.removeprefix("W/")}'},
                      {"If-Modified-Since": first.headers["last-modified"]}):
        again = client.get(path, headers={**headers, **condition})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag), condition
        assert "Accept" in [v.strip() for v in again.headers["vary"].split(",")]
    assert client.get(path, headers={**headers, "If-None-Match": '"other"'}).status_code == 200
    if accept == "text/html":  # a page is in the site's layout, one per language
        assert {"Accept", "Accept-Language", "Cookie"} <= {v.strip() for v in first.headers["vary"].split(",")}
        english = client.get(path, headers={**headers, "Accept-Language": "en", "If-None-Match": tag})
        assert english.status_code == 200 and english.headers["etag"] == tag.replace("-th", "-en")
        assert '<header class="site">' in english.text and '<html lang="en">' in english.text


# --- the format= rule -------------------------------------------------------------

def test_bug_search_unknown_format_answers_200_html(client):
    for accept in ("text/html", "application/json", "*/*"):
        r = client.get("/search", params={"q": "housing", "format": "bogus"}, headers={"Accept": accept})
        assert (r.status_code, r.headers["content-type"]) == (406, "text/plain; charset=utf-8")
        assert r.text == ("406 Not Acceptable: format='bogus' is not available; available: "
                          "html (text/html), json (application/json)\n")
        assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    ok = client.get("/search", params={"q": "housing", "format": "JSON"})
    assert (ok.status_code, ok.headers["content-type"]) == (200, "application/json")


@pytest.mark.parametrize("path,formats", [
    ("/dumps/", "html (text/html), json (application/json)"),
    ("/prefixes", "json (application/json), turtle (text/turtle), html (text/html)"),
])
def test_unknown_format_is_406_on_every_negotiating_route(client, path, formats):
    r = client.get(path, params={"format": "bogus"})
    assert (r.status_code, r.headers["content-type"]) == (406, "text/plain; charset=utf-8")
    assert r.text == f"406 Not Acceptable: format='bogus' is not available; available: {formats}\n"


# --- CORS only from the middleware --------------------------------------------------

@pytest.mark.parametrize("path", [INDICATOR, INDICATOR + ".ttl", "/graph/document", "/catalog", "/sparql",
                                  "/sparql?query=ASK%7B%7D", "/sparql?query=ASK%7B&format=json",
                                  "/ontology", "/search?q=x&format=json", "/search?q=x", "/dumps/",
                                  "/dumps/latest/codikg.nt", "/prefixes", "/report.json", "/trace",
                                  "/id/no/such/thing", "/catalog?format=bogus"])
def test_cors_headers_are_the_middlewares_on_every_answer(client, path):
    for origin in ({}, {"Origin": "https://example.org"}):
        r = client.get(path, headers=origin, follow_redirects=False)
        assert r.headers["access-control-allow-origin"] == "*", (path, r.status_code)
        assert r.headers["access-control-expose-headers"] == EXPOSED, (path, r.status_code)
    not_modified = client.get(INDICATOR + ".ttl", headers={"If-None-Match": "*"})
    assert not_modified.status_code == 304 and not_modified.headers["access-control-allow-origin"] == "*"


EARLIER = "Sat, 01 Jan 2000 00:00:00 GMT"  # before any release


@pytest.mark.parametrize("path,params", [
    ("/dumps/latest/codikg.ttl", None), ("/dumps/{release}/codikg.nt", None),
    ("/dumps/latest/codikg.ttl.gz", None), ("/sparql", {"query": BIG_SELECT})])
@pytest.mark.parametrize("encoding", [IDENTITY, GZIP])
def test_bug_dumps_and_sparql_answers_ignored_if_modified_since(client, path, params, encoding):
    path = path.format(release=_release(client))
    first = client.get(path, params=params, headers=encoding)
    modified = first.headers["last-modified"]
    assert (first.status_code, modified) == (200, client.get("/catalog").headers["last-modified"])
    again = client.get(path, params=params, headers={**encoding, "If-Modified-Since": modified})
    # weak(): the GZip middleware weakens the tag of a 304 to a .gz download asked with gzip
    assert (again.status_code, again.content) == (304, b"")
    assert weak(again.headers["etag"]) == weak(first.headers["etag"])
    assert again.headers["last-modified"] == modified
    assert client.get(path, params=params, headers={**encoding, "If-Modified-Since": EARLIER}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
    assert client.get(path, params=params, headers={**encoding, "If-None-Match": '"other"',
                                                    "If-Modified-Since": modified}).status_code == 200


def test_a_volatile_sparql_answer_has_no_last_modified(client):
    first = client.get("/sparql", params={"query": "SELECT (RAND() AS ?r) {}"})
    assert (first.status_code, first.headers["cache-control"]) == (200, "no-store")
    assert "last-modified" not in first.headers
    again = client.get("/sparql", params={"query": "SELECT (RAND() AS ?r) {}"},
                       headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert again.status_code == 200
