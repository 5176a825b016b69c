"""Custom SPARQL functions for the tests, loaded through CODIKG_SPARQL_FUNCTIONS."""

import pyoxigraph as ox

from codikg.sparql.functions import register


@register("urn:codikg-test:thaiDigits")
def thai_digits(term):
    """The ASCII digits of a literal written as Thai digits (๐-๙)."""
    if not isinstance(term, ox.Literal):
        return None
    return ox.Literal(term.value.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))


@register("urn:codikg-test:crash")
def crash(term):
    """Kill the worker process, as an out-of-memory kill would."""
    import os
    os._exit(3)
