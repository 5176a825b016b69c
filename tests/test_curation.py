"""The curation layer on the real plan: translations, corrections, merges, metadata, SDGs."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from codikg.graph.iris import PlanIRIs
from codikg.namespaces import CDK, OA
from codikg.release.pipeline import build_dataset
from codikg.audit.repeats import PrintedItem, find_repeats
from codikg.ingest.thai import fiscal_year_interval
from codikg.config.settings import Settings

from conftest import BASE, PLAN, ROOT, SOURCE

SDG = "http://metadata.un.org/sdg/"
EDITORS = URIRef(BASE + "id/agent/codikg-editors")


@pytest.fixture(scope="module")
def document(dataset):
    return dataset.graph(URIRef(BASE + "graph/codi/2552/document"))


@pytest.fixture(scope="module")
def curation(dataset):
    return dataset.graph(URIRef(BASE + "graph/codi/2552/curation"))


def _thai(graph, node):
    return [label for label in graph.objects(node, SKOS.prefLabel) if label.language == "th"]


def test_every_english_label_is_a_recorded_translation_of_the_thai(document, curation):
    translations = list(curation.subjects(RDF.type, CDK.LabelTranslation))
    assert len(translations) == 1 + 1 + 1 + 4 + 6 + 6 + 28 + 34 + 20  # plan, agency, vision, ...
    subjects = set()
    for statement in translations:
        subject = curation.value(statement, RDF.subject)
        english = curation.value(statement, RDF.object)
        assert curation.value(statement, RDF.predicate) == SKOS.prefLabel
        assert english.language == "en" and (subject, SKOS.prefLabel, english) in curation
        assert [curation.value(statement, CDK.translationOf)] == _thai(document, subject)
        span = curation.value(statement, PROV.wasDerivedFrom)
        assert (subject, CDK.sourceSpan, span) in document
        assert curation.value(statement, PROV.wasAttributedTo) == EDITORS
        subjects.add(subject)
    english_labelled = {s for s, o in curation.subject_objects(SKOS.prefLabel) if o.language == "en"}
    assert english_labelled - subjects == {URIRef(PLAN + "/consolidated/project/1"),
                                           URIRef(PLAN + "/consolidated/project/2"),
                                           URIRef(PLAN + "/period"), EDITORS}


def test_english_labels_use_the_glossary(curation):
    def en(path):
        return {str(o) for o in curation.objects(URIRef(path), SKOS.prefLabel) if o.language == "en"}
    assert en(BASE + "id/codi") == {"Community Organizations Development Institute"}
    assert en(PLAN + "/issue/3") == {"Supporting area-based development"}
    assert en(PLAN + "/issue/1/project/1") == {"Baan Mankong programme"}
    assert en(PLAN + "/issue/2/indicator/2") == {"Percentage of non-performing loans in total outstanding loans"}
    assert Literal("Community Organizations Development Institute (Public Organization)", lang="en") in set(
        curation.objects(URIRef(BASE + "id/codi"), SKOS.altLabel))


def test_text_corrections_point_at_the_verbatim_misspelling(curation):
    text = SOURCE.read_text(encoding="utf-8")
    corrections = list(curation.subjects(RDF.type, CDK.TextCorrection))
    found = []
    for correction in corrections:
        assert curation.value(correction, OA.motivatedBy) == OA.editing
        target = curation.value(correction, OA.hasTarget)
        assert curation.value(target, OA.hasSource) == URIRef(PLAN + "/source")
        selectors = list(curation.objects(target, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in curation)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in curation)
        start, end = int(curation.value(position, OA.start)), int(curation.value(position, OA.end))
        exact = str(curation.value(quote, OA.exact))
        assert text[start:end] == exact
        assert text[:start].endswith(str(curation.value(quote, OA.prefix)))
        assert text[end:].startswith(str(curation.value(quote, OA.suffix)))
        assert int(curation.value(target, CDK.lineNumber)) == text[:start].count("\n") + 1
        body = str(curation.value(curation.value(correction, OA.hasBody), RDF.value))
        assert {r.language for r in curation.objects(correction, CDK.rationale)} == {"th", "en"}
        found.append((int(curation.value(target, CDK.lineNumber)), exact, body))
    assert sorted(found) == [
        (72, "ประด็น", "ประเด็น"), (86, "ปฎิบัติ", "ปฏิบัติ"), (87, "ภูมินิเวศน์", "ภูมินิเวศ"),
        (87, "ภูมินิเวศน์", "ภูมินิเวศ"), (91, "พื้นที", "พื้นที่"), (92, "ภูมินิเวศน์", "ภูมินิเวศ"),
        (97, "สู้", "สู่"), (113, "ประ้เด็น", "ประเด็น"), (126, "ภูมินิเวศน์", "ภูมินิเวศ"),
        (145, "ปฎิบัติ", "ปฏิบัติ"), (145, "ปฎิบัติ", "ปฏิบัติ")]


def test_corrected_labels_apply_the_corrections_and_keep_the_document_label(document, curation):
    for element, corrected in curation.subject_objects(CDK.correctedLabel):
        [thai] = _thai(document, element)
        expected = str(thai)
        for correction in curation.subjects(CDK.correctsTextOf, element):
            target = curation.value(correction, OA.hasTarget)
            exact = next(str(curation.value(s, OA.exact)) for s in curation.objects(target, OA.hasSelector)
                         if curation.value(s, OA.exact) is not None)
            expected = expected.replace(exact, str(curation.value(curation.value(correction, OA.hasBody), RDF.value)))
        assert str(corrected) == expected != str(thai)
    assert str(curation.value(URIRef(PLAN + "/issue/6/indicator/5.2"), CDK.correctedLabel)) == (
        "จัดทำแผนปฏิบัติการระยะยาว ๔ ปี (พ.ศ.๒๕๕๒ – ๒๕๕๔) และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๕๒")
    assert len(set(curation.subjects(CDK.correctedLabel, None))) == 6


def test_misspelt_headings_found_by_the_parser_are_all_curated(plan, curation):
    misspelt = {URIRef(f"{PLAN}/issue/{i.number}") for i in plan.issues if i.heading_misspelt}
    assert misspelt == {URIRef(PLAN + "/issue/3"), URIRef(PLAN + "/issue/5")}
    for issue in plan.issues:
        node = URIRef(f"{PLAN}/issue/{issue.number}")
        in_heading = [c for c in curation.subjects(CDK.correctsTextOf, node)
                      if any(issue.heading.start <= int(curation.value(s, OA.start)) < issue.heading.end
                             for s in curation.objects(curation.value(c, OA.hasTarget), OA.hasSelector)
                             if curation.value(s, OA.start) is not None)]
        assert bool(in_heading) == issue.heading_misspelt, issue.number


def test_curated_merges_are_exactly_the_repeats_the_code_finds(plan, document, curation):
    iris = PlanIRIs(BASE, "codi", 2552)
    items = [PrintedItem(str(iris.item(issue.number, column, item.path)), column.value,
                         item.text.normalized, item.text.line)
             for issue in plan.issues for column in issue.columns
             for top in issue.column_items(column) for item in top.walk()]
    found = {frozenset(URIRef(o.iri) for o in r.occurrences) for r in find_repeats(items)}
    merged = {frozenset(curation.objects(m, CDK.hasOccurrence))
              for m in curation.subjects(RDF.type, CDK.ConsolidatedItem)}
    assert found == merged == {
        frozenset({URIRef(PLAN + "/issue/2/project/1"), URIRef(PLAN + "/issue/5/project/2")}),
        frozenset({URIRef(PLAN + "/issue/3/project/4"), URIRef(PLAN + "/issue/5/project/1")})}
    for item in curation.subjects(RDF.type, CDK.ConsolidatedItem):
        occurrences = set(curation.objects(item, CDK.hasOccurrence))
        issues = {document.value(o, CDK.inStrategicIssue) for o in occurrences}
        assert set(curation.objects(item, CDK.inStrategicIssue)) == issues and len(issues) == 2
        for occurrence in occurrences:  # nothing dropped: each printing keeps its place and text
            assert (occurrence, CDK.consolidatedAs, item) in curation
            assert (document.value(occurrence, CDK.inStrategicIssue), CDK.hasProject, occurrence) in document
            assert document.value(occurrence, CDK.sourceSpan) is not None
        links = [s for s in curation.subjects(RDF.object, item) if (s, RDF.type, CDK.CuratedLink) in curation]
        assert len(links) == 2


@pytest.mark.slow
def test_curation_never_changes_the_document_graph_and_merges_are_reversible(tmp_path, document):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "ontology", home / "ontology")
    (home / "data" / "plans" / "codi" / "2552" / "curation" / "repeated-items.ttl").unlink()
    dataset = build_dataset(Settings(BASE, home))
    assert set(dataset.graph(URIRef(BASE + "graph/codi/2552/document"))) == set(document)
    curation = dataset.graph(URIRef(BASE + "graph/codi/2552/curation"))
    assert not set(curation.subjects(RDF.type, CDK.ConsolidatedItem))
    assert not set(curation.subject_objects(CDK.consolidatedAs))


def test_plan_period_and_publisher_are_curated_with_reasons(curation):
    plan = URIRef(PLAN)
    assert curation.value(plan, DCTERMS.publisher) == URIRef(BASE + "id/codi")
    assert curation.value(plan, CDK.firstFiscalYear) == Literal(2552)
    assert curation.value(plan, CDK.lastFiscalYear) == Literal(2554)
    period = curation.value(plan, DCTERMS.temporal)
    start, _ = fiscal_year_interval(2552)
    _, end = fiscal_year_interval(2554)
    assert curation.value(period, DCAT.startDate) == Literal(start.isoformat(), datatype=XSD.date) == Literal("2008-10-01", datatype=XSD.date)
    assert curation.value(period, DCAT.endDate) == Literal(end.isoformat(), datatype=XSD.date) == Literal("2011-09-30", datatype=XSD.date)
    for predicate in (DCTERMS.publisher, DCTERMS.temporal, CDK.firstFiscalYear, CDK.lastFiscalYear):
        [link] = [s for s in curation.subjects(RDF.predicate, predicate) if (s, RDF.subject, plan) in curation]
        assert {r.language for r in curation.objects(link, CDK.rationale)} == {"th", "en"}


def test_every_objective_is_aligned_to_an_sdg_target_with_a_rationale(curation):
    for n in range(1, 7):
        objective = URIRef(f"{PLAN}/objective/{n}")
        targets = [(p, o) for p in (SKOS.closeMatch, SKOS.relatedMatch) for o in curation.objects(objective, p)]
        assert targets and all(str(o).startswith(SDG) for _, o in targets), n
        for predicate, target in targets:
            [link] = [s for s in curation.subjects(RDF.object, target)
                      if (s, RDF.subject, objective) in curation and (s, RDF.predicate, predicate) in curation]
            assert {r.language for r in curation.objects(link, CDK.rationale)} == {"th", "en"}
    assert (URIRef(PLAN + "/objective/1"), SKOS.closeMatch, URIRef(SDG + "11.1")) in curation


def test_every_curated_link_reifies_a_curated_triple_with_rationale_and_attribution(curation):
    links = list(curation.subjects(RDF.type, CDK.CuratedLink))
    assert len(links) == 13 + 7 + 4 + 4  # missions, SDG targets, merges, plan metadata
    for link in links:
        triple = tuple(curation.value(link, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in curation, triple
        assert {r.language for r in curation.objects(link, CDK.rationale)} == {"th", "en"}
        assert curation.value(link, PROV.wasAttributedTo) == EDITORS
        assert curation.value(link, DCTERMS.created).datatype == XSD.date


def test_every_recorded_offset_finds_its_verbatim_text(dataset):
    """Every TextPositionSelector in any graph (element anchors, corrections, notes)."""
    text = SOURCE.read_text(encoding="utf-8")
    checked = 0
    for graph in dataset.graphs():
        for position in graph.subjects(RDF.type, OA.TextPositionSelector):
            target = graph.value(None, OA.hasSelector, position)
            quote = next(s for s in graph.objects(target, OA.hasSelector)
                         if (s, RDF.type, OA.TextQuoteSelector) in graph)
            start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
            assert text[start:end] == str(graph.value(quote, OA.exact))
            checked += 1
    assert checked == 113 + 11 + 1  # element anchors, corrections, the wording note


# --- references and facts the curation states (audit findings 7 and 8) ------------------

def test_design_and_glossary_are_cited_by_their_repository_paths():
    import re

    cited = []
    for folder, pattern in (("data/plans/codi/2552/curation", "*"), ("src", "**/*.py"), ("ontology", "*.ttl")):
        for path in (ROOT / folder).glob(pattern):
            text = path.read_text(encoding="utf-8")
            assert "/work/shared" not in text, path
            for match in re.finditer(r"(\S*)(DESIGN|GLOSSARY)\.md", text):
                assert match.group(1).endswith("docs/"), f"{path}: {match.group(0)}"
                cited.append(match.group(2))
    assert {"DESIGN", "GLOSSARY"} <= set(cited)
    for name in ("DESIGN.md", "GLOSSARY.md"):
        assert (ROOT / "docs" / name).stat().st_size > 1000


def _rationale(graph, iri: str, lang: str) -> str:
    [text] = [str(o) for o in graph.objects(URIRef(iri), CDK.rationale) if o.language == lang]
    return text


def test_curated_rationales_state_what_the_source_says(curation):
    import re

    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    headings = {n: line.strip() for n, line in enumerate(lines, 1) if re.search(r"ยุทธศาสตร์ที่ [๑-๙]$", line)}
    correct = [n for n, h in headings.items() if h.startswith("ประเด็นยุทธศาสตร์ที่")]
    assert len(headings) == 6 and correct == [34, 51, 95, 132]  # four, not five: lines 72 and 113 are misspelt
    link = f"{PLAN}/curation/"
    issue3 = _rationale(curation, link + "correction-1", "en")
    assert "four of the other five issue headings (issues 1, 2, 4 and 6)" in issue3 and "line 113" in issue3
    assert "line 72" in _rationale(curation, link + "correction-2", "en")
    # mission 4 covers the local, provincial and national levels only
    m4 = _rationale(curation, link + "objective-4-mission-4", "en")
    assert "local, provincial and national levels" in m4 and "outside this mission" in m4
    assert "ระดับท้องถิ่น จังหวัด และประเทศ" in _rationale(curation, link + "objective-4-mission-4", "th")
    assert _rationale(curation, link + "objective-2-mission-2", "th").startswith(
        "การจัดการทุนชุมชน ซึ่งรวมถึงทุนที่เป็นตัวเงิน ตรงกับ")
