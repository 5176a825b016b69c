"""Server-level bounds of ``codikg serve`` (codikg.web.http.server): header size (431),
request target (414), header and body time-outs (408), keep-alive, connection cap (503).

Each test runs a real server with small limits; client-side time-outs are generous
multiples of them, and no test asserts a duration.
"""

from __future__ import annotations

import json
import socket

import pytest

from conftest import serve

pytestmark = pytest.mark.slow

OPTIONS = ("--no-build", "--workers", "1", "--max-header-bytes", "4096", "--header-timeout", "1",
           "--body-timeout", "1", "--keep-alive-timeout", "1", "--max-connections", "4")


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    return tmp_path_factory.mktemp("bounds") / "server.log"


@pytest.fixture(scope="module")
def url(release, server_log):
    with open(server_log, "wb") as log, serve(release[0], *OPTIONS, log=log) as base:
        yield base


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _exchange(url: str, request: bytes) -> bytes:
    """Send ``request``, read until the server closes (10 s at most); the bytes received."""
    with _connect(url) as sock:
        try:
            sock.sendall(request)
        except OSError:  # the server refused and closed while we were still sending
            pass
        return _read_to_close(sock)


def _read_to_close(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def _get(headers: bytes = b"", target: bytes = b"/sparql?query=ASK%7B%7D") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: test\r\n" + headers + b"Connection: close\r\n\r\n"


def test_header_fields_over_the_limit_get_431(url):
    answer = _exchange(url, _get(b"Cookie: a=" + b"x" * 5000 + b"\r\n"))
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"connection: close\r\n" in answer
    assert answer.endswith(b"431 Request Header Fields Too Large: the request's header fields are "
                           b"over the limit of 4096 bytes\n")


def test_a_header_that_never_ends_gets_431_and_is_closed(url):
    with _connect(url) as sock:
        sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: test\r\nAccept: ")
        try:
            for _ in range(200):  # 4 MB, or until the server closes
                sock.sendall(b"x" * 20_000)
        except OSError:
            pass
        answer = _read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_header_fields_under_the_limit_are_served(url):
    answer = _exchange(url, _get(b"Cookie: a=" + b"x" * 3000 + b"\r\n"))
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")


def test_a_request_target_in_raw_utf8_is_read_as_percent_encoded(url):
    # curl and wget send what they are given; browsers would have percent-encoded it
    thai = "/search?q=บ้านมั่นคง&format=json".encode("utf-8")
    answer = _exchange(url, _get(target=thai))
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"application/json" in head
    found = json.loads(body)
    assert found["query"] == "บ้านมั่นคง" and found["total"] == 3
    # a raw byte that is not UTF-8 reaches the app percent-encoded and is refused there, by name
    answer = _exchange(url, _get(target=b"/sparql?query=ASK%7B%7D\xff"))
    assert answer.startswith(b"HTTP/1.1 400 ") and b"query" in answer


def test_a_request_target_over_64_kib_gets_414(url):
    answer = _exchange(url, _get(target=b"/sparql?query=" + b"x" * 70_000))
    assert answer.startswith(b"HTTP/1.1 414 ")
    assert b"send long SPARQL queries with POST" in answer


def test_incomplete_headers_get_408_and_the_connection_is_closed(url):
    with _connect(url) as sock:
        sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: test\r\n")
        answer = _read_to_close(sock)  # the server closes: recv returns b"" well before 10 s
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert answer.endswith(b"408 Request Timeout: the request headers did not arrive within 1 s\n")


def test_a_connection_that_sends_nothing_is_closed(url):
    with _connect(url) as sock:
        assert _read_to_close(sock) == b""


def test_an_aborted_body_leaves_no_traceback_in_the_log(url, server_log):
    with _connect(url) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {")
    # the server is still there, and answers
    assert _exchange(url, _get()).startswith(b"HTTP/1.1 200 OK\r\n")
    text = server_log.read_text()
    assert "Traceback" not in text and "ClientDisconnect" not in text


def test_an_incomplete_body_gets_408_and_the_connection_is_closed(url):
    with _connect(url) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK {")
        answer = _read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"the request body did not arrive within 1 s" in answer


def test_an_idle_keep_alive_connection_is_closed(url):
    with _connect(url) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\n\r\n")
        answer = _read_to_close(sock)  # one answer, then the keep-alive time-out closes
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_connections_over_the_cap_get_503(release):
    with serve(release[0], "--no-build", "--workers", "1", "--max-connections", "3",
               "--keep-alive-timeout", "30", "--header-timeout", "30") as base:
        held = [_connect(base) for _ in range(3)]
        try:
            for sock in held:  # each is accepted and answered, then kept open
                sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\n\r\n")
                assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
            answer = _exchange(base, _get())
            assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
            assert b"retry-after: 1\r\n" in answer and b"connection: close\r\n" in answer
            assert answer.endswith(b"503 Service Unavailable: the server has 3 open connections, "
                                   b"its limit; try again later\n")
        finally:
            for sock in held:
                sock.close()
