"""Ingest: the plan document (plain text) into the plan model.

The parser is imported on first use of its names (PEP 562), so the Thai text
rules (:mod:`codikg.ingest.thai`) load without it, e.g. in query workers.
"""

from __future__ import annotations

import importlib

__all__ = ["PlanParseError", "parse_plan", "parse_plan_file"]


def __getattr__(name: str):
    """:mod:`codikg.ingest.parser`'s ``PlanParseError``, ``parse_plan``, ``parse_plan_file``.

    Raises:
        AttributeError: any other name.
    """
    if name in __all__:
        return getattr(importlib.import_module("codikg.ingest.parser"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
