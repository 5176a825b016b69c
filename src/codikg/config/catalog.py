"""The editors' description of the release: the publisher-wide
``data/catalog.toml`` (``[catalog]``) plus, per plan, its folder's
``catalog.toml`` (``[dataset]``, ``[contact]``, ``[ckan]``) and the agency and
first fiscal year of its ``plan.toml``.

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
    """A ``catalog.toml`` or ``plan.toml`` is missing a key or malformed (the message names it)."""

@dataclass(frozen=True)
class Agency:
    """The publishing agency (``[agency]`` of plan.toml); only ``name_th`` is required,
    the other values are empty strings when not given."""

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
    "contact": ("name_th",),
    "catalog": ("title_th", "title_en", "description_th", "description_en"),
}

def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogSettingsError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogSettingsError(f"{path}: not valid TOML: {exc}") from None

def load_catalog_settings(data_dir: Path, plan: PlanConfig) -> CatalogSettings:
    """Read ``data_dir/catalog.toml`` (``[catalog]``) and ``plan``'s folder's
    ``catalog.toml`` (``[dataset]``, ``[contact]``, optional ``[ckan]``).

    Raises:
        CatalogSettingsError: naming the file and the missing or bad key.
    """
    catalog_path = Path(data_dir) / CATALOG_FILE
    plan_path = plan.folder / PLAN_FILE
    dataset_path = plan.folder / CATALOG_FILE
    publisher = _read_toml(catalog_path)
    cat = {**_read_toml(dataset_path), "catalog": publisher.get("catalog", {})}
    for table, keys in _REQUIRED.items():
        missing = [k for k in keys if k not in cat.get(table, {})]
        if missing:
            where = catalog_path if table == "catalog" else dataset_path
            raise CatalogSettingsError(f"{where}: [{table}] lacks {', '.join(missing)}")
    try:
        a = plan.agency_names
        agency = Agency(plan.agency, a["name_th"], a.get("name_en", ""), a.get("acronym_th", ""),
                        a.get("acronym_en", ""), a.get("homepage", ""))
    except (KeyError, TypeError) as exc:
        raise CatalogSettingsError(f"{plan_path}: [agency] lacks or has a bad {exc}") from None
    if "last_fiscal_year_be" in cat["dataset"]:
        raise CatalogSettingsError(
            f"{dataset_path}: [dataset] last_fiscal_year_be is no longer read: the plan period "
            "is curated in curation/plan-metadata.ttl (cdk:lastFiscalYear, dct:temporal)")
    if cat["dataset"].get("tag_rule", TAG_RULES[0]) not in TAG_RULES:
        raise CatalogSettingsError(f"{dataset_path}: [dataset] tag_rule must be one of "
                                   f"{', '.join(TAG_RULES)}, not {cat['dataset']['tag_rule']!r}")
    for table, key in (("catalog", "issued"), ("dataset", "issued"), ("dataset", "modified")):
        value = cat.get(table, {}).get(key)
        where = catalog_path if table == "catalog" else dataset_path
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise CatalogSettingsError(f"{where}: [{table}] {key} must be a TOML date "
                                       f"(YYYY-MM-DD, no quotes), not {value!r}")
    return CatalogSettings(agency, plan.fiscal_year_be, cat["dataset"], cat["contact"],
                           cat["catalog"], cat.get("ckan", {}))
