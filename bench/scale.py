"""Scale benchmark on SYNTHETIC plan-shaped data (bench/synth.py), on-disk stores.

    python bench/scale.py --sizes 1000000,10000000 [--workdir /tmp/codikg-scale]

For each size: generate the data; load it into an on-disk store with codikg
(:func:`codikg.store.disk.create_store`) and with ``oxigraph load``; start
``codikg serve --disk-store`` on the existing store (time to the first answered
query, three times); trace-query latency over HTTP with the cache defeated
(one indicator, one whole plan); SHACL validation time (pySHACL; the real
shapes when ``ontology/shapes.ttl`` exists, else ``bench/standin-shapes.ttl``);
peak memory of each step. Writes ``bench/scale-results.json`` (read by
``bench/run.py`` into ``docs/benchmarks.md``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).parent))
import peers as P  # noqa: E402
from synth import BASE, write_synthetic  # noqa: E402

ROOT = P.ROOT
LUA = ROOT / "bench" / "wrk_mix.lua"
RESULTS = ROOT / "bench" / "scale-results.json"
PREFIXES = "PREFIX cdk: <https://w3id.org/codikg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
TRACE_ONE = PREFIXES + """SELECT ?indicator ?notation ?objective ?issue ?mission ?vision WHERE {{
  VALUES ?indicator {{ <{indicator}> }}
  ?issue cdk:hasIndicator ?indicator ; cdk:hasObjective ?objective .
  ?indicator skos:notation ?notation ; cdk:measures ?objective .
  ?objective cdk:supportsMission ?mission .
  ?mission cdk:makesOperative ?vision .
}} ORDER BY ?mission"""
TRACE_PLAN = PREFIXES + """SELECT ?indicator ?notation ?objective ?issue ?mission ?vision WHERE {{
  ?indicator skos:inScheme <{plan}> ; a cdk:Indicator .
  ?issue cdk:hasIndicator ?indicator ; cdk:hasObjective ?objective .
  ?indicator skos:notation ?notation ; cdk:measures ?objective .
  ?objective cdk:supportsMission ?mission .
  ?mission cdk:makesOperative ?vision .
}} ORDER BY ?issue ?notation ?mission"""

app = typer.Typer(add_completion=False)


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """Run ``command`` under /usr/bin/time; return (wall seconds, peak RSS MiB)."""
    report = Path(f"/tmp/codikg-scale-time-{uuid.uuid4().hex}")
    started = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), *command], check=True,
                   capture_output=True, **kwargs)
    seconds = time.perf_counter() - started
    rss = int(report.read_text().strip().splitlines()[-1]) / 1024
    report.unlink()
    return seconds, rss


def codikg_load(folder: Path, store: Path, release: str) -> tuple[float, float]:
    code = ("import sys; from pathlib import Path; from codikg.store.disk import create_store; "
            "create_store(sys.argv[1], [Path(sys.argv[2])], sys.argv[3], [Path(sys.argv[4])])")
    return timed([sys.executable, "-c", code, str(store), str(folder / "synthetic.nq"), release,
                  str(folder / "synthetic-union.nt")])


def oxigraph_load(folder: Path, store: Path) -> tuple[float, float]:
    oxigraph = str(P.BENCH_VENV / "bin" / "oxigraph")
    s1, m1 = timed([oxigraph, "load", "--location", str(store), "--file", str(folder / "synthetic.nq")])
    s2, m2 = timed([oxigraph, "load", "--location", str(store), "--file", str(folder / "synthetic-union.nt")])
    s3, m3 = timed([oxigraph, "optimize", "--location", str(store)])
    return s1 + s2 + s3, max(m1, m2, m3)


def serve(folder: Path, store: Path) -> P.Server:
    return P.codikg(folder, ["--disk-store", str(store)])


def wrk_latency(server: P.Server, queries: list[str], seconds: int, workdir: Path) -> dict:
    """p50/p99 of the given queries at one connection, every request a new query text."""
    paths = workdir / "scale-paths.tsv"
    paths.write_text("".join(f"application/sparql-results+json\t/sparql?query={urllib.parse.quote(q, safe='')}\n"
                             for q in queries), encoding="utf-8")
    env = {**os.environ, "BENCH_PATHS": str(paths), "BENCH_DISTINCT": "1", "BENCH_NONCE": uuid.uuid4().hex[:12]}
    out = subprocess.run(["wrk", "-t", "1", "-c", "1", "-d", f"{seconds}s", "--timeout", "10s", "-s", str(LUA),
                          server.url + "/"], capture_output=True, text=True, env=env, check=True).stdout
    data = json.loads(next(x for x in out.splitlines() if x.startswith("{")))
    return {"p50_ms": data["p50_us"] / 1000, "p99_ms": data["p99_us"] / 1000, "requests": data["requests"],
            "errors": sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))}


def shacl(folder: Path, shapes: Path, max_plans: int | None, chunk_plans: int = 50) -> dict:
    """pySHACL over the union, plan by plan in chunks (every shape's focus and value nodes lie
    inside one plan, so the chunks' reports together are the whole report). Runs in a
    subprocess for its peak memory; ``max_plans`` stops early (the rest is extrapolated)."""
    code = f"""
import json, re, sys, time, rdflib, pyshacl
shapes = rdflib.Graph().parse({str(shapes)!r})
agency = re.compile(rb"^<{BASE}id/agency-(\\d+)[/>]")
limit = {max_plans!r}
chunk, plans, seen, last = [], 0, 0, None
parse_s = validate_s = 0.0
conforms, triples = True, 0
def flush(lines):
    global parse_s, validate_s, conforms, triples
    t = time.perf_counter(); g = rdflib.Graph().parse(data=b"".join(lines), format="nt"); parse_s += time.perf_counter() - t
    t = time.perf_counter(); ok, _, text = pyshacl.validate(g, shacl_graph=shapes); validate_s += time.perf_counter() - t
    conforms = conforms and ok; triples += len(g)
with open({str(folder / "synthetic-union.nt")!r}, "rb") as f:
    for line in f:
        m = agency.match(line)
        if m and m.group(1) != last:
            last = m.group(1); seen += 1
            if (seen - 1) % {chunk_plans} == 0 and chunk:
                flush(chunk); chunk = []
                if limit and seen > limit: break
        chunk.append(line)
    else:
        flush(chunk)
print(json.dumps({{"plans": min(seen, limit or seen), "triples": triples, "parse_s": parse_s,
                  "validate_s": validate_s, "conforms": conforms}}))
"""
    report = Path(f"/tmp/codikg-scale-time-{uuid.uuid4().hex}")
    started = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), sys.executable, "-c", code],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    result["peak_rss_mb"] = int(report.read_text().strip().splitlines()[-1]) / 1024
    report.unlink()
    return result


def measure(size: int, workdir: Path, repeats: int, shacl_plans: int | None,
            parts: set[str] = frozenset({"load", "serve", "shacl"}), previous: dict | None = None) -> dict:
    """One row of results; ``parts`` not listed are taken from ``previous`` (an earlier row)."""
    folder = workdir / f"synthetic-{size}"
    if not (folder / "manifest.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_synthetic(folder, size)
    manifest = json.loads((folder / "manifest.json").read_text())
    row = {**(previous or {}), "size": size, "triples": manifest["union_triples"],
           "agencies": manifest["agencies"], "nq_bytes": (folder / "synthetic.nq").stat().st_size}
    store, ox_store = folder / "store", folder / "oxigraph-store"
    if "load" in parts:
        load_stores(row, folder, store, ox_store, manifest)
    if "serve" in parts:
        serve_runs(row, folder, store, manifest, repeats, workdir)
    if "shacl" in parts:
        shacl_run(row, folder, manifest, shacl_plans)
    typer.echo(json.dumps(row))
    return row


def load_stores(row: dict, folder: Path, store: Path, ox_store: Path, manifest: dict) -> None:
    size = row["size"]
    for path in (store, ox_store):
        shutil.rmtree(path, ignore_errors=True)
    typer.echo(f"[{size:,}] loading with codikg …")
    row["codikg_load_s"], row["codikg_load_rss_mb"] = codikg_load(folder, store, manifest["release"])
    typer.echo(f"[{size:,}] loading with oxigraph load …")
    row["oxigraph_load_s"], row["oxigraph_load_rss_mb"] = oxigraph_load(folder, ox_store)
    code = ("import sys, time; t = time.perf_counter(); from codikg.store import EmbeddedStore; "
            "s = EmbeddedStore.open_read_only(sys.argv[1]); bool(s.query('ASK { ?s ?p ?o }')); "
            "print(time.perf_counter() - t)")
    row["store_open_s"] = [float(subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True,
                                                text=True, check=True).stdout) for _ in range(3)]
    row["store_bytes"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    shutil.rmtree(ox_store, ignore_errors=True)


def serve_runs(row: dict, folder: Path, store: Path, manifest: dict, repeats: int, workdir: Path) -> None:
    startups = []
    rng = random.Random(row["size"])
    one = []
    for _ in range(100):
        agency, issue, k = rng.randint(1, manifest["agencies"]), rng.randint(1, 5), rng.randint(1, 6)
        one.append(TRACE_ONE.format(indicator=f"{BASE}id/agency-{agency}/plan/2566/issue/{issue}/indicator/{issue}.{k}"))
    plan = [TRACE_PLAN.format(plan=f"{BASE}id/agency-{rng.randint(1, manifest['agencies'])}/plan/2566")
            for _ in range(100)]
    for attempt in range(repeats):
        server = serve(folder, store)
        server.start(workdir)
        startups.append(server.started_s)
        if attempt == repeats - 1:
            rows = P.http_get(server.url + "/sparql?query=" + urllib.parse.quote(one[0], safe=""),
                              "application/sparql-results+json")
            row["trace_one_rows"] = len(json.loads(rows[1])["results"]["bindings"])
            rows = P.http_get(server.url + "/sparql?query=" + urllib.parse.quote(plan[0], safe=""),
                              "application/sparql-results+json")
            row["trace_plan_rows"] = len(json.loads(rows[1])["results"]["bindings"])
            row["trace_one"] = wrk_latency(server, one, 10, workdir)
            row["trace_plan"] = wrk_latency(server, plan, 10, workdir)
            row["serve_rss_mb"] = server.peak_rss_mb()
        server.stop()
    row["startup_s"] = startups


def shacl_run(row: dict, folder: Path, manifest: dict, shacl_plans: int | None) -> None:
    size = row["size"]
    shapes = ROOT / "ontology" / "shapes.ttl"
    row["shapes"] = "ontology/shapes.ttl" if shapes.exists() else "bench/standin-shapes.ttl (stand-in)"
    typer.echo(f"[{size:,}] SHACL …")
    row["shacl"] = shacl(folder, shapes if shapes.exists() else ROOT / "bench" / "standin-shapes.ttl", shacl_plans)
    done = row["shacl"]
    row["shacl"]["estimated_total_s"] = (done["parse_s"] + done["validate_s"]) * manifest["agencies"] / done["plans"]


def markdown(rows: list[dict], machine: str) -> str:
    lines = ["## Scale (synthetic data, on-disk store)", "",
             "Generated by `python bench/scale.py`: plan-shaped SYNTHETIC data from `bench/synth.py` "
             f"(IRIs under `{BASE}`, marked `dct:description \"SYNTHETIC\"`), about 2,240 triples per agency plan. "
             "The store holds every triple twice (named graph + union default graph). "
             f"Machine: {machine}.", "",
             "| triples | plans | codikg load s | `oxigraph load` s | codikg ÷ oxigraph load time | load peak MiB "
             "(codikg / oxigraph) | store MiB | store open s (import + open + 1st query) | "
             "`serve --disk-store` start-up s (runs) | trace 1 indicator p50 / p99 ms | "
             "trace 1 plan p50 / p99 ms | serve peak RSS MiB | SHACL s (parse + validate) | SHACL peak MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|"]
    for r in rows:
        s = r["shacl"]
        measured = "" if s["plans"] == r["agencies"] else f" — measured on {s['plans']} plans, total estimated"
        lines.append(
            f"| {r['triples']:,} | {r['agencies']:,} | {r['codikg_load_s']:.1f} | {r['oxigraph_load_s']:.1f} | "
            f"{r['codikg_load_s'] / r['oxigraph_load_s']:.2f}× | {r['codikg_load_rss_mb']:.0f} / "
            f"{r['oxigraph_load_rss_mb']:.0f} | {r['store_bytes'] / 2**20:.0f} | "
            f"{statistics.median(r['store_open_s']):.2f} | "
            f"{statistics.median(r['startup_s']):.2f} ({', '.join(f'{x:.2f}' for x in r['startup_s'])}) | "
            f"{r['trace_one']['p50_ms']:.2f} / {r['trace_one']['p99_ms']:.2f} | "
            f"{r['trace_plan']['p50_ms']:.2f} / {r['trace_plan']['p99_ms']:.2f} | {r['serve_rss_mb']:.0f} | "
            f"{s['estimated_total_s']:.0f} ({s['parse_s']:.0f} + {s['validate_s']:.0f}{measured}) | "
            f"{s['peak_rss_mb']:.0f} |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        k = b["triples"] / a["triples"]

        def g(x, y):
            return f"{y / x:.1f}×" if x else "n/a"
        lines += ["", f"Growth from {a['triples']:,} to {b['triples']:,} triples ({k:.1f}× the data): "
                  f"codikg load {g(a['codikg_load_s'], b['codikg_load_s'])}, oxigraph load "
                  f"{g(a['oxigraph_load_s'], b['oxigraph_load_s'])}, start-up "
                  f"{g(statistics.median(a['startup_s']), statistics.median(b['startup_s']))}, trace p50 (1 indicator) "
                  f"{g(a['trace_one']['p50_ms'], b['trace_one']['p50_ms'])}, trace p50 (1 plan) "
                  f"{g(a['trace_plan']['p50_ms'], b['trace_plan']['p50_ms'])}, serve peak RSS "
                  f"{g(a['serve_rss_mb'], b['serve_rss_mb'])}, SHACL "
                  f"{g(a['shacl']['estimated_total_s'], b['shacl']['estimated_total_s'])}, store size "
                  f"{g(a['store_bytes'], b['store_bytes'])}."]
    shapes = rows[0]["shapes"] if rows else ""
    lines += ["", f"SHACL shapes: {shapes}. pySHACL runs on rdflib graphs, one chunk of 50 plans at a time "
              "(every shape's focus and value nodes lie inside one plan, so the chunk reports together are the "
              "whole report and memory stays bounded)."]
    return "\n".join(lines) + "\n"


@app.command()
def main(sizes: Annotated[str, typer.Option(help="Comma-separated triple counts.")] = "1000000,10000000",
         workdir: Annotated[Path, typer.Option(help="Where the data and stores go.")] = Path("/tmp/codikg-scale"),
         repeats: Annotated[int, typer.Option(help="Start-ups to time per size.")] = 3,
         shacl_plans: Annotated[str, typer.Option(
             help="Per size, most plans to validate ('all' or a number; the rest is extrapolated).")] = "all,500",
         keep: Annotated[bool, typer.Option(help="Keep the generated data.")] = True,
         only: Annotated[str, typer.Option(help="Parts to measure (load,serve,shacl); the others are "
                                                "kept from bench/scale-results.json.")] = "load,serve,shacl") -> None:
    """Measure load, start-up, trace latency, SHACL and memory at each size."""
    from report import machine  # noqa: PLC0415

    workdir.mkdir(parents=True, exist_ok=True)
    plans = [None if p == "all" else int(p) for p in shacl_plans.split(",")]
    parts = set(only.split(","))
    earlier = {r["size"]: r for r in json.loads(RESULTS.read_text())["rows"]} if RESULTS.exists() else {}
    rows = []
    for i, size in enumerate(int(s) for s in sizes.split(",")):
        rows.append(measure(size, workdir, repeats, plans[min(i, len(plans) - 1)], parts, earlier.get(size)))
        RESULTS.write_text(json.dumps({"rows": rows, "markdown": markdown(rows, machine())}, indent=1) + "\n")
    typer.echo(markdown(rows, machine()))
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    app()
