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


def check_files(release_dir: Path) -> list[str]:
    """Compare each file of a release with the SHA-256 its ``manifest.json`` records.

    Every file is checked where the manifest lists its SHA-256 under ``sha256``
    (releases written before that list only the dumps': those are checked, with
    their sizes).

    Returns:
        one line per damaged file, naming it with the expected and the actual
        SHA-256 (or saying it is missing or unreadable); an empty list when
        every file matches.

    Raises:
        FileNotFoundError: if the folder holds no ``manifest.json``.
        codikg.release.reader.DamagedRelease: if ``manifest.json`` is not a manifest.
    """
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    if manifest is None:
        raise FileNotFoundError(f"{release_dir}: no {MANIFEST} (run 'codikg build')")
    expected = {name: dump["sha256"] for name, dump in manifest.get("dumps", {}).items() if dump.get("sha256")}
    expected.update(manifest.get("sha256", {}))
    problems = []
    for name, sha256 in sorted(expected.items()):
        path = release_dir / name
        try:
            with path.open("rb") as stream:
                actual = hashlib.file_digest(stream, "sha256").hexdigest()
        except FileNotFoundError:
            problems.append(f"{path}: damaged release: listed in {MANIFEST} but missing")
            continue
        except OSError as exc:
            problems.append(f"{path}: cannot be read to check it: {exc.strerror or exc}")
            continue
        if actual != sha256:
            problems.append(f"{path}: damaged release: SHA-256 {actual}, {MANIFEST} says {sha256}")
    return problems
