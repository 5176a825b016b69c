"""The Markdown report of a benchmark run: machine, table, ratios and targets."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """CPU model, cores, RAM, kernel and Python of this machine."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{cpu}, {os.cpu_count()} cores, {mem / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def _ratio(by: dict, mine: tuple[str, str], theirs: tuple[str, str]) -> float | None:
    a, b = by.get(mine), by.get(theirs)
    return a["rps"] / b["rps"] if a and b and b["rps"] else None


def targets(rows: list[dict]) -> list[tuple[str, str, str, str]]:
    """(target, goal, measured, met?) for every issue-7 target this run can check."""
    by = {(r["server"], r["scenario"]): r for r in rows}
    found = []

    def ratio_row(label, goal, mine, theirs):
        value = _ratio(by, mine, theirs)
        if value is not None:
            # a miss must not round up to the goal (0.995 → "1.00×")
            digits = 3 if value < goal <= round(value, 2) else 2
            found.append((label, f"≥ {goal:g}×", f"{value:.{digits}f}×", "met" if value >= goal else "**missed**"))

    for peer in ("oxigraph", "oxigraph-mem", "virtuoso"):
        ratio_row(f"mix c=16 ÷ {peer}", 1.0, ("codikg", "mix c=16"), (peer, "mix c=16"))
        ratio_row(f"mix c=16, cache defeated ÷ {peer}", 0.5,
                  ("codikg", "mix c=16 distinct"), (peer, "mix c=16 distinct"))
    ratio_row("mix c=16 ÷ rdflib-endpoint", 50, ("codikg", "mix c=16"), ("rdflib-endpoint", "mix c=16"))
    mix = by.get(("codikg", "mix c=16"))
    if mix:
        found.append(("mix c=16 p99", "< 25 ms", f"{mix['p99']:.1f} ms", "met" if mix["p99"] < 25 else "**missed**"))
    distinct = by.get(("codikg", "mix c=16 distinct"))
    if distinct:
        found.append(("mix c=16 distinct p99", "< 25 ms", f"{distinct['p99']:.1f} ms",
                      "met" if distinct["p99"] < 25 else "**missed**"))
    sparql = ("mix", "trace", "label-search", "counts", "describe")
    errors = sum(r["errors"] for r in rows if r["server"] == "codikg" and r["scenario"].startswith(sparql))
    other = sum(r["errors"] for r in rows if r["server"] == "codikg" and not r["scenario"].startswith(sparql))
    found.append(("errors (SPARQL rows)", "0", str(errors), "met" if errors == 0 else "**missed**"))
    found.append(("errors (page and dump rows)", "0", str(other), "met" if other == 0 else "**missed**"))
    for page in ("page-html", "page-turtle"):
        for peer in ("oxigraph", "oxigraph-mem"):
            ratio_row(f"{page} ÷ {peer} DESCRIBE", 1.0, ("codikg", f"{page} c=16"), (peer, "describe c=16"))
    for c in (1, 16, 64):
        value = _ratio(by, ("codikg", f"mix c={c}"), ("bare-asgi", f"mix c={c}"))
        if value is not None:
            found.append((f"repeated mix c={c} ÷ bare ASGI", "approach 1×", f"{value:.2f}×", "—"))
    return found


def render(rows: list[dict], sizes: dict[str, int], manifest: dict, duration: int,
           notes: list[str], scale: dict | None, reading: str | None = None,
           load_average: float | None = None) -> str:
    """The Markdown report: one table with codikg ÷ peer ratios per scenario, the
    targets, the scale results (``scale``, from bench/scale.py) and a hand-written
    ``reading`` of the run, if given. ``load_average``: the 1-minute load average
    when the run ended (default: now)."""
    peers = [p for p in dict.fromkeys(r["server"] for r in rows) if p != "codikg"]
    by = {(r["server"], r["scenario"]): r for r in rows}
    lines = [
        "# Benchmarks", "",
        "Written by `.venv/bin/python bench/run.py` (`make bench`); the scale section by "
        "`.venv/bin/python bench/scale.py` (`make bench-scale`).", "",
        f"Machine: {machine()}; load average when the run ended "
        f"{load_average if load_average is not None else os.getloadavg()[0]:.1f} (the benchmark's own "
        "processes included; the machine is shared, so absolute numbers move between runs; the ratios "
        "are the figures of merit).  ",
        f"Data: release `{manifest['release']}`, {manifest['union_triples']:,} triples (the real plan).  ",
        f"Load: wrk, closed loop, {duration} s per row; `distinct` appends a counter comment so every "
        "request is a new query text (no cache can answer it).  ",
        "codikg runs with every public-endpoint safeguard on (time limit, row limit, worker-process "
        "isolation, SERVICE refused); the peers run with their defaults.  ",
        "Answers were checked equal on every server before timing: "
        + ", ".join(f"{k} {v}" for k, v in sizes.items()) + " rows/triples.", "",
        *(f"Note: {n}  " for n in notes), "",
        "| server | scenario | req/s | p50 ms | p99 ms | errors | peak RSS MiB | "
        + " | ".join(f"codikg ÷ {p}" for p in peers) + " |",
        "|---|---|---:|---:|---:|---:|---:|" + "---:|" * len(peers),
    ]
    for r in rows:
        ratios = []
        for p in peers:
            value = _ratio(by, ("codikg", r["scenario"]), (p, r["scenario"])) if r["server"] == "codikg" else None
            ratios.append(f"{value:.2f}×" if value is not None else "")
        lines.append(f"| {r['server']} | {r['scenario']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                     f"{r['errors']} | {r.get('rss', 0):.0f} | " + " | ".join(ratios) + " |")
    lines += ["", "## Targets (issue 7), this run", "", "| target | goal | measured | |", "|---|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(rows)]
    if scale:
        lines += ["", scale.get("markdown", "")]
    if reading:
        lines += ["", reading]
    return "\n".join(lines) + "\n"
