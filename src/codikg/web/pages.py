"""Pages for people: the landing page, the plan overview, and the page of each
resource and named graph (the HTML of :mod:`codikg.web.linkeddata`).

Pages are Jinja2 templates rendered on the server, in Thai by default or in
English (:mod:`codikg.web.i18n`); they load nothing from other sites.
"""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import URIRef
from rdflib.namespace import DCAT, RDF

from codikg.config.settings import DEFAULT_SITE_NAME
from codikg.graph.schemaorg import catalog_dataset, schema_dataset
from codikg.web import i18n
from codikg.services.catalog import served_at
from codikg.services.plans_view import plan_summaries
from codikg.services.resource_view import ancestors, rationales, resource_view
from codikg.sparql.formats import RDF_FORMATS
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.paths import local_url
from codikg.services.served import ServedRelease
from codikg.web.deps import release_of, served_release

router = APIRouter()


def render(request: Request, template: str, context: dict, variant: str,
           status_code: int = 200, headers: dict | None = None) -> Response:
    """Render ``template`` in the request's language with the shared page context.

    Adds validators (ETag per ``variant`` and language) and ``Vary`` (the
    language cookie is set by :class:`codikg.web.i18n.RememberLanguage`);
    answers 304 when the client's copy is current.
    """
    lang, _ = i18n.choose_language(request)
    head = {"Vary": "Accept-Language, Cookie", **(headers or {}),
            **release_validators(request, f"{variant}-{lang}")}
    if status_code == 200 and (current := not_modified(request, head)) is not None:
        return current
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=head)


def query_variant(name: str, request: Request) -> str:
    """A validator variant for a page that depends on its query string (``/trace?indicator=``):
    ``name`` and a digest of the query, ASCII whatever the parameters hold."""
    digest = hashlib.sha256(request.url.query.encode("utf-8")).hexdigest()[:16]
    return f"{name}-{digest}"


def page_context(request: Request) -> dict:
    """Context of every page (a Jinja2Templates context processor): language, UI strings and
    the site's name (a deployment setting, :class:`codikg.config.settings.Settings`)."""
    lang, _ = i18n.choose_language(request)
    settings = release_of(request).settings
    return {"lang": lang, "t": {**i18n.strings(lang), "site": getattr(settings, f"site_name_{lang}")},
            "other_lang": "en" if lang == "th" else "th", "path": request.url.path}


def set_template_defaults(templates) -> None:
    """Thai defaults for pages rendered without a request (``get_template(...).render()``)."""
    templates.env.globals.update(page_context_defaults())


def page_context_defaults() -> dict:
    return {"lang": i18n.DEFAULT, "t": {**i18n.strings(i18n.DEFAULT), "site": DEFAULT_SITE_NAME[i18n.DEFAULT]},
            "other_lang": "en", "path": ""}


def class_label(request: Request, cls: str, lang: str) -> str:
    """The vocabulary's label of ``cls`` in ``lang``, capitalised as a heading ("" if none)."""
    label = i18n.pick(release_of(request).vocab_labels.get(cls, {}), lang)[0]
    return label[:1].upper() + label[1:]


def _crumb_text(request: Request, cls: str | None, notation: str, fallback: str, lang: str) -> str:
    class_label_ = class_label(request, cls or "", lang)
    if class_label_ and notation:
        return f"{class_label_} {notation}"
    return fallback


def breadcrumbs(request: Request, iri: str, lang: str) -> list[dict]:
    """The resource's position in the plan: its ancestors, the plan first (links and texts)."""
    served = release_of(request)
    overview = served.overview.get()
    crumbs = []
    for parent, notation, cls in reversed(ancestors(served.store, iri)):
        fallback = i18n.pick(overview.plan_labels, lang)[0] \
            if overview and parent == overview.plan else parent.rsplit("/", 1)[-1]
        crumbs.append({"href": local_url(request, parent),
                       "text": _crumb_text(request, cls, notation, fallback, lang)})
    return crumbs


def _alternates(path: str) -> list[dict]:
    return [{"href": f"{path}.{f.extension}", "type": f.media_type, "name": f.extension}
            for f in RDF_FORMATS]


def resource_page(request: Request, iri: str, quads, lang: str) -> Response:
    """The HTML page of a plan element or any other ``/id/`` resource."""
    store = release_of(request).store
    view = resource_view(iri, quads, lang, lambda i: local_url(request, i), rationales(store, iri))
    path = local_url(request, iri)
    kinds = [t["curie"] for t in view["types"]]
    heading = next((f'{class_label(request, t["iri"], lang)} {view["notation"]}'.strip()
                    for t in view["types"]
                    if t["iri"] in release_of(request).vocab_labels), "")
    context = {"r": view, "heading": heading, "crumbs": breadcrumbs(request, iri, lang),
               "alternates": _alternates(path), "is_indicator": "cdk:Indicator" in kinds}
    return render(request, "resource.html", context, "html")


def graph_page(request: Request, iri: str, quads, lang: str) -> Response:
    """The HTML page of a named graph: its size and the resources it describes."""
    labels: dict[str, dict[str, str]] = {}
    subjects: dict[str, set] = {}
    for q in quads:
        if q.predicate.value in ("http://www.w3.org/2004/02/skos/core#prefLabel",
                                 "http://www.w3.org/2000/01/rdf-schema#label"):
            labels.setdefault(q.subject.value, {})[q.object.language or ""] = q.object.value
        if hasattr(q.subject, "value") and "#" not in q.subject.value.removeprefix(
                release_of(request).base_iri).replace("ontology#", ""):
            subjects.setdefault(q.subject.value, set())
    items = []
    for s in sorted(subjects):
        text, tag = i18n.pick(labels.get(s, {}), lang)
        items.append({"iri": s, "href": local_url(request, s), "text": text, "lang": tag})
    path = local_url(request, iri)
    return render(request, "graph.html", {"iri": iri, "triples": len(quads), "items": items,
                                          "alternates": _alternates(path)}, "html")


@router.get("/plan", include_in_schema=False)
def plan_overview(request: Request, served: ServedRelease = Depends(served_release)) -> Response:
    """The plans: with one plan its overview (so links made before a release held several
    still show it), with several the list of plans, each linking to ``/plan/{agency}/{fy}``."""
    plans = plan_summaries(served.store)
    if len(plans) > 1:
        return render(request, "plans.html", {"plans": plans}, "plans")
    return _overview_page(request, served.overview.get(), "/plan", "plan")


@router.get("/plan/{agency}/{fiscal_year}", include_in_schema=False)
def one_plan_overview(request: Request, agency: str, fiscal_year: str,
                      served: ServedRelease = Depends(served_release)) -> Response:
    """One plan at a glance (server-rendered SVG diagram); 404 for a plan the release lacks."""
    overview = served.overview_of(agency, fiscal_year) if fiscal_year.isdigit() else None
    return _overview_page(request, overview, f"/plan/{agency}/{fiscal_year}",
                          f"plan-{hashlib.sha256(f'{agency}/{fiscal_year}'.encode()).hexdigest()[:16]}")


def _overview_page(request: Request, overview, path: str, variant: str) -> Response:
    lang, _ = i18n.choose_language(request)
    if overview is None:
        return render(request, "not_found.html", {"iri": path}, variant, status_code=404)
    layout = overview.layout(lang, lambda i: local_url(request, i) + ".html")
    return render(request, "plan.html", {"d": layout, "plan_href": local_url(request, overview.plan),
                                         "jsonld": dataset_jsonld(request, overview.plan + "/dataset")}, variant)


def dataset_jsonld(request: Request, dataset_iri: str | None = None) -> str:
    """schema.org ``Dataset`` JSON-LD text of the landing page (the catalog's first dataset)
    or of a plan's page (``dataset_iri``); ``""`` when the catalog lacks it.

    Built from the catalog graph by :func:`codikg.graph.schemaorg.schema_dataset`
    (the uncompressed downloads, every URL on this server) and embedded as it is,
    so its facts are the catalog's.
    """
    served = release_of(request)
    catalog = served.catalog.get()
    if catalog is None:
        return ""
    if dataset_iri is None:
        dataset = catalog_dataset(catalog)
    else:
        dataset = URIRef(dataset_iri) if (URIRef(dataset_iri), RDF.type, DCAT.Dataset) in catalog else None
    if dataset is None:
        return ""
    base_url = str(request.base_url).rstrip("/")

    def on_this_server(url: str) -> str:
        path = served_at(catalog, dataset, url)
        return base_url + path if path.startswith("/") else url

    doc = schema_dataset(catalog, dataset, on_this_server, compressed=False)
    # "</" may not appear inside a <script> element.
    return json.dumps(doc, ensure_ascii=False, indent=2).replace("</", "<\\/")


@router.get("/", include_in_schema=False)
def landing(request: Request, served: ServedRelease = Depends(served_release)) -> Response:
    """Landing page: the plans (agency, period, counts; Thai collation), what the service holds,
    SPARQL, downloads."""
    overview = served.overview.get()
    return render(request, "index.html", {
        "manifest": served.manifest, "counts": served.counts, "dumps": served.dump_files,
        "examples": served.examples, "jsonld": dataset_jsonld(request), "plans": plan_summaries(served.store),
        "totals": served.triple_totals, "graphs": served.graph_counts,
        "overview": overview.layout(i18n.choose_language(request)[0],
                                    lambda i: local_url(request, i) + ".html")
        if overview else None}, "home")
