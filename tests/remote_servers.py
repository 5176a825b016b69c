"""Real SPARQL stores started by the tests: Oxigraph's server and, when installed, Virtuoso."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from conftest import _free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")


def _wait(url: str, proc: subprocess.Popen, log, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2,
                         headers={"Accept": "application/sparql-results+json"}).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            raise RuntimeError(f"store at {url} did not start:\n" + log.read().decode(errors="replace"))
        time.sleep(0.2)


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` (read-write), restartable.

    ``timeout_s`` is the server's own query timeout (so abandoned queries stop).
    """

    def __init__(self, location: Path, timeout_s: int = 30):
        self.location, self.port, self.timeout_s = Path(location), _free_port(), timeout_s
        self.query_url = f"http://127.0.0.1:{self.port}/query"
        self.proc = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> "OxigraphServer":
        self.proc = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(self.location), "--bind",
             f"127.0.0.1:{self.port}", "--timeout-s", str(self.timeout_s)],
            stdout=self._log, stderr=subprocess.STDOUT)
        _wait(self.query_url, self.proc, self._log, 30)
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class VirtuosoServer:
    """A throw-away Virtuoso (Debian's ``virtuoso-opensource``) in a temporary folder.

    The ``SPARQL`` account gets ``SPARQL_UPDATE`` so that ``/sparql`` takes
    updates and ``/sparql-graph-crud`` takes Graph Store Protocol writes.
    """

    def __init__(self, folder: Path):
        self.folder, self.sql_port, self.http_port = Path(folder), _free_port(), _free_port()
        self.query_url = f"http://127.0.0.1:{self.http_port}/sparql"
        self._log = tempfile.TemporaryFile()
        self.proc = None

    def start(self) -> "VirtuosoServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        f = self.folder
        (f / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {f}/virtuoso.db
ErrorLogFile = {f}/virtuoso.log
LockFile = {f}/virtuoso.lck
TransactionFile = {f}/virtuoso.trx
xa_persistent_file = {f}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {f}/virtuoso-temp.db
TransactionFile = {f}/virtuoso-temp.trx
[Parameters]
ServerPort = {self.sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {f}
[HTTPServer]
ServerPort = {self.http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
""")
        self.proc = subprocess.Popen([VIRTUOSO, "-c", str(f / "virtuoso.ini"), "+foreground"],
                                     cwd=f, stdout=self._log, stderr=subprocess.STDOUT)
        _wait(self.query_url, self.proc, self._log, 120)
        subprocess.run([ISQL, str(self.sql_port), "dba", "dba",
                        'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
