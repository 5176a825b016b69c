"""Benchmark codikg against Oxigraph's server and rdflib-endpoint, in one run.

    python bench/run.py [--duration 10] [--connections 1,16,64]

Installs its peers into ``bench/.venv`` (``oxigraph``, ``rdflib-endpoint`` from
PyPI) and needs ``wrk`` (``apt-get install wrk``; installed when missing and
apt is usable). Every server gets the same release and the same requests;
answers are checked for equality before anything is timed. Writes the table to
``docs/benchmarks.md``. Ratios between servers measured in the same run are the
figures of merit; absolute numbers depend on the machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).parent))
from workload import MIX, PAGES, QUERIES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / "bench" / ".venv"
LUA = ROOT / "bench" / "wrk_mix.lua"
PEER_PACKAGES = ["oxigraph", "rdflib-endpoint[cli]"]

app = typer.Typer(add_completion=False)


def ensure_tools() -> None:
    """Create bench/.venv with the peers, and install wrk, when missing."""
    if not (BENCH_VENV / "bin" / "oxigraph").exists() or not (BENCH_VENV / "bin" / "rdflib-endpoint").exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = subprocess.run([str(BENCH_VENV / "bin" / "pip"), "install", "-q", *PEER_PACKAGES],
                             capture_output=True, text=True)
        if pip.returncode:
            raise SystemExit(f"installing {PEER_PACKAGES} failed:\n{pip.stdout}{pip.stderr}")
    if shutil.which("wrk") is None:
        if shutil.which("apt-get") is None:
            raise SystemExit("wrk is needed: install it from your package manager (Debian: apt-get install wrk)")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A peer under test: how to start it and where its SPARQL endpoint is."""

    name: str
    command: list[str]
    port: int
    sparql_path: str = "/sparql"
    process: subprocess.Popen | None = None
    log: Path | None = None
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workdir: Path) -> None:
        self.log = workdir / f"{self.name}.log"
        self.process = subprocess.Popen(self.command, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        probe = self.url + self.sparql_path + "?query=" + urllib.parse.quote("ASK {}")
        while True:
            try:
                if _get(probe, "application/sparql-results+json")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{self.name} did not start; see {self.log}:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def peak_rss_mb(self) -> float:
        """Sum of the peak resident set (VmHWM) of the server and its children."""
        total = 0
        for pid in _process_tree(self.process.pid):
            try:
                with open(f"/proc/{pid}/status") as status:
                    total += next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
            except (FileNotFoundError, StopIteration):
                continue
        return total / 1024

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += frontier
    return tree


def _get(url: str, accept: str) -> tuple[int, bytes, str]:
    """Status, body and Content-Type of a GET."""
    import urllib.request  # noqa: PLC0415

    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def sparql_path(server: Server, query: str) -> str:
    return server.sparql_path + "?query=" + urllib.parse.quote(query, safe="")


def answer_size(body: bytes, content_type: str) -> int:
    """Rows of a SPARQL JSON answer, or triples of an RDF answer (parsed by rdflib
    in whatever syntax the server chose to send)."""
    media_type = content_type.split(";")[0].strip()
    if media_type in ("application/sparql-results+json", "application/json"):
        return len(json.loads(body)["results"]["bindings"])
    from rdflib import Graph  # noqa: PLC0415

    if b"<rdf:RDF" in body[:1000]:
        media_type = "application/rdf+xml"  # rdflib-endpoint labels DESCRIBE's RDF/XML as results XML
    return len(Graph().parse(data=body, format=media_type))


def check_answers(servers: list[Server]) -> dict[str, int]:
    """Every server must give the same number of rows/triples for every query."""
    sizes: dict[str, int] = {}
    for name, (query, accept) in QUERIES.items():
        seen = {}
        for server in servers:
            status, body, content_type = _get(server.url + sparql_path(server, query), accept)
            if status != 200:
                raise SystemExit(f"{server.name} answered {status} to {name}: {body[:300]!r}")
            seen[server.name] = answer_size(body, content_type)
        if len(set(seen.values())) != 1:
            raise SystemExit(f"servers disagree on {name}: {seen}")
        sizes[name] = next(iter(seen.values()))
    return sizes


def run_wrk(server: Server, requests: list[tuple[str, str]], connections: int, duration: int,
            distinct: bool, workdir: Path) -> dict:
    """Closed-loop load with wrk; returns req/s, p50/p99 (ms) and error counts."""
    paths = workdir / "paths.tsv"
    paths.write_text("".join(f"{accept}\t{path}\n" for accept, path in requests), encoding="utf-8")
    env = {**os.environ, "BENCH_PATHS": str(paths), "BENCH_DISTINCT": "1" if distinct else "0"}
    threads = max(1, min(2, connections))
    proc = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                           "--timeout", "10s", "-s", str(LUA), server.url + "/"],
                          capture_output=True, text=True, env=env, check=True)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {"rps": data["requests"] / (data["duration_us"] / 1e6), "p50": data["p50_us"] / 1000,
            "p99": data["p99_us"] / 1000, "errors": errors, "requests": data["requests"]}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{cpu}, {os.cpu_count()} cores, {mem / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def start_servers(release: Path, workdir: Path, peers: list[str]) -> list[Server]:
    servers = []
    bin_dir = BENCH_VENV / "bin"
    if "codikg" in peers:
        servers.append(Server("codikg", [sys.executable, "-m", "codikg.cli", "serve", "--release", str(release),
                                         "--port", "{port}"], free_port()))
    if "oxigraph" in peers:
        # Same layout as codikg's store: the named graphs plus their union
        # materialised in the default graph (faster than --union-default-graph).
        location = workdir / "oxigraph-store"
        for dump in ("codikg.trig", "codikg.nt"):
            subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(location),
                            "--file", str(release / dump)], check=True, capture_output=True)
        servers.append(Server("oxigraph", [str(bin_dir / "oxigraph"), "serve-read-only", "--location",
                                           str(location), "--bind", "127.0.0.1:{port}"],
                              free_port(), "/query"))
    if "rdflib-endpoint" in peers:
        servers.append(Server("rdflib-endpoint", [str(bin_dir / "rdflib-endpoint"), "serve",
                                                  str(release / "codikg.trig"), "--host", "127.0.0.1",
                                                  "--port", "{port}"], free_port(), "/"))
    for server in servers:
        server.command = [part.replace("{port}", str(server.port)) for part in server.command]
        server.start(workdir)
    return servers


@app.command()
def main(duration: Annotated[int, typer.Option(help="Seconds per load run.")] = 10,
         connections: Annotated[str, typer.Option(help="Comma-separated connection counts.")] = "1,16,64",
         peers: Annotated[str, typer.Option(help="Servers to measure.")] = "codikg,oxigraph,rdflib-endpoint",
         out: Annotated[Path, typer.Option(help="Markdown report.")] = ROOT / "docs" / "benchmarks.md") -> None:
    """Run the benchmark and write the report."""
    ensure_tools()
    from codikg.build.release import ensure_release  # noqa: PLC0415
    from codikg.settings import load_settings  # noqa: PLC0415

    settings = load_settings()
    manifest, _ = ensure_release(settings)
    levels = [int(c) for c in connections.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="codikg-bench-"))
    servers = start_servers(settings.release_dir, workdir, peers.split(","))
    rows: list[dict] = []
    try:
        sizes = check_answers(servers)
        for server in servers:
            mix = [(QUERIES[name][1], sparql_path(server, QUERIES[name][0])) for name in MIX]
            scenarios = [(f"mix c={c}", mix, c, False) for c in levels]
            scenarios.append(("mix c=16 distinct", mix, 16, True))
            scenarios += [(f"{name} c=16", [mix[i]], 16, False) for i, name in enumerate(MIX)]
            if server.name == "codikg":
                scenarios += [(f"{name} c=16", [(accept, path)], 16, False)
                              for name, (path, accept) in PAGES.items()]
            for label, requests, c, distinct in scenarios:
                result = run_wrk(server, requests, c, duration, distinct, workdir)
                rows.append({"server": server.name, "scenario": label, **result})
                typer.echo(f"{server.name:16} {label:22} {result['rps']:9.0f} req/s  p50 {result['p50']:7.2f} ms"
                           f"  p99 {result['p99']:7.2f} ms  errors {result['errors']}")
            for row in rows:
                if row["server"] == server.name:
                    row["rss"] = server.peak_rss_mb()
    finally:
        for server in servers:
            server.stop()
    report = render(rows, sizes, manifest, duration)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    typer.echo(report)
    shutil.rmtree(workdir, ignore_errors=True)


def render(rows: list[dict], sizes: dict[str, int], manifest: dict, duration: int) -> str:
    """The Markdown report: one table, ratios of codikg to each peer per scenario."""
    peers = sorted({r["server"] for r in rows} - {"codikg"})
    by = {(r["server"], r["scenario"]): r for r in rows}
    lines = [
        "# Benchmarks", "",
        f"Machine: {machine()}.  ",
        f"Data: release `{manifest['release']}`, {manifest['union_triples']:,} triples (the real plan).  ",
        f"Load: wrk, closed loop, {duration} s per row. Run with `python bench/run.py`.  ",
        "Answers were checked equal on every server before timing: "
        + ", ".join(f"{k} {v}" for k, v in sizes.items()) + " rows/triples.", "",
        "| server | scenario | req/s | p50 ms | p99 ms | errors | peak RSS MB | "
        + " | ".join(f"codikg ÷ {p}" for p in peers) + " |",
        "|---|---|---:|---:|---:|---:|---:|" + "---:|" * len(peers),
    ]
    for r in rows:
        ratios = []
        for p in peers:
            peer = by.get((p, r["scenario"]))
            mine = by.get(("codikg", r["scenario"]))
            ratios.append(f"{mine['rps'] / peer['rps']:.2f}×" if r["server"] == "codikg" and peer and mine else "")
        lines.append(f"| {r['server']} | {r['scenario']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                     f"{r['errors']} | {r.get('rss', 0):.0f} | " + " | ".join(ratios) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    app()
