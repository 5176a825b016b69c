"""Scale benchmark on SYNTHETIC plan-shaped data (bench/synth.py), on-disk stores.

    python bench/scale.py --sizes 1000000,10000000 [--workdir /tmp/codikg-scale]

For each size: generate the data; load it into an on-disk store with codikg
(:func:`codikg.store.disk.create_store`) and with ``oxigraph load``; start
``codikg serve --disk-store`` on the existing store (time to the first answered
query, three times); trace-query latency over HTTP with the cache defeated
(one indicator, one whole plan); SHACL validation time; peak memory of each
step. Writes ``bench/scale-results.json`` (read by ``bench/run.py`` into
``docs/benchmarks.md``), keeping the parts and sizes a run did not measure.

    python bench/scale.py --sizes 1000000 --only shacl --shacl-plans all
    python bench/scale.py --sizes 10000000 --only shacl --shacl-plans 100
    python bench/scale.py --sizes 1000000 --only shacl-variants --variant-plans 10

SHACL (parts ``shacl`` and ``shacl-variants``, by ``bench/shacl_chunks.py``):
the synthetic plans conform to the real ``ontology/shapes.ttl``, validated the
way ``codikg validate`` validates a release (:func:`codikg.validate.shacl.validate_graph`:
pySHACL on an rdflib graph, ``inference="none"``, ``allow_warnings=True``,
``advanced=False``, no ontology graph), one plan per chunk with the part all
plans share (fiscal years, the editors' agent) in every chunk. Every shape's
focus and value nodes lie inside one plan or that shared part, so the chunks'
reports together are the release's report (the module docstring of
``bench/shacl_chunks.py`` gives the argument; ``tests/test_synth.py`` checks
it). One plan per chunk is the fastest configuration measured, and no pySHACL option is faster with the same
report: ``abort_on_first``, ``allow_warnings`` and ``advanced`` leave the time
of a conforming release unchanged, ``sparql_mode`` and RDFS inference with the
ontology are slower, and pySHACL's Oxigraph data graph (pySHACL 0.40) refuses
the shapes' SELECTs that do not project ``$this`` (the ``shacl-variants`` part
measures each and records it). With ``--shacl-plans N`` only the first N plans
are validated and the total is extrapolated from the cost per plan, which does
not depend on the release's size (every chunk is one plan).
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
from synth import BASE, ISSUES, generator_digest, indicator_notations, plan_iri, write_synthetic  # noqa: E402

ROOT = P.ROOT
LUA = ROOT / "bench" / "wrk_mix.lua"
RESULTS = ROOT / "bench" / "scale-results.json"
PREFIXES = "PREFIX cdk: <https://w3id.org/codikg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
TRACE_ONE = PREFIXES + """SELECT ?indicator ?notation ?objective ?issue ?mission ?vision WHERE {{
  VALUES ?indicator {{ <{indicator}> }}
  ?indicator cdk:inStrategicIssue ?issue . ?issue cdk:hasObjective ?objective .
  ?indicator skos:notation ?notation ; cdk:measures ?objective .
  ?objective cdk:supportsMission ?mission .
  ?mission cdk:makesOperative ?vision .
}} ORDER BY ?mission"""
TRACE_PLAN = PREFIXES + """SELECT ?indicator ?notation ?objective ?issue ?mission ?vision WHERE {{
  ?indicator skos:inScheme <{plan}> ; a cdk:Indicator ; cdk:inStrategicIssue ?issue .
  ?issue cdk:hasObjective ?objective .
  ?indicator skos:notation ?notation ; cdk:measures ?objective .
  ?objective cdk:supportsMission ?mission .
  ?mission cdk:makesOperative ?vision .
}} ORDER BY ?issue ?notation ?mission"""

app = typer.Typer(add_completion=False)


def _gnu_time() -> str:
    """GNU time (Debian's package ``time``), found on PATH: it reports peak memory (``-f %M``)."""
    found = shutil.which("time")
    if found is None:
        sys.exit("bench/scale.py needs GNU time on PATH for peak memory (apt-get install time)")
    return found


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """Run ``command`` under GNU time; return (wall seconds, peak RSS MiB)."""
    report = Path(f"/tmp/codikg-scale-time-{uuid.uuid4().hex}")
    started = time.perf_counter()
    subprocess.run([_gnu_time(), "-f", "%M", "-o", str(report), *command], check=True,
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


def shacl(folder: Path, max_plans: int | None, plans_per_chunk: int = 1, variant: str = "codikg",
          damaged: bool = False) -> dict:
    """Run ``bench/shacl_chunks.py`` on the data in ``folder`` (a subprocess, for its peak memory).

    Returns its JSON (plans, chunks, parse_s, validate_s, results, report_sha256, or ``error``
    when pySHACL cannot run the variant) plus ``wall_s`` and ``peak_rss_mb``.
    """
    report = Path(f"/tmp/codikg-scale-time-{uuid.uuid4().hex}")
    command = [_gnu_time(), "-f", "%M", "-o", str(report), sys.executable, str(ROOT / "bench" / "shacl_chunks.py"),
               str(folder / "synthetic-union.nt"), "--plans-per-chunk", str(plans_per_chunk), "--variant", variant]
    command += ["--max-plans", str(max_plans)] if max_plans else []
    command += ["--damaged"] if damaged else []
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    result["peak_rss_mb"] = int(report.read_text().strip().splitlines()[-1]) / 1024
    report.unlink()
    if "plans" in result:
        result["per_plan_s"] = (result["parse_s"] + result["validate_s"]) / result["plans"]
    return result


def synthetic_data(folder: Path, size: int) -> dict:
    """The manifest of the synthetic data of ``size`` in ``folder``; (re)generated when missing
    or written by another version of ``bench/synth.py``."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists() or json.loads(manifest_path.read_text()).get("generator") != generator_digest():
        shutil.rmtree(folder, ignore_errors=True)
        typer.echo(f"[{size:,}] generating synthetic data …")
        write_synthetic(folder, size)
    return json.loads(manifest_path.read_text())


def measure(size: int, workdir: Path, repeats: int, shacl_plans: int | None,
            parts: set[str] = frozenset({"load", "serve", "shacl"}), previous: dict | None = None,
            variants: list[str] = (), variant_plans: int = 10) -> dict:
    """One row of results; ``parts`` not listed are taken from ``previous`` (an earlier row).

    The row's ``triples``, ``agencies``, ``nq_bytes`` and ``generator`` describe the data the
    load and serve parts ran on; the SHACL parts record their own (``shacl["data"]``).
    """
    folder = workdir / f"synthetic-{size}"
    manifest = synthetic_data(folder, size)
    row = {**(previous or {}), "size": size}
    if parts & {"load", "serve"} or previous is None:
        row.update(triples=manifest["union_triples"], agencies=manifest["agencies"],
                   nq_bytes=(folder / "synthetic.nq").stat().st_size, generator=manifest["generator"])
    store, ox_store = folder / "store", folder / "oxigraph-store"
    if "load" in parts:
        load_stores(row, folder, store, ox_store, manifest)
    if "serve" in parts:
        serve_runs(row, folder, store, manifest, repeats, workdir)
    if "shacl" in parts:
        shacl_run(row, folder, manifest, shacl_plans)
    if "shacl-variants" in parts:
        shacl_variants_run(row, folder, manifest, variants, variant_plans)
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
        agency, issue = rng.randint(1, manifest["agencies"]), rng.randint(1, ISSUES)
        notation = rng.choice(indicator_notations())
        one.append(TRACE_ONE.format(indicator=f"{plan_iri(agency)}/issue/{issue}/indicator/{notation}"))
    plan = [TRACE_PLAN.format(plan=plan_iri(rng.randint(1, manifest["agencies"]))) for _ in range(100)]
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


def _data(manifest: dict) -> dict:
    return {k: manifest[k] for k in ("union_triples", "agencies", "triples_per_plan", "generator")}


def shacl_run(row: dict, folder: Path, manifest: dict, shacl_plans: int | None) -> None:
    """SHACL of the whole release (or of its first ``shacl_plans`` plans, the total extrapolated)."""
    size = row["size"]
    typer.echo(f"[{size:,}] SHACL (ontology/shapes.ttl, as codikg validate runs it), one plan at a time …")
    done = shacl(folder, shacl_plans)
    done.update(shapes="ontology/shapes.ttl", data=_data(manifest), plans_total=manifest["agencies"],
                extrapolated=done["plans"] < manifest["agencies"],
                estimated_total_s=done["per_plan_s"] * manifest["agencies"])
    row.pop("shapes", None)  # older rows kept the shapes here
    row["shacl"] = done


def shacl_variants_run(row: dict, folder: Path, manifest: dict, variants: list[str], plans: int) -> None:
    """pySHACL options on the same first ``plans`` plans, conforming and damaged (see
    ``bench/shacl_chunks.py``); each report compared with ``codikg`` one plan at a time."""
    size = row["size"]
    specs = [v if ":" in v else f"{v}:1" for v in variants]
    specs = ["codikg:1"] + [v for v in specs if v != "codikg:1"]
    outcomes = []
    for spec in specs:
        name, chunk = spec.split(":")
        typer.echo(f"[{size:,}] SHACL variant {name}, {chunk} plan(s) per chunk, {plans} plans …")
        outcome = {"variant": name, "plans_per_chunk": int(chunk), "clean": shacl(folder, plans, int(chunk), name),
                   "damaged": shacl(folder, plans, int(chunk), name, damaged=True)}
        outcomes.append(outcome)
    for outcome in outcomes:
        for kind in ("clean", "damaged"):
            baseline = outcomes[0][kind].get("report_sha256")
            outcome[kind]["same_report_as_codikg"] = outcome[kind].get("report_sha256") == baseline
    row["shacl_variants"] = {"data": _data(manifest), "plans": plans, "runs": outcomes}


def _cell(row: dict, path: str, spec: str = ".2f") -> str:
    """``row[a][b]…`` for ``path`` "a.b…" formatted with ``spec``, or "—" when it was not measured."""
    value = row
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return "—"
        value = value[key]
    return format(value, spec)


def _median(row: dict, key: str) -> float | None:
    return statistics.median(row[key]) if row.get(key) else None


def _shacl_cell(r: dict) -> str:
    s = r.get("shacl")
    if not s:
        return "—"
    text = f"{s['estimated_total_s']:.0f} ({s['parse_s']:.0f} + {s['validate_s']:.0f}"
    total = s.get("plans_total", r.get("agencies", s["plans"]))
    if s["plans"] < total:
        text += f" — {s['plans']} of {total:,} plans measured, total extrapolated"
    if s.get("data", {}).get("union_triples") not in (None, r.get("triples")):
        text += f"; on {s['data']['union_triples']:,} triples, {s['data']['agencies']:,} plans"
    if s.get("shapes", r.get("shapes")) != "ontology/shapes.ttl":
        text += f"; shapes: {s.get('shapes', r.get('shapes'))}"
    return text + f"); {(s['parse_s'] + s['validate_s']) / s['plans']:.2f} s per plan"


def markdown(rows: list[dict], machine: str) -> str:
    per_plan = next((r["shacl"]["data"]["triples_per_plan"] for r in rows if r.get("shacl", {}).get("data")), None)
    lines = ["## Scale (synthetic data, on-disk store)", "",
             "Generated by `python bench/scale.py`: plan-shaped SYNTHETIC data from `bench/synth.py` "
             f"(IRIs under `{BASE}`, marked `dct:description \"SYNTHETIC\"`)"
             + (f", {per_plan:,} triples per agency plan, each shaped like the real release and conforming to "
                "`ontology/shapes.ttl`" if per_plan else "") + ". "
             "The store holds every triple twice (named graph + union default graph). "
             f"Machine: {machine}.", "",
             "| triples | plans | codikg load s | `oxigraph load` s | codikg ÷ oxigraph load time | load peak MiB "
             "(codikg / oxigraph) | store MiB | store open s (import + open + 1st query) | "
             "`serve --disk-store` start-up s (runs) | trace 1 indicator p50 / p99 ms | "
             "trace 1 plan p50 / p99 ms | serve peak RSS MiB | SHACL s (parse + validate) | SHACL peak MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|"]
    for r in rows:
        load_ratio = (f"{r['codikg_load_s'] / r['oxigraph_load_s']:.2f}×"
                      if r.get("codikg_load_s") and r.get("oxigraph_load_s") else "—")
        startup = (f"{_median(r, 'startup_s'):.2f} ({', '.join(f'{x:.2f}' for x in r['startup_s'])})"
                   if r.get("startup_s") else "—")
        store_open = f"{_median(r, 'store_open_s'):.2f}" if r.get("store_open_s") else "—"
        store_mb = f"{r['store_bytes'] / 2**20:.0f}" if r.get("store_bytes") else "—"
        lines.append(
            f"| {_cell(r, 'triples', ',')} | {_cell(r, 'agencies', ',')} | {_cell(r, 'codikg_load_s', '.1f')} | "
            f"{_cell(r, 'oxigraph_load_s', '.1f')} | {load_ratio} | {_cell(r, 'codikg_load_rss_mb', '.0f')} / "
            f"{_cell(r, 'oxigraph_load_rss_mb', '.0f')} | {store_mb} | {store_open} | {startup} | "
            f"{_cell(r, 'trace_one.p50_ms')} / {_cell(r, 'trace_one.p99_ms')} | "
            f"{_cell(r, 'trace_plan.p50_ms')} / {_cell(r, 'trace_plan.p99_ms')} | {_cell(r, 'serve_rss_mb', '.0f')} | "
            f"{_shacl_cell(r)} | {_cell(r, 'shacl.peak_rss_mb', '.0f')} |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]

        def g(path: str, median: bool = False) -> str:
            x, y = ((_median(a, path), _median(b, path)) if median else
                    (float(_cell(a, path, "f")) if _cell(a, path) != "—" else None,
                     float(_cell(b, path, "f")) if _cell(b, path) != "—" else None))
            return f"{y / x:.1f}×" if x and y else "n/a"
        lines += ["", f"Growth from {a['size']:,} to {b['size']:,} triples: codikg load {g('codikg_load_s')}, "
                  f"oxigraph load {g('oxigraph_load_s')}, start-up {g('startup_s', True)}, trace p50 (1 indicator) "
                  f"{g('trace_one.p50_ms')}, trace p50 (1 plan) {g('trace_plan.p50_ms')}, serve peak RSS "
                  f"{g('serve_rss_mb')}, SHACL {g('shacl.estimated_total_s')} (per plan "
                  f"{g('shacl.per_plan_s')}), store size {g('store_bytes')}."]
    lines += ["", "SHACL: `ontology/shapes.ttl`, run as `codikg validate` runs it (pySHACL on an rdflib graph, "
              "`inference=\"none\"`, `allow_warnings=True`, `advanced=False`, no ontology graph), one plan at a time "
              "with the part all plans share (fiscal years, editors' agent) in every chunk; see "
              "`bench/shacl_chunks.py` for why the chunks' reports together are the release's report. "
              "Peak memory is the validating process's."]
    variants = [(r["size"], r["shacl_variants"]) for r in rows if r.get("shacl_variants")]
    for size, v in variants:
        lines += ["", f"pySHACL options on the same {v['plans']} plans of the {size:,}-triple data "
                  "(clean: conforming; damaged: every 97th line of each plan dropped; same report = identical "
                  "results to `codikg`, one plan per chunk):", "",
                  "| variant | plans per chunk | parse s | validate s | s per plan | peak MiB | results (clean / damaged) "
                  "| same report (clean / damaged) |", "|---|---:|---:|---:|---:|---:|---:|---|"]
        for run in v["runs"]:
            c, d = run["clean"], run["damaged"]
            if "error" in c:
                lines.append(f"| {run['variant']} | {run['plans_per_chunk']} | — | — | — | — | — | fails: "
                             f"{c['error'][:160]} |")
                continue
            same = "/".join("yes" if x.get("same_report_as_codikg") else "**no**" for x in (c, d))
            lines.append(f"| {run['variant']} | {run['plans_per_chunk']} | {c['parse_s']:.1f} | {c['validate_s']:.1f} "
                         f"| {c['per_plan_s']:.2f} | {c['peak_rss_mb']:.0f} | {c['results']} / "
                         f"{d.get('results', '—')} | {same} |")
    return "\n".join(lines) + "\n"


PARTS = ("load", "serve", "shacl", "shacl-variants")
VARIANTS = "codikg:1,codikg:2,codikg:4,abort-on-first,no-allow-warnings,advanced,sparql-mode,rdfs-ontology,oxigraph"


@app.command()
def main(sizes: Annotated[str, typer.Option(help="Comma-separated triple counts.")] = "1000000,10000000",
         workdir: Annotated[Path, typer.Option(help="Where the data and stores go.")] = Path("/tmp/codikg-scale"),
         repeats: Annotated[int, typer.Option(help="Start-ups to time per size.")] = 3,
         shacl_plans: Annotated[str, typer.Option(
             help="Per size, most plans to validate ('all' or a number; the rest is extrapolated).")] = "all,100",
         keep: Annotated[bool, typer.Option(help="Keep the generated data.")] = True,
         only: Annotated[str, typer.Option(help=f"Parts to measure ({','.join(PARTS)}); the others, and sizes not "
                                                "measured, are kept from bench/scale-results.json.")]
         = "load,serve,shacl",
         shacl_variants: Annotated[str, typer.Option(
             help="pySHACL variants for the shacl-variants part, NAME[:PLANS_PER_CHUNK] (bench/shacl_chunks.py).")]
         = VARIANTS,
         variant_plans: Annotated[int, typer.Option(help="Plans each variant validates.")] = 10,
         results: Annotated[Path, typer.Option(help="Results JSON to merge into.")] = RESULTS) -> None:
    """Measure load, start-up, trace latency, SHACL and memory at each size."""
    from report import machine  # noqa: PLC0415

    parts = set(only.split(","))
    if parts - set(PARTS):
        raise typer.BadParameter(f"--only {only}: parts are {', '.join(PARTS)}")
    workdir.mkdir(parents=True, exist_ok=True)
    plans = [None if p == "all" else int(p) for p in shacl_plans.split(",")]
    rows = {r["size"]: r for r in json.loads(results.read_text())["rows"]} if results.exists() else {}
    for i, size in enumerate(int(s) for s in sizes.split(",")):
        rows[size] = measure(size, workdir, repeats, plans[min(i, len(plans) - 1)], parts, rows.get(size),
                             shacl_variants.split(","), variant_plans)
        ordered = [rows[k] for k in sorted(rows)]
        results.write_text(json.dumps({"rows": ordered, "markdown": markdown(ordered, machine())}, indent=1) + "\n")
    typer.echo(markdown([rows[k] for k in sorted(rows)], machine()))
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    app()
