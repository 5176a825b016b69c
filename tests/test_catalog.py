"""The DCAT-AP catalog and VoID description: content, HTTP negotiation, paging, CKAN, schema.org."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from typer.testing import CliRunner

from codikg.build.catalog_settings import load_catalog_settings
from codikg.build.ckan import ckan_package, missing_fields
from codikg.build.namespaces import SPDX, VOID
from codikg.build.publish import load_catalog
from codikg.build.schemaorg import schema_dataset
from codikg.cli import app
from codikg.web.catalog import HYDRA, catalog_page

from conftest import BASE, PLAN, ROOT

DATASET = URIRef(PLAN + "/dataset")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(scope="module")
def catalog(release):
    folder, manifest = release
    return load_catalog(folder, manifest)


def _th_en(graph, node, prop):
    return {lit.language for lit in graph.objects(node, prop)}


def test_catalog_dataset_service_and_iris(catalog):
    cat = URIRef(BASE + "catalog")
    assert (cat, RDF.type, DCAT.Catalog) in catalog
    assert (cat, DCAT.dataset, DATASET) in catalog
    for node in (cat, DATASET):
        assert _th_en(catalog, node, DCTERMS.title) == {"th", "en"}
        assert _th_en(catalog, node, DCTERMS.description) == {"th", "en"}
        assert catalog.value(node, DCTERMS.publisher) == URIRef(BASE + "id/codi")
        assert catalog.value(node, DCAT.contactPoint) == URIRef(BASE + "id/codi#contact")
    assert _th_en(catalog, URIRef(BASE + "id/codi"), URIRef("http://xmlns.com/foaf/0.1/name")) == {"th", "en"}
    assert {k.language for k in catalog.objects(DATASET, DCAT.keyword)} == {"th", "en"}
    assert set(catalog.objects(DATASET, DCAT.theme)) == {
        URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI"),
        URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")}
    assert catalog.value(DATASET, DCTERMS.spatial) == \
        URIRef("http://publications.europa.eu/resource/authority/country/THA")
    period = catalog.value(DATASET, DCTERMS.temporal)
    # Fiscal year 2552 B.E. runs 1 October 2008 to 30 September 2009 (CE).
    assert catalog.value(period, DCAT.startDate) == Literal("2008-10-01", datatype=XSD.date)
    assert catalog.value(period, DCAT.endDate) == Literal("2009-09-30", datatype=XSD.date)
    service = URIRef(BASE + "id/service/sparql")
    assert (cat, DCAT.service, service) in catalog
    assert catalog.value(service, DCAT.endpointURL) == URIRef(BASE + "sparql")
    assert catalog.value(service, DCAT.servesDataset) == DATASET


def test_one_distribution_per_dump_with_manifest_checksums(catalog, release):
    _, manifest = release
    dists = set(catalog.objects(DATASET, DCAT.distribution))
    assert len(dists) == len(manifest["dumps"]) + 1  # every file plus the SPARQL endpoint
    seen = set()
    for dist in dists:
        download = catalog.value(dist, DCAT.downloadURL)
        if download is None:
            assert catalog.value(dist, DCAT.accessService) == URIRef(BASE + "id/service/sparql")
            continue
        name = str(download).rsplit("/", 1)[1]
        assert str(download) == f"{BASE}dumps/{manifest['release']}/{name}"
        entry = manifest["dumps"][name]
        assert int(catalog.value(dist, DCAT.byteSize)) == entry["bytes"]
        checksum = catalog.value(dist, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == entry["sha256"]
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        media = str(catalog.value(dist, DCAT.mediaType))
        assert media == "https://www.iana.org/assignments/media-types/" + entry["content_media_type"]
        assert (catalog.value(dist, DCAT.compressFormat) is not None) == entry["gzip"]
        assert str(catalog.value(dist, DCTERMS.format)).startswith(
            "http://publications.europa.eu/resource/authority/file-type/")
        seen.add(name)
    assert seen == set(manifest["dumps"])


def test_void_statistics_match_the_data(catalog, release, server):
    _, manifest = release
    assert int(catalog.value(DATASET, VOID.triples)) == manifest["union_triples"]
    q = ("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH <%sgraph/document> "
         "{ ?i a <https://w3id.org/codikg/ontology#Indicator> } }" % BASE)
    r = httpx.get(server + "/sparql", params={"query": q}, timeout=10)
    indicators = int(r.json()["results"]["bindings"][0]["n"]["value"])
    part = URIRef(str(DATASET) + "#class-cdk-Indicator")
    assert (DATASET, VOID.classPartition, part) in catalog
    assert int(catalog.value(part, VOID.entities)) == indicators > 0
    subsets = {s: int(catalog.value(s, VOID.triples)) for s in catalog.objects(DATASET, VOID.subset)}
    assert subsets == {URIRef(g): n for g, n in manifest["graphs"].items()}
    assert catalog.value(DATASET, VOID.uriSpace) == Literal(BASE + "id/")
    assert catalog.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert URIRef("http://www.w3.org/2004/02/skos/core#") in set(catalog.objects(DATASET, VOID.vocabulary))


@pytest.mark.parametrize("accept, media_type, parser", [
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml;q=0.9, application/n-triples;q=0.5", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("text/turtle;q=0.2, application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
])
def test_catalog_negotiates_rdf(server, catalog, accept, media_type, parser):
    headers = {"Accept": accept} if accept else {}
    r = httpx.get(server + "/catalog", headers=headers, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")] and r.headers["access-control-allow-origin"] == "*"
    triples = {q.triple for q in ox.parse(r.content, format=parser)}
    assert len(triples) == len(catalog)
    again = httpx.get(server + "/catalog", headers={**headers, "If-None-Match": r.headers["etag"]},
                      timeout=10)
    assert again.status_code == 304


def test_catalog_html_406_and_format_parameter(server):
    r = httpx.get(server + "/catalog", headers={"Accept": BROWSER}, timeout=10)
    assert r.headers["content-type"].startswith("text/html")
    assert "แผนยุทธศาสตร์ สถาบันพัฒนาองค์กรชุมชน" in r.text and "2008-10-01" in r.text
    r = httpx.get(server + "/catalog", headers={"Accept": "image/png"}, timeout=10)
    assert r.status_code == 406 and "text/turtle" in r.text and "application/ld+json" in r.text
    r = httpx.get(server + "/catalog?format=jsonld", headers={"Accept": BROWSER}, timeout=10)
    assert r.headers["content-type"] == "application/ld+json; charset=utf-8"
    assert isinstance(json.loads(r.text)["@context"], dict)
    assert httpx.get(server + "/catalog?page=2", timeout=10).status_code == 404


def test_well_known_void(server, catalog):
    r = httpx.get(server + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/n-triples; charset=utf-8"
    void = Graph().parse(data=r.text, format="nt")
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert void.value(DATASET, VOID.triples) == catalog.value(DATASET, VOID.triples)
    assert len(set(void.objects(DATASET, VOID.dataDump))) == 5
    assert (DATASET, DCTERMS.title, None) not in void  # VoID only, not the DCAT record


def test_hydra_paging_for_large_catalogs(catalog):
    big = Graph() + catalog
    cat = URIRef(BASE + "catalog")
    extra = [URIRef(f"{BASE}id/other/plan/{n}/dataset") for n in range(2560, 2563)]
    for d in extra:
        big.add((cat, DCAT.dataset, d))
        big.add((d, RDF.type, DCAT.Dataset))
    assert catalog_page(catalog, 1, 100, "http://x/catalog") is catalog
    first = catalog_page(big, 1, 2, "http://x/catalog")
    page = URIRef("http://x/catalog?page=1")
    assert (page, RDF.type, HYDRA.PagedCollection) in first
    assert int(first.value(page, HYDRA.totalItems)) == 4
    assert str(first.value(page, HYDRA.nextPage)) == "http://x/catalog?page=2"
    assert len(set(first.objects(cat, DCAT.dataset))) == 2
    second = catalog_page(big, 2, 2, "http://x/catalog")
    last = URIRef("http://x/catalog?page=2")
    assert second.value(last, HYDRA.nextPage) is None
    kept = set(second.objects(cat, DCAT.dataset))
    assert len(kept) == 2 and DATASET not in kept
    assert (DATASET, DCAT.distribution, None) not in second
    with pytest.raises(ValueError, match="between 1 and 2"):
        catalog_page(big, 3, 2, "http://x/catalog")


def test_ckan_package_has_data_go_th_fields(catalog, release):
    _, manifest = release
    package = ckan_package(catalog, DATASET, load_catalog_settings(ROOT / "data"))
    assert package["name"] == "codi-strategic-plan-2552"
    assert package["title"].startswith("แผนยุทธศาสตร์ สถาบันพัฒนาองค์กรชุมชน")
    assert package["data_type"] == "ข้อมูลประเภทอื่นๆ"
    assert package["objective"] == ["พันธกิจหน่วยงาน"]
    assert package["geo_coverage"] == "ประเทศ"
    assert package["data_category"] == "ข้อมูลสาธารณะ"
    assert package["license_id"] == "Creative Commons Attributions"
    assert package["data_language"] == ["อังกฤษ", "ไทย"]
    assert package["update_frequency_unit"] == "อื่นๆ"
    assert package["data_format"] == ["RDF"]
    assert {t["name"] for t in package["tags"]} >= {"แผนยุทธศาสตร์", "strategic plan"}
    hashes = {r["url"].rsplit("/", 1)[1]: r["hash"] for r in package["resources"] if "hash" in r}
    assert hashes == {n: f"sha256:{e['sha256']}" for n, e in manifest["dumps"].items()}
    # catalog.toml publishes no e-mail address, and data.go.th requires one.
    assert missing_fields(package) == ["maintainer_email"]


def test_cli_catalog_ckan(release):
    folder, _ = release
    result = CliRunner().invoke(app, ["catalog", "--ckan", "--release", str(folder)])
    assert result.exit_code == 0, result.output
    body = result.stdout[:result.stdout.rindex("}") + 1]
    assert json.loads(body)["owner_org"] == "codi"
    assert "maintainer_email" in result.output  # the warning
    result = CliRunner().invoke(app, ["catalog", "--release", str(folder)])
    assert result.exit_code == 0 and (URIRef(BASE + "catalog"), RDF.type, DCAT.Catalog) in \
        Graph().parse(data=result.stdout, format="turtle")


def test_schema_org_dataset(catalog, release):
    _, manifest = release
    doc = schema_dataset(catalog, DATASET, url=lambda iri: iri.replace(BASE, "http://host/"))
    assert doc["@type"] == "Dataset" and doc["@context"] == "https://schema.org/"
    assert doc["temporalCoverage"] == "2008-10-01/2009-09-30"
    assert doc["inLanguage"] == ["en", "th"]
    assert doc["license"] == "http://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"]["name"] == "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    assert doc["spatialCoverage"][0]["sameAs"][1] == "http://www.wikidata.org/entity/Q869"
    urls = {d["contentUrl"] for d in doc["distribution"]}
    assert f"http://host/dumps/{manifest['release']}/codikg.ttl" in urls and len(urls) == 10
    with pytest.raises(LookupError):
        schema_dataset(catalog, URIRef(BASE + "nope"))
