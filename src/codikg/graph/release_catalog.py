"""Glue between a build and its catalog: the DCAT-AP catalog plus the VoID
description of a release, as the graph ``{base}graph/catalog``."""

from __future__ import annotations

import logging
from typing import Callable

from rdflib import Dataset, Graph

from codikg.graph.catalog import CatalogIRIs, catalog_graph
from codikg.config.errors import BuildError
from codikg.config.catalog import CatalogSettingsError, load_catalog_settings
from codikg.graph.curated import CuratedMetadataError, latest_curation_date, plan_period
from codikg.graph.iris import PlanIRIs
from codikg.graph.void import void_graph
from codikg.config.settings import Settings

log = logging.getLogger(__name__)


def _load(settings: Settings):
    try:
        cat = load_catalog_settings(settings.data_dir)
    except CatalogSettingsError as exc:
        raise BuildError(str(exc)) from None
    return cat, CatalogIRIs(settings.base_iri, PlanIRIs(settings.base_iri, cat.agency.slug,
                                                        cat.fiscal_year_be), settings.public_url)


def catalog_iris(settings: Settings) -> CatalogIRIs:
    """The catalog IRIs for the plan configured in ``settings.data_dir``.

    Raises:
        codikg.config.errors.BuildError: if plan.toml or catalog.toml is unusable.
    """
    return _load(settings)[1]


def release_describer(settings: Settings, dataset: Dataset) -> Callable[[str, dict], Graph]:
    """A function ``(release_id, dumps) -> Graph`` that builds the catalog graph
    (DCAT-AP catalog + VoID), named ``{base}graph/catalog``.

    The settings and the curated plan metadata (period, editors' dates) are
    read now from ``dataset``'s curation graph, so a bad ``catalog.toml`` or a
    missing period stops the build before anything is written. What catalog.toml
    leaves empty that portals want (the contact e-mail) is logged as a warning.

    Raises:
        codikg.config.errors.BuildError: naming the bad file and key.
    """
    cat, iris = _load(settings)
    for warning in cat.warnings:
        log.warning(warning)
    curation = dataset.graph(iris.plan.graph("curation"))
    try:
        period = plan_period(curation, iris.plan.plan)
    except CuratedMetadataError as exc:
        raise BuildError(str(exc)) from None
    modified = max([*cat.dates, *filter(None, [latest_curation_date(curation)])], default=None)
    if modified is None:
        raise BuildError(f"{settings.data_dir / 'catalog.toml'}: no date to use as dct:modified: "
                         "set [catalog] issued or [dataset] modified (YYYY-MM-DD)")

    def describe(release: str, dumps: dict) -> Graph:
        try:
            dcat = catalog_graph(cat, iris, release, dumps, period, modified)
        except ValueError as exc:
            raise BuildError(f"{settings.data_dir / 'catalog.toml'}: {exc}") from None
        graph = Graph(identifier=iris.graph)
        for prefix, namespace in dcat.namespaces():
            graph.bind(prefix, namespace)
        graph += dcat
        graph += void_graph(dataset, iris, release)
        return graph

    return describe
