"""The SPARQL 1.1 Protocol endpoint (query operation, read-only).

Follows https://www.w3.org/TR/sparql11-protocol/: query via GET, via POST
``application/x-www-form-urlencoded`` and via POST ``application/sparql-query``;
``default-graph-uri``/``named-graph-uri`` set the dataset. Updates are refused
with 403 since the service is read-only. A GET without ``query`` returns the
SPARQL 1.1 Service Description.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import mimeparse
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from codikg.build.namespaces import SD
from codikg.web.negotiation import (GRAPH_FORMATS, HTML, RESULTS_FORMATS, available,
                                    format_by_name, negotiate)
from codikg.web.policy import QueryRefused, check_query

router = APIRouter()

_FORMAT_PARAMS = ("format", "output", "results")
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request that breaks the protocol; carries the HTTP status."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _error(exc: ProtocolError) -> Response:
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


def _check_charset(content_type: str) -> tuple[str, str]:
    try:
        main, sub, params = mimeparse.parse_mime_type(content_type)
    except ValueError:
        raise ProtocolError(415, f"unreadable Content-Type: {content_type!r}") from None
    charset = params.get("charset", "utf-8").strip('"').lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"only UTF-8 request bodies are accepted, not charset={charset}")
    return f"{main}/{sub}".lower(), charset


async def _read_params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """Protocol parameters (URL and form) and the query from a direct POST body."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params, None
    media_type, _ = _check_charset(request.headers.get("content-type", ""))
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"request body is not UTF-8: {exc}") from None
    if media_type == _FORM:
        return params + parse_qsl(text, keep_blank_values=True), None
    if media_type == _QUERY:
        return params, text
    if media_type == _UPDATE:
        raise ProtocolError(403, "this SPARQL endpoint is read-only: updates are not accepted")
    raise ProtocolError(415, f"POST a query as {_FORM} or {_QUERY}, not {media_type or 'no Content-Type'}")


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"])
async def sparql_endpoint(request: Request) -> Response:
    """Answer a SPARQL 1.1 Protocol request (see the module docstring)."""
    try:
        params, body_query = await _read_params(request)
        values: dict[str, list[str]] = {}
        for key, value in params:
            values.setdefault(key, []).append(value)
        if "update" in values:
            raise ProtocolError(403, "this SPARQL endpoint is read-only: updates are not accepted")
        queries = values.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) > 1:
            raise ProtocolError(400, "give exactly one query (several 'query' values were sent)")
        if not queries:
            if request.method == "POST":
                raise ProtocolError(400, "missing 'query' parameter")
            return service_description(request)
        return await run_query(request, queries[0], values)
    except ProtocolError as exc:
        return _error(exc)


async def run_query(request: Request, query: str, values: dict[str, list[str]]) -> Response:
    """Evaluate ``query`` on the app's store and serialise the answer."""
    try:
        check_query(query)
    except QueryRefused as exc:
        raise ProtocolError(400, str(exc)) from None
    store = request.app.state.store
    try:
        result = store.query(query, values.get("default-graph-uri"), values.get("named-graph-uri"))
    except SyntaxError as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise ProtocolError(500, f"query evaluation failed: {exc}") from None
    formats = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULTS_FORMATS
    requested = next((v for k in _FORMAT_PARAMS for v in values.get(k, [])), None)
    fmt = format_by_name(formats, requested) or negotiate(formats, request.headers.get("accept"))
    if fmt is None:
        raise ProtocolError(406, f"none of the Accept types can carry this result; available: "
                                 f"{available(formats)}")
    try:
        body = result.serialize(format=fmt.oxigraph)
    except (OSError, ValueError) as exc:
        raise ProtocolError(500, f"query evaluation failed: {exc}") from None
    headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
    return Response(body, media_type=fmt.content_type, headers=headers)


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, negotiated."""
    fmt = negotiate(GRAPH_FORMATS + (HTML,), request.headers.get("accept"))
    if fmt is None:
        raise ProtocolError(406, f"available: {available(GRAPH_FORMATS + (HTML,))}")
    if fmt is HTML:
        return request.app.state.templates.TemplateResponse(
            request, "sparql.html", {"examples": request.app.state.examples})
    endpoint = URIRef(str(request.url_for("sparql_endpoint")))
    g = Graph()
    g.bind("sd", SD)
    service, dataset, graph_collection = BNode("service"), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for f in RESULTS_FORMATS + GRAPH_FORMATS:
        g.add((service, SD.resultFormat, URIRef(_FORMAT_IRIS[f.media_type])))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, graph_collection))
    g.add((graph_collection, RDF.type, SD.Graph))
    for name in request.app.state.store.named_graphs():
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt",
                     "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[fmt.media_type]
    body = g.serialize(format=rdflib_format, encoding="utf-8")
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


_FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}
