r"""A CKAN ``package_create`` payload with the data.go.th dataset fields.

data.go.th and the agency data catalogues of the Thai government run CKAN with
the ``ckanext-thai_gdc`` extension, whose ckanext-scheming schema
(``ckan_dataset.json``) implements the government-dataset metadata standard of
the Digital Government Development Agency (DGA/สพร.), the National Statistical
Office and the Big Data Institute. Field names and the Thai choice values below
are that schema's; the English glosses are ours:

=========================  ==========================================  =========================
field                      meaning                                     taken from
=========================  ==========================================  =========================
data_type                  ประเภทชุดข้อมูล (data type)                  catalog.toml [ckan]
objective                  วัตถุประสงค์ (objective, multiple choice)    catalog.toml [ckan]
update_frequency_unit      หน่วยความถี่ของการปรับปรุงข้อมูล              dct:accrualPeriodicity
geo_coverage               ขอบเขตเชิงภูมิศาสตร์                          dct:spatial (a country)
data_source                แหล่งที่มา (source)                          dct:publisher + source doc
data_format                รูปแบบการเก็บข้อมูล (storage format)          dct:format of the dumps
data_category              หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ          dct:accessRights
license_id                 สัญญาอนุญาต (licence)                         dct:license
data_language              ภาษาที่ใช้ (languages)                       dct:language
maintainer(_email)         ผู้ติดต่อ / อีเมลผู้ติดต่อ (contact)          dcat:contactPoint
created_date,              วันที่เริ่มต้นสร้าง / ปรับปรุงล่าสุด            dct:issued / dct:modified
last_updated_date
=========================  ==========================================  =========================

Two profiles, because the tag rules differ:

* ``data.go.th`` (default): the fields above; the editors' Thai keywords (as
  written, even where the catalog publishes romanisations) and the other
  keywords are tags.
  Stock CKAN checks a tag with ``re.compile(r'[\w \-.]*$').match(tag)``
  (``tag_name_validator``, 2 to 100 characters), and Python's ``\w`` does
  not match Thai vowel and tone marks (category Mn: ั ิ ี ุ ู ็ ่ ้ ๊ ๋ ์), so
  ``แผนยุทธศาสตร์`` fails there. ckanext-thai_gdc registers its own
  ``tag_name_validator`` (``IValidators``) that calls
  ``tagname_match.match(value, re.U)``: ``re.U`` (32) lands in ``match``'s
  *pos* argument, so only characters from the 33rd on are checked and Thai
  tags of up to 32 characters pass. :func:`tag_problem` applies that rule.
* ``ckan`` (stock CKAN 2.9+): core fields only (``license_id`` from CKAN's
  licence list); ``tags`` holds the catalog's keywords CKAN's rule accepts (the
  English ones, an acronym with a full stop, the RTGS romanisations the catalog publishes under
  ``[dataset] tag_rule = "ckan"``); the editors' Thai keywords go into the
  extra ``keywords_th``, which
  stock CKAN stores as free text.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from codikg.graph.catalog import DCAT_VERSION, EU, VCARD
from codikg.config.catalog import CatalogSettings
from codikg.graph.tags import tag_problem
from codikg.namespaces import SPDX

__all__ = ["ckan_package", "missing_fields", "tag_problem"]

#: EU frequency code → (update_frequency_unit, update_frequency_unit_other).
FREQUENCY = {"ANNUAL": ("ปี", ""), "QUARTERLY": ("ไตรมาส", ""), "MONTHLY": ("เดือน", ""),
             "NEVER": ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", ""), "UNKNOWN": ("ไม่ทราบ", ""),
             "IRREG": ("อื่นๆ", "ไม่สม่ำเสมอ (เมื่อมีการคัดสรรข้อมูลเพิ่มเติม)")}
#: EU language code → data_language choice.
LANGUAGE = {"THA": "ไทย", "ENG": "อังกฤษ"}
#: Licence IRI → license_id choice.
LICENCE = {"http://creativecommons.org/licenses/by/4.0/": "Creative Commons Attributions",
           "https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attributions"}
#: EU access-right code → data_category choice.
CATEGORY = {"PUBLIC": "ข้อมูลสาธารณะ"}
#: Licence IRI → stock CKAN licence id (ckan/model/license.py).
CKAN_LICENCE = {"http://creativecommons.org/licenses/by/4.0/": "cc-by",
                "https://creativecommons.org/licenses/by/4.0/": "cc-by"}
PROFILES = ("data.go.th", "ckan")
#: Fields each profile's portal requires (thai_gdc's ckan_dataset.json: "required": true).
REQUIRED = {
    "data.go.th": ("data_type", "title", "maintainer", "maintainer_email", "tags", "notes", "objective",
                   "update_frequency_unit", "geo_coverage", "data_source", "data_format",
                   "data_category", "license_id"),
    "ckan": ("name", "title"),
}
_CORE_FIELDS = ("name", "title", "notes", "owner_org", "url", "version", "tags", "license_id",
                "maintainer", "maintainer_email", "resources")


def _text(graph: Graph, node, prop, lang: str) -> str:
    return next((str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == lang), "")


def _code(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def ckan_package(catalog: Graph, dataset: URIRef, settings: CatalogSettings,
                 url=lambda iri: iri, profile: str = "data.go.th") -> dict:
    """The ``package_create`` dict for ``dataset``.

    Args:
        catalog: the catalog graph of a release.
        dataset: the ``dcat:Dataset`` IRI.
        settings: catalog.toml (for the ``[ckan]`` fields and the CKAN name).
        url: maps base IRIs to the URLs a portal should link to.
        profile: ``data.go.th`` (ckanext-thai_gdc fields) or ``ckan`` (stock CKAN).

    Returns:
        A JSON-ready dict. Empty required fields (e.g. ``maintainer_email``
        when catalog.toml has no contact e-mail) are left out; see
        :func:`missing_fields`.

    Raises:
        LookupError: if ``dataset`` is not in the catalog, or a licence,
            frequency or access right has no data.go.th equivalent.
        ValueError: an unknown profile, or (``data.go.th``) a keyword that
            portal's tag validator rejects.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown CKAN profile {profile!r} (known: {', '.join(PROFILES)})")
    g = catalog
    if (dataset, RDF.type, DCAT.Dataset) not in g:
        raise LookupError(f"{dataset} is not a dcat:Dataset in the catalog graph")
    ck = settings.ckan
    frequency = _code(g.value(dataset, DCTERMS.accrualPeriodicity))
    licence = str(g.value(dataset, DCTERMS.license) or
                  next(g.value(d, DCTERMS.license) for d in g.objects(dataset, DCAT.distribution)))
    access = _code(g.value(dataset, DCTERMS.accessRights))
    for value, table, what in ((frequency, FREQUENCY, "frequency"), (licence, LICENCE, "licence"),
                               (access, CATEGORY, "access right")):
        if value not in table:
            raise LookupError(f"{what} {value!r} has no data.go.th equivalent (known: {', '.join(table)})")
    contact = g.value(dataset, DCAT.contactPoint)
    email = str(g.value(contact, VCARD.hasEmail) or "").removeprefix("mailto:")
    publisher = g.value(dataset, DCTERMS.publisher)
    spatial = [str(s) for s in g.objects(dataset, DCTERMS.spatial)]
    catalog_node = next(iter(g.subjects(DCAT.dataset, dataset)), None)
    modified = g.value(dataset, DCTERMS.modified)
    issued = g.value(catalog_node, DCTERMS.issued) if catalog_node is not None else None
    keywords = sorted(g.objects(dataset, DCAT.keyword), key=str)
    thai = list(settings.dataset["keywords_th"])  # as written: the graph may hold romanisations
    package = {
        "name": settings.dataset["slug"],
        "title": _text(g, dataset, DCTERMS.title, "th"),
        "notes": "\n\n".join(filter(None, (_text(g, dataset, DCTERMS.description, "th"),
                                           _text(g, dataset, DCTERMS.title, "en") + ". " +
                                           _text(g, dataset, DCTERMS.description, "en")))),
        "owner_org": ck.get("owner_org", settings.agency.slug),
        "url": url(str(g.value(dataset, DCAT.landingPage) or dataset)),
        "version": str(g.value(dataset, DCAT_VERSION) or ""),
        "tags": [{"name": k} for k in _tags(keywords, thai, profile)],
        "data_type": ck.get("data_type", "ข้อมูลประเภทอื่นๆ"),
        "data_type_other": ck.get("data_type_other", ""),
        "objective": list(ck.get("objective", ["พันธกิจหน่วยงาน"])),
        "update_frequency_unit": FREQUENCY[frequency][0],
        "update_frequency_unit_other": FREQUENCY[frequency][1],
        "geo_coverage": "ประเทศ" if any(s.startswith(f"{EU}country/") for s in spatial) else "อื่นๆ",
        "data_source": f"{_text(g, publisher, FOAF.name, 'th')} — แผนยุทธศาสตร์ "
                       f"(เอกสารต้นฉบับ {url(str(g.value(dataset, FOAF.primaryTopic)))}/source)",
        "data_format": ["RDF"],
        "data_category": CATEGORY[access],
        "license_id": LICENCE[licence],
        "data_language": [LANGUAGE[_code(lang)] for lang in sorted(g.objects(dataset, DCTERMS.language),
                                                                    key=str) if _code(lang) in LANGUAGE],
        "maintainer": _text(g, contact, VCARD.fn, "th"),
        "maintainer_email": email,
        "created_date": str(issued or modified or ""),
        "last_updated_date": str(modified or ""),
        "allow_harvest": "True",
        "resources": [_resource(g, dist, url) for dist in sorted(g.objects(dataset, DCAT.distribution), key=str)],
    }
    if profile == "ckan":
        package = {k: package[k] for k in _CORE_FIELDS if k in package}
        package["license_id"] = CKAN_LICENCE.get(licence, licence)
        package["extras"] = [{"key": "keywords_th", "value": ", ".join(sorted(thai))}] if thai else []
    return {k: v for k, v in package.items() if v not in ("", [], None)}


def _tags(keywords: list, thai: list[str], profile: str) -> list[str]:
    """The tags for the profile's portal (see the module docstring): stock CKAN gets the
    catalog's keywords its rule accepts (those ckanext-dcat would harvest); data.go.th
    the editors' Thai keywords as written and the catalog's other keywords."""
    if profile == "ckan":
        return [str(k) for k in keywords if tag_problem(str(k), "ckan") is None]
    words = sorted({*thai, *(str(k) for k in keywords
                             if getattr(k, "language", None) not in ("th", "th-Latn"))})
    for word in words:
        problem = tag_problem(word, profile)
        if problem:
            raise ValueError(f"keyword {word!r} (data/catalog.toml) would be rejected as a "
                             f"{profile} tag: {problem}")
    return words


def _resource(g: Graph, dist, url) -> dict:
    download = g.value(dist, DCAT.downloadURL)
    media = str(g.value(dist, DCAT.mediaType) or "").split("/media-types/", 1)[-1]
    packed = g.value(dist, DCAT.compressFormat) is not None
    resource = {
        "name": _text(g, dist, DCTERMS.title, "th"),
        "description": _text(g, dist, DCTERMS.description, "en"),
        "url": url(str(download or g.value(dist, DCAT.accessURL))),
        "format": _text(g, g.value(dist, DCTERMS.format), SKOS.prefLabel, "en") + (" (gzip)" if packed else ""),
        "mimetype": "application/gzip" if packed else media,
        "mimetype_inner": media if packed else "",
        "uri": str(dist),
    }
    size = g.value(dist, DCAT.byteSize)
    if size is not None:
        resource["size"] = int(size)
    checksum = g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)
    if checksum:
        resource["hash"] = f"sha256:{checksum}"
    return {k: v for k, v in resource.items() if v not in ("", None)}




def missing_fields(package: dict, profile: str = "data.go.th") -> list[str]:
    """Fields the profile's portal requires that ``package`` lacks (e.g.
    ``maintainer_email`` for data.go.th)."""
    return [field for field in REQUIRED[profile] if not package.get(field)]
