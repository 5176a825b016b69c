"""The DCAT-AP catalog and VoID description: content, HTTP negotiation, paging, CKAN, schema.org."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import shutil

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, XSD
from typer.testing import CliRunner

from codikg.config.catalog import CatalogSettingsError, load_catalog_settings
from codikg.config.plan import PlanConfig
from codikg.graph.ckan import ckan_package, missing_fields, tag_problem
from codikg.namespaces import SPDX, VOID
from codikg.graph.catalog import CatalogIRIs, catalog_graph, keywords
from codikg.graph.curated import CuratedMetadataError, latest_curation_date, plan_period
from codikg.graph.iris import PlanIRIs
from codikg.graph.release_catalog import catalog_iris, release_describer
from codikg.release.reader import load_catalog
from codikg.graph.schemaorg import schema_dataset
from codikg.cli.main import app
from codikg.config.settings import load_settings
from codikg.services.catalog import HYDRA, catalog_page

from conftest import BASE, CODI_FOLDER, CODI_PLAN, PLAN, ROOT

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
    # [dataset] tag_rule = "ckan": the Thai keywords stock CKAN refuses are romanised (RTGS).
    assert {(str(k), k.language) for k in catalog.objects(DATASET, DCAT.keyword)} == {
        ("phaen yutthasat", "th-Latn"), ("ongkon chumchon", "th-Latn"), ("tuachiwat", "th-Latn"),
        ("พอช.", "th"), ("khomun chueamyong", "th-Latn"), ("strategic plan", "en"),
        ("community organizations", "en"), ("performance indicators", "en"), ("CODI", "en"),
        ("linked data", "en")}
    assert set(catalog.objects(DATASET, DCAT.theme)) == {
        URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI"),
        URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")}
    assert catalog.value(DATASET, DCTERMS.spatial) == \
        URIRef("http://publications.europa.eu/resource/authority/country/THA")
    period = catalog.value(DATASET, DCTERMS.temporal)
    # The curated plan period (data/curation/plan-metadata.ttl): fiscal years
    # B.E. 2552-2554, 1 October 2008 to 30 September 2011 (CE), derived from its node.
    assert catalog.value(period, PROV.wasDerivedFrom) == URIRef(PLAN + "/period")
    assert catalog.value(period, DCAT.startDate) == Literal("2008-10-01", datatype=XSD.date)
    assert catalog.value(period, DCAT.endDate) == Literal("2011-09-30", datatype=XSD.date)
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
    # the plan's dataset holds its own graphs (document, curation, derived), not the release's
    plan_graphs = {g: n for g, n in manifest["graphs"].items() if g.startswith(BASE + "graph/codi/2552/")}
    assert len(plan_graphs) == 3
    assert int(catalog.value(DATASET, VOID.triples)) == sum(plan_graphs.values()) == 4055
    q = ("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH <%sgraph/codi/2552/document> "
         "{ ?i a <https://w3id.org/codikg/ontology#Indicator> } }" % BASE)
    r = httpx.get(server + "/sparql", params={"query": q}, timeout=10)
    indicators = int(r.json()["results"]["bindings"][0]["n"]["value"])
    part = URIRef(str(DATASET) + "#class-cdk-Indicator")
    assert (DATASET, VOID.classPartition, part) in catalog
    assert int(catalog.value(part, VOID.entities)) == indicators > 0
    subsets = {s: int(catalog.value(s, VOID.triples)) for s in catalog.objects(DATASET, VOID.subset)}
    assert subsets == {URIRef(g): n for g, n in plan_graphs.items()}
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
    assert "แผนยุทธศาสตร์ สถาบันพัฒนาองค์กรชุมชน" in r.text and "2008-10-01 – 2011-09-30" in r.text
    r = httpx.get(server + "/catalog", headers={"Accept": "image/png"}, timeout=10)
    assert r.status_code == 406 and "text/turtle" in r.text and "application/ld+json" in r.text
    r = httpx.get(server + "/catalog?format=jsonld", headers={"Accept": BROWSER}, timeout=10)
    assert r.headers["content-type"] == "application/ld+json; charset=utf-8"
    assert isinstance(json.loads(r.text)["@context"], dict)
    r = httpx.get(server + "/catalog?page=2", timeout=10)
    assert r.status_code == 404 and "between 1 and 1" in r.text


def test_well_known_void(server, catalog):
    r = httpx.get(server + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/n-triples; charset=utf-8"
    void = Graph().parse(data=r.text, format="nt")
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert void.value(DATASET, VOID.triples) == catalog.value(DATASET, VOID.triples)
    dumps = {str(d).rsplit("/", 1)[1] for d in void.objects(DATASET, VOID.dataDump)}
    # the release's five dumps and the plan's own two (its graphs only)
    assert dumps == {f"codikg.{k}" for k in ("trig", "nq", "jsonld", "ttl", "nt")} | {
        "plan-codi-2552.trig", "plan-codi-2552.ttl"}
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
    package = ckan_package(catalog, DATASET, load_catalog_settings(ROOT / "data", CODI_PLAN))
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
    # data.go.th's tag validator (ckanext-thai_gdc) accepts Thai tags up to 32 characters.
    assert {t["name"] for t in package["tags"]} == {
        "แผนยุทธศาสตร์", "องค์กรชุมชน", "ตัวชี้วัด", "พอช.", "ข้อมูลเชื่อมโยง", "strategic plan",
        "community organizations", "performance indicators", "CODI", "linked data"}
    hashes = {r["url"].rsplit("/", 1)[1]: r["hash"] for r in package["resources"] if "hash" in r}
    assert hashes == {n: f"sha256:{e['sha256']}" for n, e in manifest["dumps"].items()}
    # catalog.toml publishes no e-mail address, and data.go.th requires one.
    assert missing_fields(package) == ["maintainer_email"]
    # Dates come from the inputs ([catalog] issued, the curation's dct:created), not the clock.
    assert package["created_date"] == package["last_updated_date"] == "2026-11-30"
    assert catalog.value(DATASET, DCTERMS.modified) == Literal("2026-11-30", datatype=XSD.date)


def test_ckan_stock_profile_tags_pass_ckan_validator(catalog):
    package = ckan_package(catalog, DATASET, load_catalog_settings(ROOT / "data", CODI_PLAN), profile="ckan")
    tags = [t["name"] for t in package["tags"]]
    assert tags == ["CODI", "community organizations", "khomun chueamyong", "linked data",
                    "ongkon chumchon", "performance indicators", "phaen yutthasat", "strategic plan",
                    "tuachiwat", "พอช."]
    # CKAN core: re.compile(r'[\w \-.]*$', re.UNICODE).match(tag), 2..100 characters.
    assert all(re.compile(r"[\w \-.]*$").match(t) and 2 <= len(t) <= 100 for t in tags)
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras == {"keywords_th": "ข้อมูลเชื่อมโยง, ตัวชี้วัด, พอช., องค์กรชุมชน, แผนยุทธศาสตร์"}
    assert package["license_id"] == "cc-by" and "data_type" not in package
    assert missing_fields(package, "ckan") == []
    assert "U+0E38" in tag_problem("แผนยุทธศาสตร์", "ckan")
    assert tag_problem("แผนยุทธศาสตร์", "data.go.th") is None
    assert "U+0E49" in tag_problem("ก" * 32 + "ข้อมูล", "data.go.th")  # checked from the 33rd on
    assert "length" in tag_problem("x", "ckan") and "comma" in tag_problem("a,b", "ckan")


def test_dataset_licence_dates_and_formats_for_ckanext_dcat(catalog):
    """What ckanext-dcat reads (tests/test_ckan_harvest.py runs its parser on this)."""
    licence = URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert catalog.value(DATASET, DCTERMS.license) == licence
    assert {catalog.value(d, DCTERMS.license) for d in catalog.objects(DATASET, DCAT.distribution)} \
        == {licence}
    # the title of "cc-by" in CKAN's default licence register (ckan/model/license.py)
    assert catalog.value(licence, DCTERMS.title) == Literal("Creative Commons Attribution", lang="en")
    assert catalog.value(DATASET, DCTERMS.issued) == Literal("2026-11-30", datatype=XSD.date)
    turtle = URIRef("http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE")
    assert catalog.value(DATASET + "/distribution/ttl", DCTERMS.format) == turtle
    assert {DCTERMS.IMT, DCTERMS.MediaTypeOrExtent} <= set(catalog.objects(turtle, RDF.type))
    assert catalog.value(turtle, RDFS.label) == Literal("Turtle")
    assert catalog.value(DATASET + "/distribution/ttl", DCAT.mediaType) == \
        URIRef("https://www.iana.org/assignments/media-types/text/turtle")


def test_tag_rule_keeps_thai_keywords_for_data_go_th(tmp_path):
    assert keywords(["แผนยุทธศาสตร์", "พอช."], "th", "data.go.th") == [
        Literal("แผนยุทธศาสตร์", lang="th"), Literal("พอช.", lang="th")]
    assert keywords(["แผนยุทธศาสตร์", "พอช."], "th", "ckan") == [
        Literal("phaen yutthasat", lang="th-Latn"), Literal("พอช.", lang="th")]
    with pytest.raises(ValueError, match="keywords_en: 'a,b' would be refused as a ckan tag"):
        keywords(["a,b"], "en", "ckan")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("source", "curation"))
    plan = PlanConfig.load(data / "plans" / "codi" / "2552")
    toml = (plan.folder / "catalog.toml").read_text(encoding="utf-8")
    (plan.folder / "catalog.toml").write_text(toml.replace('tag_rule = "ckan"', 'tag_rule = "ckan2"'),
                                              encoding="utf-8")
    with pytest.raises(CatalogSettingsError, match=r"plans/codi/2552/catalog.toml: \[dataset\] tag_rule "
                                                   r"must be one of ckan, data.go.th"):
        load_catalog_settings(data, plan)


def test_build_warns_when_no_contact_email(caplog):
    settings = load_catalog_settings(ROOT / "data", CODI_PLAN)
    assert settings.contact["email"] == ""
    expected = ["catalog.toml: [contact] email is empty, so the catalog's contact point has no "
                "vcard:hasEmail; CKAN shows no contact e-mail and data.go.th requires one"]
    assert settings.warnings == expected
    build_settings = load_settings()
    curation = Dataset()
    curation.graph(catalog_iris(build_settings).plan.graph("curation")).parse(
        CODI_FOLDER / "curation" / "plan-metadata.ttl", format="turtle")
    with caplog.at_level(logging.WARNING, logger="codikg.graph.release_catalog"):
        release_describer(build_settings, curation, (CODI_PLAN,))
    assert [r.getMessage() for r in caplog.records] == [f"{CODI_FOLDER}: {expected[0]}"]
    with_email = dataclasses.replace(settings, contact={**settings.contact, "email": "kg@example.org"})
    assert with_email.warnings == []


def test_cli_catalog_ckan(release, tmp_path):
    folder, _ = release
    out = tmp_path / "package.json"
    result = CliRunner().invoke(app, ["catalog", "--ckan", "--release", str(folder), "-o", str(out)])
    assert result.exit_code == 1 and "maintainer_email" in result.output
    assert "--allow-incomplete" in result.output and not out.exists()
    result = CliRunner().invoke(app, ["catalog", "--ckan", "--allow-incomplete", "--release",
                                      str(folder)])
    assert result.exit_code == 0, result.output
    body = result.stdout[:result.stdout.rindex("}") + 1]
    assert json.loads(body)["owner_org"] == "codi"
    assert "maintainer_email" in result.output  # the warning
    result = CliRunner().invoke(app, ["catalog", "--ckan", "--profile", "ckan", "--release",
                                      str(folder)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["license_id"] == "cc-by"
    result = CliRunner().invoke(app, ["catalog", "--release", str(folder)])
    assert result.exit_code == 0 and (URIRef(BASE + "catalog"), RDF.type, DCAT.Catalog) in \
        Graph().parse(data=result.stdout, format="turtle")


def test_schema_org_dataset(catalog, release):
    _, manifest = release
    doc = schema_dataset(catalog, DATASET, url=lambda iri: iri.replace(BASE, "http://host/"))
    assert doc["@type"] == "Dataset" and doc["@context"] == "https://schema.org/"
    assert doc["temporalCoverage"] == "2008-10-01/2011-09-30"
    assert doc["inLanguage"] == ["th", "en"]
    assert doc["license"] == "http://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"]["name"] == "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    assert doc["spatialCoverage"][0]["sameAs"][1] == "http://www.wikidata.org/entity/Q869"
    urls = {d["contentUrl"] for d in doc["distribution"]}
    assert f"http://host/dumps/{manifest['release']}/codikg.ttl" in urls and len(urls) == 10 + 4 + 1  # the release's dumps, the plan's own, its StratML
    assert f"http://host/dumps/{manifest['release']}/plan-codi-2552.trig.gz" in urls
    with pytest.raises(LookupError):
        schema_dataset(catalog, URIRef(BASE + "nope"))


def test_titles_state_the_curated_plan_period(catalog):
    titles = {t.language: str(t) for t in catalog.objects(DATASET, DCTERMS.title)}
    assert "ปีงบประมาณ พ.ศ. ๒๕๕๒–๒๕๕๔" in titles["th"]
    assert "fiscal years B.E. 2552–2554" in titles["en"]
    assert "{" not in titles["th"] + titles["en"]


def test_plan_period_comes_from_the_curation_graph():
    curation = Graph().parse(ROOT / "data" / "plans" / "codi" / "2552" / "curation" / "plan-metadata.ttl", format="turtle")
    plan = URIRef(PLAN)
    period = plan_period(curation, plan)
    assert (period.start.isoformat(), period.end.isoformat()) == ("2008-10-01", "2011-09-30")
    assert (period.first_year_be, period.last_year_be) == (2552, 2554)
    assert period.fiscal_years("th") == "ปีงบประมาณ พ.ศ. ๒๕๕๒–๒๕๕๔"
    assert latest_curation_date(curation).isoformat() == "2026-11-30"
    # An end date that is not 30 September of the last fiscal year is refused.
    curation.set((URIRef(PLAN + "/period"), DCAT.endDate, Literal("2012-09-30", datatype=XSD.date)))
    with pytest.raises(CuratedMetadataError, match="does not match fiscal years 2552–2554"):
        plan_period(curation, plan)
    curation.remove((plan, DCTERMS.temporal, None))
    with pytest.raises(CuratedMetadataError, match="no dct:temporal"):
        plan_period(curation, plan)


def test_public_url_for_download_access_and_endpoint(catalog, release):
    """CODIKG_PUBLIC_URL moves the URLs clients follow; the IRIs stay on the base."""
    _, manifest = release
    settings = load_catalog_settings(ROOT / "data", CODI_PLAN)
    curation = Graph().parse(ROOT / "data" / "plans" / "codi" / "2552" / "curation" / "plan-metadata.ttl", format="turtle")
    public = "http://localhost:8000/"
    iris = CatalogIRIs(BASE, PlanIRIs(BASE, "codi", 2552), public)
    graph = catalog_graph(settings, iris, manifest["release"], manifest["dumps"],
                          plan_period(curation, URIRef(PLAN)), latest_curation_date(curation))
    assert (URIRef(BASE + "catalog"), DCAT.dataset, DATASET) in graph
    downloads = {str(u) for u in graph.objects(None, DCAT.downloadURL)}
    assert downloads == {f"{public}dumps/{manifest['release']}/{n}" for n in manifest["dumps"]}
    assert {str(u) for u in graph.objects(None, DCAT.accessURL)} == {public + "dumps/", public + "sparql"}
    assert graph.value(URIRef(BASE + "id/service/sparql"), DCAT.endpointURL) == URIRef(public + "sparql")
    assert graph.value(DATASET, DCAT.landingPage) == URIRef(public)
    package = ckan_package(graph, DATASET, settings)
    assert all(r["url"].startswith(public) for r in package["resources"])
    # The default (no CODIKG_PUBLIC_URL) is the base IRI.
    assert str(catalog.value(DATASET, DCAT.landingPage)) == BASE


def test_public_url_setting(monkeypatch):
    monkeypatch.setenv("CODIKG_PUBLIC_URL", "https://data.codi.or.th/kg/")
    settings = load_settings()
    assert settings.base_iri == BASE and settings.public_url == "https://data.codi.or.th/kg/"
    assert settings.public(BASE + "dumps/x") == "https://data.codi.or.th/kg/dumps/x"
    monkeypatch.setenv("CODIKG_PUBLIC_URL", "data.codi.or.th")
    with pytest.raises(ValueError, match="CODIKG_PUBLIC_URL"):
        load_settings()
    monkeypatch.delenv("CODIKG_PUBLIC_URL")
    assert load_settings().public_url == BASE


def test_catalog_html_links_local_paths(server, release):
    _, manifest = release
    r = httpx.get(server + "/catalog", headers={"Accept": BROWSER}, timeout=10)
    assert f'href="/dumps/{manifest["release"]}/codikg.ttl"' in r.text
    assert 'href="/sparql"' in r.text
    assert 'href="https://w3id.org/codikg/dumps' not in r.text


@pytest.mark.parametrize("how", [{"params": {"format": "trig"}},
                                 {"headers": {"Accept": "application/trig"}}])
def test_catalog_trig_by_format_or_accept(server, catalog, how):
    r = httpx.get(server + "/catalog", timeout=10, **how)
    assert r.status_code == 200 and r.headers["content-type"] == "application/trig; charset=utf-8"
    quads = list(ox.parse(r.content, format=ox.RdfFormat.TRIG))
    # every triple in the default graph (what a client reading one graph sees) and in the catalog's
    named = {q.triple for q in quads if q.graph_name == ox.NamedNode(BASE + "graph/catalog")}
    default = {q.triple for q in quads if q.graph_name == ox.DefaultGraph()}
    assert len(quads) == len(named) + len(default)
    assert named == default and len(named) == len(catalog)


def test_catalog_unknown_format_406_and_nquads(server):
    for how in ({"params": {"format": "bogus"}}, {"headers": {"Accept": "application/x-bogus"}}):
        r = httpx.get(server + "/catalog", timeout=10, **how)
        assert r.status_code == 406 and "application/trig" in r.text and "nquads" in r.text
    r = httpx.get(server + "/catalog", params={"format": "bogus"}, timeout=10)
    assert "format='bogus'" in r.text
    r = httpx.get(server + "/.well-known/void", params={"format": "nq"}, timeout=10)
    assert r.headers["content-type"] == "application/n-quads; charset=utf-8"
    quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {ox.NamedNode(BASE + "graph/catalog"), ox.DefaultGraph()}
    assert {q.triple for q in quads if q.graph_name == ox.DefaultGraph()} == {q.triple for q in quads}


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5"])
def test_catalog_bad_page_is_400(server, page):
    r = httpx.get(server + "/catalog", params={"page": page}, timeout=10)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "parameter 'page' must be a positive integer" in r.text and repr(page) in r.text


def test_well_known_void_html_for_browsers(server, release):
    _, manifest = release
    for accept in ("text/html", BROWSER):
        r = httpx.get(server + "/.well-known/void", headers={"Accept": accept}, timeout=10)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "4,055" in r.text  # the plan's triples (test_void_statistics_match_the_data)
    assert f'href="/dumps/{manifest["release"]}/codikg.trig"' in r.text
    assert "https://w3id.org/codikg/graph/codi/2552/document" in r.text


def test_unknown_download_is_404_at_once(server):
    r = httpx.get(server + "/download/nope.txt", timeout=10)
    assert r.status_code == 404 and "codikg.ttl" in r.text
    r = httpx.get(server + "/download/codikg.nt", timeout=10)
    assert r.status_code == 301 and r.headers["location"] == "/dumps/latest/codikg.nt"
