"""The plan's settings file, ``data/plan.toml``: agency slug, fiscal year, source document.

Read here and only here; everything else takes a :class:`PlanConfig`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from codikg.config.errors import BuildError

PLAN_FILE = "plan.toml"


@dataclass(frozen=True)
class PlanConfig:
    """The plan's settings from ``data/plan.toml`` (see that file).

    Attributes:
        agency: the agency slug in every IRI (``id/{agency}/plan/{fy}``).
        fiscal_year_be: the plan's first fiscal year, Buddhist Era.
        source: path of the source document.
        source_media_type: its media type (``text/plain; charset=utf-8``).
        agency_names: the ``[agency]`` table (names, acronyms, homepage), or empty.
    """

    agency: str
    fiscal_year_be: int
    source: Path
    source_media_type: str
    agency_names: dict = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, data_dir: Path) -> "PlanConfig":
        """Read ``data_dir/plan.toml``.

        Raises:
            BuildError: if the file is missing, not TOML or lacks a key.
        """
        path = Path(data_dir) / PLAN_FILE
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            plan = table["plan"]
            return cls(plan["agency"], int(plan["fiscal_year_be"]), Path(data_dir) / plan["source"],
                       plan.get("source_media_type", "text/plain; charset=utf-8"),
                       table.get("agency", {}))
        except FileNotFoundError:
            raise BuildError(f"{path}: plan settings file not found") from None
        except (tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
            raise BuildError(f"{path}: {type(exc).__name__}: {exc}") from None
