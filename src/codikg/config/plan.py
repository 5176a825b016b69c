"""The plan folders: ``data/plans/<agency>/<fiscal-year-BE>/``, one per plan.

Each folder holds ``plan.toml`` (agency slug, first fiscal year, source
document, the agency's names), the source document, ``catalog.toml`` (the
plan's dataset metadata) and ``curation/*.ttl``. Read here and only here, once
per build; everything else takes a :class:`PlanConfig`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from codikg.config.errors import BuildError

PLAN_FILE = "plan.toml"
PLANS_DIR = "plans"
CURATION_DIR = "curation"


@dataclass(frozen=True)
class PlanConfig:
    """One plan's settings, from ``<folder>/plan.toml``.

    Attributes:
        agency: the agency slug in every IRI (``id/{agency}/plan/{fy}``).
        fiscal_year_be: the plan's first fiscal year, Buddhist Era.
        source: path of the source document.
        source_media_type: its media type (``text/plain; charset=utf-8``).
        agency_names: the ``[agency]`` table (names, acronyms, homepage), or empty.
        folder: the plan folder (``data/plans/<agency>/<fy>``).
    """

    agency: str
    fiscal_year_be: int
    source: Path
    source_media_type: str
    agency_names: dict = field(default_factory=dict, compare=False)
    folder: Path | None = None

    @property
    def key(self) -> str:
        """``agency/fiscal-year``, as the commands' ``--plan`` names a plan."""
        return f"{self.agency}/{self.fiscal_year_be}"

    @property
    def curation_files(self) -> list[Path]:
        """The plan's curation files (``<folder>/curation/*.ttl``), sorted."""
        return sorted((self.folder / CURATION_DIR).glob("*.ttl")) if self.folder else []

    @classmethod
    def load(cls, folder: Path) -> "PlanConfig":
        """Read ``folder/plan.toml``; the source path is relative to ``folder``.

        Raises:
            BuildError: naming the file, if it is missing, not TOML, lacks a
                key, or names another agency or year than its folder.
        """
        folder = Path(folder)
        path = folder / PLAN_FILE
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            plan = table["plan"]
            config = cls(str(plan["agency"]), int(plan["fiscal_year_be"]), folder / plan["source"],
                         plan.get("source_media_type", "text/plain; charset=utf-8"),
                         dict(table.get("agency", {})), folder)
        except FileNotFoundError:
            raise BuildError(f"{path}: plan settings file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise BuildError(f"{path}: not valid TOML: {exc}") from None
        except KeyError as exc:
            raise BuildError(f"{path}: [plan] lacks the key {exc}") from None
        except (ValueError, TypeError):
            raise BuildError(f"{path}: [plan] fiscal_year_be must be a whole Buddhist Era year such as 2567, "
                             f"not {plan.get('fiscal_year_be')!r}") from None
        if folder.parent.parent.name == PLANS_DIR and (folder.parent.name, folder.name) != (
                config.agency, str(config.fiscal_year_be)):
            raise BuildError(f"{path}: names plan {config.key} but lies in the folder of "
                             f"{folder.parent.name}/{folder.name}")
        return config


def load_plans(data_dir: Path) -> tuple[PlanConfig, ...]:
    """Every plan of ``data_dir/plans/*/*/``, in ``agency/fiscal-year`` order.

    Raises:
        BuildError: naming the file, if there is no plan folder, a folder
            lacks or has a malformed ``plan.toml``, or two folders name one plan.
    """
    root = Path(data_dir) / PLANS_DIR
    folders = sorted(p for p in root.glob("*/*") if p.is_dir())
    if not folders:
        raise BuildError(f"{root}: no plan folder (<agency>/<fiscal-year>/plan.toml); "
                         "add one with 'codikg plan new'")
    plans = tuple(PlanConfig.load(folder) for folder in folders)
    return plans


def find_plan(plans, key: str) -> PlanConfig:
    """The plan named ``agency/fiscal-year`` (e.g. ``agency/2567``).

    Raises:
        KeyError: with a message listing the plans there are.
    """
    for plan in plans:
        if plan.key == key.strip().strip("/"):
            return plan
    raise KeyError(f"no plan {key!r}; the plans are: {', '.join(p.key for p in plans)}")
