"""On-disk stores: a release loaded once into a RocksDB-backed pyoxigraph store.

``codikg load`` writes one (:func:`create_store`); ``codikg serve --disk-store``
opens it read-only in the app and in every query worker
(:meth:`codikg.store.EmbeddedStore.open_read_only`), so start-up does not
reload the data and the workers share the operating system's page cache
instead of holding one copy each. The store records the id of the release it
holds (``codikg-store.json``); serving it with another release is refused, so
no answer ever comes from a different release.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox

MARKER = "codikg-store.json"
_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES,
            ".ttl": ox.RdfFormat.TURTLE}


class DiskStoreError(Exception):
    """An on-disk store is missing, unreadable or holds another release."""


def _format(path: Path) -> ox.RdfFormat:
    try:
        return _FORMATS[path.suffix]
    except KeyError:
        raise DiskStoreError(f"{path}: unknown RDF file type {path.suffix!r}; "
                         f"use one of {', '.join(_FORMATS)}") from None


def create_store(path: str | Path, quad_files: list[Path], release: str,
                 union_files: list[Path] = ()) -> dict:
    """Load a release into a new on-disk store at ``path`` (which must not exist yet).

    Args:
        path: folder to create.
        quad_files: TriG or N-Quads files with the named graphs.
        release: the release id recorded in the store.
        union_files: N-Triples files holding the union of the named graphs,
            bulk-loaded into the default graph (native, fast). Without them
            the union is copied quad by quad from the named graphs (slower;
            fine for a real plan's few thousand triples).

    Returns:
        The marker written: ``release``, ``quads`` and ``seconds`` (wall-clock load time).

    Raises:
        DiskStoreError: ``path`` exists already, or a file has an unknown type.
        SyntaxError: a file does not parse (pyoxigraph names the position).
    """
    path = Path(path)
    if path.exists():
        raise DiskStoreError(f"{path}: already exists; remove it or choose another folder")
    started = time.perf_counter()
    store = ox.Store(str(path))
    for file in quad_files:
        store.bulk_load(path=str(file), format=_format(Path(file)))
    if union_files:
        for file in union_files:
            store.bulk_load(path=str(file), format=_format(Path(file)), to_graph=ox.DefaultGraph())
    else:
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                          for q in store.quads_for_pattern(None, None, None, None)
                          if not isinstance(q.graph_name, ox.DefaultGraph))
    store.optimize()
    marker = {"release": release, "quads": len(store), "seconds": round(time.perf_counter() - started, 3)}
    store.flush()
    del store
    (path / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    return marker


def store_marker(path: str | Path) -> dict:
    """The marker of the on-disk store at ``path``.

    Raises:
        DiskStoreError: no codikg store there (message names the folder).
    """
    try:
        return json.loads((Path(path) / MARKER).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        raise DiskStoreError(f"{path}: no codikg store here (create one with 'codikg load')") from None
    except json.JSONDecodeError as exc:
        raise DiskStoreError(f"{path / MARKER}: unreadable: {exc}") from None


def check_store(path: str | Path, release: str) -> dict:
    """The marker of the on-disk store at ``path``, if it holds ``release`` and opens.

    The store is opened read-only and asked for one quad, so that a damaged
    store (a missing or corrupt RocksDB file) is reported here, once, before
    any query worker tries to open it.

    Raises:
        DiskStoreError: no store, it holds another release, or RocksDB cannot read it.
    """
    marker = store_marker(path)
    if marker.get("release") != release:
        raise DiskStoreError(f"{path} holds release {marker.get('release')!r}, not {release!r}; "
                             "load the release again with 'codikg load'")
    try:
        store = ox.Store.read_only(str(path))
        next(iter(store.quads_for_pattern(None, None, None, None)), None)
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise DiskStoreError(f"{path}: the store cannot be read ({exc}); load the release again "
                             "with 'codikg load' into a new folder") from None
    del store
    return marker
