"""What each plan folder has and lacks (``codikg plan list``, ``codikg plan status``).

A plan is published from its document alone; the curated facts it lacks are the
checklist here (and SHACL warnings in a build): its period, each objective's
missions, English labels, the merges of items printed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from codikg.audit.repeats import PrintedItem, find_repeats
from codikg.config.plan import PlanConfig, find_plan, load_plans
from codikg.config.settings import Settings
from codikg.graph.iris import PlanIRIs
from codikg.namespaces import CDK
from codikg.release.pipeline import plan_graphs

_ITEM_CLASSES = (CDK.Indicator, CDK.Strategy, CDK.Project)
_ELEMENT_CLASSES = (CDK.StrategicPlan, CDK.Vision, CDK.Mission, CDK.StrategicObjective,
                    CDK.StrategicIssue, *_ITEM_CLASSES)


@dataclass
class PlanStatus:
    """One plan folder: what it has and what it lacks.

    Attributes:
        key: ``agency/fiscal-year``; folder: its folder; source: the document's file name.
        has: present inputs (``"source"``, ``"catalog.toml"``, curation file names).
        elements: printed elements per class name (``"Indicator"``: 28).
        lacks: the checklist, each entry a sentence naming what to curate and where.
    """

    key: str
    folder: str
    source: str
    has: list[str] = field(default_factory=list)
    elements: dict[str, int] = field(default_factory=dict)
    lacks: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The status as a JSON-ready dict."""
        return {"plan": self.key, "folder": self.folder, "source": self.source, "has": self.has,
                "elements": self.elements, "lacks": self.lacks}


def list_plans(settings: Settings) -> tuple[PlanConfig, ...]:
    """Every plan of the project (:func:`codikg.config.plan.load_plans`)."""
    return load_plans(settings.data_dir)


def plan_status(settings: Settings, key: str) -> PlanStatus:
    """What the plan ``agency/fiscal-year`` has and lacks, read from its folder (no build).

    Raises:
        KeyError: no such plan (the message lists the plans).
        codikg.config.errors.BuildError: a malformed plan folder (names the file).
        codikg.ingest.PlanParseError: a line of its document that fits nowhere.
    """
    config = find_plan(load_plans(settings.data_dir), key)
    graphs = plan_graphs(settings, config)
    document, curation = graphs["document"], graphs["curation"]
    union = document + curation
    status = PlanStatus(config.key, str(config.folder), config.source.name)
    status.has = ["source"] + [name for name in ("catalog.toml",) if (config.folder / name).exists()]
    status.has += [f"curation/{path.name}" for path in config.curation_files]
    status.elements = {str(c).rsplit("#", 1)[1]: len(set(document.subjects(RDF.type, c)))
                       for c in _ELEMENT_CLASSES[1:]}
    plan = PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be).plan
    if curation.value(plan, DCTERMS.temporal) is None:
        status.lacks.append("the plan period: dct:temporal, cdk:firstFiscalYear, cdk:lastFiscalYear "
                            "in curation/plan-metadata.ttl")
    unlinked = sorted((o for o in document.subjects(RDF.type, CDK.StrategicObjective)
                       if union.value(o, CDK.supportsMission) is None), key=_order(document))
    if unlinked:
        status.lacks.append(f"missions of objective(s) {', '.join(_notation(document, o) for o in unlinked)}: "
                            "cdk:supportsMission in curation/objective-missions.ttl")
    english = [e for c in _ELEMENT_CLASSES for e in set(document.subjects(RDF.type, c))
               if not any(label.language == "en" for label in union.objects(e, SKOS.prefLabel))]
    if english:
        status.lacks.append(f"English labels of {len(english)} element(s): skos:prefLabel @en in curation/")
    merged = set(curation.subjects(CDK.consolidatedAs, None))
    open_repeats = [r for r in find_repeats(_printed_items(document))
                    if not all(URIRef(o.iri) in merged for o in r.occurrences)]
    if open_repeats:
        lines = "; ".join(", ".join(f"line {o.line}" for o in r.occurrences) for r in open_repeats)
        status.lacks.append(f"merges of {len(open_repeats)} item(s) printed twice ({lines}): "
                            "cdk:consolidatedAs in curation/repeated-items.ttl")
    return status


def _notation(graph: Graph, element) -> str:
    return str(graph.value(element, SKOS.notation) or element)


def _order(graph: Graph):
    return lambda element: int(graph.value(element, CDK.ordinal) or 0)


def _printed_items(document: Graph):
    for kind in _ITEM_CLASSES:
        for item in document.subjects(RDF.type, kind):
            label = next((o for o in document.objects(item, SKOS.prefLabel) if o.language == "th"), None)
            lines = [int(n) for span in document.objects(item, CDK.sourceSpan)
                     for n in document.objects(span, CDK.lineNumber)]
            if label is not None:
                yield PrintedItem(str(item), str(kind), str(label), min(lines, default=0))
