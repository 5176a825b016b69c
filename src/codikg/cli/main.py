"""Command-line interface: ``codikg build | validate | serve | query | catalog | search | trace | report | publish``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import pyoxigraph as ox
import typer
from rich.table import Table

from codikg.release.pipeline import BuildError, ReleaseInvalid, build_release
from codikg.cli.common import err, existing_release, open_release, out, print_manifest, warn
from codikg.cli.common import fail as _fail
from codikg.cli.common import settings as load_settings
from codikg.ingest import PlanParseError

app = typer.Typer(help="Publish a Thai strategic plan as a linked-data knowledge graph.",
                  no_args_is_help=True, add_completion=False)

ReleaseOption = Annotated[Optional[Path], typer.Option(
    "--release", "-r", help="Release folder (default: ./release in the project).")]


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
    print_manifest(manifest, folder, time.perf_counter() - started)


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
    from codikg.services.search import search as run_search
    from codikg.search.matching import EXACTNESS_NAMES, TIER_NAMES

    if fmt not in ("table", "json"):
        raise _fail(f"--format {fmt}: use table or json")
    if not text.strip():
        raise typer.BadParameter("is empty: give a word or phrase to search for", param_hint="'TEXT'")
    folder, _ = existing_release(release, load_settings())
    try:
        answer = run_search(SearchIndex.load(folder / INDEX_FILE), text, limit, "")
    except SearchIndexError as exc:
        raise _fail(str(exc)) from None
    hits, every = answer.hits, answer.every
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
from codikg.cli.serve import register as _register_serve_commands  # noqa: E402
from codikg.cli.store import register as _register_store_commands  # noqa: E402
from codikg.cli.stratml import register as _register_stratml_commands  # noqa: E402

_register_audit_commands(app)
_register_serve_commands(app)
_register_store_commands(app)
_register_stratml_commands(app)

if __name__ == "__main__":
    app()
