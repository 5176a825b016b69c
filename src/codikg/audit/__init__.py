"""Auditor features: the trace, the data-quality report, repeated items, split words."""
