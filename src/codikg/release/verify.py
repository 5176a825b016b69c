"""Check a written release: its dumps against the manifest, its data against the shapes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Dataset, Graph

from codikg.release.layout import MANIFEST, TRIG_DUMP
from codikg.release.reader import read_manifest
from codikg.validate.shacl import ValidationReport, validate_dataset


def validate_release(release_dir: Path, shapes: Graph) -> ValidationReport:
    """Validate the release written in ``release_dir`` (its ``codikg.trig``).

    Raises:
        FileNotFoundError: if the folder holds no ``codikg.trig``.
    """
    trig = Path(release_dir) / TRIG_DUMP
    if not trig.is_file():
        raise FileNotFoundError(f"{release_dir}: no release here (no {TRIG_DUMP}; run 'codikg build')")
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return validate_dataset(dataset, shapes)


def check_dumps(release_dir: Path) -> list[str]:
    """Compare each dump of a release with the size and SHA-256 its ``manifest.json`` records.

    Returns:
        one message per problem (a missing file, a size or checksum that differs),
        naming the file; an empty list when every dump matches.

    Raises:
        FileNotFoundError: if the folder holds no ``manifest.json``.
    """
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    if manifest is None:
        raise FileNotFoundError(f"{release_dir}: no {MANIFEST} (run 'codikg build')")
    problems = []
    for name, dump in sorted(manifest.get("dumps", {}).items()):
        path = release_dir / dump.get("file", name)
        if not path.is_file():
            problems.append(f"{path}: listed in manifest.json but missing")
            continue
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        if "bytes" in dump and path.stat().st_size != dump["bytes"]:
            problems.append(f"{path}: {path.stat().st_size} bytes, manifest.json says {dump['bytes']}")
        if dump.get("sha256") and digest.hexdigest() != dump["sha256"]:
            problems.append(f"{path}: SHA-256 {digest.hexdigest()} differs from manifest.json ({dump['sha256']})")
    return problems
