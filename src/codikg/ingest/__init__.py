"""Ingest: the plan document (plain text) into the plan model."""

from codikg.ingest.parser import PlanParseError, parse_plan, parse_plan_file

__all__ = ["PlanParseError", "parse_plan", "parse_plan_file"]
