"""Turn a resource's description (quads) into what its HTML page shows.

Pure functions: no store, no request. The page shows the resource's labels
and types, its links out and in (each with the named graph that states it,
so stated and curated links look different), and its source quote with the
line number (Web Annotation ``oa:TextQuoteSelector`` prefix/exact/suffix).
"""

from __future__ import annotations

from typing import Callable

import pyoxigraph as ox

from codikg.namespaces import CDK, OA, RDF, RDFS, SKOS, curie
from codikg.services import i18n
from codikg.sparql.texts import query_text

LABEL_PREDICATES = (str(SKOS.prefLabel), str(RDFS.label))
_HIDDEN_OUT = {str(SKOS.prefLabel), str(RDF.type), str(CDK.sourceSpan)}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Href = Callable[[str], str]


def _compact(iri: str) -> str:
    """``cdk:measures`` for an IRI in one of the project's namespaces, else the IRI."""
    return curie(iri) or iri


def labels_of(quads: list[ox.Quad]) -> dict[str, dict[str, str]]:
    """``{iri: {language tag: label}}`` from the label statements among ``quads``.

    ``skos:prefLabel`` wins over ``rdfs:label`` in the same language.
    """
    labels: dict[str, dict[str, str]] = {}
    for predicate in reversed(LABEL_PREDICATES):
        for q in quads:
            if q.predicate.value == predicate and isinstance(q.object, ox.Literal):
                labels.setdefault(q.subject.value, {})[q.object.language or ""] = q.object.value
    return labels


def term(node, labels: dict, lang: str, href: Href) -> dict:
    """A term ready for the template: ``text``, ``lang``, and ``href``/``iri`` for IRIs."""
    if isinstance(node, ox.NamedNode):
        text, tag = i18n.pick(labels.get(node.value, {}), lang)
        return {"iri": node.value, "href": href(node.value), "text": text or _compact(node.value),
                "lang": tag if text else "", "curie": _compact(node.value)}
    if isinstance(node, ox.Literal):
        datatype = node.datatype.value
        return {"text": node.value, "lang": node.language or "",
                "datatype": "" if datatype in (_XSD_STRING, _LANG_STRING) else _compact(datatype)}
    return {"text": str(node), "lang": ""}


def graph_name(graph) -> str:
    """``…/graph/curation`` → ``curation`` (the CSS class and badge of a statement)."""
    return graph.value.rsplit("/", 1)[-1] if isinstance(graph, ox.NamedNode) else "default"


def _grouped(rows, labels, lang, href):
    groups: dict[str, dict] = {}
    for predicate, node, graph, rationale in rows:
        group = groups.setdefault(predicate.value, {"predicate": term(predicate, labels, lang, href),
                                                    "values": []})
        group["values"].append({"term": term(node, labels, lang, href), "graph": graph_name(graph),
                                "rationale": rationale})
    for group in groups.values():
        group["values"].sort(key=lambda v: (v["term"].get("iri", ""), v["term"]["text"]))
    return sorted(groups.values(), key=lambda g: g["predicate"]["curie"])


def source_spans(iri: str, quads: list[ox.Quad]) -> list[dict]:
    """The resource's Web Annotation anchors: line, source, prefix/exact/suffix, start/end."""
    about: dict[str, dict[str, list]] = {}
    for q in quads:
        about.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)

    def one(node, predicate):
        values = about.get(node, {}).get(str(predicate), [])
        return values[0].value if values else ""

    spans = []
    for span in about.get(iri, {}).get(str(CDK.sourceSpan), []):
        entry = {"iri": span.value, "line": one(span.value, CDK.lineNumber),
                 "source": one(span.value, OA.hasSource)}
        selectors = [s.value for s in about.get(span.value, {}).get(str(OA.hasSelector), [])]
        for key in ("prefix", "exact", "suffix", "start", "end"):
            entry[key] = next((v for v in (one(s, OA[key]) for s in selectors) if v), "")
        spans.append(entry)
    return sorted(spans, key=lambda e: int(e["line"] or 0))


def resource_view(iri: str, quads: list[ox.Quad], lang: str, href: Href,
                  rationales: dict[tuple[str, str, str], dict[str, str]]) -> dict:
    """What the page of ``iri`` shows.

    Args:
        iri: the resource.
        quads: its description (:func:`codikg.services.describe.describe`).
        lang: page language (``th``/``en``).
        href: IRI → URL on this server.
        rationales: ``{(s, p, o): {lang: text}}`` of curated links touching ``iri``.

    Returns:
        ``{"iri", "label", "label_lang", "labels", "notation", "types", "out", "in",
        "spans"}``.
    """
    labels = labels_of(quads)
    node = ox.NamedNode(iri)
    out_rows, in_rows, types, notation = [], [], [], ""
    for q in quads:
        key = (q.subject.value, q.predicate.value, getattr(q.object, "value", ""))
        rationale = i18n.pick(rationales[key], lang) if key in rationales else None
        if q.subject == node:
            if q.predicate.value == str(RDF.type):
                types.append(term(q.object, labels, lang, href))
            elif q.predicate.value == str(SKOS.notation):
                notation = q.object.value
            if q.predicate.value not in _HIDDEN_OUT:
                out_rows.append((q.predicate, q.object, q.graph_name, rationale))
        elif q.object == node:
            in_rows.append((q.predicate, q.subject, q.graph_name, rationale))
    label, label_lang = i18n.pick(labels.get(iri, {}), lang)
    all_labels = sorted({(q.object.value, q.object.language or "") for q in quads
                         if q.subject == node and q.predicate.value in LABEL_PREDICATES
                         and isinstance(q.object, ox.Literal)}, key=lambda x: (x[1] != "th", x[1]))
    types = sorted({t["iri"]: t for t in types}.values(), key=lambda t: t["curie"])
    return {"iri": iri, "label": label or _compact(iri), "label_lang": label_lang,
            "labels": all_labels, "notation": notation, "types": types,
            "out": _grouped(out_rows, labels, lang, href),
            "in": _grouped(in_rows, labels, lang, href),
            "spans": [{**span, "source_href": href(span["source"]) if span["source"] else ""}
                      for span in source_spans(iri, quads)]}


def vocabulary_labels(store) -> dict[str, dict[str, str]]:
    """``{term IRI: {lang: rdfs:label}}`` of the codikg vocabulary (for crumbs and headings)."""
    labels: dict[str, dict[str, str]] = {}
    for row in store.query(query_text("vocabulary-labels")):
        labels.setdefault(row["term"].value, {})[row["label"].language or ""] = row["label"].value
    return labels


def ancestors(store, iri: str, depth: int = 8) -> list[tuple[str, str, str | None]]:
    """The chain of parents of ``iri`` in the plan, nearest first: ``(parent IRI,
    notation or "", codikg class IRI or None)``, at most ``depth`` steps, stopping at a cycle."""
    chain, current, seen = [], iri, {iri}
    for _ in range(depth):
        rows = list(store.query(query_text("parent"),
                                substitutions={ox.Variable("child"): ox.NamedNode(current)}))
        if not rows or rows[0]["parent"].value in seen:
            break
        row = rows[0]
        current = row["parent"].value
        chain.append((current, row["notation"].value if row["notation"] else "",
                      row["class"].value if row["class"] else None))
        seen.add(current)
    return chain


def rationales(store, iri: str) -> dict[tuple[str, str, str], dict[str, str]]:
    """``{(s, p, o): {lang: rationale}}`` of the curated links that touch ``iri``."""
    found: dict[tuple[str, str, str], dict[str, str]] = {}
    rows = store.query(query_text("rationales-of"),
                       substitutions={ox.Variable("resource"): ox.NamedNode(iri)})
    for row in rows:
        key = (row["s"].value, row["p"].value, row["o"].value)
        found.setdefault(key, {})[row["rationale"].language or ""] = row["rationale"].value
    return found
