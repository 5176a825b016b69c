"""The conformance material in tests/conformance/ is complete, licensed and readable.

It is part of the repository, so nothing here skips: a missing file fails.
The SPARQL protocol suite is run by tests/test_w3c_protocol.py and the
DCAT-AP shapes by tests/test_dcat_ap.py; the StratML schemas and the SPARQL
syntax tests are checked here.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote, urlparse
from pathlib import Path

import pytest
import xmlschema
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from conftest import CONFORMANCE

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
STRATML = CONFORMANCE / "stratml"
CORE = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PERFORMANCE = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
FOLDERS = ["w3c-sparql11-protocol", "w3c-sparql-syntax", "dcat-ap-3.0.1", "stratml"]


def test_readme_names_each_folder_with_its_source_and_licence():
    readme = (CONFORMANCE / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in readme.splitlines()
            if line.startswith("| `")}
    assert sorted(rows) == sorted(f"{name}/" for name in FOLDERS)
    assert sorted(p.name for p in CONFORMANCE.iterdir() if p.is_dir()) == sorted(FOLDERS)
    assert "ad541a5" in rows["w3c-sparql11-protocol/"] and "ad541a5" in rows["w3c-sparql-syntax/"]
    assert "7c531da" in rows["dcat-ap-3.0.1/"] and "CC BY 4.0" in rows["dcat-ap-3.0.1/"]
    assert "a22da6b" in rows["stratml/"]
    for name in ("w3c-sparql11-protocol", "w3c-sparql-syntax"):
        licence = (CONFORMANCE / name / "LICENSE.md").read_text(encoding="utf-8")
        assert "https://www.w3.org/Consortium/Legal/2008/04-testsuite-copyright.html" in licence
    assert "creativecommons.org/licenses/by/4.0" in (CONFORMANCE / "dcat-ap-3.0.1" / "LICENSE.md").read_text()
    for xsd in STRATML.glob("*.xsd"):  # the AIIM disclaimer stays in each schema's header
        assert 'provided on an "as is" basis and AIIM disclaims' in xsd.read_text(encoding="utf-8")[:2000]


@pytest.mark.parametrize("name,namespace,version,root", [
    ("StrategicPlanISOVersion20140401.xsd", CORE, "1.1", "StrategicPlan"),
    ("PerformancePlanOrReport20160216.xsd", PERFORMANCE, "2.2.2016-02-16", "PerformancePlanOrReport"),
])
def test_stratml_schemas_parse_with_their_target_namespace(name, namespace, version, root):
    schema = xmlschema.XMLSchema(STRATML / name)
    assert schema.target_namespace == namespace and schema.version == version
    assert root in schema.elements and "StrategicPlanCore" in schema.elements


def test_stratml_core_requires_a_name_and_a_described_goal():
    """A plan with its name and one goal (the source's issue 1, line 34) is valid; without them, not."""
    schema = xmlschema.XMLSchema(STRATML / "StrategicPlanISOVersion20140401.xsd")
    plan = (f'<StrategicPlan xmlns="{CORE}"><Name>แผนยุทธศาสตร์</Name>'
            "<StrategicPlanCore>{}</StrategicPlanCore></StrategicPlan>")
    goal = "<Goal><Name>ประเด็นยุทธศาสตร์ที่ ๑</Name>{}</Goal>"
    described = goal.format("<Description>การสนับสนุนการพัฒนาที่อยู่อาศัยในเมืองและที่ดินทำกินในชนบท</Description>")
    assert schema.is_valid(plan.format(described))
    [error] = list(schema.iter_errors(plan.format("")))
    assert "Tag 'stratml:Goal' expected" in error.reason
    [error] = list(schema.iter_errors(plan.format(goal.format(""))))
    assert "Tag 'stratml:Description' expected" in error.reason
    assert not schema.is_valid(f'<StrategicPlan xmlns="{CORE}"><StrategicPlanCore/></StrategicPlan>')


def _manifest_entries(manifest: Path) -> tuple[Graph, list]:
    g = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    return g, list(Collection(g, g.value(g.value(predicate=RDF.type, object=MF.Manifest), MF.entries)))


def test_sparql_syntax_manifests_name_files_that_are_all_here():
    root = CONFORMANCE / "w3c-sparql-syntax"
    kinds, per_folder, named = Counter(), {}, set()
    for manifest in sorted(root.glob("*/manifest.ttl")):
        g, entries = _manifest_entries(manifest)
        per_folder[manifest.parent.name] = len(entries)
        for entry in entries:
            kinds[str(g.value(entry, RDF.type)).rsplit("#", 1)[1]] += 1
            path = Path(unquote(urlparse(str(g.value(entry, MF.action))).path))
            assert path.is_file(), (manifest.parent.name, entry)
            named.add(path)
    assert per_folder == {"syntax-fed": 3, "syntax-query": 94, "syntax-sparql1": 81, "syntax-sparql2": 53,
                          "syntax-sparql3": 51, "syntax-sparql4": 12, "syntax-sparql5": 2}
    assert kinds == {"PositiveSyntaxTest": 149, "NegativeSyntaxTest": 50,
                     "PositiveSyntaxTest11": 66, "NegativeSyntaxTest11": 31}
    assert named == {p.resolve() for p in root.glob("*/*.r[qu]")}  # and no query file is left unnamed
