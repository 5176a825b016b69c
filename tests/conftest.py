"""Shared fixtures: the real plan document, a built release, a live server."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset

from codikg.release.pipeline import build_release, input_fingerprint
from codikg.ingest import parse_plan_file
from codikg.config.plan import PlanConfig
from codikg.config.settings import load_settings
from codikg.config.limits import Limits
from codikg.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
CODI_FOLDER = ROOT / "data" / "plans" / "codi" / "2552"
SOURCE = CODI_FOLDER / "source" / "codi-strategic-plan-2552.txt"
CODI_PLAN = PlanConfig.load(CODI_FOLDER)
BASE = "https://w3id.org/codikg/"
PLAN = BASE + "id/codi/plan/2552"
#: Third-party test suites and schemas, copied into the repository (tests/conformance/README.md).
CONFORMANCE = ROOT / "tests" / "conformance"


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def plan():
    return parse_plan_file(SOURCE)


@pytest.fixture(scope="session")
def dataset(release):
    """The release's TriG dump parsed by rdflib (an independent parser)."""
    folder, _ = release
    ds = Dataset()
    ds.parse(folder / "codikg.trig", format="trig")
    return ds


@pytest.fixture(scope="session")
def release(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("release") / "release"
    manifest = build_release(settings, folder)
    return folder, manifest


def pytest_unconfigure(config):
    """Exit at once: CPython's last collections walk the whole heap (PyThaiNLP's word trie
    alone is ~470,000 objects), 5 s and more after the last test; nothing is left to collect."""
    gc.freeze()


def _share_one_ssl_context() -> None:
    """``httpx.get()`` and the like build a Client per call, and each Client a new default
    SSL context (the CA bundle parsed again, ~30 ms) that no request to the local test
    servers uses: build that context once for the test process."""
    context = httpx.create_ssl_context()
    init = httpx.HTTPTransport.__init__

    @functools.wraps(init)
    def __init__(self, verify=True, cert=None, trust_env=True, *args, **kwargs):
        if verify is True and cert is None and trust_env:
            verify = context
        init(self, verify, cert, trust_env, *args, **kwargs)

    httpx.HTTPTransport.__init__ = __init__


_share_one_ssl_context()


def first_build(settings, out: Path, release) -> dict:
    """What ``build_release(settings, out)`` returns and writes while ``settings`` holds the
    repository's inputs unchanged: the session's release, copied into ``out`` (a rebuild
    is the same bytes: tests/test_dumps.py). Built when the inputs' fingerprint differs.
    For tests that change their inputs after a first build."""
    folder, manifest = release
    if input_fingerprint(settings) != manifest["fingerprint"]:
        return build_release(settings, out)
    shutil.copytree(folder, out)
    return dict(manifest)


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory):
    """The repository's inputs built again by ``codikg build`` in another process, with
    another hash seed (set and dict order follow it): (folder, manifest, the finished
    process: its ``stdout`` and ``stderr``)."""
    folder = tmp_path_factory.mktemp("rebuilt") / "again"
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    done = subprocess.run([sys.executable, "-m", "codikg.cli", "build", "--out", str(folder)],
                          env={**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1", "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8")), done


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(folder, *options: str, env: dict | None = None, log=None, wrap: tuple[str, ...] = ()):
    """Run ``codikg serve --release folder *options`` on a free port; yield its base URL.

    ``log``: a binary file to receive the server's output (a temporary file if not given).
    ``wrap``: a command that execs the server (e.g. ``unshare`` with a read-only mount)."""
    port = _free_port()
    own_log = log is None
    log = tempfile.TemporaryFile() if own_log else log  # a pipe nobody reads would stall the server
    proc = subprocess.Popen(
        [*wrap, sys.executable, "-m", "codikg.cli", "serve", "--port", str(port), "--release", str(folder),
         *options],
        stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/sparql", headers={"Accept": "text/turtle"}, timeout=1)
            break
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.seek(0)
                raise RuntimeError("server did not start:\n" + log.read().decode())
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if own_log:
            log.close()


@pytest.fixture(scope="session")
def server(release):
    """A real ``codikg serve`` process (uvicorn) on a free port; yields its base URL."""
    folder, _ = release
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="module")
def client(release, settings):
    """The app in-process (one query worker, lifespan run), fresh for each test module."""
    folder, _ = release
    app = create_app(folder, settings.queries_dir, Limits(workers=1))
    with TestClient(app) as test_client:
        yield test_client
    app.state.served.close()
