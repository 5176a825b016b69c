"""The DCAT-AP 3 catalog of a release (named graph ``{base}graph/catalog``).

Follows DCAT-AP 3.0.1 (SEMIC): one ``dcat:Catalog`` (``{base}catalog``) with
one ``dcat:Dataset`` for the plan (``{plan}/dataset``), a ``dcat:Distribution``
per dump file (``{plan}/dataset/distribution/{key}``, ``-gz`` for the gzip
twin) plus one for the SPARQL endpoint, and a ``dcat:DataService`` for the
endpoint (``{base}id/service/sparql``). All IRIs are stable across releases so
that harvesters (ckanext-dcat) update instead of delete-and-recreate; only
``dcat:downloadURL`` (per-release URL), ``dcat:version``, sizes and checksums
change with a release.

Identity and location are kept apart: every IRI above is under the base IRI,
while the URLs a client follows (``dcat:downloadURL``, ``dcat:accessURL``,
``dcat:endpointURL``, ``dcat:landingPage``) are under the deployment's public
URL (``CODIKG_PUBLIC_URL``, default the base IRI). The period
(``dct:temporal``, ``prov:wasDerivedFrom`` the curated period node) has the
curated plan period's dates and ``dct:modified`` is a date the editors stated (:mod:`codikg.graph.curated`), never the build day.

What ckanext-dcat (CKAN's DCAT harvester) reads is stated in the form it reads
(docs/catalog.md, CKAN harvesting): ``dct:license`` on the dataset and every
distribution, with the title of CKAN's licence register; ``dct:issued`` on the
dataset; each EU file type also a ``dct:IMT`` with a format label; keywords
under the ``[dataset] tag_rule`` of the harvesting portal (:func:`keywords`).

Controlled vocabularies are the ones DCAT-AP names: EU authority tables
(data-theme, frequency, language, file-type, country, access-right), IANA
media types, ADMS publisher and licence types. The concepts used are typed and
labelled here, so that the catalog validates against the DCAT-AP range and
controlled-vocabulary shapes without fetching the EU code lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from codikg.config.catalog import CatalogSettings
from codikg.graph.curated import PlanPeriod, from_fiscal_year
from codikg.graph.dumps import DUMP_FORMATS, GZIP_MEDIA_TYPE, PLAN_DUMP_FORMATS, STRATML_FORMAT, plan_dump_filename
from codikg.graph.iris import PlanIRIs
from codikg.graph.stratml import MEDIA_TYPE as STRATML_MEDIA_TYPE
from codikg.graph.stratml import STANDARD as STRATML_STANDARD
from codikg.graph.stratml import STANDARD_LABEL as STRATML_STANDARD_LABEL
from codikg.graph.tags import tag_problem
from codikg.namespaces import CDK, PREFIXES, SPDX
from codikg.sparql.formats import RESULTS_JSON

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
#: dcat:version is DCAT 3; rdflib's DCAT namespace predates it.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
ADMS_LICENCE_TYPE = URIRef("http://purl.org/adms/licencetype/1.0")
ADMS_PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/1.0")

#: English labels of the EU authority-table concepts codikg may use (from the
#: EU Vocabularies tables named by DCAT-AP); a code not listed is an error.
EU_LABELS = {
    "data-theme": {"AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
                   "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
                   "GOVE": "Government and public sector", "HEAL": "Health",
                   "INTR": "International issues", "JUST": "Justice, legal system and public safety",
                   "REGI": "Regions and cities", "SOCI": "Population and society",
                   "TECH": "Science and technology", "TRAN": "Transport"},
    "frequency": {"IRREG": "irregular", "ANNUAL": "annual", "NEVER": "never", "UNKNOWN": "unknown",
                  "QUARTERLY": "quarterly", "MONTHLY": "monthly"},
    "language": {"THA": "Thai", "ENG": "English"},
    "file-type": {"RDF_TRIG": "TriG", "RDF_N_QUADS": "N-Quads", "JSON_LD": "JSON-LD",
                  "RDF_TURTLE": "Turtle", "RDF_N_TRIPLES": "N-Triples", "SPARQLQ": "SPARQL query",
                  "XML": "XML"},
    "country": {"THA": "Thailand"},
    "access-right": {"PUBLIC": "public"},
    "planned-availability": {"STABLE": "stable"},
}
EU_SCHEME_TITLES = {"data-theme": "Data theme", "frequency": "Frequency", "language": "Language",
                    "file-type": "File type", "country": "Country", "access-right": "Access right",
                    "planned-availability": "Planned availability"}

#: Countries codikg can name as spatial coverage: extent (WKT, CRS84 lon/lat,
#: rounded outward to 0.01 degree) and the Wikidata item of the same country.
COUNTRIES = {"THA": {"bbox": "POLYGON((97.34 5.61,105.64 5.61,105.64 20.47,97.34 20.47,97.34 5.61))",
                     "centroid": "POINT(100.99 15.87)",
                     "wikidata": "http://www.wikidata.org/entity/Q869"}}
GSP = Namespace("http://www.opengis.net/ont/geosparql#")

#: dcat:DataService conformance and the W3C specification of each dump format.
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
FORMAT_STANDARDS = {"trig": "https://www.w3.org/TR/trig/", "nq": "https://www.w3.org/TR/n-quads/",
                    "jsonld": "https://www.w3.org/TR/json-ld11/",
                    "ttl": "https://www.w3.org/TR/turtle/", "nt": "https://www.w3.org/TR/n-triples/"}


@dataclass(frozen=True)
class CatalogIRIs:
    """The stable IRIs of the catalog graph.

    Args:
        base: the base IRI (``https://w3id.org/codikg/``).
        plan: the plan's IRIs (the dataset lives under the plan IRI).
        public: the deployment's public URL, for the URLs clients follow
            (download, access, endpoint, landing page); default ``base``.
    """

    base: str
    plan: PlanIRIs
    public: str = field(default="")

    def __post_init__(self):
        if not self.public:
            object.__setattr__(self, "public", self.base)

    @property
    def graph(self) -> URIRef:
        return self.plan.graph("catalog")

    @property
    def catalog(self) -> URIRef:
        return URIRef(f"{self.base}catalog")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.plan.plan}/dataset")

    def distribution(self, key: str) -> URIRef:
        """``key`` is a dump format key (``trig``), ``trig-gz`` or ``sparql``."""
        return URIRef(f"{self.dataset}/distribution/{key}")

    @property
    def service(self) -> URIRef:
        return URIRef(f"{self.base}id/service/sparql")

    @property
    def endpoint(self) -> URIRef:
        """The SPARQL endpoint URL (public URL)."""
        return URIRef(f"{self.public}sparql")

    @property
    def dumps_page(self) -> URIRef:
        return URIRef(f"{self.public}dumps/")

    @property
    def landing_page(self) -> URIRef:
        return URIRef(self.public)

    def download(self, release: str, filename: str) -> URIRef:
        """The per-release, never-changing URL of a dump file (public URL)."""
        return URIRef(f"{self.public}dumps/{release}/{filename}")

    @property
    def contact(self) -> URIRef:
        return URIRef(f"{self.plan.agent}#contact")

    @property
    def period(self) -> URIRef:
        return URIRef(f"{self.dataset}#period")


def eu_concept(scheme: str, code: str) -> URIRef:
    """IRI of ``code`` in an EU authority table.

    Raises:
        ValueError: if codikg has no label for the code (unknown or mistyped).
    """
    if code not in EU_LABELS.get(scheme, {}):
        raise ValueError(f"{code!r} is not a known code of the EU {scheme} table "
                         f"(known: {', '.join(EU_LABELS.get(scheme, {}))})")
    return URIRef(f"{EU}{scheme}/{code}")


def keywords(words: list[str], lang: str, tag_rule: str) -> list[Literal]:
    """The ``dcat:keyword`` literals of ``words`` (tagged ``lang``) under a portal's tag rule.

    ckanext-dcat makes every keyword a tag, and a tag the portal refuses fails the whole
    harvest. Under ``tag_rule`` ``ckan`` a Thai keyword that stock CKAN refuses is
    published in RTGS romanisation (``@th-Latn``, :func:`codikg.graph.derived.romanize_rtgs`);
    under ``data.go.th`` Thai keywords are kept as written.

    Raises:
        ValueError: a keyword (or its romanisation) that the rule still refuses, named.
    """
    out = []
    for word in words:
        literal = Literal(word, lang=lang)
        if lang == "th" and tag_rule == "ckan" and tag_problem(word, tag_rule):
            from codikg.graph.derived import romanize_rtgs  # loads PyThaiNLP's model: only when needed

            literal = Literal(romanize_rtgs(word), lang="th-Latn")
        problem = tag_problem(str(literal), tag_rule)
        if problem:
            raise ValueError(f"[dataset] keywords_{lang}: {word!r} would be refused as a "
                             f"{tag_rule} tag: {problem}")
        out.append(literal)
    return out


def iana(media_type: str) -> URIRef:
    """IRI of an IANA media type (DCAT-AP's dcat:mediaType form)."""
    return URIRef(IANA + media_type)


@dataclass(frozen=True)
class PlanCatalog:
    """What the catalog says of one plan's dataset.

    Attributes:
        settings: the plan's catalog settings (its folder's catalog.toml, plan.toml).
        iris: the catalog IRIs of the plan (its dataset is ``iris.dataset``).
        period: the plan's curated period, or None when it is not curated yet
            (the titles then say from which fiscal year; no ``dct:temporal``).
        modified: the latest date stated for the plan (catalog.toml, curation).
    """

    settings: CatalogSettings
    iris: CatalogIRIs
    period: PlanPeriod | None
    modified: dt.date


class _CatalogBuilder:
    def __init__(self, plans: list[PlanCatalog], publisher: PlanCatalog, release: str, dumps: dict):
        self.plans, self.publisher_plan, self.release, self.dumps = plans, publisher, release, dumps
        self.g = Graph()
        for prefix, ns in {**PREFIXES, "foaf": FOAF, "vcard": VCARD, "dcatap": DCATAP,
                           "geo": GSP}.items():
            self.g.bind(prefix, ns)
        self.public = self.concept("access-right", "PUBLIC", DCTERMS.RightsStatement)
        self.use(publisher)

    def use(self, plan: PlanCatalog) -> None:
        """Describe ``plan`` next (its settings, IRIs, period, dates and licence)."""
        self.s, self.iris, self.period, self.modified = plan.settings, plan.iris, plan.period, plan.modified
        self.licence = URIRef(plan.settings.dataset["license"])
        self.plan_key = f"{plan.iris.plan.agency}/{plan.iris.plan.fiscal_year_be}"

    def th_en(self, node, prop, th: str, en: str):
        for text, lang in ((th, "th"), (en, "en")):
            if text:  # a plan written by 'plan new' may lack an English name
                self.g.add((node, prop, Literal(text, lang=lang)))

    def concept(self, scheme: str, code: str, *types: URIRef) -> URIRef:
        g, node, scheme_iri = self.g, eu_concept(scheme, code), URIRef(f"{EU}{scheme}")
        for t in (SKOS.Concept, *types):
            g.add((node, RDF.type, t))
        g.add((node, SKOS.inScheme, scheme_iri))
        g.add((node, SKOS.prefLabel, Literal(EU_LABELS[scheme][code], lang="en")))
        g.add((scheme_iri, RDF.type, SKOS.ConceptScheme))
        g.add((scheme_iri, DCTERMS.title, Literal(EU_SCHEME_TITLES[scheme], lang="en")))
        return node

    def media_type(self, media_type: str) -> URIRef:
        node = iana(media_type)
        self.g.add((node, RDF.type, DCTERMS.MediaType))
        self.g.add((node, RDFS.label, Literal(media_type)))
        return node

    def file_type(self, code: str) -> URIRef:
        """An EU file type as ``dct:format``, also a ``dct:IMT`` with an ``rdfs:label``: the
        form ckanext-dcat reads a format name from (``_distribution_format``), which
        looks at the first ``rdf:type`` only: ``dct:IMT`` is added first, and sorts first
        in Turtle and TriG (docs/catalog.md: the other formats)."""
        node = eu_concept("file-type", code)
        self.g.add((node, RDF.type, DCTERMS.IMT))
        self.g.add((node, RDFS.label, Literal(EU_LABELS["file-type"][code])))
        return self.concept("file-type", code, DCTERMS.MediaTypeOrExtent)

    def build(self) -> Graph:
        for plan in self.plans:
            self.use(plan)
            self.publisher()
            self.contact_point()
            self.licence_document()
            self.dataset()
            for fmt in DUMP_FORMATS:
                self.dump_distribution(fmt, gz=False)
                self.dump_distribution(fmt, gz=True)
            for fmt in PLAN_DUMP_FORMATS:
                if plan_dump_filename(self.plan_key, fmt) in self.dumps:
                    self.dump_distribution(fmt, gz=False, own=True)
                    self.dump_distribution(fmt, gz=True, own=True)
            for filename in self.stratml_files():
                self.stratml_distribution(filename)
            self.sparql_distribution()
        self.use(self.publisher_plan)
        self.modified = max(plan.modified for plan in self.plans)
        self.catalog()
        self.service()
        return self.g

    def publisher(self):
        g, a, agent = self.g, self.s.agency, self.iris.plan.agent
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, RDF.type, FOAF.Organization))
        self.th_en(agent, FOAF.name, a.name_th, a.name_en)  # (an empty English name is left out)
        for acronym, lang in ((a.acronym_th, "th"), (a.acronym_en, "en")):
            if acronym:
                g.add((agent, SKOS.altLabel, Literal(acronym, lang=lang)))
        if a.homepage:
            g.add((agent, FOAF.homepage, URIRef(a.homepage)))
            g.add((URIRef(a.homepage), RDF.type, FOAF.Document))
        kind = URIRef("http://purl.org/adms/publishertype/NationalAuthority")
        g.add((agent, DCTERMS.type, kind))
        g.add((kind, RDF.type, SKOS.Concept))
        g.add((kind, SKOS.inScheme, ADMS_PUBLISHER_TYPE))
        g.add((kind, SKOS.prefLabel, Literal("National authority", lang="en")))
        g.add((ADMS_PUBLISHER_TYPE, RDF.type, SKOS.ConceptScheme))
        g.add((ADMS_PUBLISHER_TYPE, DCTERMS.title, Literal("Publisher type", lang="en")))

    def contact_point(self):
        g, c, node = self.g, self.s.contact, self.iris.contact
        g.add((node, RDF.type, VCARD.Organization))
        g.add((node, RDF.type, VCARD.Kind))
        self.th_en(node, VCARD.fn, c["name_th"], c.get("name_en", ""))
        if c.get("url"):
            g.add((node, VCARD.hasURL, URIRef(c["url"])))
        if c.get("email"):
            g.add((node, VCARD.hasEmail, URIRef(f"mailto:{c['email']}")))

    def licence_document(self):
        g, node = self.g, self.licence
        g.add((node, RDF.type, DCTERMS.LicenseDocument))
        g.add((node, DCTERMS.title, Literal(self.s.dataset["license_title"], lang="en")))
        kind = URIRef("http://purl.org/adms/licencetype/Attribution")
        g.add((node, DCTERMS.type, kind))
        g.add((kind, RDF.type, SKOS.Concept))
        g.add((kind, SKOS.inScheme, ADMS_LICENCE_TYPE))
        g.add((kind, SKOS.prefLabel, Literal("Attribution", lang="en")))
        g.add((ADMS_LICENCE_TYPE, RDF.type, SKOS.ConceptScheme))
        g.add((ADMS_LICENCE_TYPE, DCTERMS.title, Literal("Licence type", lang="en")))

    def catalog(self):
        g, c, node = self.g, self.s.catalog, self.iris.catalog
        g.add((node, RDF.type, DCAT.Catalog))
        self.th_en(node, DCTERMS.title, c["title_th"], c["title_en"])
        self.th_en(node, DCTERMS.description, c["description_th"], c["description_en"])
        g.add((node, DCTERMS.publisher, self.iris.plan.agent))
        g.add((node, DCAT.contactPoint, self.iris.contact))
        g.add((node, DCTERMS.license, self.licence))
        home = self.iris.landing_page
        g.add((node, FOAF.homepage, home))
        g.add((home, RDF.type, FOAF.Document))
        for code in self.s.dataset["languages"]:
            g.add((node, DCTERMS.language, self.concept("language", code, DCTERMS.LinguisticSystem)))
        g.add((node, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")))
        if "issued" in c:
            g.add((node, DCTERMS.issued, Literal(str(c["issued"]), datatype=XSD.date)))
        g.add((node, DCTERMS.modified, Literal(self.modified.isoformat(), datatype=XSD.date)))
        for plan in self.plans:
            g.add((node, DCAT.dataset, plan.iris.dataset))
        g.add((node, DCAT.service, self.iris.service))
        for code in self.s.dataset["countries"]:
            g.add((node, DCTERMS.spatial, self.location(code)))

    def location(self, code: str) -> URIRef:
        """A country of the EU country table, with its extent and its Wikidata item."""
        g, node = self.g, self.concept("country", code, DCTERMS.Location)
        place = COUNTRIES[code]
        g.add((node, DCAT.bbox, Literal(place["bbox"], datatype=GSP.wktLiteral)))
        g.add((node, DCAT.centroid, Literal(place["centroid"], datatype=GSP.wktLiteral)))
        g.add((node, SKOS.exactMatch, URIRef(place["wikidata"])))
        return node

    def keywords_and_themes(self, node):
        d = self.s.dataset
        for kw in (*keywords(d["keywords_th"], "th", self.s.tag_rule),
                   *keywords(d["keywords_en"], "en", self.s.tag_rule)):
            self.g.add((node, DCAT.keyword, kw))
        for code in d["themes"]:
            self.g.add((node, DCAT.theme, self.concept("data-theme", code)))

    def dataset(self):
        g, d, node = self.g, self.s.dataset, self.iris.dataset
        g.add((node, RDF.type, DCAT.Dataset))
        try:
            titles = [d[f"title_{lang}"].format(
                fiscal_years=self.period.fiscal_years(lang) if self.period
                else from_fiscal_year(self.s.fiscal_year_be, lang)) for lang in ("th", "en")]
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"[dataset] title_th/title_en: bad placeholder {exc} "
                             "(only {fiscal_years} is known)") from None
        self.th_en(node, DCTERMS.title, *titles)
        self.th_en(node, DCTERMS.description, d["description_th"], d["description_en"])
        g.add((node, DCTERMS.identifier, Literal(str(node))))
        g.add((node, DCAT_VERSION, Literal(self.release)))
        self.keywords_and_themes(node)
        if self.s.issued is not None:
            g.add((node, DCTERMS.issued, Literal(self.s.issued.isoformat(), datatype=XSD.date)))
        g.add((node, DCTERMS.modified, Literal(self.modified.isoformat(), datatype=XSD.date)))
        g.add((node, DCTERMS.license, self.licence))
        g.add((node, DCTERMS.publisher, self.iris.plan.agent))
        g.add((node, DCAT.contactPoint, self.iris.contact))
        g.add((node, DCTERMS.accessRights, self.public))
        g.add((node, DCTERMS.accrualPeriodicity,
               self.concept("frequency", d["frequency"], DCTERMS.Frequency)))
        for code in d["languages"]:
            g.add((node, DCTERMS.language, self.concept("language", code, DCTERMS.LinguisticSystem)))
        for code in d["countries"]:
            g.add((node, DCTERMS.spatial, self.location(code)))
        # The catalog's own node with the curated dates, derived from the curated node:
        # restating that node's triples here would put the same triple in two graphs,
        # which stores that count a multi-graph default graph as a bag count twice.
        if self.period is not None:
            period = self.iris.period
            g.add((node, DCTERMS.temporal, period))
            g.add((period, PROV.wasDerivedFrom, self.period.iri))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(self.period.start.isoformat(), datatype=XSD.date)))
            g.add((period, DCAT.endDate, Literal(self.period.end.isoformat(), datatype=XSD.date)))
        g.add((node, DCAT.landingPage, self.iris.landing_page))
        ontology = URIRef(str(CDK).rstrip("#"))
        g.add((node, DCTERMS.conformsTo, ontology))
        g.add((ontology, RDF.type, DCTERMS.Standard))
        g.add((node, FOAF.primaryTopic, self.iris.plan.plan))
        for fmt in DUMP_FORMATS:
            g.add((node, DCAT.distribution, self.iris.distribution(fmt.key)))
            g.add((node, DCAT.distribution, self.iris.distribution(f"{fmt.key}-gz")))
        for fmt in PLAN_DUMP_FORMATS:
            if plan_dump_filename(self.plan_key, fmt) in self.dumps:
                g.add((node, DCAT.distribution, self.iris.distribution(f"plan-{fmt.key}")))
                g.add((node, DCAT.distribution, self.iris.distribution(f"plan-{fmt.key}-gz")))
        if self.stratml_files():
            g.add((node, DCAT.distribution, self.iris.distribution(STRATML_FORMAT)))
        g.add((node, DCAT.distribution, self.iris.distribution("sparql")))

    def stratml_files(self) -> list[str]:
        """The release's StratML documents of the plan being described (one, or none)."""
        return [name for name, entry in self.dumps.items()
                if entry.get("format") == STRATML_FORMAT and entry.get("plan") == self.plan_key]

    def dump_distribution(self, fmt, gz: bool, own: bool = False):
        """A dump of the whole release, or with ``own`` the plan's own dump (its graphs only)."""
        g = self.g
        if own:
            filename = plan_dump_filename(self.plan_key, fmt, gz)
            node = self.iris.distribution(f"plan-{fmt.key}" + ("-gz" if gz else ""))
        else:
            filename = fmt.gz_filename if gz else fmt.filename
            node = self.iris.distribution(f"{fmt.key}-gz" if gz else fmt.key)
        what_en = "every named graph" if fmt.quads else "the union of the named graphs"
        what_th = "ทุกกราฟ (แยกตามกราฟ)" if fmt.quads else "รวมทุกกราฟเป็นกราฟเดียว"
        if own:
            what_en, what_th = f"{what_en} of this plan", f"{what_th}ของแผนนี้"
        packed_en, packed_th = (" (gzip)", " (บีบอัด gzip)") if gz else ("", "")
        self.th_en(node, DCTERMS.title, f"{fmt.label_th}{packed_th}", f"{fmt.label_en}{packed_en}")
        self.th_en(node, DCTERMS.description,
                   f"ไฟล์ {fmt.label_th}{packed_th} ของ{what_th} รุ่น {self.release}",
                   f"{fmt.label_en}{packed_en} file of {what_en}, release {self.release}")
        if gz:
            g.add((node, DCAT.compressFormat, self.media_type(GZIP_MEDIA_TYPE)))
        self.file_distribution(node, filename, fmt.media_type, fmt.eu_file_type,
                               URIRef(FORMAT_STANDARDS[fmt.key]))

    def stratml_distribution(self, filename: str):
        """The plan as a StratML Part 2 document (docs/stratml.md)."""
        node = self.iris.distribution(STRATML_FORMAT)
        self.th_en(node, DCTERMS.title, "แผนในรูปแบบ StratML (ISO 17469-2)",
                   "The plan as StratML (ISO 17469-2)")
        self.th_en(node, DCTERMS.description,
                   f"แผนยุทธศาสตร์ในรูปแบบ XML ตามมาตรฐาน StratML ส่วนที่ ๒ รุ่น {self.release}",
                   f"The strategic plan as a StratML Part 2 XML document, release {self.release}")
        self.file_distribution(node, filename, STRATML_MEDIA_TYPE, "XML", URIRef(STRATML_STANDARD))
        self.g.add((URIRef(STRATML_STANDARD), RDFS.label, Literal(STRATML_STANDARD_LABEL, lang="en")))

    def file_distribution(self, node: URIRef, filename: str, media_type: str, file_type: str,
                          standard: URIRef):
        """What every downloadable file states: where, type, standard, size, checksum, terms."""
        g, entry = self.g, self.dumps[filename]
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCAT.accessURL, self.iris.dumps_page))
        g.add((node, DCAT.downloadURL, self.iris.download(self.release, filename)))
        g.add((node, DCAT.mediaType, self.media_type(media_type)))
        g.add((node, DCTERMS.format, self.file_type(file_type)))
        g.add((node, DCTERMS.conformsTo, standard))
        g.add((standard, RDF.type, DCTERMS.Standard))
        g.add((node, DCAT.byteSize, Literal(entry["bytes"], datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{node}#sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
        g.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
        g.add((node, DCTERMS.license, self.licence))
        g.add((node, DCTERMS.rights, self.public))
        g.add((node, DCATAP.availability, self.concept("planned-availability", "STABLE")))

    def sparql_distribution(self):
        g, node = self.g, self.iris.distribution("sparql")
        g.add((node, RDF.type, DCAT.Distribution))
        self.th_en(node, DCTERMS.title, "บริการสืบค้น SPARQL", "SPARQL endpoint")
        self.th_en(node, DCTERMS.description,
                   "สืบค้นกราฟทั้งหมดด้วย SPARQL 1.1 (อ่านอย่างเดียว)",
                   "Query every graph with SPARQL 1.1 (read-only).")
        g.add((node, DCAT.accessURL, self.iris.endpoint))
        g.add((node, DCAT.accessService, self.iris.service))
        g.add((node, DCATAP.availability, self.concept("planned-availability", "STABLE")))
        g.add((node, DCTERMS.format, self.file_type("SPARQLQ")))
        g.add((node, DCAT.mediaType, self.media_type(RESULTS_JSON.media_type)))
        g.add((node, DCTERMS.conformsTo, SPARQL_PROTOCOL))
        g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
        g.add((node, DCTERMS.license, self.licence))

    def service(self):
        g, node = self.g, self.iris.service
        g.add((node, RDF.type, DCAT.DataService))
        self.th_en(node, DCTERMS.title, "บริการสืบค้น SPARQL ของ codikg", "codikg SPARQL endpoint")
        self.th_en(node, DCTERMS.description,
                   "จุดบริการ SPARQL 1.1 แบบอ่านอย่างเดียว กราฟเริ่มต้นคือการรวมของทุกกราฟ",
                   "Read-only SPARQL 1.1 Protocol endpoint; the default graph is the union of "
                   "the named graphs.")
        g.add((node, DCAT.endpointURL, self.iris.endpoint))
        g.add((node, DCAT.endpointDescription, self.iris.endpoint))
        # The DCAT-AP 3.0.1 range shapes ask for the class explicitly.
        g.add((self.iris.endpoint, RDF.type, RDFS.Resource))
        self.keywords_and_themes(node)
        for plan in self.plans:
            g.add((node, DCAT.servesDataset, plan.iris.dataset))
        g.add((node, DCTERMS.conformsTo, SPARQL_PROTOCOL))
        g.add((node, DCTERMS.publisher, self.iris.plan.agent))
        g.add((node, DCAT.contactPoint, self.iris.contact))
        g.add((node, DCTERMS.license, self.licence))
        g.add((node, DCTERMS.accessRights, self.public))



def catalog_graph(settings: CatalogSettings, iris: CatalogIRIs, release: str,
                  dumps: dict[str, dict], period: PlanPeriod, modified: dt.date) -> Graph:
    """Build the DCAT-AP description of a release of one plan (see :func:`plans_catalog_graph`).

    Args:
        settings: from :func:`codikg.config.catalog.load_catalog_settings`.
        iris: the catalog's IRIs.
        release: the release id (``manifest["release"]``).
        dumps: file name → entry, as returned by :func:`codikg.release.writer.write_dumps`.
        period: the curated plan period (``dct:temporal``, the titles' years).
        modified: ``dct:modified`` of catalog and dataset: a date stated in the
            inputs (:func:`codikg.graph.curated.latest_curation_date`), so the
            same inputs always give the same catalog.

    Returns:
        A new graph (the content of ``{base}graph/catalog`` without VoID).

    Raises:
        ValueError: if catalog.toml names a code of an EU table codikg does not know,
            or a title holds a placeholder other than ``{fiscal_years}``.
        KeyError: if ``dumps`` lacks a file of :data:`DUMP_FORMATS`.
    """
    plan = PlanCatalog(settings, iris, period, modified)
    return plans_catalog_graph([plan], plan, release, dumps)


def plans_catalog_graph(plans: list[PlanCatalog], publisher: PlanCatalog, release: str,
                        dumps: dict[str, dict]) -> Graph:
    """One DCAT-AP catalog of a release of several plans: a ``dcat:Dataset``
    per plan (its publisher that plan's agency), one catalog and one SPARQL
    service listing them all, published by ``publisher``'s agency with its
    licence, languages and contact; ``dct:modified`` of the catalog is the
    latest of the plans'.

    Raises:
        ValueError, KeyError: as :func:`catalog_graph`.
    """
    return _CatalogBuilder(plans, publisher, release, dumps).build()


__all__ = ["CatalogIRIs", "PlanCatalog", "catalog_graph", "plans_catalog_graph", "eu_concept", "iana", "VCARD", "DCATAP"]
