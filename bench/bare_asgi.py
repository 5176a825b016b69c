"""The ceiling of Python's HTTP layer: an ASGI app that returns fixed bytes.

Served by uvicorn with the settings ``codikg serve`` uses (uvloop, httptools,
no access log), it answers every request with the same small JSON body, so
its throughput is what no Python ASGI server on this machine can beat.
"""

BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"fixed"}}]}}'
HEADERS = [(b"content-type", b"application/sparql-results+json"),
           (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
