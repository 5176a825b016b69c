"""The one HTTP layer every route shares: the format registry."""

from __future__ import annotations

import pyoxigraph as ox

from codikg.graph.dumps import DUMP_FORMATS
from codikg.sparql.formats import (DATASET_FORMATS, GRAPH_FORMATS, RESULTS_CSV, RESULTS_FORMATS, TURTLE,
                                   format_by_name)

# --- the format registry ----------------------------------------------------------

def test_format_registry_takes_media_types_and_extensions_from_pyoxigraph():
    for fmt in RESULTS_FORMATS + GRAPH_FORMATS + DATASET_FORMATS:
        assert fmt.media_type == fmt.oxigraph.media_type.partition(";")[0]
        assert (fmt.extension, fmt.label) == (fmt.oxigraph.file_extension, fmt.oxigraph.name)
    assert (RESULTS_CSV.media_type, RESULTS_CSV.content_type) == ("text/csv", "text/csv; charset=utf-8")
    assert format_by_name(GRAPH_FORMATS, " N3 ") is TURTLE
    assert format_by_name(GRAPH_FORMATS, "application/x-turtle") is TURTLE
    assert [(d.key, d.media_type) for d in DUMP_FORMATS] == [
        (f.file_extension, f.media_type) for f in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS,
                                                   ox.RdfFormat.JSON_LD, ox.RdfFormat.TURTLE,
                                                   ox.RdfFormat.N_TRIPLES)]
