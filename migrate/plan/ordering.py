"""Steps in execution order: a stable topological sort (a step never comes before what it depends on;
otherwise the order the planner made them in is kept, so a plan reads top to bottom)."""

from __future__ import annotations

import heapq

from migrate.plan.steps import Step


class StepCycle(ValueError):
    """Steps that depend on each other in a circle (a planner bug, never a user error)."""


def order_steps(steps: list[Step]) -> list[Step]:
    index = {s.id: i for i, s in enumerate(steps)}
    if len(index) != len(steps):
        raise ValueError("two steps share an id")
    waiting = {s.id: {d for d in s.depends_on if d in index} for s in steps}
    unknown = [(s.id, d) for s in steps for d in s.depends_on if d not in index]
    if unknown:
        raise ValueError(f"step {unknown[0][0]} depends on unknown step {unknown[0][1]}")
    dependants: dict[str, list[str]] = {s.id: [] for s in steps}
    for step_id, deps in waiting.items():
        for dep in deps:
            dependants[dep].append(step_id)
    ready = [index[i] for i, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[Step] = []
    while ready:
        step = steps[heapq.heappop(ready)]
        ordered.append(step)
        for later in dependants[step.id]:
            waiting[later].discard(step.id)
            if not waiting[later]:
                heapq.heappush(ready, index[later])
    if len(ordered) != len(steps):
        stuck = sorted(i for i, deps in waiting.items() if deps)
        raise StepCycle(f"steps depend on each other in a cycle: {', '.join(stuck[:5])}")
    return ordered
