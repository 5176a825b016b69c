"""The servers under test: how to start each one on the same release.

Every peer serves the same union default graph (the named graphs plus their
union), so that plain SPARQL without ``FROM`` asks every server the same
question. Each :class:`Server` records its process so that peak memory can be
read from ``/proc``.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / "bench" / ".venv"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, accept: str, timeout: float = 60) -> tuple[int, bytes, str]:
    """Status, body and Content-Type of a GET."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def http_post(url: str, body: bytes, content_type: str, timeout: float = 600) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


@dataclass
class Server:
    """A server under test: its command line, port and SPARQL endpoint path."""

    name: str
    command: list[str]
    port: int
    sparql_path: str = "/sparql"
    process: subprocess.Popen | None = None
    log: Path | None = None
    started_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workdir: Path, timeout: float = 300) -> None:
        """Start the process and wait until its endpoint answers ``ASK {}``.

        Raises:
            SystemExit: it exited or did not answer within ``timeout`` seconds (log quoted).
        """
        self.log = workdir / f"{self.name}.log"
        begun = time.monotonic()
        self.process = subprocess.Popen(self.command, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
                                        cwd=workdir)
        deadline = begun + timeout
        probe = self.url + self.sparql_path + "?query=" + urllib.parse.quote("ASK {}")
        while True:
            try:
                if http_get(probe, "application/sparql-results+json", timeout=5)[0] == 200:
                    self.started_s = time.monotonic() - begun
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{self.name} did not start; see {self.log}:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def peak_rss_mb(self) -> float:
        """Sum of the peak resident set (VmHWM) of the server and its children, MiB."""
        return self.memory_mb("VmHWM")

    def memory_mb(self, field: str) -> float:
        """Sum of ``field`` of /proc/PID/status (``VmHWM``, ``VmRSS``: kB) over the server
        and its children, MiB."""
        total = 0
        for pid in process_tree(self.process.pid):
            try:
                with open(f"/proc/{pid}/status") as status:
                    total += next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
            except (FileNotFoundError, StopIteration, ProcessLookupError):
                continue
        return total / 1024

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def process_tree(root: int) -> list[int]:
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


def codikg(release: Path, extra: list[str] = ()) -> Server:
    """``codikg serve`` on the release, every safeguard at its default."""
    port = free_port()
    return Server("codikg", [sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release",
                             str(release), "--port", str(port), *extra], port)


#: Requests that make a started codikg load what it defers (search index, catalog,
#: vocabulary, quality report): each returns once its resource is loaded, so no
#: warm-up work is timed as request cost.
WARM_UP_PATHS = ("/search?q=%E0%B8%8A%E0%B8%B8%E0%B8%A1%E0%B8%8A%E0%B8%99&format=json", "/catalog",
                 "/ontology", "/report.json", "/")


def warm_codikg(server: Server) -> None:
    """GET :data:`WARM_UP_PATHS` from a started codikg.

    Raises:
        SystemExit: one of them did not answer 200.
    """
    for path in WARM_UP_PATHS:
        status = http_get(server.url + path, "text/turtle, application/json;q=0.9, text/html;q=0.8")[0]
        if status != 200:
            raise SystemExit(f"codikg answered {status} to the warm-up request {path}")


def bare_asgi() -> Server:
    """The fixed-bytes ASGI app under uvicorn with codikg's settings (the HTTP ceiling)."""
    port = free_port()
    return Server("bare-asgi", [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"),
                                "--port", str(port), "--no-access-log", "bare_asgi:app"], port)


def oxigraph_disk(release: Path, workdir: Path) -> Server:
    """``oxigraph serve-read-only`` on a RocksDB store loaded with ``oxigraph load``."""
    oxigraph = str(BENCH_VENV / "bin" / "oxigraph")
    location = workdir / "oxigraph-store"
    for dump in ("codikg.trig", "codikg.nt"):  # the named graphs, then their union as the default graph
        subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(release / dump)],
                       check=True, capture_output=True)
    port = free_port()
    return Server("oxigraph", [oxigraph, "serve-read-only", "--location", str(location),
                               "--bind", f"127.0.0.1:{port}"], port, "/query")


def oxigraph_memory() -> Server:
    """``oxigraph serve`` with its in-memory store (loaded over HTTP by :func:`load_oxigraph_memory`)."""
    port = free_port()
    return Server("oxigraph-mem", [str(BENCH_VENV / "bin" / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"],
                  port, "/query")


def load_oxigraph_memory(server: Server, release: Path) -> None:
    """POST the release to the Graph Store endpoint: TriG, then the union into the default graph."""
    http_post(server.url + "/store", (release / "codikg.trig").read_bytes(), "application/trig")
    http_post(server.url + "/store?default", (release / "codikg.nt").read_bytes(), "application/n-triples")


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def virtuoso(workdir: Path) -> Server:
    """Virtuoso Open Source (Debian's ``virtuoso-opensource``) in a private database folder."""
    folder = workdir / "virtuoso"
    folder.mkdir(exist_ok=True)
    port, isql_port = free_port(), free_port()
    ini = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text()
    ini = re.sub(r"/var/lib/virtuoso-opensource-7/db", str(folder), ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", rf"ServerPort\g<1>= {isql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", rf"ServerPort\g<1>= {port}", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {workdir}, /usr/share/virtuoso-opensource-7/vad", ini)
    ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", "NumberOfBuffers = 170000", ini)
    ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", "MaxDirtyBuffers = 130000", ini)
    (folder / "virtuoso.ini").write_text(ini)
    server = Server("virtuoso", ["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                    port, "/sparql")
    server.isql_port = isql_port  # type: ignore[attr-defined]
    return server


def load_virtuoso(server: Server, release: Path, workdir: Path) -> None:
    """Bulk-load the release's TriG (Virtuoso's default graph is already the union of all graphs)."""
    data = workdir / "virtuoso-data"
    data.mkdir(exist_ok=True)
    shutil.copy(release / "codikg.trig", data / "codikg.trig")
    script = (f"ld_dir('{data}', '*.trig', 'urn:codikg:unused'); rdf_loader_run(); checkpoint; "
              "select count(*) from DB.DBA.LOAD_LIST where ll_error is not null;")
    result = subprocess.run(["isql-vt", str(server.isql_port), "dba", "dba", f"exec={script}"],  # type: ignore[attr-defined]
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise SystemExit(f"loading Virtuoso failed:\n{result.stdout}{result.stderr}")
