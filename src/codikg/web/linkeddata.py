"""Dereferencing: every IRI under the base namespace answers at this server.

The server maps its own URL space onto the base IRI (docs/DESIGN.md): a request
for ``/id/{agency}/plan/{fy}/issue/3`` is about
``{base}id/{agency}/plan/{fy}/issue/3``. Each kind of IRI is a
:class:`LinkedDataSource` (a path prefix, a function returning the quads that
describe an IRI, and an HTML page) mounted with :func:`mount`; the catalog
and VoID plug in the same way.

Following the W3C Interest Group Note "Cool URIs for the Semantic Web"
(§4.3, 303 URIs forwarding to different documents):

- IRIs of *things* (plan elements, agencies: not documents) answer
  ``303 See Other`` to the document describing them in the negotiated format,
  ``/id/….ttl``, ``….jsonld``, ``….rdf``, ``….nt``, ``….trig``, ``….nq`` or
  ``….html``; those URLs are stable and can be bookmarked or cited.
- IRIs of *information resources* (a named graph is its own content) answer
  ``200`` with the negotiated representation and ``Content-Location`` naming
  the format-specific URL.

Every document holds its triples in its default graph: a client reading
one as a graph (Comunica, link traversal) finds them whatever format it
negotiated; TriG and N-Quads add each statement in the named graph that
states it (provenance). On a tie, triple formats rank above quad formats.

Negotiation is on ``Accept`` (q-values) unless the URL ends in a format
extension or carries ``?format=`` (a name none of the formats has gets 406).
Answers carry ``Vary``, a weak ``ETag`` and ``Last-Modified`` from the
release (immutable while served), honour
``If-None-Match``/``If-Modified-Since`` with 304
(:mod:`codikg.web.http.conditional`), and list the other formats in a
``Link: rel="alternate"`` header; CORS is the middleware's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from codikg.namespaces import PREFIXES
from codikg.services.describe import document_quads
from codikg.sparql.formats import DATASET_FORMATS, HTML, RDF_FORMATS, Format, format_by_extension
from codikg.web import i18n
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.errors import plain_error
from codikg.web.http.negotiation import FormatNotAvailable, negotiate, not_available, requested_format
from codikg.web.deps import release_of

#: Candidates for negotiation, preferred first: ``*/*`` gets Turtle, browsers ask for HTML.
CANDIDATES = RDF_FORMATS + (HTML,)
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

#: ``describe(request, iri)`` → quads, or ``None`` if the IRI is unknown.
Describer = Callable[[Request, str], "list[ox.Quad] | None"]
#: ``page(request, iri, quads, lang)`` → an HTML response.
PageRenderer = Callable[[Request, str, "list[ox.Quad]", str], Response]


@dataclass(frozen=True)
class LinkedDataSource:
    """One kind of IRI the server dereferences.

    Attributes:
        prefix: the path under the base, without a leading slash (``"id/"``,
            ``"graph/"``, ``"catalog"``); every request path starting with it
            is looked up with ``describe``.
        describe: returns the quads about an absolute IRI, or ``None`` (→ 404).
        page: renders the HTML page from those quads.
        information_resource: True for documents (200 + ``Content-Location``),
            False for things (303 to the document), per Cool URIs §4.3.
    """

    prefix: str
    describe: Describer
    page: PageRenderer
    information_resource: bool = False


def mount(app: FastAPI, source: LinkedDataSource) -> None:
    """Add GET/HEAD routes answering every path under ``/{source.prefix}``."""

    # Sync, so FastAPI runs it in its thread pool: describing a resource queries
    # the store and renders a page, which must not hold up the event loop.
    def dereference(request: Request, rest: str = "") -> Response:
        return answer(request, source)

    app.add_api_route(f"/{source.prefix}{{rest:path}}", dereference, methods=["GET", "HEAD"],
                      include_in_schema=False, name=f"linked-data:{source.prefix}")


def split_extension(path: str) -> tuple[str, Format | None]:
    """``/id/x/1.2.ttl`` → (``/id/x/1.2``, Turtle); a path without a known extension is kept."""
    head, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        fmt = format_by_extension(CANDIDATES, ext.lower())
        if fmt is not None:
            return head, fmt
    return path, None


def base_iri(request: Request) -> str:
    return release_of(request).base_iri


def answer(request: Request, source: LinkedDataSource) -> Response:
    """Dereference the IRI that ``request``'s path maps to (see the module docstring)."""
    path, explicit = split_extension(request.scope["path"])
    refused = None
    try:
        requested = explicit or requested_format(CANDIDATES, request.query_params.getlist("format"))
    except FormatNotAvailable as exc:  # a named format we do not have is an error, not a fallback
        requested, refused = None, str(exc)
    fmt = requested or negotiate(CANDIDATES, request.headers.get("accept"))
    if "#" in path:
        return _encoded_fragment(request, path, fmt)
    iri = base_iri(request) + path.lstrip("/")
    try:
        quads = source.describe(request, iri)
    except ValueError:  # characters no IRI of ours holds: nothing is known about it
        quads = []
    if not quads:
        return not_found(request, iri, fmt)
    if refused or fmt is None:
        refused = refused or not_available(f"Accept: {request.headers.get('accept')}", CANDIDATES)
        return plain_error(406, refused, {"Vary": "Accept", "Link": _alternates(path)})
    if explicit is None and not source.information_resource:
        location = f"{path}.{fmt.extension}"
        if fmt is HTML and "lang" in request.query_params:
            # never request text in a header: the language ?lang= chose, URL-encoded
            lang, from_parameter = i18n.choose_language(request)
            if from_parameter:
                location += "?" + urlencode({"lang": lang})
        return PlainTextResponse(f"303 See Other: <{iri}> is described by {location}\n",
                                 status_code=303,
                                 headers={"Location": location, "Vary": "Accept"})
    headers = {"Link": _alternates(path)}
    vary = []
    if explicit is None:
        vary.append("Accept")
        headers["Content-Location"] = f"{path}.{fmt.extension}"
    lang = None
    if fmt is HTML:
        lang, _ = i18n.choose_language(request)
        vary += ["Accept-Language", "Cookie"]
    if vary:
        headers["Vary"] = ", ".join(vary)
    headers.update(release_validators(request, fmt.extension + (f"-{lang}" if lang else "")))
    if (current := not_modified(request, headers)) is not None:
        return current
    if fmt is HTML:
        response = source.page(request, iri, quads, lang)
        response.headers.update(headers)  # the language cookie: codikg.web.i18n.RememberLanguage
        return response
    return Response(serialize(quads, fmt), media_type=fmt.content_type, headers=headers)


def serialize(quads: list[ox.Quad], fmt: Format) -> bytes:
    """Quads in ``fmt``; triple formats get the union of the graphs (duplicates
    dropped), quad formats the same union in the default graph plus each
    statement in its named graph (:func:`codikg.services.describe.document_quads`).

    Raises:
        ValueError: if pyoxigraph cannot write ``fmt``.
    """
    if fmt in DATASET_FORMATS:
        return ox.serialize(document_quads(quads), format=fmt.oxigraph, prefixes=_PREFIXES)
    triples = list(dict.fromkeys(q.triple for q in quads))
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=_PREFIXES)


def _alternates(path: str) -> str:
    return ", ".join(f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
                     for f in CANDIDATES)


def _encoded_fragment(request: Request, path: str, fmt: Format | None) -> Response:
    """404 for a path holding an encoded ``#`` (``/id/…/1%23source-1``).

    ``%23`` in a path is a character of the path, not a fragment (RFC 3986
    §2.2, §6.2.2.2), so ``…/1%23source-1`` is another IRI than the hash IRI
    ``…/1#source-1``, and none of ours (they are ASCII without ``%``). A client
    dereferences a hash IRI by dropping the fragment (Cool URIs §4.2): the
    answer names that document instead of redirecting into a fragment.
    """
    document, _, fragment = path.partition("#")
    base = base_iri(request)
    iri = base + path.lstrip("/").replace("#", "%23")
    hint = (f"'%23' in a path is no fragment: the hash IRI <{base}{document.lstrip('/')}#{fragment}> "
            f"is described by {document}")
    return not_found(request, iri, fmt, hint, document)


def not_found(request: Request, iri: str, fmt: Format | None, hint: str = "",
              described_by: str = "") -> Response:
    """404: a page with ways on for browsers, a one-line reason for machines.

    Args:
        hint: appended to the one-line reason.
        described_by: a path the page links as the document a hash IRI is described by.
    """
    headers = {"Vary": "Accept"}
    if fmt is HTML:
        return request.app.state.templates.TemplateResponse(
            request, "not_found.html", {"iri": iri, "described_by": described_by},
            status_code=404, headers=headers)
    more = f" {hint}." if hint else ""
    return PlainTextResponse(
        f"404 Not Found: this release ({release_of(request).manifest['release']}) holds no "
        f"statement about <{iri}>.{more} Browse /plan, or ask /sparql.\n", status_code=404,
        headers=headers)
