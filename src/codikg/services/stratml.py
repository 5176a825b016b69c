"""A plan's StratML Part 2 document (docs/stratml.md), as the release holds it."""

from __future__ import annotations

import re
from pathlib import Path

from codikg.ingest.thai import to_ascii_digits
from codikg.release.layout import STRATML_FORMAT
from codikg.release.reader import read_download

_PLAN = re.compile(r"^(?P<agency>[A-Za-z0-9-]+)/(?P<fy>[0-9]{4})$")


class PlanNotFound(LookupError):
    """The release has no StratML document of the plan asked for; the message lists its plans."""


def stratml_of(release_dir: Path, manifest: dict, plan: str | None = None) -> tuple[str, bytes]:
    """The StratML document of one plan of a release.

    Args:
        release_dir: the release folder.
        manifest: its manifest.
        plan: ``AGENCY/FY`` (fiscal year B.E., Thai or ASCII digits); may be
            omitted while the release holds one plan.

    Returns:
        (file name, the XML bytes).

    Raises:
        ValueError: ``plan`` is not of the form ``AGENCY/FY``.
        PlanNotFound: no such plan, no plan named while there are several, or
            a release built before codikg wrote StratML.
        OSError: the file the manifest lists is missing.
    """
    entries = {entry["plan"]: entry for entry in manifest.get("dumps", {}).values()
               if entry.get("format") == STRATML_FORMAT}
    if not entries:
        raise PlanNotFound(f"release {manifest.get('release')} has no StratML document; "
                           "rebuild it with 'codikg build'")
    plans = ", ".join(sorted(entries))
    if plan is None:
        if len(entries) > 1:
            raise PlanNotFound(f"the release holds {len(entries)} plans; name one: {plans}")
        entry = next(iter(entries.values()))
    else:
        match = _PLAN.match(to_ascii_digits(plan.strip()))
        if match is None:
            raise ValueError(f"plan {plan!r}: expected AGENCY/FISCAL_YEAR; plans: {plans}")
        entry = entries.get(f"{match['agency']}/{match['fy']}")
        if entry is None:
            raise PlanNotFound(f"no plan {plan!r} in release {manifest.get('release')}; plans: {plans}")
    return entry["file"], read_download(release_dir, entry)
