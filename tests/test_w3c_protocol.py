"""The W3C SPARQL 1.1 Protocol test suite, run from its manifest.

The runner reads ``manifest.ttl`` (rdflib), loads the data files into the
named graphs the tests name, and replays every ``ht:Request`` against a live
``codikg serve``. Read-only (the default): every query test passes and every
update request is refused with a 4xx. With ``--allow-update`` on a scratch
copy, every test passes, updates included; there each test's data is
loaded into its named graphs by SPARQL Update before it runs.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from codikg.release.layout import INDEX_FILE
from codikg.search.index import build_index, write_index
from conftest import CONFORMANCE, serve

SUITE = CONFORMANCE / "w3c-sparql11-protocol"  # copied in; see tests/conformance/README.md
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SRX = "{http://www.w3.org/2005/sparql-results#}"
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}
TABULAR_TYPES = ("application/sparql-results+json", "application/sparql-results+xml",
                 "text/csv", "text/tab-separated-values")


def _load_tests() -> list[dict]:
    g = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=SUITE.as_uri() + "/manifest.ttl")
    manifest = g.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        data = {str(g.value(d, RDFS.label)): Path(str(g.value(d, UT.graph)).removeprefix("file://"))
                for d in g.objects(entry, UT.graphData)}
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                       for h in (Collection(g, g.value(req, HT.headers)) if g.value(req, HT.headers) else [])}
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": None if body is None else (str(g.value(body, CNT.chars)),
                                                   str(g.value(body, CNT.characterEncoding))),
                "status": {str(s).rsplit("#StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)},
                "format": str(g.value(resp, MF.expectedFormat) or "") or None,
                "boolean": None if g.value(resp, MF.expectedBoolean) is None
                else g.value(resp, MF.expectedBoolean).toPython(),
            })
        name = str(entry).rsplit("#", 1)[1]
        # The manifest names update tests update_*, bad_update_*, bad_multiple_updates;
        # their first request is the update (later ones query its effect).
        tests.append({"name": name, "data": data, "requests": requests,
                      "update": "update" in name})
    return tests


TESTS = _load_tests()  # never skipped: without the suite, collecting this module fails


def _send(url: str, request: dict) -> httpx.Response:
    content = None
    if request["body"]:
        text, encoding = request["body"]
        content = text.encode(encoding.lower())
    return httpx.request(request["method"], url + request["path"], headers=request["headers"],
                         content=content, timeout=30)


def _check(response: httpx.Response, request: dict, test: str) -> None:
    where = f"{test}: {request['method']} {request['path'][:60]} → {response.status_code} {response.text[:200]!r}"
    assert str(response.status_code)[0] in request["status"], where
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if request["format"] == "boolean":
        if media_type == "application/sparql-results+xml":
            value = ET.fromstring(response.content).find(f"{SRX}boolean").text == "true"
        else:
            assert media_type == "application/sparql-results+json", where
            value = json.loads(response.content)["boolean"]
        if request["boolean"] is not None:
            assert value is request["boolean"], where
    elif request["format"] == "tabular":
        assert media_type in TABULAR_TYPES, where
        if media_type == "application/sparql-results+json":
            assert json.loads(response.content)["results"]["bindings"][0]["value"]["value"] == "1", where
        elif media_type == "text/csv":
            assert list(csv.DictReader(io.StringIO(response.text))) == [{"value": "1"}], where
    elif request["format"] == "RDF":
        assert media_type in RDF_TYPES, where
        Graph().parse(data=response.content, format=RDF_TYPES[media_type])


@pytest.fixture(scope="module")
def suite_release(tmp_path_factory):
    """A release folder holding every data file of the suite in the named graph the tests give it."""
    folder = tmp_path_factory.mktemp("w3c") / "release"
    folder.mkdir()
    ds = Dataset()
    graphs = {}
    for test in TESTS:
        for name, path in test["data"].items():
            if name not in graphs:
                ds.graph(URIRef(name)).parse(SUITE / path.name, format="nt")
                graphs[name] = len(ds.graph(URIRef(name)))
    ds.serialize(folder / "codikg.trig", format="trig")
    write_index(build_index(ds), folder / INDEX_FILE)
    (folder / "manifest.json").write_text(json.dumps({
        "release": "w3c-sparql11-protocol", "graphs": graphs, "files": {},
        "union_triples": sum(graphs.values())}), encoding="utf-8")
    assert len(graphs) == 3
    return folder


@pytest.fixture(scope="module")
def read_only(suite_release):
    with serve(suite_release, "--no-build") as url:
        yield url


@pytest.fixture(scope="module")
def writable(suite_release):
    with serve(suite_release, "--no-build", "--allow-update") as url:
        yield url


def test_manifest_has_the_34_tests():
    assert len(TESTS) == 34
    assert sum(t["update"] for t in TESTS) == 14


@pytest.mark.slow
@pytest.mark.parametrize("test", [t for t in TESTS if not t["update"]], ids=lambda t: t["name"])
def test_query_read_only(read_only, test):
    for request in test["requests"]:
        _check(_send(read_only, request), request, test["name"])


@pytest.mark.slow
@pytest.mark.parametrize("test", [t for t in TESTS if t["update"]], ids=lambda t: t["name"])
def test_update_refused_read_only(read_only, test):
    response = _send(read_only, test["requests"][0])
    assert 400 <= response.status_code < 500, (test["name"], response.status_code, response.text)


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=lambda t: t["name"])
def test_all_with_allow_update(writable, test):
    load = "DROP ALL ;\n" + "".join(
        f"INSERT DATA {{ GRAPH <{name}> {{ {(SUITE / path.name).read_text(encoding='utf-8')} }} }} ;\n"
        for name, path in test["data"].items())
    r = httpx.post(writable + "/sparql", data={"update": load.rstrip(" ;\n")}, timeout=30)
    assert r.status_code == 204, r.text
    for request in test["requests"]:
        _check(_send(writable, request), request, test["name"])
