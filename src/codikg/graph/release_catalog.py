"""Glue between a build and its catalog: the DCAT-AP catalog plus the VoID
description of a release (a dataset per plan), as the graph ``{base}graph/catalog``."""

from __future__ import annotations

import logging
from typing import Callable

from rdflib import Dataset, Graph

from codikg.config.catalog import CatalogSettingsError, load_catalog_settings
from codikg.config.errors import BuildError
from codikg.config.plan import PlanConfig, load_plans
from codikg.config.settings import Settings
from codikg.graph.catalog import CatalogIRIs, PlanCatalog, plans_catalog_graph
from codikg.graph.curated import CuratedMetadataError, is_curated, latest_curation_date, plan_period
from codikg.graph.iris import PLAN_GRAPHS, PlanIRIs
from codikg.graph.void import void_graph

log = logging.getLogger(__name__)


def plan_catalog_iris(settings: Settings, plan: PlanConfig) -> CatalogIRIs:
    """The catalog IRIs of ``plan``'s dataset (``{plan}/dataset``, its distributions)."""
    return CatalogIRIs(settings.base_iri, PlanIRIs(settings.base_iri, plan.agency, plan.fiscal_year_be),
                       settings.public_url)


def _settings(settings: Settings, plan: PlanConfig):
    try:
        return load_catalog_settings(settings.data_dir, plan)
    except CatalogSettingsError as exc:
        raise BuildError(str(exc)) from None


def catalog_iris(settings: Settings, plan: PlanConfig | None = None) -> CatalogIRIs:
    """The catalog IRIs of ``plan`` (default: the only plan).

    Raises:
        codikg.config.errors.BuildError: if a plan.toml is unusable, or no
            plan is named while there are several.
    """
    if plan is None:
        plans = load_plans(settings.data_dir)
        if len(plans) != 1:
            raise BuildError(f"{len(plans)} plans: name one ({', '.join(p.key for p in plans)})")
        plan = plans[0]
    return plan_catalog_iris(settings, plan)


def release_describer(settings: Settings, dataset: Dataset,
                      plans: tuple[PlanConfig, ...]) -> Callable[[str, dict], Graph]:
    """A function ``(release_id, dumps) -> Graph`` that builds the catalog graph
    (DCAT-AP catalog + a VoID dataset per plan), named ``{base}graph/catalog``.

    The settings and the curated plan metadata (period, editors' dates) are
    read now from each plan's curation graph in ``dataset``, so a bad
    ``catalog.toml`` or a missing period stops the build before anything is written. What catalog.toml
    leaves empty that portals want (the contact e-mail) is logged as a warning.

    Raises:
        codikg.config.errors.BuildError: naming the bad file and key.
    """
    entries = []
    for plan in plans:
        cat, iris = _settings(settings, plan), plan_catalog_iris(settings, plan)
        for warning in cat.warnings:
            log.warning("%s: %s", plan.folder, warning)
        curation = dataset.graph(iris.plan.graph("curation"))
        try:  # a plan without a curated period is published (a SHACL warning says so)
            period = plan_period(curation, iris.plan.plan) if is_curated(curation, iris.plan.plan) else None
        except CuratedMetadataError as exc:
            raise BuildError(str(exc)) from None
        modified = max([*cat.dates, *filter(None, [latest_curation_date(curation)])], default=None)
        if modified is None:
            raise BuildError(f"{plan.folder / 'catalog.toml'}: no date to use as dct:modified: "
                             "set [dataset] modified or data/catalog.toml's [catalog] issued (YYYY-MM-DD)")
        entries.append(PlanCatalog(cat, iris, period, modified))
    wanted = entries[0].settings.catalog.get("publisher")
    publisher = next((e for e in entries if e.settings.agency.slug == wanted), entries[0])

    def describe(release: str, dumps: dict) -> Graph:
        try:
            dcat = plans_catalog_graph(entries, publisher, release, dumps)
        except ValueError as exc:
            raise BuildError(f"{settings.data_dir / 'catalog.toml'} or a plan's catalog.toml: {exc}") from None
        graph = Graph(identifier=publisher.iris.graph)
        for prefix, namespace in dcat.namespaces():
            graph.bind(prefix, namespace)
        graph += dcat
        for entry in entries:
            graph += void_graph(dataset, entry.iris, release,
                                {entry.iris.plan.graph(name) for name in PLAN_GRAPHS})
        return graph

    return describe
