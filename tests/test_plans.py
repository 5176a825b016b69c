"""Plans are data: every folder ``data/plans/<agency>/<fy>/`` is a plan, and one build
publishes them all. The second plan is SYNTHETIC (tests/fixtures/plans/synthetic-agency,
a made-up agency in the real template), built beside CODI's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from fastapi.testclient import TestClient

from codikg.audit.quality import quality_report
from codikg.audit.trace import NoSuchIndicator, trace_all, trace_indicator
from codikg.config.errors import BuildError
from codikg.config.limits import Limits
from codikg.store import EmbeddedStore
from codikg.web.app import create_app
from codikg.config.plan import find_plan, load_plans
from codikg.config.settings import Settings
from codikg.release.pipeline import build_release
from conftest import BASE, ROOT

SYNTHETIC = ROOT / "tests" / "fixtures" / "plans" / "synthetic-agency"
CODI_GRAPHS = {BASE + f"graph/codi/2552/{kind}" for kind in ("document", "curation", "derived")}
SYNTH_GRAPHS = {BASE + f"graph/synthetic-agency/2567/{kind}" for kind in ("document", "curation", "derived")}
CDK = "https://w3id.org/codikg/ontology#"
CLASSES = ("Mission", "StrategicObjective", "StrategicIssue", "Indicator", "Strategy", "Project")


def two_plan_home(tmp_path: Path) -> Settings:
    """A project folder with the repository's inputs and the SYNTHETIC plan beside CODI's."""
    home = tmp_path / "home"
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, home / part)
    shutil.copytree(SYNTHETIC, home / "data" / "plans" / "synthetic-agency")
    return Settings(BASE, home)


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    settings = two_plan_home(tmp_path_factory.mktemp("plans"))
    folder = settings.home / "release"
    manifest = build_release(settings, folder)
    ds = Dataset()
    ds.parse(folder / "codikg.trig", format="trig")
    return settings, folder, manifest, ds


def _counts(ds: Dataset, graphs: set[str]) -> dict[str, int]:
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return {name: len({s for g in graphs for s in ds.graph(URIRef(g)).subjects(rdf_type, URIRef(CDK + name))})
            for name in CLASSES}


def test_the_plans_are_the_folders_in_agency_and_year_order(tmp_path):
    settings = two_plan_home(tmp_path)
    plans = load_plans(settings.data_dir)
    assert [p.key for p in plans] == ["codi/2552", "synthetic-agency/2567"]
    assert plans[1].source.name == "synthetic-plan-2567.txt" and plans[1].curation_files[0].name == "plan-metadata.ttl"
    assert find_plan(plans, "codi/2552") is plans[0]
    with pytest.raises(KeyError, match="the plans are: codi/2552, synthetic-agency/2567"):
        find_plan(plans, "codi/2553")


def test_a_malformed_plan_folder_is_one_error_naming_its_file(tmp_path):
    settings = two_plan_home(tmp_path)
    bad = settings.data_dir / "plans" / "synthetic-agency" / "2567" / "plan.toml"
    bad.write_text('[plan]\nagency = "synthetic-agency"\n', encoding="utf-8")
    with pytest.raises(BuildError, match=r"synthetic-agency/2567/plan\.toml: \[plan\] lacks the key 'fiscal_year_be'"):
        load_plans(settings.data_dir)
    bad.write_text('[plan]\nagency = "other"\nfiscal_year_be = 2567\nsource = "x.txt"\n', encoding="utf-8")
    with pytest.raises(BuildError, match=r"plan\.toml: names plan other/2567 but lies in the folder of "
                                         r"synthetic-agency/2567"):
        load_plans(settings.data_dir)
    bad.write_text("[plan\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"plan\.toml: not valid TOML"):
        load_plans(settings.data_dir)


def test_codi_element_iris_are_those_built_before_plans_were_folders(dataset):
    expected = {line for line in (ROOT / "tests" / "fixtures" / "codi-2552-iris.txt")
                .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    found = {str(t) for g in dataset.graphs() if str(g.identifier) != BASE + "graph/catalog"
             for triple in g for t in (triple[0], triple[2])
             if isinstance(t, URIRef) and str(t).startswith(BASE + "id/")}
    assert len(expected) == 635 and found == expected


@pytest.mark.slow
def test_two_plans_build_into_one_release_with_their_own_counts(two_plans):
    _, _, manifest, ds = two_plans
    assert set(manifest["graphs"]) == CODI_GRAPHS | SYNTH_GRAPHS | {BASE + "graph/ontology"}
    assert _counts(ds, CODI_GRAPHS) == {"Mission": 4, "StrategicObjective": 6, "StrategicIssue": 6,
                                        "Indicator": 28, "Strategy": 34, "Project": 20}
    assert _counts(ds, SYNTH_GRAPHS) == {"Mission": 2, "StrategicObjective": 2, "StrategicIssue": 2,
                                         "Indicator": 3, "Strategy": 3, "Project": 2}
    assert manifest["graphs"][BASE + "graph/codi/2552/document"] == 2299


@pytest.mark.slow
def test_no_iri_or_graph_is_shared_by_the_two_plans(two_plans):
    _, _, _, ds = two_plans

    def minted(graphs):
        return {str(t) for g in graphs for triple in ds.graph(URIRef(g)) for t in (triple[0], triple[2])
                if isinstance(t, URIRef) and str(t).startswith(BASE + "id/")
                and not str(t).startswith(BASE + "id/agent/")}

    codi, synthetic = minted(CODI_GRAPHS), minted(SYNTH_GRAPHS)
    assert codi and synthetic and not codi & synthetic
    assert all("/id/codi" in iri for iri in codi)
    assert all("/id/synthetic-agency" in iri for iri in synthetic)


@pytest.mark.slow
def test_a_plan_without_curated_missions_or_labels_is_published_with_warnings(two_plans):
    _, _, manifest, _ = two_plans
    # SYNTHETIC plan: no objective→mission links and no English labels: warnings, never a
    # violation (CODI's plan alone has none): 16 elements without English label, 2 objectives
    # without mission, 3 indicators whose trace stops there
    assert manifest["validation"] == {"conforms": True, "violations": 0, "warnings": 16 + 2 + 3}


def test_the_graph_iris_of_one_plan_releases_keep_answering(client, release):
    # {base}graph/document named CODI's document graph before plans had their own graphs
    _, manifest = release
    old = client.get("/graph/document.nq")
    scoped = client.get("/graph/codi/2552/document.nq")
    assert old.status_code == scoped.status_code == 200
    assert old.headers["content-type"] == scoped.headers["content-type"] == "application/n-quads; charset=utf-8"
    assert old.text == scoped.text
    # each statement in the document's default graph (what traversal clients read) and in its named graph
    lines = scoped.text.splitlines()
    named = [line for line in lines if line.endswith(f"<{BASE}graph/codi/2552/document> .")]
    assert len(named) == len(lines) - len(named) == manifest["graphs"][BASE + "graph/codi/2552/document"] == 2299
    assert client.get("/graph/curation.nq").text == client.get("/graph/codi/2552/curation.nq").text
    assert client.get("/graph/nothing").status_code == 404


# --- codikg plan new | list | status ------------------------------------------------------

def _run(home: Path, *args: str):
    from typer.testing import CliRunner

    from codikg.cli.main import app

    return CliRunner().invoke(app, list(args), env={"CODIKG_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"})


def _bare_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, home / part)
    return home


SYNTH_SOURCE = SYNTHETIC / "2567" / "source" / "synthetic-plan-2567.txt"


def test_plan_new_copies_the_document_and_writes_settings_and_templates(tmp_path):
    home = _bare_home(tmp_path)
    result = _run(home, "plan", "new", "made-up", "2567", "--source", str(SYNTH_SOURCE), "--name-en", "Made-up Agency")
    assert result.exit_code == 0, result.output
    folder = home / "data" / "plans" / "made-up" / "2567"
    assert (folder / "source" / SYNTH_SOURCE.name).read_bytes() == SYNTH_SOURCE.read_bytes()
    [plan] = [p for p in load_plans(home / "data") if p.agency == "made-up"]
    # the agency from the document's credit line, the English name from the option
    assert plan.agency_names == {"name_th": "หน่วยงานสังเคราะห์ทดสอบ", "name_en": "Made-up Agency"}
    catalog = (folder / "catalog.toml").read_text(encoding="utf-8")
    assert 'title_th = "แผนยุทธศาสตร์ หน่วยงานสังเคราะห์ทดสอบ {fiscal_years}"' in catalog
    template = (folder / "curation" / "objective-missions.ttl").read_text(encoding="utf-8")
    assert "# objective 1: ข้อมูลทดสอบถูกเผยแพร่อย่างถูกต้อง" in template
    assert "# objective 2: ผู้ตรวจสอบแยกแผนทดสอบออกจากแผนจริงได้" in template
    assert "#   mission 2: ทดสอบการแยกกราฟและตัวระบุของแต่ละแผน" in template
    assert "# <https://w3id.org/codikg/id/made-up/plan/2567/objective/1> cdk:supportsMission" in template
    listed = _run(home, "plan", "list", "--format", "json")
    assert [row["plan"] for row in __import__("json").loads(listed.stdout)] == ["codi/2552", "made-up/2567"]
    piped = _run(home, "plan", "list").stdout.splitlines()  # not a terminal: TSV, whole values
    assert piped[0] == "plan\tagency_th\tagency_en\tsource"
    assert piped[2] == "made-up/2567\tหน่วยงานสังเคราะห์ทดสอบ\tMade-up Agency\tsynthetic-plan-2567.txt"
    again = _run(home, "plan", "new", "made-up", "2567", "--source", str(SYNTH_SOURCE))
    assert again.exit_code == 1 and "the plan made-up/2567 exists already" in again.output


def test_plan_status_is_the_checklist_of_what_a_plan_lacks(tmp_path):
    home = _bare_home(tmp_path)
    assert _run(home, "plan", "new", "made-up", "2567", "--source", str(SYNTH_SOURCE)).exit_code == 0
    result = _run(home, "plan", "status", "made-up/2567", "--format", "json")
    status = __import__("json").loads(result.stdout)
    assert status["elements"] == {"Vision": 1, "Mission": 2, "StrategicObjective": 2, "StrategicIssue": 2,
                                  "Indicator": 3, "Strategy": 3, "Project": 2}
    assert status["lacks"] == [
        "the plan period: dct:temporal, cdk:firstFiscalYear, cdk:lastFiscalYear in curation/plan-metadata.ttl",
        "missions of objective(s) 1, 2: cdk:supportsMission in curation/objective-missions.ttl",
        "English labels of 16 element(s): skos:prefLabel @en in curation/"]
    codi = __import__("json").loads(_run(home, "plan", "status", "codi/2552", "--format", "json").stdout)
    assert codi["lacks"] == [] and codi["elements"]["Indicator"] == 28
    unknown = _run(home, "plan", "status", "nobody/2560")
    assert unknown.exit_code == 1 and "no plan 'nobody/2560'; the plans are: codi/2552, made-up/2567" in unknown.output


@pytest.mark.parametrize("args, message", [
    (("Bad_Slug", "2567"), "agency 'Bad_Slug': use lower-case ASCII letters, digits and '-'"),
    (("made-up", "2024"), "fiscal year 2024: give the Buddhist Era year"),
])
def test_plan_new_refuses_bad_names_clearly(tmp_path, args, message):
    result = _run(_bare_home(tmp_path), "plan", "new", *args, "--source", str(SYNTH_SOURCE))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_stratml_source_makes_a_plan_folder(tmp_path):
    # `plan new --source X.xml` reads the document with codikg.ingest.stratml (docs/stratml.md)
    home = _bare_home(tmp_path)
    source = ROOT / "tests" / "fixtures" / "synthetic-made-up-stratml-part2.xml"
    result = _run(home, "plan", "new", "made-up", "2567", "--source", str(source))
    assert result.exit_code == 0, result.output
    [copied] = (home / "data" / "plans" / "made-up" / "2567" / "source").iterdir()
    assert copied.read_bytes() == source.read_bytes() and copied.suffix == ".xml"
    broken = tmp_path / "plan.xml"
    broken.write_text("<StrategicPlan/>", encoding="utf-8")
    result = _run(home, "plan", "new", "made-up", "2568", "--source", str(broken))
    assert result.exit_code == 1 and "plan.xml:1: the root element StrategicPlan is neither" in result.output
    assert not (home / "data" / "plans" / "made-up" / "2568").exists()


@pytest.mark.slow
def test_a_plan_new_folder_builds_and_is_published_from_its_document_alone(tmp_path):
    home = _bare_home(tmp_path)
    assert _run(home, "plan", "new", "made-up", "2567", "--source", str(SYNTH_SOURCE)).exit_code == 0
    manifest = build_release(Settings(BASE, home), home / "release")
    # nothing curated: no period, no missions, no English labels: 23 warnings, no violation
    assert manifest["validation"] == {"conforms": True, "violations": 0, "warnings": 23}
    assert manifest["graphs"][BASE + "graph/made-up/2567/document"] == 408
    catalog = (home / "release" / "catalog.trig").read_text(encoding="utf-8")
    assert "แผนยุทธศาสตร์ หน่วยงานสังเคราะห์ทดสอบ ตั้งแต่ปีงบประมาณ พ.ศ. ๒๕๖๗" in catalog


# --- every command and page knows plans ---------------------------------------------------

@pytest.fixture(scope="module")
def two_plan_store(two_plans):
    _, folder, _, _ = two_plans
    return EmbeddedStore(folder / "codikg.trig")


@pytest.fixture(scope="module")
def two_plan_client(two_plans):
    settings, folder, _, _ = two_plans
    app = create_app(folder, settings.queries_dir, Limits(workers=1), settings=settings)
    with TestClient(app) as client:
        yield client
    app.state.served.close()


@pytest.mark.slow
def test_a_notation_two_plans_have_needs_the_plan(two_plan_store):
    with pytest.raises(NoSuchIndicator, match="plans codi/2552, synthetic-agency/2567 each have it; name one"):
        trace_indicator(two_plan_store, "1/1")
    codi = trace_indicator(two_plan_store, "1/1", "codi/2552")  # one path per mission it reaches
    [synthetic] = trace_indicator(two_plan_store, "1/1", "synthetic-agency/2567")
    assert {p.plan for p in codi} == {"codi/2552"} and synthetic.plan == "synthetic-agency/2567"
    assert synthetic.indicator.label["th"] == "จำนวนชุดข้อมูลทดสอบที่เผยแพร่"
    # the synthetic plan has no curated mission: the trace shows the missing hop
    assert [hop.kind for hop in synthetic.hops] == ["structural", "stated", "missing", "missing"]
    # only CODI's plan has issue 6
    assert trace_indicator(two_plan_store, "6/1")[0].plan == "codi/2552"


@pytest.mark.slow
def test_the_trace_matrix_has_a_plan_column(two_plan_store):
    paths = trace_all(two_plan_store)
    assert [p.plan for p in paths].count("synthetic-agency/2567") == 3
    assert len(trace_all(two_plan_store, "codi/2552")) == 71
    assert paths[0].as_row()["plan"] == "codi/2552" and paths[-1].as_row()["plan"] == "synthetic-agency/2567"


@pytest.mark.slow
def test_the_report_keeps_each_plan_apart(two_plan_store):
    codi, synthetic, both = (quality_report(two_plan_store, plan)
                             for plan in ("codi/2552", "synthetic-agency/2567", None))
    assert len(codi.typos) == 11 and len(codi.repeats) == 2
    assert synthetic.typos == [] and synthetic.repeats == [] and synthetic.inconsistencies == []
    assert both.as_dict() == codi.as_dict()  # nothing of the synthetic plan is grouped with CODI's


@pytest.mark.slow
def test_pages_and_search_per_plan(two_plan_client):
    listing = two_plan_client.get("/plan")
    assert listing.status_code == 200
    assert '<a href="/plan/codi/2552"' in listing.text and '<a href="/plan/synthetic-agency/2567"' in listing.text
    # Thai collation: สถาบัน… before หน่วยงาน…
    assert listing.text.index("/plan/codi/2552") < listing.text.index("/plan/synthetic-agency/2567")
    one = two_plan_client.get("/plan/synthetic-agency/2567")
    assert one.status_code == 200 and "จำนวนชุดข้อมูลทดสอบที่เผยแพร่" in one.text
    assert two_plan_client.get("/plan/synthetic-agency/2999").status_code == 404
    assert two_plan_client.get("/trace", params={"indicator": "1/1"}).status_code == 404
    csv = two_plan_client.get("/trace.csv", params={"indicator": "1/1", "plan": "synthetic-agency/2567"})
    header, row = csv.text.splitlines()
    assert csv.status_code == 200 and row.startswith("synthetic-agency/2567,1/1,")
    hits = two_plan_client.get("/search", params={"q": "สังเคราะห์", "format": "json",
                                                  "plan": "codi/2552"}).json()
    assert hits["total"] == 0
    hits = two_plan_client.get("/search", params={"q": "สังเคราะห์", "format": "json",
                                                  "plan": "synthetic-agency/2567"}).json()
    assert hits["total"] > 0 and all("/id/synthetic-agency/plan/2567" in r["iri"] for r in hits["results"])


# --- agency identity comes from the data only ------------------------------------------------

def test_no_agency_name_year_or_notation_in_package_code_or_templates():
    # the glossary's word list for Thai segmentation (search/terms-th.txt) is data, checked apart
    pattern = re.compile(r"\bcodi\b|พอช|สถาบันพัฒนาองค์กรชุมชน|Community Organizations Development|2552|2554|"
                         r"3/1\.2|๓/๑\.๒", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "src" / "codikg").rglob("*"))
             if path.suffix in (".py", ".html", ".rq", ".js", ".css")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


@pytest.mark.slow
def test_the_landing_page_lists_the_plans_under_the_deployment_s_name(two_plans):
    settings, folder, _, _ = two_plans
    named = Settings(BASE, settings.home, site_name_th="พอร์ทัลทดสอบ", site_name_en="Test portal")
    app = create_app(folder, settings.queries_dir, Limits(workers=1), settings=named)
    with TestClient(app) as client:
        th, en = client.get("/").text, client.get("/", params={"lang": "en"}).text
    app.state.served.close()
    assert "<h1>พอร์ทัลทดสอบ</h1>" in th and "<h1>Test portal</h1>" in en
    rows = re.findall(r'<tr>\s*<td><a href="(/plan/[^"]+)"[^>]*>([^<]+)</a>.*?</td>\s*<td>([^<]+)</td>'
                      r'<td>(\d+)</td><td>(\d+)</td>', th, re.S)
    assert rows == [("/plan/codi/2552", "สถาบันพัฒนาองค์กรชุมชน", "ปีงบประมาณ พ.ศ. 2552–2554", "6", "28"),
                    ("/plan/synthetic-agency/2567", "หน่วยงานสังเคราะห์ทดสอบ", "ปีงบประมาณ พ.ศ. 2567–2570", "2", "3")]


# --- a catalog entry per plan -----------------------------------------------------------------

@pytest.mark.slow
def test_each_plan_is_a_dataset_of_the_one_catalog_with_its_own_dumps(two_plans):
    from rdflib.namespace import DCAT, DCTERMS

    _, folder, manifest, _ = two_plans
    catalog = Dataset(default_union=True)
    catalog.parse(folder / "catalog.trig", format="trig")
    codi, synthetic = (URIRef(BASE + f"id/{p}/dataset") for p in ("codi/plan/2552", "synthetic-agency/plan/2567"))
    assert set(catalog.objects(URIRef(BASE + "catalog"), DCAT.dataset)) == {codi, synthetic}
    assert catalog.value(synthetic, DCTERMS.publisher) == URIRef(BASE + "id/synthetic-agency")
    assert catalog.value(codi, DCTERMS.publisher) == URIRef(BASE + "id/codi")
    # tag_rule "ckan" (the default): the Thai keyword stock CKAN refuses goes out romanised
    assert {(str(k), k.language) for k in catalog.objects(synthetic, DCAT.keyword)} == {
        ("khomun sangkhro", "th-Latn"), ("synthetic test data", "en")}
    period = catalog.value(synthetic, DCTERMS.temporal)
    assert (str(catalog.value(period, DCAT.startDate)), str(catalog.value(period, DCAT.endDate))) == (
        "2023-10-01", "2027-09-30")
    own = catalog.value(URIRef(f"{synthetic}/distribution/plan-trig"), DCAT.downloadURL)
    assert str(own) == f"{BASE}dumps/{manifest['release']}/plan-synthetic-agency-2567.trig"
    dump = Dataset()
    dump.parse(folder / "plan-synthetic-agency-2567.trig", format="trig")
    assert {str(g.identifier) for g in dump.graphs() if len(g)} == SYNTH_GRAPHS  # that plan's graphs only
    assert manifest["dumps"]["plan-synthetic-agency-2567.trig"]["plan"] == "synthetic-agency/2567"


@pytest.mark.slow
def test_each_plan_page_embeds_its_schema_org_dataset(two_plan_client):
    page = two_plan_client.get("/plan/synthetic-agency/2567").text
    doc = __import__("json").loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)[1])
    assert doc["@type"] == "Dataset" and doc["@id"].endswith("/id/synthetic-agency/plan/2567/dataset")
    assert "SYNTHETIC test plan of a made-up agency, fiscal years B.E. 2567–2570" in str(doc["name"])


@pytest.mark.slow
def test_the_ckan_payload_is_per_plan(two_plans):
    settings, folder, _, _ = two_plans
    both = _run(settings.home, "catalog", "--ckan", "--allow-incomplete", "--release", str(folder))
    assert both.exit_code == 1 and "2 plans; name one with --plan: codi/2552, synthetic-agency/2567" in both.output
    one = _run(settings.home, "catalog", "--ckan", "--allow-incomplete", "--release", str(folder),
               "--plan", "synthetic-agency/2567")
    assert one.exit_code == 0, one.output
    assert __import__("json").loads(one.stdout[one.stdout.index("{"):])["name"] == "synthetic-agency-plan-2567"


def test_plan_new_and_plan_toml_errors_name_the_file_in_words(tmp_path):
    home = _bare_home(tmp_path)
    thai = tmp_path / "tis620.txt"
    thai.write_bytes("แผนยุทธศาสตร์".encode("cp874"))
    result = _run(home, "plan", "new", "made-up", "2567", "--source", str(thai))
    # แผ in TIS-620 (E1 BC) happens to start a valid UTF-8 sequence: the first bad byte is the fourth
    assert result.exit_code == 1 and f"{thai}: not UTF-8 text (byte 3)" in result.output.replace("\n", "")
    assert "iconv -f TIS-620" in result.output and not (home / "data" / "plans" / "made-up").exists()
    folder = home / "data" / "plans" / "made-up" / "2567"
    folder.mkdir(parents=True)
    (folder / "plan.toml").write_text('[plan]\nagency = "made-up"\nfiscal_year_be = "twenty"\nsource = "x.txt"\n',
                                      encoding="utf-8")
    from codikg.config.errors import BuildError
    from codikg.config.plan import PlanConfig
    with pytest.raises(BuildError, match=r"plan.toml: \[plan\] fiscal_year_be must be a whole Buddhist Era "
                                         r"year such as 2567, not 'twenty'"):
        PlanConfig.load(folder)


def test_a_new_plan_of_a_known_agency_takes_its_names(tmp_path):
    home = _bare_home(tmp_path)
    assert _run(home, "plan", "new", "made-up", "2567", "--source", str(SYNTH_SOURCE),
                "--name-en", "Made-up Agency").exit_code == 0
    assert _run(home, "plan", "new", "made-up", "2571", "--source", str(SYNTH_SOURCE)).exit_code == 0
    from codikg.config.plan import PlanConfig
    first, second = (PlanConfig.load(home / "data" / "plans" / "made-up" / y).agency_names for y in ("2567", "2571"))
    assert first == second and second["name_en"] == "Made-up Agency"
    result = _run(home, "plan", "new", "made-up", "2575", "--source", str(SYNTH_SOURCE), "--name-en", "Other")
    assert result.exit_code == 1 and "agency made-up is named 'Made-up Agency' in" in result.output
    assert not (home / "data" / "plans" / "made-up" / "2575").exists()
