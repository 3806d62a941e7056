"""`plan waves`: a proposed wave file (the TOML `apply --wave` reads), from what the scan and plan know.

How tenants are grouped and ordered, each rule for a reason a migration lead would give:

* **Tenants that must move together** share a group: a step serving several tenants (a list or pool shared
  under the `shared` strategy), an origination identity two tenants use (a number is in one pool only), or
  a finding whose blocked resources belong to several tenants. A group never spans two waves.
* **Blocked tenants wait**: a group with a blocked tenant (the report's rule: a blocker concerns it, one
  of its resources is blocked) goes to the last wave, ordered by the cut-over date the report's schedule
  gives it. When every tenant is blocked, the group the schedule frees first is the canary all the same.
* **Quiet tenants first**: among the rest, the group with the fewest calls of the old send APIs that
  CloudTrail shows over the scan's look-back (`scan --cloudtrail-days`), then the smallest, then
  ready before needs-action, then by name, is the canary; the others form the next wave in that order.

Pure: the same inventory, plan and date give the same bytes. Every tenant carries its reason as a comment,
so the file is one to read and edit, not a verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.report.mask import mask_text
from migrate.report.model import build_report
from migrate.report.parts import TenantCard, TenantSchedule
from migrate.report.status import resource_of

CANARY, REST, BLOCKED = "canary", "rest", "after-blockers"


@dataclass(eq=False)
class Member:
    card: TenantCard
    key: str  # the name the wave file uses: the slug, or the application id where slugs repeat
    calls: int | None  # old-API sends CloudTrail shows (None: CloudTrail was not read for its region)
    schedule: TenantSchedule | None
    together: dict[str, str] = field(default_factory=dict)  # other key -> why they move together


@dataclass
class Group:
    members: list[Member]

    @property
    def blocked(self) -> bool:
        return any(m.card.readiness == "blocked" and not _cleared_by_moving(m.card) for m in self.members)

    @property
    def calls(self) -> int:
        return sum(m.calls or 0 for m in self.members)

    def sort_key(self) -> tuple[Any, ...]:
        names = sorted(m.card.name.lower() for m in self.members)
        if self.blocked:
            latest = max((m.schedule.latest for m in self.members if m.schedule), default="9999")
            return (latest, self.calls, names)
        ready = all(m.card.readiness == "ready" for m in self.members)
        return (self.calls, len(self.members), not ready, names)


@dataclass(frozen=True)
class Proposal:
    waves: tuple[tuple[str, str, tuple[Member, ...]], ...]  # (name, note, members)
    header: tuple[str, ...]

    def toml(self) -> str:
        lines = [f"# {line}" if line else "#" for line in self.header]
        for name, note, members in self.waves:
            lines += ["", f"[waves.{name}]", f"note = {_quote(note)}", "tenants = ["]
            for member in members:
                lines += [f"  # {mask_text(line)}" for line in reasons(member)]
                lines.append(f"  {_quote(member.key)},")
            lines.append("]")
        return "\n".join(lines) + "\n"


def propose_waves(inventory: Inventory, plan: Any, now: str) -> Proposal:
    report = build_report(inventory, plan, show_numbers=True, now=now)
    data = plan.data if hasattr(plan, "data") else plan
    days = int(inventory.options.get("cloudtrail_days") or 0)
    read = {
        (s.account, s.region)
        for s in inventory.sections
        if s.name == "cloudtrail.send_api_usage" and s.status == "ok"
    }
    calls: dict[tuple[str, str, str], int] = defaultdict(int)
    for usage in inventory.of("api_usage"):
        calls[(usage.account, usage.region, getattr(usage, "app_id", ""))] += usage.count
    slugs = [c.slug for c in report.tenants]
    schedules = {s.anchor: s for s in report.schedules}
    members = {
        card.anchor: Member(
            card,
            card.slug if slugs.count(card.slug) == 1 else card.app_id,
            calls.get((card.account, card.region, card.app_id), 0)
            if (card.account, card.region) in read
            else None,
            schedules.get(card.anchor),
        )
        for card in report.tenants
    }
    groups = _groups(list(members.values()), data)
    free = sorted((g for g in groups if not g.blocked), key=Group.sort_key)
    held = sorted((g for g in groups if g.blocked), key=Group.sort_key)
    waves: list[tuple[str, str, tuple[Member, ...]]] = []
    if free:
        waves.append(
            (CANARY, "the quietest tenant(s) nothing blocks: move first, watch, then go on", _flat(free[:1]))
        )
    elif held:
        # Every tenant is blocked (after 2026-10-30 often so): a canary still goes first, the group the
        # schedule frees first; the wave applies its unblocked steps now and the rest once its blockers clear.
        waves.append(
            (
                CANARY,
                "every tenant is blocked: the one(s) the schedule frees first; resolve their blockers, "
                "move them, watch, then go on",
                _flat(held[:1]),
            )
        )
        held = held[1:]
    if free[1:]:
        waves.append((REST, "the other tenants nothing blocks, quietest first", _flat(free[1:])))
    if held:
        waves.append((BLOCKED, "blocked tenants: move each once its blockers are resolved", _flat(held)))
    looked = (
        f"CloudTrail over the scan's {days}-day look-back ({len(read)} account/region(s) read)"
        if days and read
        else "no CloudTrail (scan with --cloudtrail-days N to rank tenants by activity)"
    )
    header = (
        f"Waves proposed by `pinpoint-migrate plan waves` for plan {report.meta.plan_id} on {now[:10]}.",
        "Edit freely (move tenants, rename or split waves), then: apply --wave THIS_FILE:NAME",
        "(verify and rollback take the same). Tenants that 'move with' another must stay in one wave.",
        "Activity: calls of the old send APIs per tenant, from",
        f"{looked}.",
        "AWS has listed SendMessages among the Pinpoint actions CloudTrail does not log, so 0 means",
        "'none seen', not 'idle'.",
    )
    return Proposal(tuple(waves), header)


# Blockers that moving the tenant is what resolves: its delivery events come back only once its senders use
# v2 with its configuration set, so they must not hold it out of the canary (migrate/mapping/checks_events.py).
CLEARED_BY_MOVING = frozenset({"EVENTS_NOT_DELIVERED"})


def _cleared_by_moving(card: Any) -> bool:
    """A blocked tenant whose only blockers are resolved by moving it, with nothing of its own blocked."""
    blockers = {f.code for f in card.findings if f.severity == "blocker"}
    return (
        blockers <= CLEARED_BY_MOVING
        and not any(t.action == "blocked" for t in card.targets)
        and not any(s.status in ("failed", "not-run") for s in card.steps)
    )


def reasons(member: Member) -> list[str]:
    card = member.card
    first = f"{card.name} ({card.account}/{card.region}): {card.readiness}"
    blockers = sorted({f.code for f in card.findings if f.severity == "blocker"})
    if blockers:
        first += f" ({', '.join(blockers)})"
    if member.schedule is not None:
        s = member.schedule
        first += f"; earliest cut-over {s.earliest}" + (
            f", plan for {s.latest}" if s.latest != s.earliest else ""
        )
    if member.calls is None:
        second = "activity unknown: CloudTrail not read for its region"
    else:
        second = f"{member.calls} old-API send call(s) seen in CloudTrail"
    lines = [first, second]
    for other, why in sorted(member.together.items()):
        lines.append(f"moves with {other}: {why}")
    return lines


def _groups(members: Sequence[Member], plan: dict[str, Any]) -> list[Group]:
    by_key = {(m.card.account, m.card.region, m.card.slug): m for m in members}
    parent = {id(m): m for m in members}

    def root(m: Member) -> Member:
        while parent[id(m)] is not m:
            m = parent[id(m)]
        return m

    def join(found: Iterable[Member], why: str) -> None:
        found = list({id(m): m for m in found}.values())
        for a in found:
            for b in found:
                if a is not b:
                    a.together.setdefault(b.key, why)
        for other in found[1:]:
            parent[id(root(other))] = root(found[0])

    for step in plan.get("steps", ()):
        served = [by_key.get((step.get("account"), step.get("region"), t)) for t in step.get("tenants") or ()]
        found = [m for m in served if m is not None]
        if len(found) > 1:
            join(found, f"step {step.get('id', '')} serves both")
    holders: dict[tuple[str, str, str], list[Member]] = defaultdict(list)
    for m in members:
        for identity in m.card.identities:
            holders[(m.card.account, m.card.region, identity)].append(m)
    for (_account, _region, identity), found in sorted(holders.items()):
        if len(found) > 1:
            join(found, f"both send from {identity} (an identity is in one pool only)")
    names = {}
    for m in members:
        for target in m.card.targets:
            names[(m.card.account, m.card.region, target.name)] = m
    for finding in plan.get("findings", ()):
        found = [names[r] for r in (resource_of(a) for a in finding.get("blocks", ())) if r in names]
        if len({id(m) for m in found}) > 1:
            join(found, f"finding {finding.get('code', '')} blocks resources of both")
    grouped: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        grouped[id(root(m))].append(m)
    return [Group(sorted(g, key=lambda m: m.card.name.lower())) for g in grouped.values()]


def _flat(groups: Sequence[Group]) -> tuple[Member, ...]:
    return tuple(m for g in groups for m in g.members)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if ord(c) >= 32 else f"\\u{ord(c):04x}" for c in escaped) + '"'
