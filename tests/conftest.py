"""Shared fixtures: the real plan document, a built release, a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from codikg.build.release import build_release
from codikg.ingest import parse_plan_file
from codikg.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "codi-strategic-plan-2552.txt"
BASE = "https://w3id.org/codikg/"
PLAN = BASE + "id/codi/plan/2552"


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def plan():
    return parse_plan_file(SOURCE)


@pytest.fixture(scope="session")
def release(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("release") / "release"
    manifest = build_release(settings, folder)
    return folder, manifest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(release):
    """A real ``codikg serve`` process (uvicorn) on a free port; yields its base URL."""
    folder, _ = release
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "codikg.cli", "serve", "--port", str(port), "--release", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/", timeout=1)
            break
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("server did not start:\n" + proc.stdout.read().decode())
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
