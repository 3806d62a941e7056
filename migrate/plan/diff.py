"""`diff(desired, live, plan_id) -> PlanBody`: compare the desired v2 state with the live one (pure).

Every desired resource becomes one change: `create`, `update` (with field-level diffs), `no-op`, or
`blocked` (by findings: its own, the ones of what it needs, or a quota this diff finds too small). Creates
and updates get steps, in an order that keeps safety invariant 1 (see `steps`). Nothing is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.mapping.desired import (
    CONTENTS_KEY,
    DEFAULT_OPT_OUT_LIST,
    PLAN_ID_KEY,
    DesiredState,
    OptOutListSpec,
    address,
)
from migrate.mapping.findings import Finding
from migrate.plan.contents import fill_contents
from migrate.plan.drift import (
    lost_entries,
    new_since_copy,
    refill_default,
    refill_diff,
    refill_step,
    unknown_lists,
)
from migrate.plan.live import LiveState
from migrate.plan.missing import MissingNumbers
from migrate.plan.quota import check_quotas
from migrate.plan.steps import Step, client_token, sms_arn

ACTIONS = ("create", "update", "no-op", "blocked")


@dataclass(frozen=True)
class FieldDiff:
    field: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass
class Change:
    address: str
    resource_type: str
    account: str
    region: str
    name: str
    action: str
    diff: list[FieldDiff] = field(default_factory=list)
    blocked_by: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    tenants: tuple[str, ...] = ()
    parent: str = ""  # the configuration set or pool it belongs to
    contents: dict[str, Any] = field(default_factory=dict)  # a filled list's sources: verify reads them

    def to_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "parent": self.parent,
            "resource_type": self.resource_type,
            "account": self.account,
            "region": self.region,
            "name": self.name,
            "action": self.action,
            "diff": [d.to_json() for d in self.diff],
            "blocked_by": sorted(set(self.blocked_by)),
            "steps": self.steps,
            "tenants": list(self.tenants),
            **({"contents": self.contents} if self.contents else {}),
        }


@dataclass
class PlanBody:
    changes: list[Change]
    steps: list[Step]
    findings: list[Finding]


_Sender = tuple[OptOutListSpec, str, "Change", list[str]]  # list, contents, its change, steps its copy waits for


class Planner:
    def __init__(
        self, desired: DesiredState, live: LiveState, plan_id: str, missing: MissingNumbers | None = None
    ) -> None:
        self.desired, self.live, self.plan_id, self.missing = desired, live, plan_id, missing
        self.refilled: set[tuple[str, str, str]] = set()  # lists of `missing` this plan refills or fills
        self.steps: list[Step] = []
        self.changes: list[Change] = []
        self.findings: list[Finding] = list(desired.findings)
        self.extra_blocks: dict[str, list[str]] = {}
        # (account, region, list name) -> (steps a pool must wait for, findings that block the list)
        self.list_ready: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
        self._senders: list[_Sender] = []  # lists whose Default gets a copy
        # verified lists with sender IDs (no-op here): their Default copy is planned if a sender step is
        self._verified_senders: dict[tuple[str, str, str], tuple[OptOutListSpec, str, Change]] = {}
        self._tenants: dict[tuple[str, str, str], tuple[str, ...]] = {}

    # -- helpers --------------------------------------------------------------------------------------------
    def finding(self, finding: Finding) -> Finding:
        if all(f.id != finding.id for f in self.findings):
            self.findings.append(finding)
        for target in finding.blocks:
            self.extra_blocks.setdefault(target, []).append(finding.id)
        return finding

    def blockers(self, address: str, own: tuple[str, ...] | list[str]) -> list[str]:
        return sorted(set(own) | set(self.extra_blocks.get(address, [])))

    def tags(self, tags: dict[str, str]) -> list[dict[str, str]]:
        merged = {**tags, PLAN_ID_KEY: self.plan_id}
        return [{"Key": k, "Value": v} for k, v in sorted(merged.items())]

    def step(
        self,
        kind: str,
        account: str,
        region: str,
        target: str,
        name: str,
        parameters: dict[str, Any],
        depends_on: list[str] | tuple[str, ...] = (),
        resources: dict[str, str] | None = None,
    ) -> str:
        step_id = f"{account}/{region}/{kind}/{name}"
        from migrate.plan.steps import STEP_KINDS

        if STEP_KINDS[kind].creates:
            parameters = {**parameters, "ClientToken": client_token(self.plan_id, step_id)}
        deps = tuple(dict.fromkeys(d for d in depends_on if d))
        self.steps.append(
            Step(step_id, kind, account, region, target, parameters, deps, dict(resources or {}))
        )
        return step_id

    def change(self, item: Any, resource_type: str, name: str, action: str, **kwargs: Any) -> Change:
        """Record a change; a member (destination, pool identity) shares its parent's tenants."""
        place = (item.account, item.region)
        if not kwargs.get("tenants") and kwargs.get("parent"):
            kwargs["tenants"] = self._tenants.get((*place, kwargs["parent"]), ())
        change = Change(item.address, resource_type, item.account, item.region, name, action, **kwargs)
        if change.tenants and not change.parent:
            self._tenants[(*place, name)] = change.tenants
        self.changes.append(change)
        return change

    # -- opt-out lists ----------------------------------------------------------------------------------------
    def opt_out_list(self, spec: OptOutListSpec) -> None:
        key = (spec.account, spec.region, spec.name)
        arn = sms_arn(spec.account, spec.region, f"opt-out-list/{spec.name}")
        blocked = self.blockers(spec.address, spec.blocked_by)
        tenants = spec.tenants
        self.refilled.add(key)  # a list of `missing` this plan fills whole, refills or leaves blocked
        if blocked:
            self.list_ready[key] = ([], blocked)
            self.change(spec, "opt_out_list", spec.name, "blocked", blocked_by=blocked, tenants=tenants)
            return
        live = self.live.opt_out_list(*key)
        wanted = spec.contents_sha256
        have = live.tags.get(CONTENTS_KEY, "") if live is not None else None
        contents_parameters = fill_contents(self.desired, spec)
        # the exact numbers of `plan --missing` win over a count: a refill of them, not a fill of everything
        exact = self.missing is not None and self.missing.count(key) > 0
        lost = lost_entries(live) if live is not None and not exact else ""
        if live is not None and have == wanted and not lost:
            refill = refill_step(self, spec, arn)
            action = "update" if refill else "no-op"
            change = self.change(
                spec, "opt_out_list", spec.name, action, diff=refill_diff(self, key), steps=refill,
                tenants=tenants, contents=contents_parameters,
            )  # fmt: skip
            self.list_ready[key] = (refill, [])
            if spec.senders and (refill or new_since_copy(live)):  # new STOPs (or refilled ones) for Default
                self._senders.append((spec, wanted, change, refill))
            elif spec.senders:
                self._verified_senders[key] = (spec, wanted, change)
            return
        contents = (
            f"{wanted[:12]}: {len(spec.sources)} file(s), {spec.copy_default} from Default"
            + "".join(f", {count} from {name}" for name, count in spec.copy_lists)
        )
        before = have or ("(new list)" if live is None else "(not verified)")
        diff = [FieldDiff("contents", lost or before, contents)]
        steps = []
        if live is None:
            parameters = {"OptOutListName": spec.name, "Tags": self.tags(spec.tags)}
            steps.append(
                self.step(
                    "create_opt_out_list",
                    *key[:2],
                    spec.address,
                    spec.name,
                    parameters,
                    resources={"target": arn},
                )
            )
        default_arn = sms_arn(spec.account, spec.region, "opt-out-list/Default")
        resources = {"target": arn, **({"source": default_arn} if spec.copy_default else {})}
        steps.append(
            self.step(
                "fill_opt_out_list", *key[:2], spec.address, spec.name, contents_parameters, steps, resources
            )
        )
        verify = {**contents_parameters, "Tags": [{"Key": CONTENTS_KEY, "Value": wanted}]}
        steps.append(
            self.step("verify_opt_out_list", *key[:2], spec.address, spec.name, verify, steps[-1:], resources)
        )
        self.list_ready[key] = ([steps[-1]], [])
        action = "create" if live is None else "update"
        change = self.change(spec, "opt_out_list", spec.name, action, diff=diff, steps=steps, tenants=tenants)
        if spec.senders:
            self._senders.append((spec, wanted, change, steps[-1:]))

    def protect_defaults(self, place: tuple[str, str]) -> None:
        """After every list of a place: the Default copies, each once its own list is verified (another
        list's check, racing it, leaves out the numbers the plan copies to Default: `except_lists`)."""
        for spec, wanted, change, verified in [
            s for s in self._senders if (s[0].account, s[0].region) == place
        ]:
            step = self._protect_default(spec, wanted, verified)
            change.steps.append(step)
            key = (spec.account, spec.region, spec.name)
            self.list_ready[key] = ([*self.list_ready[key][0], step], [])
        refill_default(self, place)

    def ready_for_senders(self, key: tuple[str, str, str]) -> list[str]:
        """The steps a step that pools a sender ID or makes it a default sender waits for: the list verified
        and copied onto Default. A list an earlier run verified (a no-op here) still gets its Default copy in
        this plan when such a step is in it: that run may have stopped between the verify and the copy (the
        invariant property test found it: a kill there, a re-plan, and the sender ID was pooled and made the
        default sender while Default lacked the tenant's opt-outs). The copy skips what Default holds."""
        found = self._verified_senders.pop(key, None)
        if found is not None:
            spec, wanted, change = found
            step = self._protect_default(spec, wanted, [])
            change.action = "update"
            change.diff.append(FieldDiff("copied onto Default", None, f"{wanted[:12]} (for its sender IDs)"))
            change.steps.append(step)
            self.list_ready[key] = ([*self.list_ready[key][0], step], [])
        return self.list_ready.get(key, ([], []))[0]

    def _protect_default(self, spec: OptOutListSpec, wanted: str, verified: list[str]) -> str:
        """Copy the verified tenant list onto Default before any sender ID of the tenant is pooled or made a
        default sender: a send straight from a sender ID (v2 gives sender IDs no opt-out list of their own)
        or with the configuration set and no identity is checked against Default (emulator:
        migrate/emulator/services/v2/send_rules.py; SetDefaultSenderId in the v2 API reference). Extra
        entries on Default block those numbers for other identities still on Default too: the safe side."""
        parameters = {
            "OptOutListName": DEFAULT_OPT_OUT_LIST,
            "sources": [],
            "copy_from": [{"OptOutListName": spec.name, "count": spec.expected_minimum}],
            "expected_minimum": 0,
            "contents_sha256": wanted,
        }
        default = address("opt_out_list", spec.account, spec.region, DEFAULT_OPT_OUT_LIST)
        resources = {
            "target": sms_arn(spec.account, spec.region, f"opt-out-list/{DEFAULT_OPT_OUT_LIST}"),
            "source": sms_arn(spec.account, spec.region, f"opt-out-list/{spec.name}"),
        }
        return self.step(
            "fill_opt_out_list", spec.account, spec.region, default, f"{spec.name}/Default", parameters,
            verified, resources,
        )  # fmt: skip


def diff(
    desired: DesiredState, live: LiveState, plan_id: str, missing: MissingNumbers | None = None
) -> PlanBody:
    from migrate.plan.diff_config_sets import plan_configuration_set
    from migrate.plan.diff_pools import plan_pool

    planner = Planner(desired, live, plan_id, missing)
    for finding in check_quotas(desired, live):
        planner.finding(finding)
    resources: list[Any] = [*desired.opt_out_lists, *desired.configuration_sets, *desired.pools]
    places = sorted({(r.account, r.region) for r in resources})
    for place in places:
        for spec in (s for s in desired.opt_out_lists if (s.account, s.region) == place):
            planner.opt_out_list(spec)
        planner.protect_defaults(place)
        for cs in (s for s in desired.configuration_sets if (s.account, s.region) == place):
            plan_configuration_set(planner, cs)
        for pool in (s for s in desired.pools if (s.account, s.region) == place):
            plan_pool(planner, pool)
    unknown_lists(planner)
    return PlanBody(planner.changes, planner.steps, sorted(planner.findings, key=lambda f: f.sort_key))
