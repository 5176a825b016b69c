"""The release's dump files: one RDF serialisation per format, each also gzipped.

Formats (W3C RDF 1.1 media types, from :mod:`codikg.sparql.formats`; EU
file-type authority codes):

========  ===================  =========================  ==================
file      content              media type                 EU file type
========  ===================  =========================  ==================
trig      every named graph    application/trig           RDF_TRIG
nq        every named graph    application/n-quads        RDF_N_QUADS
jsonld    every named graph    application/ld+json        JSON_LD
ttl       union of the graphs  text/turtle                RDF_TURTLE
nt        union of the graphs  application/n-triples      RDF_N_TRIPLES
========  ===================  =========================  ==================

Each ``codikg.X`` has a ``codikg.X.gz`` twin (RFC 1952, mtime 0 so that the
same bytes always give the same checksum). Line-based formats are sorted so a
rebuild of the same inputs gives byte-identical files. The JSON-LD context is
inline (the prefixes only): the file never names a remote context.

Each plan also has its own dumps, its graphs only (document, curation, derived):
``plan-{agency}-{fy}.trig`` and ``.ttl``, each with its ``.gz`` twin
(:data:`PLAN_DUMP_FORMATS`, :func:`plan_dump_filename`), the distributions of
that plan's dataset in the catalog.

The catalog graph is *not* in these files: it carries their sizes and SHA-256
checksums, so it cannot be inside what it describes (see docs/catalog.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from codikg.namespaces import PREFIXES
from codikg.sparql.formats import JSON_LD, N_QUADS, N_TRIPLES, TRIG, TURTLE, Format

#: Media type of every ``.gz`` file (RFC 6713).
GZIP_MEDIA_TYPE = "application/gzip"
#: ``format`` of a plan's StratML document (:mod:`codikg.graph.stratml`), a download
#: listed with the dumps in the manifest and the catalog.
STRATML_FORMAT = "stratml"


@dataclass(frozen=True)
class DumpFormat:
    """One dump serialisation.

    Attributes:
        key: short name and file extension (``trig``).
        media_type: IANA media type of the uncompressed file.
        eu_file_type: code in the EU file-type authority table.
        quads: True if the file keeps the named graphs, False for the union.
        label_en, label_th: human names of the format.
    """

    key: str
    media_type: str
    eu_file_type: str
    quads: bool
    label_en: str
    label_th: str

    @property
    def filename(self) -> str:
        return f"codikg.{self.key}"

    @property
    def gz_filename(self) -> str:
        return f"codikg.{self.key}.gz"


def _dump(fmt: Format, eu_file_type: str, quads: bool) -> DumpFormat:
    """The dump in ``fmt``: its key, media type and labels are the registry's."""
    return DumpFormat(fmt.extension, fmt.media_type, eu_file_type, quads, fmt.label, fmt.label)


DUMP_FORMATS = (
    _dump(TRIG, "RDF_TRIG", True),
    _dump(N_QUADS, "RDF_N_QUADS", True),
    _dump(JSON_LD, "JSON_LD", True),
    _dump(TURTLE, "RDF_TURTLE", False),
    _dump(N_TRIPLES, "RDF_N_TRIPLES", False),
)


def _sorted_lines(text: str) -> bytes:
    lines = sorted(set(text.splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def graph_dataset(graph: Graph, namespaces) -> Dataset:
    """A dataset whose one named graph is ``graph`` (same identifier), for TriG output.

    Args:
        graph: the graph; its ``identifier`` names it in the dataset.
        namespaces: (prefix, namespace) pairs to bind.
    """
    single = Dataset()
    for prefix, namespace in namespaces:
        single.bind(prefix, namespace)
    named = single.graph(graph.identifier)
    for triple in graph:
        named.add(triple)
    return single


def _trig(dataset: Dataset) -> bytes:
    """TriG with the graphs in IRI order (rdflib's own order depends on hashing)."""
    prefixes, blocks = set(), []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph) or graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        text = graph_dataset(graph, dataset.namespaces()).serialize(format="trig")
        head = [line for line in text.splitlines() if line.startswith("@prefix")]
        prefixes.update(head)
        blocks.append("\n".join(line for line in text.splitlines() if not line.startswith("@prefix")).strip())
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(blocks) + "\n").encode("utf-8")


def canonical_json(node):
    """Sort JSON-LD arrays (their order carries no meaning outside ``@list``)
    and object keys, so the same data always serialises to the same bytes."""
    if isinstance(node, dict):
        return {k: (v if k == "@list" else canonical_json(v)) for k, v in sorted(node.items())}
    if isinstance(node, list):
        items = [canonical_json(item) for item in node]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return node


def _jsonld(dataset: Dataset) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    doc = json.loads(dataset.serialize(format="json-ld", context=context, auto_compact=True))
    return json.dumps(canonical_json(doc), indent=2, ensure_ascii=False).encode("utf-8")


def serialize(fmt: DumpFormat, dataset: Dataset, union: Graph) -> bytes:
    """The bytes of ``fmt`` for ``dataset`` (quad formats) or ``union`` (triple formats)."""
    if fmt.key == "trig":
        return _trig(dataset)
    if fmt.key == "nq":
        return _sorted_lines(dataset.serialize(format="nquads"))
    if fmt.key == "jsonld":
        return _jsonld(dataset)
    if fmt.key == "ttl":
        return union.serialize(format="turtle", encoding="utf-8")
    if fmt.key == "nt":
        return _sorted_lines(union.serialize(format="nt"))
    raise ValueError(f"unknown dump format {fmt.key!r}")

#: The formats each plan's own dumps are written in (beside the whole release's).
PLAN_DUMP_FORMATS = tuple(fmt for fmt in DUMP_FORMATS if fmt.key in ("trig", "ttl"))


def plan_dump_filename(plan: str, fmt: DumpFormat, gz: bool = False) -> str:
    """``plan-{agency}-{fy}.{key}[.gz]``: the file of one plan's graphs (``plan`` is ``agency/fy``)."""
    return f"plan-{plan.replace('/', '-')}.{fmt.key}" + (".gz" if gz else "")
