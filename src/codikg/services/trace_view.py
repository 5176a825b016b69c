"""The trace page's layout: paths grouped so that nothing repeats on screen.

:func:`codikg.audit.trace.trace_all` gives one flat path per indicator–mission
pair (the traceability matrix). Printed as a table, each
row repeated the mission and the vision. Here the paths are grouped the way
the chain runs: under each mission (shown once, with its hop to the vision),
the objectives that support it (shown once, with their issue and the curated
or stated hop to the mission), and under each objective its indicators.
Paths whose chain breaks before a mission form a last group with no mission.
A release of several plans shows each plan apart, in the paths' order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codikg.audit.trace import Hop, Node, TracePath


@dataclass
class ObjectiveGroup:
    """One objective under a mission and the paths of its indicators.

    ``objective``/``issue`` are ``None`` where the chain breaks before them;
    ``to_mission`` is the objective → mission hop, ``to_issue`` the issue →
    objective hop (the same for every path of the group); ``upward``: the
    curated hops from the objective or its issue to higher plans' elements,
    each with that element (often none).
    """

    objective: Node | None
    issue: Node | None
    to_issue: Hop
    to_mission: Hop
    paths: list[TracePath] = field(default_factory=list)
    upward: list[tuple[Hop, Node]] = field(default_factory=list)


@dataclass
class MissionGroup:
    """One mission (``None`` for paths that reach none), its hop to the
    vision, and its objectives in the order the paths first name them."""

    mission: Node | None
    to_vision: Hop
    objectives: list[ObjectiveGroup] = field(default_factory=list)

    @property
    def path_count(self) -> int:
        """The number of indicator–mission paths in the group."""
        return sum(len(o.paths) for o in self.objectives)


def _iri(node: Node | None) -> str:
    return node.iri if node else ""


@dataclass
class PlanTrace:
    """One plan's part of the trace: its key (``agency/fiscal-year``), its vision, its mission
    groups and the plan that continues it in the next period (``""`` when none is curated)."""

    plan: str
    vision: Node | None
    missions: list[MissionGroup]
    continued_by: str = ""


def group_paths(paths: list[TracePath]) -> list[PlanTrace]:
    """Group ``paths`` by plan, then mission, then objective, keeping their order.

    Args:
        paths: paths as :func:`codikg.audit.trace.trace_all` or
            ``trace_indicator`` return them (hops in the order of
            ``codikg.audit.trace.HOP_NAMES``: measures, issue_objective,
            supports_mission, makes_operative).

    Returns:
        One :class:`PlanTrace` per plan, in the order the paths first name
        them; in each, missions in their order in the plan (by notation), the
        group of paths without a mission last.
    """
    plans: dict[str, list[TracePath]] = {}
    for path in paths:
        plans.setdefault(path.plan, []).append(path)
    return [PlanTrace(plan, next((p.vision for p in ps if p.vision), None), _missions(ps), ps[0].continued_by)
            for plan, ps in plans.items()]


def _missions(paths: list[TracePath]) -> list[MissionGroup]:
    missions: dict[str, MissionGroup] = {}
    objectives: dict[tuple[str, str], ObjectiveGroup] = {}
    for path in paths:
        key = _iri(path.mission)
        group = missions.get(key)
        if group is None:
            group = missions[key] = MissionGroup(path.mission, path.hops[3])
        okey = (key, _iri(path.objective))
        sub = objectives.get(okey)
        if sub is None:
            sub = objectives[okey] = ObjectiveGroup(path.objective, path.issue, path.hops[1], path.hops[2],
                                                    upward=list(zip(path.upward, path.higher)))
            group.objectives.append(sub)
        sub.paths.append(path)
    return sorted(missions.values(), key=lambda g: (g.mission is None, _order(g.mission)))


def _order(node: Node | None) -> tuple:
    if node is None:
        return ()
    return tuple(int(part) if part.isdigit() else 0 for part in (node.notation or "0").split("."))
