"""The editors' description of the release: ``data/catalog.toml`` plus the
agency and plan period from ``data/plan.toml``.

Nothing here is read from the plan document; these are the catalog metadata
choices documented in ``docs/catalog.md``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from codikg.ingest.thai import fiscal_year_interval

CATALOG_FILE = "catalog.toml"


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
        fiscal_year_be, last_fiscal_year_be: the plan period, Buddhist Era.
        dataset, contact, catalog, ckan: the tables of catalog.toml as dicts
            (``ckan`` may be empty).
    """

    agency: Agency
    fiscal_year_be: int
    last_fiscal_year_be: int
    dataset: dict
    contact: dict
    catalog: dict
    ckan: dict

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """First and last day (CE) of the plan period: 1 Oct of the first fiscal
        year to 30 Sep of the last (Thai government fiscal years)."""
        return (fiscal_year_interval(self.fiscal_year_be)[0],
                fiscal_year_interval(self.last_fiscal_year_be)[1])


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

    The plan period ends with ``[plan] last_fiscal_year_be`` of plan.toml if
    set, else ``[dataset] last_fiscal_year_be`` of catalog.toml, else the first
    fiscal year.

    Raises:
        CatalogSettingsError: naming the file and the missing or bad key.
    """
    data_dir = Path(data_dir)
    plan_path, catalog_path = data_dir / "plan.toml", data_dir / CATALOG_FILE
    plan, cat = _read_toml(plan_path), _read_toml(catalog_path)
    for table, keys in _REQUIRED.items():
        missing = [k for k in keys if k not in cat.get(table, {})]
        if missing:
            raise CatalogSettingsError(f"{catalog_path}: [{table}] lacks {', '.join(missing)}")
    try:
        a, p = plan["agency"], plan["plan"]
        agency = Agency(p["agency"], a["name_th"], a["name_en"], a["acronym_th"], a["acronym_en"],
                        a["homepage"])
        first = int(p["fiscal_year_be"])
        last = int(p.get("last_fiscal_year_be", cat["dataset"].get("last_fiscal_year_be", first)))
    except (KeyError, ValueError, TypeError) as exc:
        raise CatalogSettingsError(f"{plan_path}: missing or bad key {exc}") from None
    if last < first:
        raise CatalogSettingsError(f"{catalog_path}: last_fiscal_year_be {last} is before "
                                   f"the plan's first fiscal year {first}")
    return CatalogSettings(agency, first, last, cat["dataset"], cat["contact"], cat["catalog"],
                           cat.get("ckan", {}))
