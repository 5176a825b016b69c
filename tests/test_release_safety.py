"""Release safety: folders of killed builds removed, read-only releases served, damage reported in one line."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import httpx
import pytest
from typer.testing import CliRunner

from codikg.cli.main import app
from codikg.release.pipeline import build_release
from codikg.release.writer import remove_abandoned

from conftest import ROOT, serve

runner = CliRunner()


def _damage(folder, name: str) -> tuple[str, str]:
    """Change one byte of ``folder/name``; return its SHA-256 before and after."""
    path = folder / name
    data = bytearray(path.read_bytes())
    before = hashlib.sha256(data).hexdigest()
    data[len(data) // 2] ^= 0x01
    path.write_bytes(data)
    return before, hashlib.sha256(data).hexdigest()


@pytest.fixture
def copy(release, tmp_path):
    folder, _ = release
    shutil.copytree(folder, tmp_path / "copy")
    return tmp_path / "copy"


def test_every_file_of_a_release_has_its_sha256_in_the_manifest(release):
    folder, manifest = release
    assert sorted(manifest["sha256"]) == sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    assert manifest["sha256"]["codikg.trig"] == hashlib.sha256((folder / "codikg.trig").read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["codikg.trig", "catalog.trig", "search-index.json"])
def test_validate_reports_one_changed_byte_in_one_line(copy, name):
    expected, actual = _damage(copy, name)
    result = runner.invoke(app, ["validate", str(copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"error: {copy / name}: damaged release: SHA-256 {actual}, "
                             f"manifest.json says {expected}\n")


def test_a_manifest_that_is_not_json_is_one_line_too(copy):
    (copy / "manifest.json").write_text('{"release": ', encoding="utf-8")
    for command in (["validate", str(copy)], ["query", "ASK {}", "--release", str(copy)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, command
        assert result.stderr == (f"error: {copy / 'manifest.json'}: damaged release: not a manifest "
                                 "(Expecting value: line 1 column 13 (char 12))\n"), command


@pytest.mark.slow
def test_serve_refuses_a_damaged_release_in_one_line(copy):
    expected, actual = _damage(copy, "codikg.trig")
    done = subprocess.run([sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release", str(copy),
                           "--port", "1"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (f"error: {copy / 'codikg.trig'}: damaged release: SHA-256 {actual}, "
                           f"manifest.json says {expected}\n")


def test_next_build_removes_only_the_folders_of_dead_builds(tmp_path):
    out = tmp_path / "release"
    left = [tmp_path / ".release-k1l2m3n_", tmp_path / f".release-old-{os.getpid() + 100000}"]
    kept = [tmp_path / ".release-writing", tmp_path / f".release-serving-{os.getpid()}",
            tmp_path / ".release-notes-from-an-editor"]
    for folder in [*left, *kept]:
        folder.mkdir()
        (folder / "codikg.trig").write_text("x", encoding="utf-8")
    (tmp_path / ".release-writing").rename(writing := tmp_path / ".release-w2r1t1ng")
    kept[0] = writing
    fd = os.open(writing, os.O_RDONLY | os.O_DIRECTORY)  # as a running build holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_abandoned(out) == sorted(left)
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kept)


@pytest.mark.slow
def test_a_killed_build_leaves_a_folder_the_next_build_removes(tmp_path, settings):
    out = tmp_path / "release"
    proc = subprocess.Popen([sys.executable, "-m", "codikg.cli", "build", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not (left := list(tmp_path.glob(".release-*"))) and proc.poll() is None:
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(left) == 1 and len(left[0].name) == len(".release-") + 8, "the build ended before it wrote"
    assert left[0].is_dir()
    manifest = build_release(settings, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["release"] == manifest["release"]


def test_git_ignores_the_folders_builds_and_servers_leave():
    ignored = subprocess.run(["git", "check-ignore", "--no-index", ".release-k1l2m3n_/", ".release-old-12/",
                              ".release-serving-12/"], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == [".release-k1l2m3n_/", ".release-old-12/", ".release-serving-12/"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) for a read-only mount")
@pytest.mark.parametrize("writable_tmp", [True, False])
def test_serve_runs_from_a_read_only_release_folder(release, tmp_path, writable_tmp):
    folder, manifest = release
    volume = tmp_path / "volume"  # a read-only volume holding the release: nothing can be written beside it
    shutil.copytree(folder, volume / "release")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # without a writable temporary folder either: a read-only root file system, as in a locked-down container
    read_only_dirs = [str(volume)] if writable_tmp else [str(volume), "/tmp", "/var/tmp"]
    read_only = ("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                 'for d in "$@"; do [ "$d" = -- ] && break; mount --bind -o ro "$d" "$d" || exit 1; shift; done; '
                 'shift; cd "$0" && exec "$@"', str(volume), *read_only_dirs, "--")
    probe = subprocess.run([*read_only, "touch", str(volume / "release" / "x")], capture_output=True, text=True)
    assert probe.returncode == 1 and "Read-only file system" in probe.stderr
    with tempfile.TemporaryFile() as log:
        with serve(volume / "release", "--no-build", wrap=read_only, env={"TMPDIR": str(scratch)}, log=log) as url:
            answer = httpx.get(url + "/sparql", params={"query": "ASK { ?s a <https://w3id.org/codikg/ontology#Mission> }"},
                               headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert answer.status_code == 200 and answer.json()["boolean"] is True
            dump = httpx.get(f"{url}/dumps/{manifest['release']}/codikg.nt", timeout=30)
            assert dump.status_code == 200 and dump.content == (folder / "codikg.nt").read_bytes()
            # the snapshot went to the temporary folder, or (none writable) the release is served in place
            assert [p.name for p in scratch.iterdir()] == ([f".release-serving-{_server_pid(url)}"]
                                                           if writable_tmp else [])
        log.seek(0)
        in_place = (f"warning: {volume / 'release'}: no snapshot could be written (beside it or in the "
                    "temporary folder); serving the folder in place")
        assert (in_place in log.read().decode()) == (not writable_tmp)
    assert sorted(p.name for p in volume.iterdir()) == ["release"]
    assert list(scratch.iterdir()) == []  # a snapshot is removed when the server stops


def _server_pid(url: str) -> int:
    """The pid of the process listening on ``url``'s port (from /proc/net/tcp and the fds)."""
    port = int(url.rsplit(":", 1)[1])
    with open("/proc/net/tcp", encoding="ascii") as table:
        inodes = {line.split()[9] for line in table.readlines()[1:]
                  if int(line.split()[1].split(":")[1], 16) == port and line.split()[3] == "0A"}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if {f"socket:[{inode}]" for inode in inodes} & links:
            return int(pid)
    raise LookupError(f"nothing listens on port {port}")
