"""Ingest: a plan's source document (Thai template in plain text, or StratML) into the plan model.

The ingesters are imported on first use of their names (PEP 562), so the Thai
text rules (:mod:`codikg.ingest.thai`) load without them, e.g. in query workers.
"""

from __future__ import annotations

import importlib

_MODULES = {"PlanParseError": "parser", "parse_plan": "parser", "parse_plan_file": "parser",
            "read_stratml": "stratml", "StratMLError": "stratml", "read_plan_file": "source"}
__all__ = list(_MODULES)


def __getattr__(name: str):
    """``PlanParseError``, ``parse_plan``, ``parse_plan_file`` (:mod:`codikg.ingest.parser`),
    ``read_stratml``, ``StratMLError`` (:mod:`codikg.ingest.stratml`) and
    ``read_plan_file`` (:mod:`codikg.ingest.source`: by media type, either of them).

    Raises:
        AttributeError: any other name.
    """
    if name in _MODULES:
        return getattr(importlib.import_module(f"codikg.ingest.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
