"""The HTTP/1.1 protocol ``codikg serve`` runs: uvicorn's httptools protocol with bounds.

uvicorn bounds none of this for httptools (its ``h11_max_incomplete_event_size``
applies to h11 only; ``timeout_keep_alive`` starts only after a response, and
any byte received cancels it; ``limit_concurrency`` is checked only once a
request's headers are complete and answers a bare 503 with a warning logged
per refusal). An ASGI middleware is too late: it sees headers httptools and
uvicorn have already read into memory. So :func:`bounded_protocol` subclasses
:class:`uvicorn.protocols.http.httptools_impl.HttpToolsProtocol` and bounds,
before the app sees a request:

* the request's header fields: more than ``max_header_bytes`` (each field
  counted as name + value + 4 bytes, ``": "`` and CRLF) → ``431 Request Header
  Fields Too Large`` (RFC 6585 §5), connection closed. The bytes received while
  a head is incomplete are counted too, so a header that never ends is refused
  once the budget (plus at most one read of the socket) has arrived;
* the request target: 64 KiB or more → ``414 URI Too Long`` (RFC 9110
  §15.5.15; httptools cannot parse longer URLs anyway);
* the time to send a request head: ``header_timeout`` seconds from the
  connection (first request) or from a request's first byte → ``408 Request
  Timeout`` (RFC 9110 §15.5.9) when part of a request arrived, else the
  connection is closed silently; and a body: ``body_timeout`` seconds once the
  headers are in → 408, closed (the app's ``receive`` gets ``http.disconnect``);
* open connections: more than ``max_connections`` → ``503 Service Unavailable``
  with ``Retry-After: 1`` and ``Connection: close``, at once on accept (the
  request is not read); and as many requests in progress (including those
  whose client left) → the same 503 for a new request.

The keep-alive timeout is uvicorn's own ``timeout_keep_alive``.

It also takes a request target written with raw UTF-8 (``GET /search?q=บ้าน``,
as curl and wget send what they are given): RFC 9112 §3.2 allows only ASCII
there and httptools answers a bare 400, so bytes from 0x80 up in a request
line are percent-encoded (RFC 3986 §2.1) before the parser sees them — what a
browser would have sent.
"""

from __future__ import annotations

import asyncio
import logging

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from codikg.config.limits import Limits

#: Longest request target httptools' URL parser takes (its offsets are 16-bit).
MAX_URL_BYTES = 65535

_log = logging.getLogger("codikg.http")


class _Refused(Exception):
    """Raised from a parser callback to stop the parser and answer ``status``."""

    def __init__(self, status: int, message: str, headers: tuple = ()):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the bounds of the module docstring.

    The bounds are class attributes, set by :func:`bounded_protocol`.
    """

    max_header_bytes = Limits.max_header_bytes
    header_timeout = Limits.header_timeout
    body_timeout = Limits.body_timeout
    max_connections = Limits.max_connections

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._timer: asyncio.TimerHandle | None = None
        self._in_head = True  # between messages, or reading a request line and headers
        self._received = 0  # raw bytes received while a head was incomplete
        self._url_bytes = self._field_bytes = 0
        self._started = False  # part of a request arrived
        self._request_line = True  # the next bytes belong to a request line

    # -- connection ------------------------------------------------------
    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            self._refuse(503, f"the server has {self.max_connections} open connections, its "
                              "limit; try again later", ((b"retry-after", b"1"),))
            return
        self._arm(self.header_timeout)

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # uvicorn's data_received, but a refusal raised by a callback (or here)
        # is answered with its own status, not a logged 400.
        if self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        if self._in_head:
            self._received += len(data)
        if self._request_line:
            data = self._encode_request_line(data)
        try:
            self.parser.feed_data(data)
            if self._in_head and self._received > self.max_header_bytes + MAX_URL_BYTES:
                self._check_head(incomplete=True)
        except _Refused as refused:
            self._refuse(refused.status, refused.message, refused.headers)
        except httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, _Refused):
                refused = exc.__context__
                self._refuse(refused.status, refused.message, refused.headers)
            else:
                raise
        except httptools.HttpParserError:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    def _encode_request_line(self, data: bytes) -> bytes:
        end = data.find(b"\n")
        line, rest = (data, b"") if end < 0 else (data[:end], data[end:])
        self._request_line = end < 0
        if line.isascii():
            return data
        return b"".join(b"%%%02X" % byte if byte >= 0x80 else bytes((byte,)) for byte in line) + rest

    def _check_head(self, incomplete: bool = False) -> None:
        if self._url_bytes > MAX_URL_BYTES:
            raise _Refused(414, f"the request target is over {MAX_URL_BYTES} bytes; send long "
                                "SPARQL queries with POST")
        fields = self._field_bytes
        if incomplete:  # a field still being received counts too
            fields = max(fields, self._received - self._url_bytes - 64)
        if fields > self.max_header_bytes:
            raise _Refused(431, f"the request's header fields are over the limit of "
                                f"{self.max_header_bytes} bytes")

    # -- parser callbacks ------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._started = True
        if self._timer is None:
            self._arm(self.header_timeout)

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > MAX_URL_BYTES:
            self._check_head()
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._field_bytes += len(name) + len(value) + 4
        if self._field_bytes > self.max_header_bytes:
            self._check_head()
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._check_head()
        if len(self.tasks) >= self.max_connections:
            raise _Refused(503, f"the server has {self.max_connections} requests in progress, its "
                                "limit; try again later", ((b"retry-after", b"1"),))
        self._in_head = False
        self._disarm()
        super().on_headers_complete()
        self._arm(self.body_timeout)

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head, self._started, self._request_line = True, False, True
        self._received = self._url_bytes = self._field_bytes = 0
        super().on_message_complete()

    # -- timers and refusals ---------------------------------------------
    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if not self._started:  # nothing of a request arrived: just close
            self.transport.close()
            return
        what = "headers" if self._in_head else "body"
        self._refuse(408, f"the request {what} did not arrive within "
                          f"{self.header_timeout if self._in_head else self.body_timeout:g} s")

    def _refuse(self, status: int, message: str, headers: tuple = ()) -> None:
        """Answer ``status`` with ``message`` as ``text/plain`` (unless a response
        already started) and close the connection; the app sees a disconnect."""
        self._disarm()
        cycle = self.cycle
        # A head refused: answer unless the previous (pipelined) response is still
        # being sent; a body timed out: unless the app already answered.
        if (cycle is None or cycle.response_complete) if self._in_head else not cycle.response_started:
            body = f"{status} {STATUS_LINE[status].decode('ascii')[13:].strip()}: {message}\n".encode()
            content = [STATUS_LINE[status]]
            for name, value in (*self.server_state.default_headers, *headers):
                content += [name, b": ", value, b"\r\n"]
            content += [b"content-type: text/plain; charset=utf-8\r\n",
                        b"content-length: ", str(len(body)).encode(), b"\r\n",
                        b"connection: close\r\n\r\n", body]
            self.transport.write(b"".join(content))
        if cycle is not None and not cycle.response_complete and not self._in_head:
            cycle.disconnected = True
            cycle.message_event.set()
        _log.debug("%s: %s", status, message)
        self.transport.close()


def bounded_protocol(limits: Limits) -> type[BoundedHttpToolsProtocol]:
    """The protocol class to give uvicorn (``http=``) for ``limits``: a subclass of
    :class:`BoundedHttpToolsProtocol` holding their header size, timeouts and
    connection cap."""
    return type("CodikgHttpProtocol", (BoundedHttpToolsProtocol,), {
        "max_header_bytes": limits.max_header_bytes, "header_timeout": limits.header_timeout,
        "body_timeout": limits.body_timeout, "max_connections": limits.max_connections})


def raise_open_files_limit(wanted: int) -> int:
    """Raise this process's soft limit of open files (``RLIMIT_NOFILE``) towards
    ``wanted`` (at most the hard limit); return the soft limit now in force."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


__all__ = ["BoundedHttpToolsProtocol", "MAX_URL_BYTES", "bounded_protocol", "raise_open_files_limit"]
