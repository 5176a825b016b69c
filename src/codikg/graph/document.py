"""The document graph: what the plan prints (stated) and what its template
implies (structural), each element anchored to its span in the source file.

An objective is anchored twice: in the plan's list and where an issue's
section reprints it (the evidence that the issue has that objective).

Structural rules (documented in ``ontology/codikg.ttl``): every mission makes
the plan's vision operative; an item printed in an issue's table belongs to
that issue; an indicator printed in an issue's table measures that issue's
objective.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from codikg.graph.iris import PlanIRIs
from codikg.namespaces import CDK, OA, PREFIXES, SPDX
from codikg.model import Column, ListItem, Plan, SourceText

#: Characters of context kept before and after a quote (Web Annotation prefix/suffix).
QUOTE_CONTEXT = 32

_ITEM_CLASS = {Column.INDICATORS: CDK.Indicator, Column.STRATEGIES: CDK.Strategy,
               Column.PROJECTS: CDK.Project}
_HAS_ITEM = {Column.INDICATORS: CDK.hasIndicator, Column.STRATEGIES: CDK.hasStrategy,
             Column.PROJECTS: CDK.hasProject}
_HAS_SUB = {Column.INDICATORS: CDK.hasSubIndicator, Column.STRATEGIES: CDK.hasSubStrategy,
            Column.PROJECTS: CDK.hasSubProject}


def document_graph(plan: Plan, iris: PlanIRIs) -> Graph:
    """Turn a parsed plan into the triples of the document graph.

    Args:
        plan: the parse result of :func:`codikg.ingest.parse_plan`.
        iris: the plan's IRI minter.

    Returns:
        A new rdflib ``Graph`` with the standard prefixes bound.
    """
    return _DocumentBuilder(plan, iris).build()


class _DocumentBuilder:
    def __init__(self, plan: Plan, iris: PlanIRIs):
        self.plan, self.iris, self.g = plan, iris, Graph()
        for prefix, namespace in PREFIXES.items():
            self.g.bind(prefix, namespace)

    def build(self) -> Graph:
        g, iris, plan = self.g, self.iris, self.plan
        self.source_document()
        g.add((iris.plan, RDF.type, CDK.StrategicPlan))
        g.add((iris.plan, RDF.type, SKOS.ConceptScheme))
        g.add((iris.plan, SKOS.prefLabel, Literal(plan.title.normalized, lang="th")))
        g.add((iris.plan, PROV.wasDerivedFrom, iris.source))
        self.anchor(iris.plan, plan.title)
        if plan.credit is not None:
            g.add((iris.agent, RDF.type, CDK.Agency))
            g.add((iris.agent, SKOS.prefLabel, Literal(plan.credit.normalized, lang="th")))
            g.add((iris.plan, PROV.wasAttributedTo, iris.agent))
            g.add((iris.source, PROV.wasAttributedTo, iris.agent))
            self.anchor(iris.agent, plan.credit)

        self.concept(iris.vision, CDK.Vision, plan.vision)
        g.add((iris.plan, CDK.hasVision, iris.vision))
        for mission in plan.missions:
            node = self.item(iris.mission(mission.ordinal), CDK.Mission, mission)
            g.add((iris.plan, CDK.hasMission, node))
            g.add((node, CDK.makesOperative, iris.vision))
        for objective in plan.objectives:
            node = self.item(iris.objective(objective.ordinal), CDK.StrategicObjective, objective)
            g.add((iris.plan, CDK.hasStrategicObjective, node))
        for issue in plan.issues:
            self.issue(issue)
        return g

    def source_document(self):
        g, src, doc = self.g, self.iris.source, self.plan.source
        checksum = URIRef(f"{src}#sha256")
        g.add((src, RDF.type, CDK.SourceDocument))
        g.add((src, DCTERMS.title, Literal(doc.filename)))
        g.add((src, DCAT.mediaType, Literal(doc.media_type)))
        g.add((src, CDK.characterCount, Literal(doc.characters, datatype=XSD.nonNegativeInteger)))
        g.add((src, CDK.lineCount, Literal(doc.lines, datatype=XSD.nonNegativeInteger)))
        g.add((src, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(doc.sha256, datatype=XSD.hexBinary)))

    def anchor(self, node: URIRef, text: SourceText):
        """Point ``node`` at ``text``'s span with Web Annotation selectors."""
        g, whole = self.g, self.plan.source.text
        n = sum(1 for _ in g.objects(node, CDK.sourceSpan)) + 1
        # The agency is described by each of its plans' documents: its spans are named per plan,
        # so two plans of one agency in a release never share a span.
        name = f"plan-{self.iris.fiscal_year_be}-source-{n}" if node == self.iris.agent else f"source-{n}"
        span, quote, position = (URIRef(f"{node}#{name}{suffix}") for suffix in ("", "-quote", "-position"))
        g.add((node, CDK.sourceSpan, span))
        g.add((span, RDF.type, OA.SpecificResource))
        g.add((span, OA.hasSource, self.iris.source))
        g.add((span, CDK.lineNumber, Literal(text.line, datatype=XSD.positiveInteger)))
        g.add((span, OA.hasSelector, quote))
        g.add((span, OA.hasSelector, position))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(text.verbatim)))
        g.add((quote, OA.prefix, Literal(whole[max(0, text.start - QUOTE_CONTEXT):text.start])))
        g.add((quote, OA.suffix, Literal(whole[text.end:text.end + QUOTE_CONTEXT])))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(text.start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(text.end, datatype=XSD.nonNegativeInteger)))

    def concept(self, node: URIRef, cls: URIRef, text: SourceText) -> URIRef:
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, self.iris.plan))
        g.add((node, SKOS.prefLabel, Literal(text.normalized, lang="th")))
        self.anchor(node, text)
        return node

    def item(self, node: URIRef, cls: URIRef, item: ListItem) -> URIRef:
        self.concept(node, cls, item.text)
        self.g.add((node, SKOS.notation, Literal(item.notation)))
        self.g.add((node, CDK.ordinal, Literal(item.ordinal, datatype=XSD.positiveInteger)))
        return node

    def issue(self, issue):
        g, iris = self.g, self.iris
        node = self.item(iris.issue(issue.number), CDK.StrategicIssue, issue.overview)
        g.add((iris.plan, CDK.hasStrategicIssue, node))
        self.anchor(node, issue.title)
        if issue.title.normalized != issue.overview.text.normalized:
            g.add((node, SKOS.altLabel, Literal(issue.title.normalized, lang="th")))
        objective = iris.objective(issue.objective)
        g.add((node, CDK.hasObjective, objective))
        # The section reprints the objective: that printing is the evidence of hasObjective.
        self.anchor(objective, issue.objective_text)
        for column in issue.columns:
            for top in issue.column_items(column):
                for item in top.walk():
                    item_node = self.item(iris.item(issue.number, column, item.path),
                                          _ITEM_CLASS[column], item)
                    g.add((item_node, CDK.inStrategicIssue, node))
                    if column == Column.INDICATORS:
                        g.add((item_node, CDK.measures, objective))
                    for child in item.children:
                        g.add((item_node, _HAS_SUB[column],
                               iris.item(issue.number, column, child.path)))
                g.add((node, _HAS_ITEM[column], iris.item(issue.number, column, top.path)))
