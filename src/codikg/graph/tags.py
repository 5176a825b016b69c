"""CKAN's tag rules, shared by the catalog's keywords and the CKAN payloads.

Stock CKAN (``ckan.logic.validators.tag_name_validator`` and
``tag_length_validator``) accepts a tag of 2 to 100 characters matching
``[\\w \\-.]*$``; Python's ``\\w`` does not match Thai vowel and tone marks
(category Mn), so most Thai words fail. ckanext-thai_gdc (data.go.th) calls
``tagname_match.match(value, re.U)``: ``re.U`` (32) lands in *pos*, so only
characters from the 33rd on are checked. See docs/catalog.md.
"""

from __future__ import annotations

import re

from codikg.config.catalog import TAG_RULES
#: CKAN's tag rule (ckan.logic.validators; ckan.model MIN_TAG_LENGTH, MAX_TAG_LENGTH).
TAG_PATTERN = re.compile(r"[\w \-.]*$")
MIN_TAG_LENGTH, MAX_TAG_LENGTH = 2, 100
#: Where ckanext-thai_gdc's tag check starts (``match(value, re.U)``: re.U == 32).
THAI_GDC_TAG_START = int(re.U)


def tag_problem(tag: str, profile: str = "ckan") -> str | None:
    """Why a portal's tag validator would reject ``tag``, or ``None`` if it passes.

    Args:
        tag: the tag text.
        profile: ``ckan`` (CKAN core's rule) or ``data.go.th`` (the same
            pattern checked from character 33 on, as ckanext-thai_gdc does).

    Raises:
        ValueError: an unknown profile.
    """
    if profile not in TAG_RULES:
        raise ValueError(f"unknown tag rule {profile!r} (known: {', '.join(TAG_RULES)})")
    if not MIN_TAG_LENGTH <= len(tag) <= MAX_TAG_LENGTH:
        return f"length {len(tag)} is outside {MIN_TAG_LENGTH}..{MAX_TAG_LENGTH}"
    if "," in tag:
        return "contains a comma"
    start = THAI_GDC_TAG_START if profile == "data.go.th" else 0
    if TAG_PATTERN.match(tag, start):
        return None
    bad = next(c for c in tag[start:] if not TAG_PATTERN.match(c))
    return f"character {bad!r} (U+{ord(bad):04X}) is not a word character, space, '-', '_' or '.'"
