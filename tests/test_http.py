"""HTTP behaviour every route shares: gzip and Accept-Encoding q-values, the
language cookie, OPTIONS and Allow, and 406 for a ``format=`` no format has."""

from __future__ import annotations

import gzip

import pytest

from codikg.web.middleware import accepts_gzip, allow_header

INDICATOR = "/id/codi/plan/2552/issue/3/indicator/1.2"
BIG_SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 200"
COOKIE = "codikg_lang=en; Max-Age=31536000; Path=/; SameSite=lax"
LD_FORMATS = ("turtle (text/turtle), ntriples (application/n-triples), jsonld (application/ld+json), "
              "rdfxml (application/rdf+xml), trig (application/trig), nquads (application/n-quads), "
              "html (text/html)")
GRAPH_FORMATS = ("turtle (text/turtle), ntriples (application/n-triples), jsonld (application/ld+json), "
                 "rdfxml (application/rdf+xml), html (text/html)")


# --- gzip: Accept-Encoding q-values (RFC 9110 §12.5.3) ---------------------------

@pytest.mark.parametrize("header,expected", [
    ("gzip", True), ("gzip;q=0", False), ("gzip; q=0.000", False), ("identity;q=1, gzip;q=0.5", True),
    ("*", True), ("*;q=0", False), ("gzip;q=0, *", False), ("*, gzip;q=0", False), ("br, *;q=0.1", True),
    ("x-gzip", True), ("GZIP", True), ("identity", False), ("", False), (None, False)])
def test_accepts_gzip(header, expected):
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize("path", ["/graph/document.nq", INDICATOR + ".html", "/plan"])
def test_gzip_q0_is_not_acceptable(client, path):
    refused = client.get(path, headers={"Accept-Encoding": "gzip;q=0"})
    assert refused.status_code == 200 and "content-encoding" not in refused.headers
    assert refused.headers["content-length"] == str(len(refused.content))
    assert "Accept-Encoding" in [v.strip() for v in refused.headers["vary"].split(",")]
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == refused.content  # httpx decoded it
    assert int(zipped.headers["content-length"]) < len(refused.content)
    preferred_identity = client.get(path, headers={"Accept-Encoding": "identity;q=1, gzip;q=0.5"})
    assert preferred_identity.headers["content-encoding"] == "gzip"  # q=0.5 is acceptable


def test_replayed_answers_honour_gzip_q0(client):
    """The replay cache keys on Accept-Encoding: a gzip copy is never replayed to gzip;q=0."""
    params = {"query": BIG_SELECT + " # gzip-q0"}
    accept = {"Accept": "application/sparql-results+json"}
    first = client.get("/sparql", params=params, headers={**accept, "Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
    cache = client.app.state.query_cache
    for _ in range(2):
        replays = cache.replays
        second = client.get("/sparql", params=params, headers={**accept, "Accept-Encoding": "gzip"})
        assert second.headers["content-encoding"] == "gzip"
        refused = client.get("/sparql", params=params, headers={**accept, "Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in refused.headers and refused.content == first.content
    assert cache.replays == replays + 2  # the second round came from the replay cache
    assert gzip.decompress(gzip.compress(refused.content)) == first.content


# --- ?lang= sets the language cookie once -----------------------------------------

@pytest.mark.parametrize("path", ["/", "/plan", INDICATOR + ".html", "/graph/document.html", "/sparql",
                                  "/dumps/", "/search?q=land", "/trace", "/report", "/catalog", "/shapes",
                                  "/ontology", "/prefixes", "/.well-known/void"])
def test_lang_parameter_sets_exactly_one_cookie(client, path):
    url = path + ("&" if "?" in path else "?") + "lang=en"
    client.cookies.clear()
    r = client.get(url, headers={"Accept": "text/html", "Accept-Language": "th"})
    assert (r.status_code, r.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert r.headers.get_list("set-cookie") == [COOKIE]
    client.cookies.clear()


def test_lang_cookie_only_when_the_parameter_chose(client):
    client.cookies.clear()
    assert client.get("/plan", headers={"Accept-Language": "en"}).headers.get_list("set-cookie") == []
    assert client.get("/plan?lang=fr").headers.get_list("set-cookie") == []  # unknown value: ignored
    thai = client.get(INDICATOR + ".html?lang=th")
    assert thai.headers.get_list("set-cookie") == [COOKIE.replace("=en", "=th")]
    rdf = client.get(INDICATOR + ".ttl?lang=en")  # not a page: nothing to remember
    assert rdf.status_code == 200 and rdf.headers.get_list("set-cookie") == []
    client.cookies.clear()


# --- OPTIONS (RFC 9110 §9.3.7) and Allow ------------------------------------------

@pytest.mark.parametrize("path,allow", [
    ("/sparql", "GET, HEAD, POST, OPTIONS"),
    (INDICATOR, "GET, HEAD, OPTIONS"),
    (INDICATOR + ".ttl", "GET, HEAD, OPTIONS"),
    ("/graph/document", "GET, HEAD, OPTIONS"),
    ("/", "GET, HEAD, OPTIONS"),
    ("/plan", "GET, HEAD, OPTIONS"),
    ("/ontology", "GET, HEAD, OPTIONS"),
    ("/catalog", "GET, HEAD, OPTIONS"),
    ("/dumps/latest/codikg.ttl", "GET, HEAD, OPTIONS"),
    ("/search", "GET, HEAD, OPTIONS"),
    ("/trace.csv", "GET, HEAD, OPTIONS"),
    ("/static/codikg.css", "GET, HEAD, OPTIONS"),
])
def test_plain_options_lists_the_methods(client, path, allow):
    r = client.options(path)
    assert (r.status_code, r.headers["allow"], r.content) == (204, allow, b"")
    assert "access-control-allow-origin" not in r.headers  # no Origin: not a CORS request


def test_options_on_unknown_path_is_404(client):
    assert client.options("/no-such-route").status_code == 404


def test_cors_preflight_still_answered_by_cors(client):
    r = client.options("/sparql", headers={"Origin": "https://example.org",
                                           "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
    assert (r.status_code, r.text) == (200, "OK")
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-allow-methods"] == "GET, HEAD, POST, OPTIONS"
    assert r.headers["access-control-allow-headers"] == "content-type"
    assert r.headers["access-control-max-age"] == "86400"
    # OPTIONS with an Origin but no preflight header is a plain OPTIONS, readable cross-origin
    plain = client.options("/sparql", headers={"Origin": "https://example.org"})
    assert (plain.status_code, plain.headers["allow"]) == (204, "GET, HEAD, POST, OPTIONS")
    assert plain.headers["access-control-allow-origin"] == "*"


def test_405_allow_lists_head_and_options(client):
    r = client.delete("/sparql")
    assert (r.status_code, r.headers["allow"], r.text) == (405, "GET, HEAD, POST, OPTIONS",
                                                           "Method Not Allowed\n")
    r = client.post(INDICATOR)
    assert (r.status_code, r.headers["allow"]) == (405, "GET, HEAD, OPTIONS")
    assert allow_header("POST, HEAD, GET") == "GET, HEAD, POST, OPTIONS"
    assert allow_header("GET") == "GET, HEAD, OPTIONS"


# --- format= names no available format: 406, the same message everywhere ------------

def _406(r, formats: str, name: str = "bogus"):
    assert (r.status_code, r.headers["content-type"]) == (406, "text/plain; charset=utf-8")
    assert r.text == f"406 Not Acceptable: format={name!r} is not available; available: {formats}\n"


@pytest.mark.parametrize("path", [INDICATOR, "/graph/document", "/graph/curation"])
def test_unknown_format_on_linked_data_is_406(client, path):
    r = client.get(path, params={"format": "bogus"}, headers={"Accept": "text/turtle"})
    _406(r, LD_FORMATS)
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert r.headers["access-control-allow-origin"] == "*"
    assert f'<{path}.ttl>; rel="alternate"; type="text/turtle"' in r.headers["link"]
    _406(client.get(path, params={"format": "BOGUS"}), LD_FORMATS, "BOGUS")


def test_known_and_empty_format_on_linked_data(client):
    r = client.get(INDICATOR, params={"format": "nq"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, INDICATOR + ".nq")
    r = client.get("/graph/document", params={"format": ""}, headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"] == "application/n-triples; charset=utf-8"  # empty: Accept decides
    # Notation3 clients get Turtle, a subset of N3
    r = client.get("/graph/curation", params={"format": "n3"})
    assert (r.status_code, r.headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    # an unknown resource is still 404, whatever its format= says
    assert client.get("/id/codi/plan/2552/issue/99", params={"format": "bogus"}).status_code == 404


def test_unknown_format_on_ontology_and_service_description_is_406(client):
    _406(client.get("/ontology", params={"format": "bogus"}), GRAPH_FORMATS)
    _406(client.get("/shapes", params={"format": "bogus"}), GRAPH_FORMATS)
    _406(client.get("/sparql", params={"format": "bogus"}), GRAPH_FORMATS)


@pytest.mark.parametrize("query,formats", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1",
     "json (application/sparql-results+json), xml (application/sparql-results+xml), csv (text/csv), "
     "tsv (text/tab-separated-values), html (text/html)"),
    ("ASK {}", "json (application/sparql-results+json), xml (application/sparql-results+xml), "
               "html (text/html)"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", GRAPH_FORMATS),
])
def test_unknown_format_on_sparql_query_is_406(client, query, formats):
    _406(client.get("/sparql", params={"query": query, "format": "bogus"}), formats)
    _406(client.get("/sparql", params={"query": query, "output": "bogus"}), formats)
    post = client.post("/sparql", data={"query": query, "format": "bogus"})
    _406(post, formats.replace(", html (text/html)", ""))


def test_format_the_answer_cannot_take_lists_what_it_can(client):
    _406(client.get("/sparql", params={"query": "ASK {}", "format": "csv"}),
         "json (application/sparql-results+json), xml (application/sparql-results+xml), html (text/html)",
         "csv")


def test_sparql_format_values_sparqlwrapper_sends(client):
    construct = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
    # RDF/XML: 'rdf+xml' is no name of ours, the media type after it is
    r = client.get("/sparql", params=[("query", construct), ("format", "rdf+xml"),
                                      ("format", "application/rdf+xml")])
    assert (r.status_code, r.headers["content-type"]) == (200, "application/rdf+xml; charset=utf-8")
    r = client.get("/sparql", params={"query": construct, "format": "n3"})
    assert (r.status_code, r.headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    r = client.get("/sparql", params={"query": "ASK {}", "format": "html"})
    assert (r.status_code, r.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert "ASK {}" in r.text  # the query page, with the query filled in
