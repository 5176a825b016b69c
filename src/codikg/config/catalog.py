"""The editors' description of the release: ``data/catalog.toml`` plus the
agency and first fiscal year from ``data/plan.toml``.

Nothing here is read from the plan document; these are the catalog metadata
choices documented in ``docs/catalog.md``. The plan period is not here: it is
curated in the curation graph (:mod:`codikg.graph.curated`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from codikg.config.errors import BuildError
from codikg.config.plan import PLAN_FILE, PlanConfig

CATALOG_FILE = "catalog.toml"
#: The portals whose tag rule ``[dataset] tag_rule`` may name (:mod:`codikg.graph.tags`):
#: stock CKAN (the default) and data.go.th (ckanext-thai_gdc).
TAG_RULES = ("ckan", "data.go.th")

class CatalogSettingsError(ValueError):
    """``data/catalog.toml`` or ``data/plan.toml`` is missing a key or malformed."""

@dataclass(frozen=True)
class Agency:
    """The publishing agency (``[agency]`` of plan.toml)."""

    slug: str
    name_th: str
    name_en: str
    acronym_th: str
    acronym_en: str
    homepage: str

@dataclass(frozen=True)
class CatalogSettings:
    """Everything the catalog, VoID and CKAN writers need besides the release itself.

    Attributes:
        agency: the publisher.
        fiscal_year_be: the plan's first fiscal year (Buddhist Era; in its IRIs).
        dataset, contact, catalog, ckan: the tables of catalog.toml as dicts
            (``ckan`` may be empty). ``dataset["title_th"]``/``["title_en"]``
            may hold ``{fiscal_years}``, filled from the curated period.
    """

    agency: Agency
    fiscal_year_be: int
    dataset: dict
    contact: dict
    catalog: dict
    ckan: dict

    @property
    def tag_rule(self) -> str:
        """The portal whose tag rule the keywords must pass (``[dataset] tag_rule``,
        one of :data:`TAG_RULES`; default ``ckan``)."""
        return self.dataset.get("tag_rule", TAG_RULES[0])

    @property
    def issued(self) -> dt.date | None:
        """``dct:issued`` of the dataset: ``[dataset] issued``, else ``[catalog] issued``."""
        return self.dataset.get("issued", self.catalog.get("issued"))

    @property
    def warnings(self) -> list[str]:
        """What a build should tell the editors: fields a harvesting portal wants that
        catalog.toml leaves empty (today: the contact e-mail, never invented)."""
        if self.contact.get("email"):
            return []
        return [f"{CATALOG_FILE}: [contact] email is empty, so the catalog's contact point has "
                "no vcard:hasEmail; CKAN shows no contact e-mail and data.go.th requires one"]

    @property
    def dates(self) -> list[dt.date]:
        """The dates catalog.toml states (``[catalog] issued``, ``[dataset] issued``,
        ``[dataset] modified``)."""
        out = []
        for table, key in (("catalog", "issued"), ("dataset", "issued"), ("dataset", "modified")):
            value = getattr(self, table).get(key)
            if value is not None:
                out.append(value)
        return out

_REQUIRED = {
    "dataset": ("slug", "title_th", "title_en", "description_th", "description_en", "keywords_th",
                "keywords_en", "themes", "frequency", "languages", "countries", "license",
                "license_title"),
    "contact": ("name_th", "name_en", "url"),
    "catalog": ("title_th", "title_en", "description_th", "description_en"),
}

def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogSettingsError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogSettingsError(f"{path}: not valid TOML: {exc}") from None

def load_catalog_settings(data_dir: Path) -> CatalogSettings:
    """Read ``data_dir/catalog.toml`` and ``data_dir/plan.toml``.

    Raises:
        CatalogSettingsError: naming the file and the missing or bad key.
    """
    data_dir = Path(data_dir)
    plan_path, catalog_path = data_dir / PLAN_FILE, data_dir / CATALOG_FILE
    try:
        plan = PlanConfig.load(data_dir)
    except BuildError as exc:
        raise CatalogSettingsError(str(exc)) from None
    cat = _read_toml(catalog_path)
    for table, keys in _REQUIRED.items():
        missing = [k for k in keys if k not in cat.get(table, {})]
        if missing:
            raise CatalogSettingsError(f"{catalog_path}: [{table}] lacks {', '.join(missing)}")
    try:
        a = plan.agency_names
        agency = Agency(plan.agency, a["name_th"], a["name_en"], a["acronym_th"], a["acronym_en"],
                        a["homepage"])
    except (KeyError, TypeError) as exc:
        raise CatalogSettingsError(f"{plan_path}: [agency] lacks or has a bad {exc}") from None
    first = plan.fiscal_year_be
    if "last_fiscal_year_be" in cat["dataset"]:
        raise CatalogSettingsError(
            f"{catalog_path}: [dataset] last_fiscal_year_be is no longer read: the plan period "
            "is curated in data/curation/plan-metadata.ttl (cdk:lastFiscalYear, dct:temporal)")
    if cat["dataset"].get("tag_rule", TAG_RULES[0]) not in TAG_RULES:
        raise CatalogSettingsError(f"{catalog_path}: [dataset] tag_rule must be one of "
                                   f"{', '.join(TAG_RULES)}, not {cat['dataset']['tag_rule']!r}")
    for table, key in (("catalog", "issued"), ("dataset", "issued"), ("dataset", "modified")):
        value = cat.get(table, {}).get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise CatalogSettingsError(f"{catalog_path}: [{table}] {key} must be a TOML date "
                                       f"(YYYY-MM-DD, no quotes), not {value!r}")
    return CatalogSettings(agency, first, cat["dataset"], cat["contact"], cat["catalog"],
                           cat.get("ckan", {}))
