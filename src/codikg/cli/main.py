"""Command-line interface: ``codikg build | validate | serve | query | catalog | search | trace | report | publish``."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import pyoxigraph as ox
import typer

from codikg.cli.app import new_app, seconds
from codikg.release.pipeline import BuildError, ReleaseInvalid, build_release
from codikg.cli.common import (PlanOption, check_release, chosen_plan, err, existing_release, open_release, out,
                               print_manifest, print_table, warn, write_file)
from codikg.cli.common import fail as _fail
from codikg.cli.common import settings as load_settings
from codikg.ingest import PlanParseError
from codikg.sparql.formats import GRAPH_FORMATS, RESULTS_FORMATS, format_by_name

app = new_app("Publish a Thai strategic plan as a linked-data knowledge graph.")

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
    except OSError as exc:  # the output folder cannot be written
        raise _fail(f"{exc.filename or folder}: cannot write the release: {exc.strerror or exc}") from None
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
    from codikg.release.verify import validate_release
    from codikg.cli.validation import print_report

    settings = load_settings()
    if fmt not in ("text", "turtle"):
        raise _fail(f"--format {fmt}: use text or turtle")
    if (Path(release or settings.release_dir) / "manifest.json").is_file():
        check_release(release or settings.release_dir)  # a damaged release is not validated
        existing_release(release, settings)  # warns when it predates the inputs
    try:
        report = validate_release(release or settings.release_dir,
                                  load_shapes(shapes or settings.ontology_dir / SHAPES_FILE))
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except SyntaxError as exc:  # a release without a manifest to check its bytes against
        raise _fail(f"{release or settings.release_dir}: damaged release: {exc}") from None
    if fmt == "turtle":
        sys.stdout.write(report.turtle())
    else:
        print_report(report, out, all_results)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def query(sparql: Annotated[str, typer.Argument(help="A SPARQL query, or the path of a .rq file.")],
          release: ReleaseOption = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, xml, csv, tsv "
                                           "(SELECT/ASK) or turtle, ntriples (CONSTRUCT/DESCRIBE); "
                                           "table is TSV when stdout is not a terminal.")] = "table",
          time_limit: Annotated[Optional[float], typer.Option(
              "--time-limit", parser=seconds, metavar="SECONDS", help="Seconds the query may run, then it is stopped "
              "(default: the endpoint's, env CODIKG_QUERY_TIME_LIMIT or 5).")] = None) -> None:
    """Run a SPARQL query against the built release and print the answer (never writes).

    The query runs in a worker process, as the endpoint's do: the time limit
    and Ctrl-C stop it.
    """
    from codikg.config.limits import limits_from_env
    from codikg.release.layout import store_files
    from codikg.services.worker_query import run_query
    from codikg.sparql.policy import QueryRefused, check_query
    from codikg.store.pool import QueryTimeout, WorkerFailed

    if fmt != "table" and fmt not in _RESULT_FORMATS and fmt not in _GRAPH_FORMATS:
        raise _fail(f"--format {fmt}: use one of table, {', '.join(_RESULT_FORMATS)}, "
                    f"{', '.join(_GRAPH_FORMATS)}")
    text = _query_text(sparql)
    try:
        check_query(text)
        limit = time_limit if time_limit is not None else limits_from_env().time_limit
    except (QueryRefused, ValueError) as exc:
        raise _fail(str(exc)) from None
    folder, manifest = existing_release(release, load_settings())
    try:
        header, body = run_query(store_files(folder, manifest), text, _media_types(fmt), limit)
    except QueryTimeout as exc:
        raise _fail(str(exc)) from None
    except WorkerFailed as exc:
        raise _fail(f"query evaluation failed: {exc}") from None
    except KeyboardInterrupt:
        err.print("interrupted: the query was stopped")
        raise typer.Exit(130) from None
    if header["status"] == 406:
        kind = "solutions" if fmt in _GRAPH_FORMATS else "a graph"
        other = _GRAPH_FORMATS if kind == "a graph" else _RESULT_FORMATS
        raise _fail(f"--format {fmt} cannot carry {kind}; use table or {', '.join(other)}")
    if header["status"] != 200:
        raise _fail(header.get("message", f"the query failed (status {header['status']})"))
    if fmt == "table" and header["type"] == _RESULT_FORMATS["tsv"]:
        _print_solutions(body)
    else:
        _write_text(body)


def _query_text(argument: str) -> str:
    """The query itself, or the text of the ``.rq`` file it names (UTF-8, BOM allowed)."""
    path = Path(argument)
    try:
        is_file = path.is_file()
    except OSError:  # e.g. a long query is not a valid file name
        is_file = False
    if not argument.endswith(".rq") and not is_file:
        try:  # a non-UTF-8 argument reaches Python with its bad bytes as lone surrogates
            return os.fsencode(argument).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(f"the query is not UTF-8 text (byte {exc.start}): "
                        "give it in UTF-8 (or as a UTF-8 .rq file)") from None
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
                                           "requires is empty (default: exit 1).")] = False,
            plan: PlanOption = None) -> None:
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
    chosen = chosen_plan(settings, plan) if ckan else None
    try:
        graph = load_catalog(folder, manifest)
        if graph is None:
            raise BuildError(f"{folder}: this release has no catalog; rebuild it with 'codikg build'")
        if ckan:
            package = ckan_package(graph, catalog_iris(settings, chosen).dataset,
                                   load_catalog_settings(settings.data_dir, chosen), url=settings.public,
                                   profile=profile)
            text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
            missing = missing_fields(package, profile)
            if missing and not allow_incomplete:
                raise _fail(f"{profile} requires {', '.join(missing)}, which is not set: fill in "
                            f"[contact] email of {chosen.folder / 'catalog.toml'} (or pass "
                            "--allow-incomplete to write the payload anyway)")
            for field in missing:
                warn(f"{profile} requires {field!r}, which is not set (see {chosen.folder / 'catalog.toml'})")
        else:
            text = graph.serialize(format="turtle")
    except (PlanParseError, BuildError, LookupError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if out_file is None:
        sys.stdout.write(text)
    else:
        write_file(out_file, lambda path: path.write_text(text, encoding="utf-8"))


@app.command()
def search(text: Annotated[str, typer.Argument(help="What to look for: Thai, English or RTGS romanisation.")],
           release: ReleaseOption = None,
           limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show.")] = 10,
           fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
           plan: PlanOption = None) -> None:
    """Search the release's labels, definitions and source text, best hits first (in --plan only)."""
    import json

    from codikg.release.layout import INDEX_FILE
    from codikg.search.index import SearchIndex, SearchIndexError
    from codikg.graph.iris import plan_of
    from codikg.services.search import UnknownPlan, search as run_search
    from codikg.search.matching import EXACTNESS_NAMES, TIER_NAMES

    if fmt not in ("table", "json"):
        raise _fail(f"--format {fmt}: use table or json")
    if not text.strip():
        raise typer.BadParameter("is empty: give a word or phrase to search for", param_hint="'TEXT'")
    folder, _ = existing_release(release, load_settings())
    try:
        answer = run_search(SearchIndex.load(folder / INDEX_FILE), text, limit, "", plan)
    except (SearchIndexError, UnknownPlan) as exc:
        raise _fail(str(exc)) from None
    hits, every = answer.hits, answer.every
    if fmt == "json":
        sys.stdout.write(json.dumps([{**hit.as_json(), "plan": plan_of(hit.element.iri)} for hit in hits],
                                    ensure_ascii=False, indent=2) + "\n")
        return
    rows = []
    for i, hit in enumerate(hits, 1):
        label = hit.element.label.get("th") or hit.element.label.get("en") or ""
        where = hit.element.short()
        if hit.element.occurrences:
            where += "\n(" + ", ".join(hit.element.short(o) for o in hit.element.occurrences) + ")"
        how = "" if hit.match.exact else f" ({EXACTNESS_NAMES[hit.match.exactness]})"
        rows.append((i, plan_of(hit.element.iri), where, label,
                     f"{TIER_NAMES[hit.match.tier]} in {hit.field.name}{how}", f"{hit.score:.4f}"))
    print_table(("#", "plan", "element", "label", "match", "score"), rows, right=("#", "score"))
    err.print(f"{len(hits)} of {len(every)} hit{'s' if len(every) != 1 else ''}")


_RESULT_FORMATS = {f: format_by_name(RESULTS_FORMATS, f).media_type for f in ("json", "xml", "csv", "tsv")}
_GRAPH_FORMATS = {f: format_by_name(GRAPH_FORMATS, f).media_type for f in ("turtle", "ntriples")}


def _media_types(fmt: str) -> dict[str, str | None]:
    """What the worker serialises each kind of answer in for ``--format fmt``."""
    if fmt == "table":
        return {"results": _RESULT_FORMATS["tsv"], "boolean": _RESULT_FORMATS["tsv"],
                "graph": _GRAPH_FORMATS["turtle"]}
    results = _RESULT_FORMATS.get(fmt)
    return {"results": results, "boolean": results, "graph": _GRAPH_FORMATS.get(fmt)}


def _print_solutions(tsv: bytes) -> None:
    """SPARQL TSV solutions (a boolean's TSV is ``true`` or ``false``) as a table of plain values."""
    if tsv.strip() in (b"true", b"false"):
        out.print(tsv.strip().decode())
        return
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    variables = [v.value for v in solutions.variables]
    rows = [[_term_text(solution[v]) for v in variables] for solution in solutions]
    print_table(variables, rows)
    err.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")  # stderr: a pipe gets the rows only


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
from codikg.cli.plans import register as _register_plan_commands  # noqa: E402
from codikg.cli.serve import register as _register_serve_commands  # noqa: E402
from codikg.cli.store import register as _register_store_commands  # noqa: E402
from codikg.cli.stratml import register as _register_stratml_commands  # noqa: E402

_register_audit_commands(app)
_register_plan_commands(app)
_register_serve_commands(app)
_register_store_commands(app)
_register_stratml_commands(app)

if __name__ == "__main__":
    app()
