"""Many plans: time from ``codikg plan new`` to a served page, and build time and
release size with N plans (CODI's plus N-1 copies of the SYNTHETIC test plan).

    python bench/plans.py [--plans 200]

Works on a copy of the repository's inputs in a temporary folder; prints JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "fixtures" / "plans" / "synthetic-agency" / "2567"
CODIKG = [sys.executable, "-m", "codikg.cli"]


def _home(folder: Path) -> Path:
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plan_new_to_page(home: Path) -> float:
    """Seconds from ``plan new`` to a 200 on the new plan's ``/plan/{agency}/{fy}`` (serve builds)."""
    env = {**os.environ, "CODIKG_HOME": str(home)}
    subprocess.run([*CODIKG, "build"], env=env, check=True, capture_output=True)  # a release before
    port, started = _free_port(), time.perf_counter()
    subprocess.run([*CODIKG, "plan", "new", "made-up", "2567", "--source",
                    str(SYNTHETIC / "source" / "synthetic-plan-2567.txt")], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*CODIKG, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/plan/made-up/2567", timeout=5) as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)


def build_plans(home: Path, plans: int) -> dict:
    """Build CODI's plan and ``plans - 1`` SYNTHETIC copies; seconds, bytes, triples."""
    for i in range(1, plans):
        folder = home / "data" / "plans" / f"synth-{i:03d}" / "2567"
        shutil.copytree(SYNTHETIC, folder)
        for name in ("plan.toml", "catalog.toml"):
            path = folder / name
            path.write_text(path.read_text(encoding="utf-8").replace("synthetic-agency", f"synth-{i:03d}"),
                            encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([*CODIKG, "build"], env={**os.environ, "CODIKG_HOME": str(home)}, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - started
    manifest = json.loads((home / "release" / "manifest.json").read_text(encoding="utf-8"))
    return {"plans": plans, "build_seconds": round(seconds, 1), "union_triples": manifest["union_triples"],
            "release_bytes": sum(manifest["files"].values()), "files": len(manifest["files"])}


def main(plans: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = {"plan_new_to_page_seconds": round(plan_new_to_page(_home(Path(tmp) / "a")), 1),
                  "two": build_plans(_home(Path(tmp) / "b"), 2),
                  "many": build_plans(_home(Path(tmp) / "c"), plans)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--plans") + 1]) if "--plans" in sys.argv else 200)
