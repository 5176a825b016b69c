"""A new plan folder from its document alone (``codikg plan new``).

Writes ``data/plans/<agency>/<fiscal-year>/``: the document copied byte for
byte into ``source/``, ``plan.toml`` and ``catalog.toml`` filled with what the
document says (its title, the agency of its credit line, the period when the
title prints one) and curation templates: ``plan-metadata.ttl`` (publisher and,
when printed, period) and ``objective-missions.ttl``, which lists every
objective and mission with the links left to fill in (commented out, so the
folder builds as it is: missing links are warnings, never a violation).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
from rdflib import Literal

from codikg.config.plan import CURATION_DIR, PLAN_FILE, PLANS_DIR, PlanConfig
from codikg.config.settings import DEFAULT_BASE_IRI
from codikg.ingest.source import media_type_of, read_plan_file
from codikg.ingest.thai import fiscal_year_interval, to_ascii_digits
from codikg.model import Plan
from codikg.namespaces import NAMESPACE_IRIS

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A printed period: "พ.ศ. ๒๕๖๖–๒๕๗๐" (Thai or ASCII digits, any dash).
_PERIOD = re.compile(r"พ\.\s?ศ\.\s*([0-9๐-๙]{4})\s*[-–—]\s*([0-9๐-๙]{4})")
EDITOR = f"{DEFAULT_BASE_IRI}id/agent/codikg-editors"


class PlanSetupError(ValueError):
    """``plan new`` cannot write the folder (the message says what and where)."""


@dataclass
class NewPlan:
    """What ``plan new`` wrote.

    Attributes:
        config: the new plan's settings.
        title: the plan's title as printed; agency_th: its agency (argument or credit line).
        period: (first, last) fiscal years (B.E.) printed in the title, or None.
        files: every file written, in the order written.
    """

    config: PlanConfig
    title: str
    agency_th: str
    period: tuple[int, int] | None
    files: list[Path] = field(default_factory=list)


def printed_period(plan: Plan) -> tuple[int, int] | None:
    """The fiscal years (B.E.) a title such as ``แผนยุทธศาสตร์ … พ.ศ. ๒๕๖๖–๒๕๗๐`` prints, or None."""
    match = _PERIOD.search(plan.title.normalized)
    if match is None:
        return None
    first, last = (int(to_ascii_digits(g)) for g in match.groups())
    return (first, last) if first <= last else None


def _agency_names(data_dir: Path, agency: str, name_th: str | None,
                  name_en: str | None) -> tuple[str | None, str | None]:
    """The names a new plan of ``agency`` takes: its other plans' when it has some."""
    for plan_toml in sorted((data_dir / PLANS_DIR / agency).glob(f"*/{PLAN_FILE}")):
        known = PlanConfig.load(plan_toml.parent).agency_names
        for key, given in (("name_th", name_th), ("name_en", name_en)):
            if given and known.get(key) and given != known[key]:
                raise PlanSetupError(f"--{key.replace('_', '-')} {given!r}: agency {agency} is named "
                                     f"{known[key]!r} in {plan_toml}; one agency has one name")
        return name_th or known.get("name_th"), name_en or known.get("name_en")
    return name_th, name_en


def new_plan(data_dir: Path, agency: str, fiscal_year_be: int, source: Path,
             name_th: str | None = None, name_en: str | None = None) -> NewPlan:
    """Write the folder of a new plan from its document.

    Args:
        data_dir: the project's ``data/`` folder.
        agency: the agency's IRI slug (lower-case ASCII letters, digits, ``-``).
        fiscal_year_be: the plan's first fiscal year, Buddhist Era (e.g. 2567).
        source: the plan document (``.txt`` template; ``.xml`` StratML once its reader exists).
        name_th, name_en: the agency's names (default: those of the agency's other plans, else
            the credit line and no English name). One agency has one name in every plan: names
            that differ from its other plans' are refused.

    Raises:
        PlanSetupError: a bad slug or year, a missing source, an existing plan folder, names
            that differ from the agency's other plans'.
        codikg.ingest.source.UnsupportedSource: a document format with no ingester.
        codikg.ingest.PlanParseError: a line of the document that fits nowhere.
    """
    if not _SLUG.fullmatch(agency):
        raise PlanSetupError(f"agency {agency!r}: use lower-case ASCII letters, digits and '-' "
                             "(it goes into every IRI of the plan)")
    if not 2400 <= fiscal_year_be <= 2800:
        raise PlanSetupError(f"fiscal year {fiscal_year_be}: give the Buddhist Era year (e.g. 2567)")
    source = Path(source)
    if not source.is_file():
        raise PlanSetupError(f"{source}: no such file")
    folder = Path(data_dir) / PLANS_DIR / agency / str(fiscal_year_be)
    if folder.exists():
        raise PlanSetupError(f"{folder}: the plan {agency}/{fiscal_year_be} exists already")
    media_type = media_type_of(source)
    try:
        plan = read_plan_file(source, media_type)  # refuse a document the build could not read
    except UnicodeDecodeError as exc:
        raise PlanSetupError(f"{source}: not UTF-8 text (byte {exc.start}): save the plan as UTF-8 "
                             "(a TIS-620 file: iconv -f TIS-620 -t UTF-8)") from None
    name_th, name_en = _agency_names(Path(data_dir), agency, name_th, name_en)
    agency_th = name_th or (plan.credit.normalized if plan.credit else "") or agency
    made = NewPlan(PlanConfig(agency, fiscal_year_be, folder / "source" / source.name, media_type,
                              {"name_th": agency_th, "name_en": name_en or ""}, folder),
                   plan.title.normalized, agency_th, printed_period(plan))
    try:
        _write_folder(made, plan, source, name_en or "")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # all or nothing: a half folder would not build
        raise
    return made


def _write(made: NewPlan, path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    made.files.append(path)


def _write_folder(made: NewPlan, plan: Plan, source: Path, name_en: str) -> None:
    config = made.config
    config.source.parent.mkdir(parents=True)
    shutil.copyfile(source, config.source)  # byte for byte: the document is never edited
    made.files.append(config.source)
    agency = {"name_th": made.agency_th, **({"name_en": name_en} if name_en else {})}
    _write(made, config.folder / PLAN_FILE, "# Written by 'codikg plan new'; see README.md.\n" + tomli_w.dumps({
        "plan": {"agency": config.agency, "fiscal_year_be": config.fiscal_year_be,
                 "source": f"source/{source.name}", "source_media_type": config.source_media_type},
        "agency": agency}))
    years = "{fiscal_years}"
    dataset = {
        "slug": f"{config.agency}-strategic-plan-{config.fiscal_year_be}",
        "title_th": f"{_title_with_agency(made)} {years}",
        "title_en": f"Strategic plan of {name_en or config.agency}, {years}",
        "description_th": f"{made.title} {made.agency_th} ในรูปแบบข้อมูลเชื่อมโยง (RDF) ทุกองค์ประกอบอ้างอิงข้อความต้นฉบับ",
        "description_en": f"The strategic plan of {name_en or config.agency} as linked data (RDF); "
                          "every element quotes its source text.",
        "keywords_th": ["แผนยุทธศาสตร์"], "keywords_en": ["strategic plan"], "themes": ["GOVE"],
        "frequency": "IRREG", "languages": ["THA"], "countries": ["THA"],
        "license": "http://creativecommons.org/licenses/by/4.0/",
        "license_title": "Creative Commons Attribution 4.0 International"}
    contact = {"name_th": made.agency_th, **({"name_en": name_en} if name_en else {})}
    _write(made, config.folder / "catalog.toml",
           "# Written by 'codikg plan new' from the document; editors' choices to review\n"
           "# (licence, themes, keywords, contact), see docs/catalog.md.\n"
           + tomli_w.dumps({"dataset": dataset, "contact": contact}))
    curation = config.folder / CURATION_DIR
    _write(made, curation / "plan-metadata.ttl", _plan_metadata(made))
    _write(made, curation / "objective-missions.ttl", _objective_missions(config, plan))


def _title_with_agency(made: NewPlan) -> str:
    """The printed title without its period (the catalog adds the curated one), naming the agency."""
    title = " ".join(_PERIOD.sub("", made.title).split())
    return title if made.agency_th in title else f"{title} {made.agency_th}"


def _prefixes(*names: str) -> list[str]:
    return [f"@prefix {name}: <{NAMESPACE_IRIS[name]}> ." for name in names]


def _plan_iri(config: PlanConfig) -> str:
    return f"{DEFAULT_BASE_IRI}id/{config.agency}/plan/{config.fiscal_year_be}"


def _plan_metadata(made: NewPlan) -> str:
    config, plan = made.config, _plan_iri(made.config)
    lines = ["# Curated plan metadata, written by 'codikg plan new' from the document.",
             *_prefixes("cdk", "dct", "dcat", "xsd"), "",
             f"<{plan}> dct:publisher <{DEFAULT_BASE_IRI}id/{config.agency}> ."]
    if made.period is None:
        lines += ["", "# The title prints no period: state it (a SHACL warning until then), e.g.",
                  f"# <{plan}> dct:temporal <{plan}/period> ; cdk:firstFiscalYear {config.fiscal_year_be} ;",
                  "#     cdk:lastFiscalYear LAST .",
                  f"# <{plan}/period> a dct:PeriodOfTime ; dcat:startDate \"…\"^^xsd:date ; dcat:endDate \"…\"^^xsd:date ."]
        return "\n".join(lines) + "\n"
    first, last = made.period
    start, end = fiscal_year_interval(first)[0], fiscal_year_interval(last)[1]
    lines += ["", f"# The period printed in the title ({Literal(made.title).n3()}).",
              f"<{plan}> dct:temporal <{plan}/period> ; cdk:firstFiscalYear {first} ; cdk:lastFiscalYear {last} .",
              f"<{plan}/period> a dct:PeriodOfTime ; dcat:startDate \"{start}\"^^xsd:date ;",
              f"    dcat:endDate \"{end}\"^^xsd:date ."]
    return "\n".join(lines) + "\n"


def _objective_missions(config: PlanConfig, plan: Plan) -> str:
    iri = _plan_iri(config)
    out = ["# Which missions each strategic objective supports (curated): uncomment a link and",
           "# its record, choose the mission and give the reason. Until then each objective and its",
           "# indicators are SHACL warnings and the trace shows the missing hop.",
           *_prefixes("cdk", "rdf", "prov", "dct", "xsd"), "", "# The missions:"]
    out += [f"#   mission {m.notation}: {m.text.normalized}" for m in plan.missions]
    for objective in plan.objectives:
        n = objective.notation
        out += ["", f"# objective {n}: {objective.text.normalized}",
                f"# <{iri}/objective/{n}> cdk:supportsMission <{iri}/mission/N> .",
                f"# <{iri}/curation/objective-{n}-mission-N> a rdf:Statement , cdk:CuratedLink ;",
                f"#     rdf:subject <{iri}/objective/{n}> ; rdf:predicate cdk:supportsMission ;",
                f"#     rdf:object <{iri}/mission/N> ; cdk:rationale \"…\"@th , \"…\"@en ;",
                f"#     prov:wasAttributedTo <{EDITOR}> ; dct:created \"YYYY-MM-DD\"^^xsd:date ."]
    return "\n".join(out) + "\n"
