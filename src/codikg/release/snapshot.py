"""The serving snapshot: a private, hard-linked copy of a release for one serving process."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path


def snapshot_release(release_dir: Path) -> Path:
    """Hard-link the release's files into a private folder for one serving process.

    A build replaces the release folder by renaming; the snapshot keeps the
    served release's bytes until the process exits (then it is removed).
    Snapshots left by processes that died are removed first. Falls back to
    copying where hard links are not possible.

    The snapshot goes beside ``release_dir``; where that folder cannot be
    written (a read-only volume, a release owned by another user) it goes into
    the temporary folder (:func:`tempfile.gettempdir`), and where that fails
    too the release is served in place: a build cannot replace a folder this
    process cannot write either, so its bytes stay as they are.

    Returns:
        the snapshot folder, or ``release_dir`` itself when it already is this
        process's snapshot or no snapshot could be written.
    """
    release_dir = Path(release_dir).resolve()
    if release_dir.name.startswith(".") and release_dir.name.endswith(f"-serving-{os.getpid()}"):
        return release_dir
    for parent in (lambda: release_dir.parent, tempfile.gettempdir):
        try:  # gettempdir raises when no temporary folder can be written
            return _snapshot_into(release_dir, Path(parent()))
        except OSError:
            continue
    return release_dir


def _snapshot_into(release_dir: Path, parent: Path) -> Path:
    prefix = f".{release_dir.name}-serving-"
    for old in parent.glob(prefix + "*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    snapshot = parent / f"{prefix}{os.getpid()}"
    shutil.rmtree(snapshot, ignore_errors=True)
    try:
        shutil.copytree(release_dir, snapshot, copy_function=_link_or_copy)
    except BaseException:
        shutil.rmtree(snapshot, ignore_errors=True)  # a part written before the failure
        raise
    atexit.register(shutil.rmtree, snapshot, ignore_errors=True)
    return snapshot


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
