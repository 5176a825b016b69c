"""StratML export and import of CODI's plan: size and time (best of five).

    .venv/bin/python bench/stratml.py

Prints the Part 2 document's size, the time to parse the Thai text, to export
the plan model as StratML (graph/stratml.py), to validate it against the XSD
(xmlschema, a test dependency) and to import it back (ingest/stratml.py).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from codikg.graph.iris import PlanIRIs
from codikg.graph.stratml import stratml_document
from codikg.ingest import parse_plan_file
from codikg.ingest.stratml import read_stratml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "codi-strategic-plan-2552.txt"
XSD = ROOT / "tests" / "conformance" / "stratml" / "PerformancePlanOrReport20160216.xsd"


def _best(run, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    import xmlschema

    plan = parse_plan_file(SOURCE)
    iris = PlanIRIs("https://w3id.org/codikg/", "codi", 2552)
    xml = stratml_document(plan, iris)
    schema = xmlschema.XMLSchema(XSD)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xml"
        path.write_bytes(xml)
        rows = {
            "parse the Thai text": _best(lambda: parse_plan_file(SOURCE)),
            "export as StratML": _best(lambda: stratml_document(plan, iris)),
            "validate against the XSD": _best(lambda: schema.validate(xml.decode("utf-8"))),
            "import the StratML back": _best(lambda: read_stratml(path)),
        }
    print(f"StratML Part 2 document: {len(xml):,} bytes ({SOURCE.stat().st_size:,} bytes of source text)")
    for name, seconds in rows.items():
        print(f"{name:28} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
