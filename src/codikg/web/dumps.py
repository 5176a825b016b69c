"""``/dumps/``: the release's dump files at stable per-release URLs.

``/dumps/{release}/{file}`` never changes (cache it forever); ``/dumps/latest/{file}``
serves the current release's bytes with ``Content-Location`` naming the
per-release URL. ``.gz`` files are downloads of type ``application/gzip``
(no ``Content-Encoding``, so clients keep the compressed file). A request for
an uncompressed dump with ``Accept-Encoding: gzip`` gets the stored gzip twin
with ``Content-Encoding: gzip`` (RFC 9110 §8.4). Every file has a strong
``ETag`` (its SHA-256; a different one for the gzip-encoded body) and honours
``If-None-Match``, and ``Last-Modified`` (the release's time, which
``FileResponse`` keeps) with ``If-Modified-Since`` (:mod:`codikg.web.http.conditional`). ``/download/{file}``
(the walking skeleton's paths) redirects permanently to ``/dumps/latest/{file}`` (404 for a name that is no dump).

A dump URL names its format, so ``Accept`` is not negotiated here (Cool URIs: a
format-specific URL): ``codikg.trig``/``.nq``/``.jsonld`` keep every statement
in its named graph, and the default-graph view a client asks for is
``codikg.ttl`` or ``codikg.nt``, the union of the graphs.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from codikg.sparql.formats import HTML, JSON, RDF_FORMATS
from codikg.web.http.conditional import not_modified, release_modified
from codikg.web.http.errors import plain_error
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.middleware import accepts_gzip
from codikg.web.pages import render
from codikg.services.served import ServedRelease
from codikg.web.deps import release_of, served_release

router = APIRouter()

_TEXT_TYPES = ("text/", *(fmt.media_type for fmt in RDF_FORMATS))


def _serve(request: Request, release: str, name: str, latest: bool) -> Response:
    served = release_of(request)
    manifest = served.manifest
    entry = manifest.get("dumps", {}).get(name)
    if entry is None:
        raise HTTPException(404, f"no dump named {name!r}; available: "
                                 f"{', '.join(manifest.get('dumps', {}))}")
    headers = {"Vary": "Accept-Encoding", "Last-Modified": release_modified(request),
               "Cache-Control": "no-cache" if latest else "public, max-age=31536000, immutable"}
    if latest:
        headers["Content-Location"] = f"/dumps/{release}/{name}"
    media_type = entry["media_type"]
    if media_type.startswith(_TEXT_TYPES):
        media_type += "; charset=utf-8"
    path = served.folder / name
    twin = manifest["dumps"].get(f"{name}.gz")
    if not entry["gzip"] and twin is not None and accepts_gzip(request.headers.get("accept-encoding")):
        path = served.folder / twin["file"]
        headers["Content-Encoding"] = "gzip"
        headers["ETag"] = f'"{twin["sha256"]}"'
    else:
        headers["ETag"] = f'"{entry["sha256"]}"'
        if entry["gzip"]:
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if (current := not_modified(request, headers)) is not None:
        return current
    return FileResponse(path, media_type=media_type, headers=headers)


@router.api_route("/dumps/{release}/{name}", methods=["GET", "HEAD"])
def dump_file(request: Request, release: str, name: str, served: ServedRelease = Depends(served_release)):
    """A dump file of the current release (``release`` is its id or ``latest``)."""
    current = served.manifest["release"]
    if release not in (current, "latest"):
        raise HTTPException(404, f"release {release!r} is not served here; the current release is "
                                 f"{current!r} (also at /dumps/latest/)")
    return _serve(request, current, name, latest=release == "latest")


@router.api_route("/dumps/", methods=["GET", "HEAD"])
@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
def dump_index(request: Request, served: ServedRelease = Depends(served_release)):
    """The list of dumps: HTML for browsers, JSON (the manifest's entries) for programs."""
    manifest = served.manifest
    headers = {"Vary": "Accept"}
    try:
        chosen = choose(request, (HTML, JSON))
    except NotAcceptable as exc:
        return plain_error(406, str(exc), headers)
    release = manifest["release"]
    files = [{**entry, "url": f"/dumps/{release}/{entry['file']}",
              "latest_url": f"/dumps/latest/{entry['file']}"}
             for entry in manifest.get("dumps", {}).values()]
    if chosen is JSON:
        return JSONResponse({"release": release, "dumps": files}, headers=headers)
    return render(request, "dumps.html", {"manifest": manifest, "files": files}, "dumps",
                  headers={"Vary": "Accept, Accept-Language, Cookie"})


@router.api_route("/download/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def legacy_download(request: Request, name: str, served: ServedRelease = Depends(served_release)):
    """Old download paths of a dump move permanently to ``/dumps/latest/``;
    a name that is no dump is 404 at once (not a redirect to a 404)."""
    dumps = served.manifest.get("dumps", {})
    if name not in dumps:
        raise HTTPException(404, f"no dump named {name!r}; available: {', '.join(dumps)}")
    return RedirectResponse(f"/dumps/latest/{name}", status_code=301)

