"""The files of a release folder, named once.

A release holds the dumps (:data:`DUMP_FILES`, each also gzipped), ``catalog.trig``
(the graph ``{base}graph/catalog``: DCAT-AP catalog and VoID, kept out of the
dumps because it lists their sizes and checksums), ``search-index.json``, the
vocabulary files, each plan as a StratML document (:func:`stratml_file`, listed
with the dumps) and ``manifest.json`` (triple counts, dump sizes and SHA-256,
input fingerprint, release id).
"""

from __future__ import annotations

from pathlib import Path

from codikg.graph.dumps import DUMP_FORMATS, STRATML_FORMAT

#: dump key (``trig``, ``nq``, ``jsonld``, ``ttl``, ``nt``) → file name.
DUMP_FILES = {fmt.key: fmt.filename for fmt in DUMP_FORMATS}
TRIG_DUMP = DUMP_FILES["trig"]
CATALOG_FILE = "catalog.trig"
MANIFEST = "manifest.json"
INDEX_FILE = "search-index.json"


def stratml_file(agency: str, fiscal_year_be: int) -> str:
    """File name of a plan's StratML Part 2 document: ``stratml-{agency}-{fy}.xml``."""
    return f"stratml-{agency}-{fiscal_year_be}.xml"


def store_files(release_dir: Path, manifest: dict) -> list[Path]:
    """The TriG files a store loads for this release: the dump and the catalog graph."""
    files = [Path(release_dir) / TRIG_DUMP]
    if manifest.get("catalog"):
        files.append(Path(release_dir) / manifest["catalog"].get("file", CATALOG_FILE))
    return files
