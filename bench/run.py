"""Benchmark codikg against Oxigraph's server, Virtuoso and rdflib-endpoint, in one run.

    python bench/run.py [--duration 10] [--connections 1,16,64] [--peers ...]

Installs its Python peers into ``bench/.venv`` (``oxigraph``, ``rdflib-endpoint``
from PyPI) and needs ``wrk`` (``apt-get install wrk``; installed when missing
and apt is usable). Virtuoso (Debian's ``virtuoso-opensource``) is measured
when it is installed. A bare ASGI app returning fixed bytes, under the same
uvicorn settings, is the ceiling of the Python HTTP layer. Every server gets
the same release and the same requests; answers are checked equal before
anything is timed. Writes the table to ``docs/benchmarks.md``. Ratios between
servers measured in the same run are the figures of merit; absolute numbers
depend on the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import uuid
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).parent))
import peers as P  # noqa: E402
from report import render  # noqa: E402
from workload import MIX, PAGES, QUERIES  # noqa: E402

ROOT = P.ROOT
LUA = ROOT / "bench" / "wrk_mix.lua"
PEER_PACKAGES = ["oxigraph", "rdflib-endpoint[cli]"]
ALL_PEERS = "codikg,bare-asgi,oxigraph,oxigraph-mem,virtuoso,rdflib-endpoint"
DOCS = ROOT / "docs" / "benchmarks.md"
READING = ROOT / "bench" / "analysis.md"

app = typer.Typer(add_completion=False)


def ensure_tools() -> None:
    """Create bench/.venv with the peers, and install wrk, when missing."""
    venv = P.BENCH_VENV
    if not (venv / "bin" / "oxigraph").exists() or not (venv / "bin" / "rdflib-endpoint").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *PEER_PACKAGES],
                             capture_output=True, text=True)
        if pip.returncode:
            raise SystemExit(f"installing {PEER_PACKAGES} failed:\n{pip.stdout}{pip.stderr}")
    if shutil.which("wrk") is None:
        if shutil.which("apt-get") is None:
            raise SystemExit("wrk is needed: install it from your package manager (Debian: apt-get install wrk)")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


def sparql_path(server: P.Server, query: str) -> str:
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


def check_answers(servers: list[P.Server]) -> dict[str, int]:
    """Every server must give the same number of rows/triples for every query."""
    sizes: dict[str, int] = {}
    for name, (query, accept) in QUERIES.items():
        seen = {}
        for server in servers:
            if server.name == "bare-asgi":
                continue
            status, body, content_type = P.http_get(server.url + sparql_path(server, query), accept)
            if status != 200:
                raise SystemExit(f"{server.name} answered {status} to {name}: {body[:300]!r}")
            seen[server.name] = answer_size(body, content_type)
        if len(set(seen.values())) != 1:
            if not query.startswith("DESCRIBE"):
                raise SystemExit(f"servers disagree on {name}: {seen}")
            # SPARQL 1.1 §16.4 leaves DESCRIBE's answer to the implementation.
            typer.echo(f"note: DESCRIBE answers differ in size: {seen}")
        sizes[name] = seen.get("codikg", next(iter(seen.values())))
    for name, (path, accept) in PAGES.items():
        codikg = next((s for s in servers if s.name == "codikg"), None)
        if codikg is not None:
            status = P.http_get(codikg.url + path, accept)[0]
            if status != 200:
                typer.echo(f"warning: codikg answers {status} to {name} ({path}); its rows count errors")
    return sizes


def run_wrk(server: P.Server, requests: list[tuple[str, str]], connections: int, duration: int,
            distinct: bool, workdir: Path) -> dict:
    """Closed-loop load with wrk; returns req/s, p50/p99 (ms) and error counts."""
    paths = workdir / "paths.tsv"
    paths.write_text("".join(f"{accept}\t{path}\n" for accept, path in requests), encoding="utf-8")
    env = {**os.environ, "BENCH_PATHS": str(paths), "BENCH_DISTINCT": "1" if distinct else "0",
           "BENCH_NONCE": uuid.uuid4().hex[:12]}
    threads = max(1, min(2, connections))
    proc = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                           "--timeout", "10s", "-s", str(LUA), server.url + "/"],
                          capture_output=True, text=True, env=env, check=True)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {"rps": data["requests"] / (data["duration_us"] / 1e6), "p50": data["p50_us"] / 1000,
            "p99": data["p99_us"] / 1000, "errors": errors, "requests": data["requests"]}


def start_servers(release: Path, workdir: Path, names: list[str]) -> tuple[list[P.Server], list[str]]:
    """Start the named servers (in the order given); return them and notes on those skipped."""
    servers, notes = [], []
    bin_dir = P.BENCH_VENV / "bin"
    for name in names:
        if name == "codikg":
            server = P.codikg(release)
        elif name == "bare-asgi":
            server = P.bare_asgi()
        elif name == "oxigraph":
            server = P.oxigraph_disk(release, workdir)
        elif name == "oxigraph-mem":
            server = P.oxigraph_memory()
        elif name == "virtuoso":
            if not P.virtuoso_available():
                notes.append("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource); skipped.")
                continue
            server = P.virtuoso(workdir)
        elif name == "rdflib-endpoint":
            port = P.free_port()
            server = P.Server("rdflib-endpoint", [str(bin_dir / "rdflib-endpoint"), "serve",
                                                  str(release / "codikg.trig"), "--host", "127.0.0.1",
                                                  "--port", str(port)], port, "/")
        else:
            raise SystemExit(f"unknown server {name!r}; known: {ALL_PEERS}")
        server.start(workdir)
        if name == "codikg":
            P.warm_codikg(server)
        elif name == "oxigraph-mem":
            P.load_oxigraph_memory(server, release)
        elif name == "virtuoso":
            P.load_virtuoso(server, release, workdir)
        servers.append(server)
    return servers, notes


def scenarios_for(server: P.Server, levels: list[int]) -> list[tuple[str, list, int, bool]]:
    mix = [(QUERIES[name][1], sparql_path(server, QUERIES[name][0])) for name in MIX]
    found = [(f"mix c={c}", mix, c, False) for c in levels]
    if server.name == "bare-asgi":
        return found
    found.append(("mix c=16 distinct", mix, 16, True))
    found += [(f"{name} c=16", [mix[i]], 16, False) for i, name in enumerate(MIX)]
    if server.name == "codikg":
        found += [(f"{name} c=16", [(accept, path)], 16, False) for name, (path, accept) in PAGES.items()]
    return found


@app.command()
def main(duration: Annotated[int, typer.Option(help="Seconds per load run.")] = 10,
         connections: Annotated[str, typer.Option(help="Comma-separated connection counts.")] = "1,16,64",
         peers: Annotated[str, typer.Option(help="Servers to measure.")] = ALL_PEERS,
         out: Annotated[Path, typer.Option(help="Markdown report (the reading in bench/analysis.md is added "
                                                 "only to docs/benchmarks.md).")] = ROOT / "docs" / "benchmarks.md",
         scale: Annotated[Path | None, typer.Option(help="JSON written by bench/scale.py, added to the report.")]
         = ROOT / "bench" / "scale-results.json",
         rerender: Annotated[Path | None, typer.Option(
             help="Measure nothing: write the report from the JSON of an earlier run (written beside "
                  "its report) with the current reading and scale results.")] = None) -> None:
    """Run the benchmark and write the report."""
    if rerender is not None:
        run = json.loads(rerender.read_text(encoding="utf-8"))
        _write(out, run, scale)
        return
    ensure_tools()
    from codikg.release.pipeline import ensure_release  # noqa: PLC0415
    from codikg.config.settings import load_settings  # noqa: PLC0415

    settings = load_settings()
    manifest, _ = ensure_release(settings)
    levels = [int(c) for c in connections.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="codikg-bench-"))
    rows: list[dict] = []
    servers: list[P.Server] = []
    try:
        servers, notes = start_servers(settings.release_dir, workdir, peers.split(","))
        sizes = check_answers(servers)
        for server in servers:
            for label, requests, c, distinct in scenarios_for(server, levels):
                result = run_wrk(server, requests, c, duration, distinct, workdir)
                rows.append({"server": server.name, "scenario": label, **result})
                typer.echo(f"{server.name:16} {label:22} {result['rps']:9.0f} req/s  p50 {result['p50']:7.2f} ms"
                           f"  p99 {result['p99']:7.2f} ms  errors {result['errors']}")
            rss = server.peak_rss_mb()
            for row in rows:
                if row["server"] == server.name:
                    row["rss"] = rss
    finally:
        for server in servers:
            server.stop()
    run = {"rows": rows, "sizes": sizes, "manifest": manifest, "duration": duration, "notes": notes,
           "load_average": os.getloadavg()[0]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    _write(out, run, scale)
    shutil.rmtree(workdir, ignore_errors=True)


def _write(out: Path, run: dict, scale: Path | None) -> None:
    """Write the Markdown report of ``run`` (rows, sizes, manifest, duration, notes) to ``out``."""
    scale_results = json.loads(scale.read_text()) if scale and scale.exists() else None
    # The hand-written reading quotes one full run; it goes only into the report of record.
    reading = READING.read_text(encoding="utf-8") if out.resolve() == DOCS.resolve() and READING.exists() else None
    report = render(run["rows"], run["sizes"], run["manifest"], run["duration"], run["notes"], scale_results,
                    reading, run.get("load_average"))
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    if (start := previous.find("## Under attack")) >= 0:  # bench/abuse.py's section stays
        end = previous.find("\n## ", start + 1)
        report = report.rstrip("\n") + "\n\n" + (previous[start:end + 1] if end >= 0 else previous[start:])
    out.write_text(report, encoding="utf-8")
    typer.echo(report)


if __name__ == "__main__":
    app()
