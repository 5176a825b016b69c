"""App-level bounds (in-process): negotiation headers (431), ``?lang=`` (400), query
text that is not UTF-8 (400), aborted bodies (quiet), cut answers marked in the body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from codikg.config.limits import Limits
from codikg.web.app import create_app

LIMITS = Limits()


def test_an_accept_with_too_many_members_gets_431(client):
    accept = ", ".join(f"text/x-{i}" for i in range(LIMITS.max_accept_ranges + 1))
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.status_code == 431
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == (f"431 Request Header Fields Too Large: Accept lists {LIMITS.max_accept_ranges + 1} "
                      f"members, over the limit of 64 members and 4096 bytes\n")


def test_an_accept_at_the_limit_is_negotiated(client):
    accept = ", ".join(["text/x-a"] * (LIMITS.max_accept_ranges - 1) + ["application/sparql-results+json"])
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_a_long_accept_language_gets_431(client):
    r = client.get("/plan", headers={"Accept-Language": "en-" + "x" * 5000})
    assert r.status_code == 431
    assert r.text == ("431 Request Header Fields Too Large: Accept-Language is 5003 bytes long, over "
                      "the limit of 64 members and 4096 bytes\n")


def test_accept_encoding_is_bounded_too(client):
    r = client.get("/sparql", params={"query": "ASK {}"},
                   headers={"Accept-Encoding": ",".join(["gzip"] * 65)})
    assert r.status_code == 431


def test_a_lang_with_cr_lf_gets_400_on_every_route(client):
    for path in ("/", "/id/codi/plan/2552", "/sparql", "/plan"):
        r = client.get(path, params={"lang": "en\r\nX-Evil: 1"}, headers={"Accept": "text/html"},
                       follow_redirects=False)
        assert r.status_code == 400, path
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        assert r.text == ("400 Bad Request: ?lang= takes a language tag such as th or en (letters, "
                          "digits and '-', at most 35), not 'en\\r\\nX-Evil: 1'\n")
        assert "x-evil" not in r.headers


def test_the_303_of_a_resource_keeps_the_chosen_language_url_encoded(client):
    r = client.get("/id/codi/plan/2552", params={"lang": "EN"}, headers={"Accept": "text/html"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/id/codi/plan/2552.html?lang=en"
    unknown = client.get("/id/codi/plan/2552", params={"lang": "fr"}, headers={"Accept": "text/html"},
                         follow_redirects=False)
    assert unknown.status_code == 303 and "lang" not in unknown.headers["location"]


def test_a_query_that_is_not_utf8_gets_400(client):
    r = client.get("/sparql?query=ASK%7B%FF%7D")
    assert r.status_code == 400
    assert r.text == "the query is not valid UTF-8 after percent-decoding\n"
    r = client.post("/sparql", content=b"query=ASK%7B%FF%7D",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert r.text == "the query is not valid UTF-8 after percent-decoding\n"
    r = client.get("/sparql?query=ASK%7B%7D&default-graph-uri=%C3")
    assert r.status_code == 400
    assert r.text == "the parameter 'default-graph-uri' is not valid UTF-8 after percent-decoding\n"


def test_a_utf8_query_is_still_read(client):
    r = client.get("/sparql?query=ASK%7B%20FILTER(%22%E0%B8%81%22%20%3D%20%22%E0%B8%81%22)%7D",
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_an_aborted_post_body_is_handled_quietly(client, caplog):
    import asyncio

    messages = iter([{"type": "http.request", "body": b"ASK {", "more_body": True},
                     {"type": "http.disconnect"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/sparql", "raw_path": b"/sparql", "root_path": "",
             "query_string": b"", "server": ("test", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"test"), (b"content-type", b"application/sparql-query"),
                         (b"content-length", b"100")]}
    with caplog.at_level("DEBUG"):
        asyncio.run(client.app(scope, receive, send))
    assert [r for r in caplog.records if r.levelname in ("ERROR", "WARNING") or r.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.name == "codikg.sparql"] == [
        "client disconnected before its request body was complete"]

SRX = "{http://www.w3.org/2005/sparql-results#}"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def cut_client(release, settings):
    app = create_app(release[0], settings.queries_dir, Limits(workers=1, result_limit=5))
    with TestClient(app) as test_client:
        yield test_client
    app.state.served.close()


def test_a_cut_json_answer_links_to_the_limits_in_its_head(cut_client):
    r = cut_client.get("/sparql", params={"query": ALL}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["query-limit-exceeded"] == "result-rows"
    assert r.json()["head"] == {"vars": ["s", "p", "o"], "link": ["/limits"]}
    assert len(r.json()["results"]["bindings"]) == 5


def test_a_cut_xml_answer_links_to_the_limits_in_its_head(cut_client):
    import xml.etree.ElementTree as ET

    r = cut_client.get("/sparql", params={"query": ALL}, headers={"Accept": "application/sparql-results+xml"})
    head = ET.fromstring(r.content).find(f"{SRX}head")
    assert [(e.tag, e.attrib) for e in head] == [
        (f"{SRX}variable", {"name": "s"}), (f"{SRX}variable", {"name": "p"}),
        (f"{SRX}variable", {"name": "o"}), (f"{SRX}link", {"href": "/limits"})]


def test_an_answer_not_cut_has_no_link_and_csv_is_unchanged(cut_client):
    r = cut_client.get("/sparql", params={"query": "SELECT ?x { VALUES ?x { 1 2 } }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert r.json()["head"] == {"vars": ["x"]} and "query-limit-exceeded" not in r.headers
    r = cut_client.get("/sparql", params={"query": ALL, "format": "csv"})
    assert r.headers["query-limit-exceeded"] == "result-rows"
    assert r.text.splitlines()[0] == "s,p,o" and len(r.text.splitlines()) == 6


def test_the_limits_page_states_the_limits(cut_client):
    r = cut_client.get("/limits")
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "result rows: 5 solutions or triples" in r.text
    assert "request header fields: 16384 bytes in all (431)" in r.text


def test_the_new_limits_come_from_the_environment():
    from codikg.config.limits import limits_from_env

    limits = limits_from_env({"CODIKG_MAX_HEADER_BYTES": "2048", "CODIKG_MAX_ACCEPT_RANGES": "8",
                              "CODIKG_MAX_ACCEPT_BYTES": "512", "CODIKG_HEADER_TIMEOUT": "1.5",
                              "CODIKG_BODY_TIMEOUT": "2", "CODIKG_KEEP_ALIVE_TIMEOUT": "3",
                              "CODIKG_MAX_CONNECTIONS": "50"})
    assert (limits.max_header_bytes, limits.max_accept_ranges, limits.max_accept_bytes, limits.header_timeout,
            limits.body_timeout, limits.keep_alive_timeout, limits.max_connections) == (
        2048, 8, 512, 1.5, 2.0, 3.0, 50)
    assert (LIMITS.max_header_bytes, LIMITS.header_timeout, LIMITS.max_connections) == (16384, 10.0, 1000)
    with pytest.raises(ValueError, match="max_connections must be positive"):
        Limits(max_connections=0)
