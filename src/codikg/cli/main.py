"""Command-line interface: ``codikg build | validate | serve | query | catalog | search | trace | report | publish``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import pyoxigraph as ox
import typer
from rich.table import Table

from codikg.release.pipeline import BuildError, ReleaseInvalid, build_release, ensure_release
from codikg.release.reader import read_manifest
from codikg.release.snapshot import snapshot_release
from codikg.cli.common import err, existing_release, open_release, out, warn
from codikg.cli.common import fail as _fail
from codikg.cli.common import settings as load_settings
from codikg.ingest import PlanParseError

app = typer.Typer(help="Publish a Thai strategic plan as a linked-data knowledge graph.",
                  no_args_is_help=True, add_completion=False)

ReleaseOption = Annotated[Optional[Path], typer.Option(
    "--release", "-r", help="Release folder (default: ./release in the project).")]


def _print_manifest(manifest: dict, folder: Path, seconds: float | None) -> None:
    table = Table(title=f"release {manifest['release']} in {folder}")
    table.add_column("written")
    table.add_column("bytes", justify="right")
    for name, size in manifest["files"].items():
        table.add_row(name, f"{size:,}")
    out.print(table)
    graphs = Table()
    graphs.add_column("named graph")
    graphs.add_column("triples", justify="right")
    for name, n in manifest["graphs"].items():
        graphs.add_row(name, f"{n:,}")
    graphs.add_row("[bold]union (default graph)[/]", f"{manifest['union_triples']:,}")
    out.print(graphs)
    if "validation" in manifest:
        v = manifest["validation"]
        timing = f" in {manifest['validation_seconds']:.2f} s" if "validation_seconds" in manifest else ""
        out.print(f"SHACL validation{timing}: {v['violations']} violations, {v['warnings']} warnings "
                  f"(details: codikg validate)")
    if seconds is not None:
        out.print(f"built in {seconds:.2f} s")


@app.command()
def build(out_dir: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder (default: ./release).")] = None) -> None:
    """Parse the plan, build the RDF dataset and write the release files."""
    settings = load_settings()
    folder = out_dir or settings.release_dir
    started = time.perf_counter()
    try:
        manifest = build_release(settings, folder)
    except ReleaseInvalid as exc:
        from codikg.cli.validation import print_report

        print_report(exc.report, err, False)
        raise _fail(f"the release violates the shapes; nothing written ({exc.report.summary()})") from None
    except (PlanParseError, BuildError) as exc:
        raise _fail(str(exc)) from None
    _print_manifest(manifest, folder, time.perf_counter() - started)


@app.command()
def validate(release: Annotated[Optional[Path], typer.Argument(
                 help="Release folder (default: ./release in the project).")] = None,
             fmt: Annotated[str, typer.Option("--format", "-f", help="text (readable) or turtle "
                                              "(the SHACL validation report).")] = "text",
             shapes: Annotated[Optional[Path], typer.Option(
                 help="Shapes file (default: ontology/shapes.ttl).")] = None,
             all_results: Annotated[bool, typer.Option(
                 "--all", help="List every warning, not just a count per shape.")] = False) -> None:
    """Validate a release against the SHACL shapes; exit 1 if any shape is violated."""
    from codikg.validate.shacl import SHAPES_FILE, load_shapes
    from codikg.release.verify import check_dumps, validate_release
    from codikg.cli.validation import print_report

    settings = load_settings()
    if fmt not in ("text", "turtle"):
        raise _fail(f"--format {fmt}: use text or turtle")
    damaged = []
    if (Path(release or settings.release_dir) / "manifest.json").is_file():
        folder, _ = existing_release(release, settings)  # warns when it predates the inputs
        damaged = check_dumps(folder)
        for problem in damaged:
            warn(problem)
    try:
        report = validate_release(release or settings.release_dir,
                                  load_shapes(shapes or settings.ontology_dir / SHAPES_FILE))
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if fmt == "turtle":
        sys.stdout.write(report.turtle())
    else:
        print_report(report, out, all_results)
    if not report.conforms or damaged:
        raise typer.Exit(1)


@app.command()
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
          cache_bytes: Annotated[Optional[int], typer.Option(
              help="Response cache size, 0 = off (env CODIKG_QUERY_CACHE_BYTES; default 64 MiB).")] = None,
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
                err.print(f"[bold red]error:[/] {exc}", highlight=False)
                warn(f"the build failed; serving the previous release {manifest['release']} "
                     f"from {folder} until the inputs are fixed")
                built = False
            if built:
                _print_manifest(manifest, folder, None)
        limits = limits_from_env().with_options(
            time_limit=time_limit, result_limit=result_limit, max_query_bytes=max_query_bytes,
            max_body_bytes=max_body_bytes, workers=workers, cache_bytes=cache_bytes,
            allow_update=allow_update or None)
        remote = None
        if store_url:
            if disk_store is not None:
                raise ValueError("--store (a remote store) and --disk-store exclude each other")
            from codikg.store.remote import store_from_env
            remote = store_from_env(store_url)
    except (PlanParseError, BuildError, ValueError) as exc:
        raise _fail(str(exc)) from None
    # The workers and the app must read the same snapshot: a worker replaced
    # after a time-out reloads its files, and a rebuild may have replaced the folder.
    try:
        folder = snapshot_release(folder)
    except OSError as exc:
        raise _fail(f"{folder}: cannot snapshot the release for serving: {exc}") from None
    pool = None
    try:
        if disk_store is not None:
            check_store(disk_store, manifest["release"])
        try:  # before the workers start and the banner says "serving"
            _check_port_free(host, port)
        except OSError as exc:
            raise _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        if remote is None:  # workers start loading now, while the web stack imports (start-up time)
            pool = QueryPool(store_files(folder, manifest), 1 if limits.allow_update else limits.workers,
                             writable=limits.allow_update, store_path=disk_store)
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
    # uvicorn picks uvloop and httptools when installed; h11 (the fallback) must
    # accept a request line as long as the longest query, percent-encoded.
    uvicorn.run(web_app, host=host, port=port, access_log=access_log,
                h11_max_incomplete_event_size=max(65536, 9 * limits.max_query_bytes + 8192))


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


@app.command()
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


@app.command()
def query(sparql: Annotated[str, typer.Argument(help="A SPARQL query, or the path of a .rq file.")],
          release: ReleaseOption = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, xml, csv, tsv "
                                           "(SELECT/ASK) or turtle, ntriples (CONSTRUCT/DESCRIBE).")] = "table") -> None:
    """Run a SPARQL query against the built release and print the answer (never writes)."""
    from codikg.sparql.policy import QueryRefused, check_query

    if fmt not in _RESULT_FORMATS and fmt not in _GRAPH_FORMATS:
        raise _fail(f"--format {fmt}: use one of table, {', '.join(_RESULT_FORMATS)}, "
                    f"{', '.join(f for f in _GRAPH_FORMATS if f != 'table')}")
    text = _query_text(sparql)
    try:
        check_query(text)
    except QueryRefused as exc:
        raise _fail(str(exc)) from None
    _, _, store = open_release(release, load_settings())
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise _fail(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise _fail(f"query evaluation failed: {exc}") from None
    _print_result(result, fmt)


def _query_text(argument: str) -> str:
    """The query itself, or the text of the ``.rq`` file it names (UTF-8, BOM allowed)."""
    path = Path(argument)
    try:
        is_file = path.is_file()
    except OSError:  # e.g. a long query is not a valid file name
        is_file = False
    if not argument.endswith(".rq") and not is_file:
        return argument
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _fail(f"{path}: no such query file") from None
    except IsADirectoryError:
        raise _fail(f"{path}: is a folder, not a query file") from None
    except UnicodeDecodeError as exc:
        raise _fail(f"{path}: not UTF-8 text (byte {exc.start}): save the query as UTF-8") from None
    except OSError as exc:
        raise _fail(f"{path}: cannot read: {exc.strerror}") from None


@app.command()
def catalog(ckan: Annotated[bool, typer.Option(
                "--ckan", help="Write a CKAN package_create payload with the data.go.th fields "
                               "instead of the DCAT-AP catalog (Turtle).")] = False,
            out_file: Annotated[Optional[Path], typer.Option(
                "--out", "-o", help="Write to this file instead of standard output.")] = None,
            release: ReleaseOption = None,
            profile: Annotated[str, typer.Option(
                "--profile", help="CKAN flavour: 'data.go.th' (ckanext-thai_gdc fields, Thai tags) "
                                  "or 'ckan' (stock CKAN: tags its validator accepts, Thai "
                                  "keywords in the extra keywords_th).")] = "data.go.th",
            allow_incomplete: Annotated[bool, typer.Option(
                "--allow-incomplete", help="Write the CKAN payload even if a field the portal "
                                           "requires is empty (default: exit 1).")] = False) -> None:
    """Print the release's DCAT-AP catalog, or its CKAN (data.go.th) package JSON.

    With --ckan, a field the portal requires that is empty (data.go.th:
    maintainer_email, unset until [contact] email of data/catalog.toml is
    filled in) makes the command exit 1 and write nothing, unless
    --allow-incomplete.
    """
    import json

    from codikg.config.catalog import load_catalog_settings
    from codikg.graph.ckan import ckan_package, missing_fields
    from codikg.graph.release_catalog import catalog_iris
    from codikg.release.reader import load_catalog

    settings = load_settings()
    folder, manifest = existing_release(release, settings)
    try:
        graph = load_catalog(folder, manifest)
        if graph is None:
            raise BuildError(f"{folder}: this release has no catalog; rebuild it with 'codikg build'")
        if ckan:
            package = ckan_package(graph, catalog_iris(settings).dataset,
                                   load_catalog_settings(settings.data_dir), url=settings.public,
                                   profile=profile)
            text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
            missing = missing_fields(package, profile)
            if missing and not allow_incomplete:
                raise _fail(f"{profile} requires {', '.join(missing)}, which is not set: fill in "
                            f"[contact] email of {settings.data_dir / 'catalog.toml'} (or pass "
                            "--allow-incomplete to write the payload anyway)")
            for field in missing:
                err.print(f"[yellow]warning:[/] {profile} requires {field!r}, which is not set "
                          f"(see data/catalog.toml)", highlight=False)
        else:
            text = graph.serialize(format="turtle")
    except (PlanParseError, BuildError, LookupError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, encoding="utf-8")


@app.command()
def search(text: Annotated[str, typer.Argument(help="What to look for: Thai, English or RTGS romanisation.")],
           release: ReleaseOption = None,
           limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show.")] = 10,
           fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Search the release's labels, definitions and source text, best hits first."""
    import json

    from codikg.release.layout import INDEX_FILE
    from codikg.search.index import SearchIndex, SearchIndexError
    from codikg.search.matching import EXACTNESS_NAMES, TIER_NAMES

    if fmt not in ("table", "json"):
        raise _fail(f"--format {fmt}: use table or json")
    if not text.strip():
        raise typer.BadParameter("is empty: give a word or phrase to search for", param_hint="'TEXT'")
    folder, _ = existing_release(release, load_settings())
    try:
        every = SearchIndex.load(folder / INDEX_FILE).search(text, None)
    except SearchIndexError as exc:
        raise _fail(str(exc)) from None
    hits = every[:limit]
    if fmt == "json":
        sys.stdout.write(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("#", "element", "label", "match", "score")
    for i, hit in enumerate(hits, 1):
        label = hit.element.label.get("th") or hit.element.label.get("en") or ""
        where = hit.element.short()
        if hit.element.occurrences:
            where += "\n(" + ", ".join(hit.element.short(o) for o in hit.element.occurrences) + ")"
        how = "" if hit.match.exact else f" ({EXACTNESS_NAMES[hit.match.exactness]})"
        table.add_row(str(i), where, label, f"{TIER_NAMES[hit.match.tier]} in {hit.field.name}{how}",
                      f"{hit.score:.4f}")
    out.print(table)
    out.print(f"{len(hits)} of {len(every)} hit{'s' if len(every) != 1 else ''}")


_RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
                  "ntriples": ox.RdfFormat.N_TRIPLES}


def _print_result(result, fmt: str) -> None:
    if isinstance(result, ox.QueryTriples):
        if fmt not in _GRAPH_FORMATS:
            raise _fail(f"--format {fmt} cannot carry a graph; use one of {', '.join(_GRAPH_FORMATS)}")
        _write_text(result.serialize(format=_GRAPH_FORMATS[fmt]))
        return
    if fmt != "table":
        if fmt not in _RESULT_FORMATS:
            raise _fail(f"--format {fmt} cannot carry solutions; use table or {', '.join(_RESULT_FORMATS)}")
        _write_text(result.serialize(format=_RESULT_FORMATS[fmt]))
        return
    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    variables = [v.value for v in result.variables]
    table = Table(*variables)
    rows = 0
    for solution in result:
        table.add_row(*(_term_text(solution[v]) for v in variables))
        rows += 1
    out.print(table)
    out.print(f"{rows} row{'s' if rows != 1 else ''}")


def _write_text(body: bytes) -> None:
    text = body.decode("utf-8")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return term.value if isinstance(term, ox.NamedNode) else str(term)


from codikg.cli.audit import register as _register_audit_commands  # noqa: E402
from codikg.cli.store import register as _register_store_commands  # noqa: E402

_register_audit_commands(app)
_register_store_commands(app)

if __name__ == "__main__":
    app()
