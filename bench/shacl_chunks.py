"""SHACL validation of SYNTHETIC data (bench/synth.py), a few plans at a time.

    python bench/shacl_chunks.py DATA/synthetic-union.nt [--plans-per-chunk 1] [--max-plans N]
                                 [--variant codikg] [--damaged]

Prints one JSON object: plans, chunks, triples, parse and validate seconds,
result counts and a digest of the report. Run by ``bench/scale.py`` (in a
subprocess, for its peak memory) and by ``tests/test_synth.py``.

Why chunks give the whole report. Every triple of the synthetic union is either
in one plan (its subject is under ``{BASE}id/agency-N``) or shared by all plans
(the dataset note, the editors' agent, the fiscal years: see
``synth.shared_triples``). Every shape of ``ontology/shapes.ttl`` relates a
focus node to value nodes of the same plan, with two exceptions handled by
putting the shared part into every chunk: an observation's fiscal year
(``sdmx-dimension:refPeriod``, ``sh:class cdk:FiscalYear``), and the fiscal
years themselves (``cdksh:FiscalYearShape``, so they are validated once per
chunk). Nothing a plan states points into another plan. So a chunk conforms
exactly when its plans do, and the chunks' reports together are the release's
report, result for result (``tests/test_synth.py`` checks it): the SPARQL
constraints that target ``cdk:StrategicPlan`` look only at that plan's elements
and records.

Variants (``--variant``), each on the same chunks:

- ``codikg``: :func:`codikg.validate.shacl.validate_graph`, exactly what
  ``codikg validate`` runs (rdflib graph; ``inference="none"``,
  ``allow_warnings=True``, ``advanced=False``; no ontology graph).
- ``abort-on-first``, ``no-allow-warnings``, ``advanced``, ``sparql-mode``:
  the same call with that one pySHACL option changed.
- ``rdfs-ontology``: ``inference="rdfs"`` with ``ontology/codikg.ttl`` as
  ``ont_graph``.
- ``oxigraph``: the chunk loaded into a ``pyoxigraph.Store`` (pySHACL's native
  Oxigraph data graph), same options as ``codikg``.

``--damaged`` drops every 97th line of each plan first, so reports have results
to compare between variants.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).parent))
from synth import BASE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "codikg.ttl"
AGENCY = re.compile(rb"^<" + re.escape(BASE.encode()) + rb"id/agency-(\d+)[/>#]")
CODIKG_OPTIONS = {"inference": "none", "allow_warnings": True, "advanced": False}  # as codikg.validate.shacl
VARIANTS = {"codikg": {}, "abort-on-first": {"abort_on_first": True}, "no-allow-warnings": {"allow_warnings": False},
            "advanced": {"advanced": True}, "sparql-mode": {"sparql_mode": True},
            "rdfs-ontology": {"inference": "rdfs"}, "oxigraph": {}}
DAMAGE_EVERY = 97

app = typer.Typer(add_completion=False)


def plan_chunks(path: Path, plans_per_chunk: int = 1, max_plans: int | None = None,
                damaged: bool = False) -> Iterator[tuple[bytes, int]]:
    """Yield (N-Triples: the shared part + up to ``plans_per_chunk`` whole plans, how many plans).

    ``path`` is a ``synthetic-union.nt`` written by :func:`synth.write_synthetic` (shared
    lines first, then each plan's lines together). Stops after ``max_plans`` plans.

    Raises:
        ValueError: if a shared line follows a plan's lines, or a plan's lines are split
            (the file is not laid out as ``synth.write_synthetic`` writes it); names the line.
    """
    shared: list[bytes] = []
    chunk: list[bytes] = []
    in_chunk, seen, last, done = 0, set(), None, 0
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            match = AGENCY.match(line)
            if match is None:
                if seen:
                    raise ValueError(f"{path}:{number}: a line outside every plan after the plans began")
                shared.append(line)
                continue
            agency = match.group(1)
            if agency != last:
                if agency in seen:
                    raise ValueError(f"{path}:{number}: agency-{agency.decode()}'s lines are not together")
                if in_chunk == plans_per_chunk:
                    yield b"".join(shared + chunk), in_chunk
                    done += in_chunk
                    chunk, in_chunk = [], 0
                if max_plans is not None and done + in_chunk >= max_plans:
                    break
                seen.add(agency)
                last, in_chunk, position = agency, in_chunk + 1, 0
            position += 1
            if not (damaged and position % DAMAGE_EVERY == 0):
                chunk.append(line)
    if in_chunk:
        yield b"".join(shared + chunk), in_chunk


def _key(report, node) -> tuple[str, ...]:
    """One result, comparable across runs: severity, focus, path (if an IRI), value, component, message."""
    from rdflib import URIRef  # noqa: PLC0415
    from rdflib.namespace import SH  # noqa: PLC0415

    path = report.value(node, SH.resultPath)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    value = report.value(node, SH.value)
    return (str(report.value(node, SH.resultSeverity)), str(report.value(node, SH.focusNode)),
            str(path) if isinstance(path, URIRef) else "", value.n3() if value is not None else "",
            str(report.value(node, SH.sourceConstraintComponent)), " | ".join(messages))


def validate_chunk(data: bytes, shapes, variant: str = "codikg", ontology=None) -> dict:
    """Parse one chunk and validate it with ``variant``; seconds, result counts and sorted result keys.

    Raises:
        KeyError: for an unknown variant.
        RuntimeError, ValueError: whatever pySHACL raises for the variant (e.g. the Oxigraph
            data graph refusing a SELECT that does not project ``$this``).
    """
    import pyshacl  # noqa: PLC0415
    from rdflib import Graph  # noqa: PLC0415
    from rdflib.namespace import RDF, SH  # noqa: PLC0415

    from codikg.validate.shacl import validate_graph  # noqa: PLC0415

    options = {**CODIKG_OPTIONS, **VARIANTS[variant]}
    started = time.perf_counter()
    if variant == "oxigraph":
        import pyoxigraph as ox  # noqa: PLC0415

        graph = ox.Store()
        graph.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        graph = Graph().parse(data=data, format="nt")
    parsed = time.perf_counter()
    if variant == "codikg":
        report = validate_graph(graph, shapes).graph
    else:
        extra = {"ont_graph": ontology} if variant == "rdfs-ontology" else {}
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, **options, **extra)
    validated = time.perf_counter()
    keys = sorted(_key(report, node) for node in report.subjects(RDF.type, SH.ValidationResult))
    return {"triples": len(graph), "parse_s": parsed - started, "validate_s": validated - parsed,
            "results": len(keys), "violations": sum(k[0] == str(SH.Violation) for k in keys),
            "warnings": sum(k[0] == str(SH.Warning) for k in keys), "keys": keys}


def validate_chunks(path: Path, plans_per_chunk: int = 1, max_plans: int | None = None,
                    variant: str = "codikg", damaged: bool = False) -> dict:
    """Validate ``path`` chunk by chunk (see :func:`plan_chunks`); totals over the chunks.

    Returns plans, chunks, triples (summed over chunks, so the shared part counts once per
    chunk), parse_s, validate_s, results, violations, warnings, conforms and
    ``report_sha256``, a digest of all chunks' result keys, sorted (equal digests: equal reports).
    """
    from rdflib import Graph  # noqa: PLC0415

    from codikg.validate.shacl import load_shapes  # noqa: PLC0415

    shapes = load_shapes(SHAPES)
    ontology = Graph().parse(ONTOLOGY, format="turtle") if variant == "rdfs-ontology" else None
    total = {"plans": 0, "chunks": 0, "triples": 0, "parse_s": 0.0, "validate_s": 0.0, "results": 0,
             "violations": 0, "warnings": 0}
    keys: list[tuple[str, ...]] = []
    for data, plans in plan_chunks(path, plans_per_chunk, max_plans, damaged):
        done = validate_chunk(data, shapes, variant, ontology)
        keys += done.pop("keys")
        for key in ("triples", "parse_s", "validate_s", "results", "violations", "warnings"):
            total[key] += done[key]
        total["plans"] += plans
        total["chunks"] += 1
    digest = hashlib.sha256(json.dumps(sorted(keys), ensure_ascii=False).encode()).hexdigest()
    return {**total, "conforms": total["violations"] == 0, "report_sha256": digest,
            "variant": variant, "plans_per_chunk": plans_per_chunk, "damaged": damaged}


def per_shape(data: bytes, shapes) -> dict[str, float]:
    """Seconds pySHACL (``codikg`` options) spends on each named node shape of ``shapes`` for one chunk."""
    import pyshacl  # noqa: PLC0415
    from rdflib import Graph, URIRef  # noqa: PLC0415
    from rdflib.namespace import RDF, SH  # noqa: PLC0415

    graph = Graph().parse(data=data, format="nt")
    seconds = {}
    for shape in sorted(s for s in set(shapes.subjects(RDF.type, SH.NodeShape)) if isinstance(s, URIRef)):
        started = time.perf_counter()
        pyshacl.validate(graph, shacl_graph=shapes, use_shapes=[shape], **CODIKG_OPTIONS)
        seconds[str(shape).rsplit("#", 1)[-1]] = time.perf_counter() - started
    return dict(sorted(seconds.items(), key=lambda item: -item[1]))


@app.command()
def main(union: Annotated[Path, typer.Argument(help="synthetic-union.nt written by bench/synth.py.")],
         plans_per_chunk: Annotated[int, typer.Option(min=1, help="Plans per validated graph.")] = 1,
         max_plans: Annotated[int | None, typer.Option(min=1, help="Stop after this many plans.")] = None,
         variant: Annotated[str, typer.Option(help=f"One of {', '.join(VARIANTS)}.")] = "codikg",
         damaged: Annotated[bool, typer.Option(help=f"Drop every {DAMAGE_EVERY}th line of each plan.")] = False,
         shape_times: Annotated[bool, typer.Option("--per-shape", help="Instead: seconds per node shape, "
                                                   "validating the first chunk one shape at a time.")] = False
         ) -> None:
    """Validate SYNTHETIC data against ontology/shapes.ttl chunk by chunk; print JSON."""
    if shape_times:
        from codikg.validate.shacl import load_shapes  # noqa: PLC0415

        data, plans = next(plan_chunks(union, plans_per_chunk, max_plans))
        typer.echo(json.dumps({"plans": plans, "seconds": per_shape(data, load_shapes(SHAPES))}))
        return
    if variant not in VARIANTS:
        raise typer.BadParameter(f"--variant {variant}: use one of {', '.join(VARIANTS)}")
    try:
        result = validate_chunks(union, plans_per_chunk, max_plans, variant, damaged)
    except RuntimeError as exc:  # an option pySHACL cannot run here is that variant's outcome
        if variant == "codikg":
            raise
        result = {"variant": variant, "plans_per_chunk": plans_per_chunk, "damaged": damaged,
                  "error": f"{type(exc).__name__}: {exc}"}
    typer.echo(json.dumps(result))


if __name__ == "__main__":
    app()
