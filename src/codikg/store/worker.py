"""A query worker process: holds the release in memory and answers framed requests.

Run as ``python -m codikg.store.worker FD [--writable] TRIG...`` (or
``FD --store DIR`` for an on-disk store opened read-only) by
:class:`codikg.store.pool.QueryPool`, which talks to it over the inherited
Unix socket ``FD`` and kills it when a query outlives the time limit
(pyoxigraph cannot cancel a query). The worker serialises the answer itself,
so only bytes cross the process boundary.

Frames (both ways): 8 bytes ``!II`` (header length, body length), a UTF-8
JSON header, then the body. A request header has ``op`` (``query`` or
``update``), ``default``/``named`` (dataset IRIs), ``base`` (base IRI),
``results``/``boolean``/``graph`` (the media types negotiated for solutions, a
boolean or a graph, ``null`` if the client accepts none) and ``limit`` (rows);
the body is the query text. A response header has ``status``, ``type``
(Content-Type), ``rows``, ``truncated`` and, on errors, ``message``.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import sys

import pyoxigraph as ox

from codikg.sparql.formats import GRAPH_FORMATS, RESULTS_FORMATS
from codikg.store.oxigraph import EmbeddedStore
from codikg.store.protocol import StoreError
from codikg.sparql.policy import QueryRefused

_FRAME = struct.Struct("!II")
_RESULTS = {fmt.media_type: fmt.oxigraph for fmt in RESULTS_FORMATS}
_GRAPHS = {fmt.media_type: fmt.oxigraph for fmt in GRAPH_FORMATS}


def write_frame(sock: socket.socket, header: dict, body: bytes = b"") -> None:
    """Send one frame on a blocking socket."""
    head = json.dumps(header).encode()
    sock.sendall(_FRAME.pack(len(head), len(body)) + head + body)


def read_frame(sock: socket.socket) -> tuple[dict, bytes] | None:
    """Receive one frame; ``None`` when the peer closed the socket."""
    prefix = _recv_exactly(sock, _FRAME.size)
    if prefix is None:
        return None
    head_len, body_len = _FRAME.unpack(prefix)
    head = _recv_exactly(sock, head_len) or b"{}"
    body = _recv_exactly(sock, body_len) if body_len else b""
    return json.loads(head), body or b""


def _recv_exactly(sock: socket.socket, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def answer(store: EmbeddedStore, header: dict, text: str) -> tuple[dict, bytes]:
    """Evaluate one request against ``store``; return the response header and body.

    Never raises for a bad query: syntax errors give status 400, evaluation
    errors 500, an answer no accepted type can carry 406.
    """
    if header.get("op") == "update":
        try:
            store.update(text, base_iri=header.get("base"))
        except SyntaxError as exc:
            return {"status": 400, "message": f"SPARQL syntax error: {exc}"}, b""
        except Exception as exc:  # noqa: BLE001 - reported to the client as 500
            return {"status": 500, "message": f"update failed: {exc}"}, b""
        return {"status": 204}, b""

    def run():
        return store.query(text, header.get("default"), header.get("named"), header.get("base"))

    for param, iris in (("default-graph-uri", header.get("default")), ("named-graph-uri", header.get("named"))):
        for iri in iris or ():
            try:
                ox.NamedNode(iri)
            except ValueError as exc:
                return {"status": 400, "message": f"{param}={iri!r} is not an IRI: {exc}"}, b""
    try:
        result = run()
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, header)
        if isinstance(result, ox.QueryTriples):
            return _triples(result, header)
        return _solutions(result, header)
    except SyntaxError as exc:
        return {"status": 400, "message": f"SPARQL syntax error: {exc}"}, b""
    except QueryRefused as exc:  # a remote store checks every query it sends
        return {"status": 400, "message": str(exc)}, b""
    except StoreError:  # a remote store failed: the caller answers 502/503
        raise
    except Exception as exc:  # noqa: BLE001 - evaluation errors are the client's 500
        return {"status": 500, "message": f"query evaluation failed: {exc}"}, b""


def _not_acceptable(kinds: dict) -> tuple[dict, bytes]:
    return {"status": 406, "message": "none of the Accept types can carry this result; "
                                      f"available: {', '.join(kinds)}"}, b""


def _boolean(result, header):
    media_type = header.get("boolean")  # CSV and TSV cannot carry a boolean
    if media_type is None:
        return _not_acceptable({k: v for k, v in _RESULTS.items() if "sparql-results" in k})
    body = result.serialize(format=_RESULTS[media_type])
    return {"status": 200, "type": media_type, "rows": 1, "truncated": False}, body


def _triples(result, header):
    media_type = header.get("graph")
    if media_type is None:
        return _not_acceptable(_GRAPHS)
    limit = header["limit"]
    triples = list(itertools.islice(result, limit + 1))
    truncated = len(triples) > limit
    del triples[limit:]
    body = ox.serialize(triples, format=_GRAPHS[media_type])
    return {"status": 200, "type": media_type, "rows": len(triples), "truncated": truncated}, body


class _Enough(Exception):
    """Raised from :class:`_RowCutter` to stop Oxigraph's serialiser."""


class _RowCutter:
    """A file-like sink for Oxigraph's SPARQL TSV writer that stops after ``limit + 1`` rows.

    SPARQL TSV escapes newlines inside terms, so every newline ends a row
    (the first ends the header).
    """

    def __init__(self, limit: int):
        self.chunks: list[bytes] = []
        self.lines, self.limit = 0, limit

    def write(self, data) -> int:
        data = bytes(data)
        self.chunks.append(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit + 1:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass

    def rows(self) -> tuple[bytes, int, bool]:
        """The header and at most ``limit`` rows as TSV, their count, and whether rows were cut."""
        tsv = b"".join(self.chunks)
        if self.lines <= self.limit + 1:
            return tsv, max(0, self.lines - 1), False
        cut = -1
        for _ in range(self.limit + 1):
            cut = tsv.index(b"\n", cut + 1)
        return tsv[:cut + 1], self.limit, True


def _solutions(result, header):
    media_type = header.get("results")
    if media_type is None:
        return _not_acceptable(_RESULTS)
    fmt = _RESULTS[media_type]
    # Oxigraph writes the solutions as SPARQL TSV (native code, no Python per
    # row); the writer stops it after the row limit; Oxigraph re-serialises
    # the TSV in the asked format.
    sink = _RowCutter(header["limit"])
    try:
        result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except Exception:  # noqa: BLE001 - _Enough arrives wrapped by pyoxigraph
        if sink.lines <= sink.limit + 1:
            raise
    tsv, rows, truncated = sink.rows()
    meta = {"status": 200, "type": media_type, "rows": rows, "truncated": truncated}
    if fmt == ox.QueryResultsFormat.TSV:
        return meta, tsv
    return meta, ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)


def _die_with_parent() -> None:
    try:  # Linux: the kernel kills us if the server dies mid-query
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _isolate_network() -> bool:
    """Move this process into an empty network namespace, if the kernel lets us.

    Defence in depth: pyoxigraph itself fetches ``SERVICE`` and ``LOAD``
    IRIs, which :mod:`codikg.sparql.policy` refuses before a query gets here;
    without a network interface a worker could not fetch even if a query
    slipped through. Must run before any thread starts. Returns whether it
    worked (it needs root, or unprivileged user namespaces).
    """
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return False
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    return libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0


def main(argv: list[str]) -> int:
    """Entry point: ``FD [--writable] TRIG...`` or ``FD --store DIR``; serve until the socket closes."""
    _die_with_parent()
    isolated = _isolate_network()
    sock = socket.socket(fileno=int(argv[0]))
    args = argv[1:]
    writable = "--writable" in args
    if "--store" in args:  # an on-disk store, shared read-only with the other workers
        store = EmbeddedStore.open_read_only(args[args.index("--store") + 1])
    else:
        store = EmbeddedStore([path for path in args if path != "--writable"])
    # No triple count here: on an on-disk store len() scans every quad (~20 s at 10M triples).
    write_frame(sock, {"ready": True, "network_isolated": isolated})
    while (frame := read_frame(sock)) is not None:
        header, body = frame
        text = body.decode("utf-8")
        if header.get("op") == "update" and not writable:
            write_frame(sock, {"status": 403, "message": "this SPARQL endpoint is read-only"})
            continue
        header["text"] = text
        response, payload = answer(store, header, text)
        write_frame(sock, response, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
