"""Settings read from the environment, and where the project's files live.

``CODIKG_BASE_IRI`` (default ``https://w3id.org/codikg/``) is the namespace of
every IRI the build mints; ``CODIKG_HOME`` is the folder holding ``data/``,
``ontology/`` and ``queries/`` (default: the source checkout this package is
installed from).

``CODIKG_PUBLIC_URL`` (default: the base IRI) is where the deployment is
reachable on the Web. Data IRIs always stay under the base (docs/DESIGN.md); the
catalog's download, access and endpoint URLs (``dcat:downloadURL``,
``dcat:accessURL``, ``dcat:endpointURL``, VoID ``void:dataDump`` /
``void:sparqlEndpoint``) and the CKAN payload's URLs use the public URL, so
a local or agency deployment without the w3id.org redirect still links to
files that exist. It is read at build time (it is part of the release).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/codikg/"
DEFAULT_SITE_NAME = {"th": "แผนยุทธศาสตร์แบบข้อมูลเชื่อมโยง", "en": "Strategic plans as linked data"}


@dataclass(frozen=True)
class Settings:
    """Resolved settings.

    Attributes:
        base_iri: namespace of all minted IRIs; always ends with ``/``.
        home: project folder with ``data/``, ``ontology/`` and ``queries/``.
        public_url: where the deployment is reachable (ends with ``/``);
            the base IRI unless ``CODIKG_PUBLIC_URL`` says otherwise.
        site_name_th, site_name_en: the site's own name in its pages
            (``CODIKG_SITE_NAME_TH``, ``CODIKG_SITE_NAME_EN``): a deployment's
            choice, never an agency's name in the code.
    """

    base_iri: str
    home: Path
    public_url: str = ""
    site_name_th: str = DEFAULT_SITE_NAME["th"]
    site_name_en: str = DEFAULT_SITE_NAME["en"]

    def __post_init__(self):
        if not self.public_url:
            object.__setattr__(self, "public_url", self.base_iri)

    def public(self, iri: str) -> str:
        """``iri`` under the base moved to the public URL (other IRIs unchanged)."""
        if iri.startswith(self.base_iri):
            return self.public_url + iri[len(self.base_iri):]
        return iri

    @property
    def data_dir(self) -> Path:
        """``{home}/data``: the plan document, plan.toml, catalog.toml, curation."""
        return self.home / "data"

    @property
    def ontology_dir(self) -> Path:
        """``{home}/ontology``: the vocabulary and the SHACL shapes (Turtle)."""
        return self.home / "ontology"

    @property
    def queries_dir(self) -> Path:
        """``{home}/queries``: the documented example queries (``*.rq``)."""
        return self.home / "queries"

    @property
    def release_dir(self) -> Path:
        """``{home}/release``: where ``codikg build`` writes the release by default."""
        return self.home / "release"


def load_settings() -> Settings:
    """Read settings from the environment.

    Raises:
        ValueError: if ``CODIKG_BASE_IRI`` or ``CODIKG_PUBLIC_URL`` is not an
            absolute http(s) IRI ending in ``/``.
    """
    base = os.environ.get("CODIKG_BASE_IRI", DEFAULT_BASE_IRI)
    public = os.environ.get("CODIKG_PUBLIC_URL", "").strip() or base
    for name, value in (("CODIKG_BASE_IRI", base), ("CODIKG_PUBLIC_URL", public)):
        if not value.startswith(("http://", "https://")) or not value.endswith("/"):
            raise ValueError(f"{name} must be an http(s) IRI ending in '/': {value!r}")
    home = Path(os.environ.get("CODIKG_HOME", Path(__file__).resolve().parents[3]))
    names = {lang: os.environ.get(f"CODIKG_SITE_NAME_{lang.upper()}", "").strip() or DEFAULT_SITE_NAME[lang]
             for lang in ("th", "en")}
    return Settings(base, home, public, names["th"], names["en"])
