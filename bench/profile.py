"""Where a cache-missing SPARQL request spends its CPU in codikg, by process.

    python bench/profile.py [--seconds 10] [--distinct/--repeat]

Starts ``codikg serve`` on the real release, drives the SPARQL mix with wrk at
16 connections (every request a new query text by default), and reports CPU
milliseconds per request of the HTTP process and of the query workers (from
``/proc``, so it is not distorted by other load on the machine), then samples
both with py-spy (installed into ``bench/.venv`` when missing) and prints the
hottest frames. The server is warmed up (deferred resources loaded, CPU idle)
before anything is measured.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).parent))
import peers as P  # noqa: E402
from workload import MIX, QUERIES  # noqa: E402

app = typer.Typer(add_completion=False)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def hottest(raw: Path, top: int) -> list[tuple[float, str]]:
    """Self-time share of the ``top`` hottest frames in a py-spy ``raw`` file."""
    own: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        own[stack.split(";")[-1]] += int(count)
        total += int(count)
    return [(100 * n / total, frame) for frame, n in own.most_common(top)]


def _wait_idle(pid: int, limit_s: float = 30) -> None:
    """Wait until ``pid`` uses no CPU for half a second (its warm-up is done)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = cpu_ticks(pid)
        time.sleep(0.5)
        if cpu_ticks(pid) - before <= 1:
            return


def _py_spy() -> str:
    """The py-spy executable; installed into bench/.venv (from PyPI) when missing."""
    found = shutil.which("py-spy") or next((str(p) for p in (Path(sys.executable).with_name("py-spy"),
                                                              P.BENCH_VENV / "bin" / "py-spy") if p.exists()), None)
    if found:
        return found
    if not (P.BENCH_VENV / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(P.BENCH_VENV)], check=True)
    subprocess.run([str(P.BENCH_VENV / "bin" / "pip"), "install", "-q", "py-spy"], check=True)
    return str(P.BENCH_VENV / "bin" / "py-spy")


@app.command()
def main(seconds: Annotated[int, typer.Option(help="Seconds of load per phase.")] = 10,
         distinct: Annotated[bool, typer.Option("--distinct/--repeat",
                                                help="Defeat the cache (default) or repeat the mix.")] = True,
         top: Annotated[int, typer.Option(help="Frames to print per process.")] = 12) -> None:
    """Measure CPU per request by process, then profile with py-spy."""
    from codikg.release.pipeline import ensure_release  # noqa: PLC0415
    from codikg.config.settings import load_settings  # noqa: PLC0415

    settings = load_settings()
    ensure_release(settings)
    workdir = Path(tempfile.mkdtemp(prefix="codikg-profile-"))
    server = P.codikg(settings.release_dir)
    server.start(workdir)
    try:
        P.warm_codikg(server)
        _wait_idle(server.process.pid)
        paths = workdir / "paths.tsv"
        paths.write_text("".join(f"{QUERIES[n][1]}\t/sparql?query={urllib.parse.quote(QUERIES[n][0], safe='')}\n"
                                 for n in MIX), encoding="utf-8")
        workers = [pid for pid in P.process_tree(server.process.pid) if pid != server.process.pid]

        def load() -> subprocess.Popen:
            env = {**os.environ, "BENCH_PATHS": str(paths), "BENCH_DISTINCT": "1" if distinct else "0",
                   "BENCH_NONCE": uuid.uuid4().hex[:12]}
            return subprocess.Popen(["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "-s",
                                     str(P.ROOT / "bench" / "wrk_mix.lua"), server.url + "/"],
                                    stdout=subprocess.PIPE, text=True, env=env)

        before = {pid: cpu_ticks(pid) for pid in [server.process.pid, *workers]}
        out, _ = load().communicate()
        data = json.loads(next(x for x in out.splitlines() if x.startswith("{")))
        n = data["requests"]
        main_ms = (cpu_ticks(server.process.pid) - before[server.process.pid]) * 1000 / TICK / n
        worker_ms = sum(cpu_ticks(p) - before[p] for p in workers) * 1000 / TICK / n
        typer.echo(f"{n / (data['duration_us'] / 1e6):.0f} req/s; CPU per request: HTTP process {main_ms:.3f} ms, "
                   f"query workers {worker_ms:.3f} ms ({'distinct' if distinct else 'repeated'} mix, c=16)")
        spy = _py_spy()
        running = load()
        records = {}
        for name, pid in (("HTTP process", server.process.pid), ("query worker", workers[0])):
            records[name] = workdir / f"{pid}.raw"
        procs = [subprocess.Popen([spy, "record", "-p", str(pid), "-d", str(max(2, seconds - 2)), "--nonblocking",
                                   "-f", "raw", "-o", str(records[name])], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for name, pid in (("HTTP process", server.process.pid), ("query worker", workers[0]))]
        for proc in procs:
            proc.wait()
        running.communicate()
        for name, raw in records.items():
            typer.echo(f"\n{name}: hottest frames (self time, share of samples)")
            for share, frame in hottest(raw, top):
                typer.echo(f"  {share:5.1f}%  {frame[:140]}")
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    app()
