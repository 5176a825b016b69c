"""Lexing time of adversarial query texts, against a plain query of the same size.

    .venv/bin/python bench/lexer.py

The texts are those of tests/test_sparql_lexer.py (twice the endpoint's 32 KiB
query limit); each line prints the best of five runs and its ratio to lexing
an ordinary query of the same length, so a lexer that rescans per position
(quadratic) shows as a ratio in the hundreds.
"""

from __future__ import annotations

import time

from codikg.sparql.lexer import LexError, tokenize

ADVERSARIAL = {
    "prefix ending in '.'": ("a." * 10_000 + ":") * 3,
    "prefixed names of dots": ("a." * 10_000 + ":b ") * 3,
    "one long local name": "e:" + "a." * 30_000 + " ",
    "unclosed long string": "'''" + "''a" * 20_000,
    "30,000 operators": "SELECT (" + "+".join(["1"] * 30_000) + " AS ?x) {}",
    "unclosed IRIs": "<a" * 30_000,
}


def _best(text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        try:
            tokenize(text)
        except LexError:
            pass
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    for name, text in ADVERSARIAL.items():
        plain = ("SELECT ?s WHERE { ?s ?p ?o } " * (len(text) // 29 + 1))[:len(text)]
        seconds, baseline = _best(text), _best(plain)
        print(f"{name:28} {len(text):7,} chars  {seconds * 1000:8.1f} ms  "
              f"{seconds / baseline:6.1f}x a plain query of that length")


if __name__ == "__main__":
    main()
