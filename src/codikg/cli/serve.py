"""``codikg serve`` and ``codikg load``: serve a release over HTTP, load it into an on-disk store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codikg.cli.common import check_release, error, out, print_manifest, warn
from codikg.cli.common import fail as _fail
from codikg.cli.common import settings as load_settings
from codikg.ingest import PlanParseError
from codikg.release.pipeline import BuildError, ensure_release
from codikg.release.reader import read_manifest
from codikg.release.snapshot import snapshot_release

ReleaseOption = Annotated[Optional[Path], typer.Option(
    "--release", "-r", help="Release folder (default: ./release in the project).")]


def serve(host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
          release: ReleaseOption = None,
          no_build: Annotated[bool, typer.Option(
              "--no-build", help="Serve the release folder as it is; never rebuild it.")] = False,
          time_limit: Annotated[Optional[float], typer.Option(
              help="Seconds a public query may run (env CODIKG_QUERY_TIME_LIMIT; default 5).")] = None,
          result_limit: Annotated[Optional[int], typer.Option(
              help="Most rows/triples in an answer (env CODIKG_RESULT_LIMIT; default 10000).")] = None,
          max_query_bytes: Annotated[Optional[int], typer.Option(
              help="Longest query in bytes (env CODIKG_MAX_QUERY_BYTES; default 32768).")] = None,
          max_body_bytes: Annotated[Optional[int], typer.Option(
              help="Largest POST body in bytes (env CODIKG_MAX_BODY_BYTES; default 1 MiB).")] = None,
          workers: Annotated[Optional[int], typer.Option(
              help="Query worker processes (env CODIKG_QUERY_WORKERS; default 2 x CPUs, at least 4).")] = None,
          worker_memory: Annotated[Optional[int], typer.Option(
              "--worker-memory", metavar="MIB",
              help="MiB of resident memory a query worker may reach while running a query, "
                   "else it is stopped with 503 (env CODIKG_WORKER_MEMORY; default 512).")] = None,
          cache_bytes: Annotated[Optional[int], typer.Option(
              help="Response cache size, 0 = off (env CODIKG_QUERY_CACHE_BYTES; default 64 MiB).")] = None,
          max_header_bytes: Annotated[Optional[int], typer.Option(
              help="Largest total of a request's header fields in bytes, else 431 "
                   "(env CODIKG_MAX_HEADER_BYTES; default 16384).")] = None,
          max_accept_ranges: Annotated[Optional[int], typer.Option(
              help="Most members of Accept, Accept-Language or Accept-Encoding, else 431 "
                   "(env CODIKG_MAX_ACCEPT_RANGES; default 64).")] = None,
          max_accept_bytes: Annotated[Optional[int], typer.Option(
              help="Longest Accept, Accept-Language or Accept-Encoding in bytes, else 431 "
                   "(env CODIKG_MAX_ACCEPT_BYTES; default 4096).")] = None,
          header_timeout: Annotated[Optional[float], typer.Option(
              help="Seconds to receive a request's headers, else 408 and closed "
                   "(env CODIKG_HEADER_TIMEOUT; default 10).")] = None,
          body_timeout: Annotated[Optional[float], typer.Option(
              help="Seconds to receive a request body, else 408 and closed "
                   "(env CODIKG_BODY_TIMEOUT; default 30).")] = None,
          keep_alive_timeout: Annotated[Optional[float], typer.Option(
              help="Seconds an idle keep-alive connection stays open "
                   "(env CODIKG_KEEP_ALIVE_TIMEOUT; default 5).")] = None,
          max_connections: Annotated[Optional[int], typer.Option(
              help="Most open connections and requests in progress, else 503 "
                   "(env CODIKG_MAX_CONNECTIONS; default 1000).")] = None,
          long_query_after: Annotated[Optional[float], typer.Option(
              help="CPU seconds before a query counts as long and moves to the long lane at low "
                   "CPU priority (env CODIKG_LONG_QUERY_AFTER; default 0.2).")] = None,
          long_queries: Annotated[Optional[int], typer.Option(
              help="Most long queries at once, fewer than the workers; past it a long query is "
                   "stopped with 503 (env CODIKG_LONG_QUERIES; default half the workers).")] = None,
          client_long_queries: Annotated[Optional[int], typer.Option(
              help="Most long queries of one client at once, else 429 "
                   "(env CODIKG_CLIENT_LONG_QUERIES; default 1).")] = None,
          trusted_proxies: Annotated[Optional[str], typer.Option(
              help="Comma-separated addresses or networks of proxies whose X-Forwarded-For names "
                   "the client (env CODIKG_TRUSTED_PROXIES; default none).")] = None,
          allow_update: Annotated[bool, typer.Option(
              "--allow-update", help="TESTS ONLY: accept SPARQL Update on a scratch in-memory copy "
                                     "of the release (one worker, no cache).")] = False,
          store_url: Annotated[Optional[str], typer.Option(
              "--store", envvar="CODIKG_STORE_URL",
              help="Query endpoint of a remote SPARQL 1.1 store holding this release (see "
                   "'codikg publish'); auth and other endpoints from CODIKG_STORE_* "
                   "(docs/deploy.md).")] = None,
          disk_store: Annotated[Optional[Path], typer.Option(
              "--disk-store", envvar="CODIKG_DISK_STORE",
              help="Serve from this on-disk store of the release (written by 'codikg load'), "
                   "opened read-only: no reload at start-up.")] = None,
          access_log: Annotated[bool, typer.Option(
              "--access-log/--no-access-log", help="Log every request (costs throughput).")] = False) -> None:
    """Build the release if the inputs changed, then serve it over HTTP."""
    from codikg.release.layout import store_files
    from codikg.store.disk import DiskStoreError, check_store
    from codikg.config.limits import limits_from_env
    from codikg.store.pool import QueryPool

    settings = load_settings()
    folder = release or settings.release_dir
    try:
        if no_build:
            manifest = read_manifest(folder)
            if manifest is None:
                raise _fail(f"{folder}: no release here (run 'codikg build')")
        else:
            try:
                manifest, built = ensure_release(settings, folder)
            except (PlanParseError, BuildError) as exc:
                manifest = read_manifest(folder)
                if manifest is None:
                    raise
                error(str(exc))
                warn(f"the build failed; serving the previous release {manifest['release']} "
                     f"from {folder} until the inputs are fixed")
                built = False
            if built:
                print_manifest(manifest, folder, None)
        limits = limits_from_env().with_options(
            time_limit=time_limit, result_limit=result_limit, max_query_bytes=max_query_bytes,
            max_body_bytes=max_body_bytes, workers=workers, worker_memory=worker_memory, cache_bytes=cache_bytes,
            max_header_bytes=max_header_bytes, max_accept_ranges=max_accept_ranges,
            max_accept_bytes=max_accept_bytes, header_timeout=header_timeout, body_timeout=body_timeout,
            keep_alive_timeout=keep_alive_timeout, max_connections=max_connections,
            long_query_after=long_query_after, long_queries=long_queries,
            client_long_queries=client_long_queries, trusted_proxies=trusted_proxies,
            allow_update=allow_update or None)
        remote = None
        if store_url:
            if disk_store is not None:
                raise ValueError("--store (a remote store) and --disk-store exclude each other")
            from codikg.store.remote import store_from_env
            remote = store_from_env(store_url)
    except (PlanParseError, BuildError, ValueError) as exc:  # DamagedRelease is a ValueError
        raise _fail(str(exc)) from None
    check_release(folder)  # before any worker parses a damaged file
    # The workers and the app must read the same snapshot: a worker replaced
    # after a time-out reloads its files, and a rebuild may have replaced the folder.
    snapshot = snapshot_release(folder)
    if snapshot == Path(folder).resolve():
        warn(f"{folder}: no snapshot could be written (beside it or in the temporary folder); "
             "serving the folder in place")
    folder = snapshot
    pool = None
    try:
        if disk_store is not None:
            check_store(disk_store, manifest["release"])
        try:  # before the workers start and the banner says "serving"
            _check_port_free(host, port)
        except OSError as exc:
            raise _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        if remote is None:  # workers start loading now, while the web stack imports (start-up time)
            if limits.allow_update:  # one scratch copy that sees its own writes
                limits = limits.with_options(workers=1)
            pool = QueryPool(store_files(folder, manifest), limits.workers, writable=limits.allow_update,
                             store_path=disk_store, **limits.pool_options())
    except DiskStoreError as exc:
        raise _fail(str(exc)) from None
    import uvicorn

    from codikg.store import StoreError
    from codikg.web.app import create_app
    from codikg.services.served import StoreMismatch
    try:
        web_app = create_app(folder, settings.queries_dir, limits, store=remote, store_path=disk_store,
                             query_pool=pool)
    except (StoreError, StoreMismatch, DiskStoreError, ValueError) as exc:
        if pool is not None:
            pool.close()
        raise _fail(str(exc)) from None
    # Printed once the release (and the store) passed their checks.
    out.print(f"serving release {manifest['release']} on http://{host}:{port}/ "
              f"(SPARQL at http://{host}:{port}/sparql; {limits.workers} query workers, "
              f"time limit {limits.time_limit:g} s, result limit {limits.result_limit} rows"
              f"{'; UPDATES ALLOWED on a scratch copy' if limits.allow_update else ''})")
    if remote is not None:
        out.print(f"queries go to the store at {remote.endpoints.query}")
    # httptools (a dependency) with the header, time-out and connection bounds of
    # codikg.web.http.server; uvloop when installed. Each connection is a file descriptor.
    from codikg.web.http.server import bounded_protocol, raise_open_files_limit
    raise_open_files_limit(limits.max_connections + 256)
    # The client of a request (per-client caps) is the peer, or the X-Forwarded-For
    # entry a trusted proxy added (uvicorn's ProxyHeadersMiddleware); uvicorn
    # trusts loopback by default, codikg no proxy unless told.
    proxies = limits.proxies()
    uvicorn.run(web_app, host=host, port=port, access_log=access_log, http=bounded_protocol(limits),
                timeout_keep_alive=limits.keep_alive_timeout, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)


def _check_port_free(host: str, port: int) -> None:
    """Bind ``host:port`` the way uvicorn will (SO_REUSEADDR) and release it.

    Raises:
        OSError: the address is in use, or ``host`` is not an address of this machine.
    """
    import socket

    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


def load(store: Annotated[Path, typer.Argument(help="Folder of the new on-disk store (must not exist).")],
         release: ReleaseOption = None) -> None:
    """Load the release into a new on-disk store, for 'codikg serve --disk-store'."""
    from codikg.release.layout import store_files
    from codikg.store.disk import DiskStoreError, create_store

    settings = load_settings()
    folder = release or settings.release_dir
    manifest = read_manifest(folder)
    if manifest is None:
        raise _fail(f"{folder}: no release here (run 'codikg build')")
    try:
        marker = create_store(store, store_files(folder, manifest), manifest["release"])
    except (DiskStoreError, SyntaxError, OSError) as exc:
        raise _fail(str(exc)) from None
    out.print(f"loaded release {marker['release']} into {store}: {marker['quads']:,} quads "
              f"in {marker['seconds']:.2f} s")




def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``load`` to ``app``."""
    app.command()(serve)
    app.command()(load)
