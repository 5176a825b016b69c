"""Glue between a build and its catalog: the DCAT-AP catalog plus the VoID
description of a release, as the graph ``{base}graph/catalog``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rdflib import Dataset, Graph, URIRef

from codikg.build.catalog import CatalogIRIs, catalog_graph
from codikg.build.catalog_settings import CatalogSettingsError, load_catalog_settings
from codikg.build.iris import PlanIRIs
from codikg.build.void import void_graph
from codikg.settings import Settings


def _load(settings: Settings):
    from codikg.build.release import BuildError

    try:
        cat = load_catalog_settings(settings.data_dir)
    except CatalogSettingsError as exc:
        raise BuildError(str(exc)) from None
    return cat, CatalogIRIs(settings.base_iri, PlanIRIs(settings.base_iri, cat.agency.slug,
                                                        cat.fiscal_year_be))


def catalog_iris(settings: Settings) -> CatalogIRIs:
    """The catalog IRIs for the plan configured in ``settings.data_dir``.

    Raises:
        codikg.build.release.BuildError: if plan.toml or catalog.toml is unusable.
    """
    return _load(settings)[1]


def release_describer(settings: Settings, dataset: Dataset) -> Callable[[str, dict], Graph]:
    """A function ``(release_id, dumps) -> Graph`` that builds the catalog graph
    (DCAT-AP catalog + VoID), named ``{base}graph/catalog``.

    The settings are read now, so a bad ``catalog.toml`` stops the build before
    anything is written.

    Raises:
        codikg.build.release.BuildError: naming the bad file and key.
    """
    from codikg.build.release import BuildError

    cat, iris = _load(settings)

    def describe(release: str, dumps: dict) -> Graph:
        try:
            dcat = catalog_graph(cat, iris, release, dumps)
        except ValueError as exc:
            raise BuildError(f"{settings.data_dir / 'catalog.toml'}: {exc}") from None
        graph = Graph(identifier=iris.graph)
        for prefix, namespace in dcat.namespaces():
            graph.bind(prefix, namespace)
        graph += dcat
        graph += void_graph(dataset, iris, release)
        return graph

    return describe


def load_catalog(release_dir: Path, manifest: dict) -> Graph | None:
    """The catalog graph of a written release, or ``None`` if it has none.

    Raises:
        OSError, SyntaxError: if ``catalog.trig`` is missing or unreadable.
    """
    info = manifest.get("catalog")
    if not info:
        return None
    dataset = Dataset()
    dataset.parse(Path(release_dir) / info["file"], format="trig")
    graph = Graph(identifier=URIRef(info["graph"]))
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    graph += dataset.graph(URIRef(info["graph"]))
    return graph
