"""Settings read from the environment, and where the project's files live.

``CODIKG_BASE_IRI`` (default ``https://w3id.org/codikg/``) is the namespace of
every IRI the build mints; ``CODIKG_HOME`` is the folder holding ``data/``,
``ontology/`` and ``queries/`` (default: the source checkout this package is
installed from).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/codikg/"


@dataclass(frozen=True)
class Settings:
    """Resolved settings.

    Attributes:
        base_iri: namespace of all minted IRIs; always ends with ``/``.
        home: project folder with ``data/``, ``ontology/`` and ``queries/``.
    """

    base_iri: str
    home: Path

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def ontology_dir(self) -> Path:
        return self.home / "ontology"

    @property
    def queries_dir(self) -> Path:
        return self.home / "queries"

    @property
    def release_dir(self) -> Path:
        return self.home / "release"


def load_settings() -> Settings:
    """Read settings from the environment.

    Raises:
        ValueError: if ``CODIKG_BASE_IRI`` is not an absolute http(s) IRI
            ending in ``/``.
    """
    base = os.environ.get("CODIKG_BASE_IRI", DEFAULT_BASE_IRI)
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise ValueError(f"CODIKG_BASE_IRI must be an http(s) IRI ending in '/': {base!r}")
    home = Path(os.environ.get("CODIKG_HOME", Path(__file__).resolve().parents[2]))
    return Settings(base, home)
