"""Search benchmark: index build time and p50 query latency over the test queries.

Peer measured in the same run: a SPARQL ``FILTER(CONTAINS(?label, "…"))``
scan of every label in the embedded pyoxigraph store (what a user can do
without the index; it finds far less: no segmentation, folding or ranking).

Run: ``.venv/bin/python bench/search.py [RELEASE_DIR]`` (default ./release,
built first if missing), or ``make bench-search``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from search_cases import CASES  # noqa: E402

from codikg.graph.derived import _romanize_word, derived_graph  # noqa: E402
from codikg.release.layout import DUMP_FILES  # noqa: E402
from codikg.release.pipeline import build_dataset, ensure_release  # noqa: E402
from codikg.release.layout import INDEX_FILE  # noqa: E402
from codikg.search.index import SearchIndex, build_index  # noqa: E402
from codikg.config.settings import load_settings  # noqa: E402
from codikg.store import EmbeddedStore  # noqa: E402


def _p50(fn, queries, rounds=5):
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    settings = load_settings()
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else settings.release_dir
    ensure_release(settings, folder)
    dataset = Dataset()
    dataset.parse(folder / DUMP_FILES["trig"], format="trig")
    plan_dataset = build_dataset(settings)

    _romanize_word.cache_clear()
    start = time.perf_counter()
    derived_graph(*(plan_dataset.graph(g) for g in plan_dataset.graphs()))
    roman_s = time.perf_counter() - start
    start = time.perf_counter()
    data = build_index(dataset)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    index = SearchIndex.load(folder / INDEX_FILE)
    load_s = time.perf_counter() - start

    queries = [q for _, q, _ in CASES]
    index.search(queries[0])  # warm-up
    ours = _p50(lambda q: index.search(q, 20), queries)
    store = EmbeddedStore(folder / DUMP_FILES["trig"])
    sparql = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?s WHERE '
              '{{ ?s skos:prefLabel|skos:altLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), {})) }} LIMIT 20')
    peer = _p50(lambda q: list(store.query(sparql.format(json.dumps(q.lower())))), queries)
    print(f"elements indexed:            {len(data['elements'])}")
    print(f"index file:                  {(folder / INDEX_FILE).stat().st_size:,} bytes")
    print(f"RTGS labels (derived graph): {roman_s:.2f} s (romanisation model, per-word cache emptied first)")
    print(f"index build (build_index):   {build_s:.2f} s")
    print(f"index load:                  {load_s * 1000:.0f} ms")
    print(f"p50 search latency:          {ours * 1000:.1f} ms over {len(queries)} test queries x 5")
    print(f"p50 SPARQL CONTAINS scan:    {peer * 1000:.1f} ms  (ratio ours/peer {ours / peer:.1f}x)")


if __name__ == "__main__":
    main()
