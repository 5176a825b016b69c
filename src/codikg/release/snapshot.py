"""The serving snapshot: a private, hard-linked copy of a release for one serving process."""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path


def snapshot_release(release_dir: Path) -> Path:
    """Hard-link the release's files into a private folder for one serving process.

    A build replaces the release folder by renaming; the snapshot keeps the
    served release's bytes until the process exits (then it is removed).
    Snapshots left by processes that died are removed first. Falls back to
    copying where hard links are not possible.

    Returns:
        the snapshot folder, beside ``release_dir``; ``release_dir`` itself if
        it already is this process's snapshot.

    Raises:
        OSError: the files cannot be linked or copied.
    """
    release_dir = Path(release_dir).resolve()
    if release_dir.name.startswith(".") and release_dir.name.endswith(f"-serving-{os.getpid()}"):
        return release_dir
    prefix = f".{release_dir.name}-serving-"
    for old in release_dir.parent.glob(prefix + "*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    snapshot = release_dir.parent / f"{prefix}{os.getpid()}"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(release_dir, snapshot, copy_function=_link_or_copy)
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
