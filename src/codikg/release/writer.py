"""Write a release folder atomically: dumps, search index, catalog, vocabulary files, manifest.

Everything is written into a temporary folder beside the target and renamed into
place, so a failed build never leaves a half-written release behind. A build
holds a lock on its temporary folder while it writes, so the next build can tell
the folders of killed builds (unlocked) from those of running ones and removes them.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from rdflib import Dataset, Graph

from codikg.config.errors import BuildError
from codikg.graph.dumps import (DUMP_FORMATS, GZIP_MEDIA_TYPE, PLAN_DUMP_FORMATS, DumpFormat, graph_dataset,
                                plan_dump_filename, serialize)
from codikg.namespaces import PREFIXES
from codikg.release.layout import CATALOG_FILE, INDEX_FILE, MANIFEST
from codikg.search.index import build_index, write_index


def _entry(name: str, data: bytes, media_type: str, fmt: DumpFormat, gz: bool) -> dict:
    return {"file": name, "format": fmt.key, "media_type": media_type,
            "content_media_type": fmt.media_type, "gzip": gz,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def write_dumps(dataset: Dataset, union: Graph, folder: Path) -> dict[str, dict]:
    """Write every format and its gzip twin into ``folder``.

    Args:
        dataset: the release's named graphs (without the catalog graph).
        union: all their triples in one graph.
        folder: an existing, empty folder.

    Returns:
        file name → ``{"file", "format", "media_type", "content_media_type",
        "gzip", "bytes", "sha256"}`` where ``media_type`` is what the file is
        served as (``application/gzip`` for ``.gz``) and ``content_media_type``
        the RDF type inside.

    Raises:
        OSError: if a file cannot be written.
    """
    entries: dict[str, dict] = {}
    for fmt in DUMP_FORMATS:
        data = serialize(fmt, dataset, union)
        (folder / fmt.filename).write_bytes(data)
        entries[fmt.filename] = _entry(fmt.filename, data, fmt.media_type, fmt, False)
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        (folder / fmt.gz_filename).write_bytes(packed)
        entries[fmt.gz_filename] = _entry(fmt.gz_filename, packed, GZIP_MEDIA_TYPE, fmt, True)
    return entries


def write_plan_dumps(dataset: Dataset, plans: dict[str, list[str]], folder: Path) -> dict[str, dict]:
    """Write each plan's own dumps (:data:`PLAN_DUMP_FORMATS`, gzip twins) into ``folder``.

    Args:
        plans: plan key (``agency/fy``) → the IRIs of its named graphs.

    Returns:
        file name → entry as :func:`write_dumps`, plus ``"plan"``: the plan key.
    """
    entries: dict[str, dict] = {}
    names = {str(g.identifier): g for g in dataset.graphs()}
    for plan, graphs in sorted(plans.items()):
        part = Dataset()
        for prefix, namespace in PREFIXES.items():
            part.bind(prefix, namespace)
        for iri in graphs:
            if iri in names:
                target = part.graph(names[iri].identifier)
                target += names[iri]
        union = union_graph(part)
        for fmt in PLAN_DUMP_FORMATS:
            data = serialize(fmt, part, union)
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            for name, body, media, gz in ((plan_dump_filename(plan, fmt), data, fmt.media_type, False),
                                          (plan_dump_filename(plan, fmt, True), packed, GZIP_MEDIA_TYPE, True)):
                (folder / name).write_bytes(body)
                entries[name] = {**_entry(name, body, media, fmt, gz), "plan": plan}
    return entries


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def write_release(dataset: Dataset, out_dir: Path, fingerprint: str,
                  describe: Callable[[str, dict], Graph] | None = None,
                  extra_files: dict[str, bytes] | None = None, validation: dict | None = None,
                  plans: dict[str, list[str]] | None = None,
                  documents: dict[str, dict] | None = None) -> dict:
    """Write the dumps and manifest of ``dataset`` into ``out_dir`` atomically.

    Args:
        dataset: the named graphs to dump.
        out_dir: the release folder (replaced as a whole).
        fingerprint: :func:`input_fingerprint` of the inputs.
        describe: ``(release_id, dumps) -> Graph`` building the catalog graph
            from the written dumps (see :func:`codikg.graph.release_catalog.release_describer`);
            ``None`` writes no catalog.
        extra_files: further files to publish, name → bytes (the vocabulary files);
            listed in the manifest under ``vocabulary``.
        validation: a summary of the SHACL validation, recorded in the manifest.
        plans: plan key → its graphs' IRIs; each plan's own dumps are written and
            listed with the others under ``dumps`` (with their ``plan``).
        documents: further downloads listed with the dumps (and so in the
            catalog), name → ``{"data": bytes, "format", "media_type", "plan"}``
            (the plans' StratML documents).

    Returns:
        The manifest: ``release`` (id), ``graphs`` (dumped graph IRI → triples),
        ``union_triples``, ``files`` (name → bytes), ``dumps`` (name → size,
        SHA-256, media types), ``catalog`` (graph IRI, triples, file) and
        ``fingerprint``.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    lock = _lock(tmp)
    try:
        union = union_graph(dataset)
        release = fingerprint[:16]
        dumps = write_dumps(dataset, union, tmp)
        dumps.update(write_plan_dumps(dataset, plans or {}, tmp))
        for name, document in (documents or {}).items():
            (tmp / name).write_bytes(document["data"])
            dumps[name] = {"file": name, "format": document["format"], "plan": document["plan"],
                           "media_type": document["media_type"],
                           "content_media_type": document["media_type"], "gzip": False,
                           "bytes": len(document["data"]),
                           "sha256": hashlib.sha256(document["data"]).hexdigest()}
        write_index(build_index(dataset), tmp / INDEX_FILE)
        manifest = {
            "release": release,
            "fingerprint": fingerprint,
            "graphs": {str(g.identifier): len(g) for g in dataset.graphs() if len(g)},
            "union_triples": len(union),
            "dumps": dumps,
        }
        for name, content in (extra_files or {}).items():
            (tmp / name).write_bytes(content)
            manifest.setdefault("vocabulary", {})[name] = len(content)
        if validation is not None:
            manifest["validation"] = validation
        if describe is not None:
            catalog = describe(release, dumps)
            graph_dataset(catalog, catalog.namespaces()).serialize(tmp / CATALOG_FILE, format="trig")
            manifest["catalog"] = {"graph": str(catalog.identifier), "triples": len(catalog),
                                   "file": CATALOG_FILE}
        manifest["files"] = {p.name: p.stat().st_size for p in sorted(tmp.iterdir())}
        manifest["sha256"] = {p.name: _sha256(p) for p in sorted(tmp.iterdir())}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
        _replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(lock)
    return manifest


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _lock(folder: Path) -> int:
    """Hold an exclusive ``flock`` on ``folder`` until the returned descriptor is closed
    (the kernel releases it when the process dies, however it dies)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def remove_abandoned(out_dir: Path) -> list[Path]:
    """Remove the temporary folders that killed builds of ``out_dir`` left beside it.

    Those are ``.{name}-XXXXXXXX`` (a build's temporary folder) and
    ``.{name}-old-PID`` (a replaced release not yet removed), where nobody holds
    the lock a writing build holds; a running build's folder and serving
    snapshots (:mod:`codikg.release.snapshot`) are left alone.

    Returns:
        the folders removed.
    """
    out_dir = Path(out_dir)
    pattern = re.compile(re.escape(f".{out_dir.name}-") + r"(?:[a-z0-9_]{8}|old-\d+)")
    removed = []
    for folder in sorted(out_dir.parent.glob(f".{out_dir.name}-*")):
        if not pattern.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:  # gone meanwhile, or not ours to read
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a build is writing it
            os.close(fd)
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed


def check_replaceable(target: Path) -> None:
    """Check that a release may be written to the folder ``target``: it is absent, empty
    or a codikg release (it has a manifest).

    Raises:
        BuildError: ``target`` is a file, or a folder holding other things (``/etc``).
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise BuildError(f"{target}: not a folder; choose a new or empty folder for the release")
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise BuildError(f"{target}: not empty and not a codikg release (no {MANIFEST}); "
                         "refusing to replace it: choose a new or empty folder")


def _replace_dir(new: Path, target: Path) -> None:
    check_replaceable(target)  # again: the folder may have changed while building
    new.chmod(0o755)  # mkdtemp makes it private; a release is for serving
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)  # if left, the next build removes it
    else:
        new.rename(target)
