"""Preflight: before apply's first write, everything the pending steps expect is where the plan expects it.

A fresh apply compares the whole live v2 state with the plan's fingerprint (`stale.py`); a resumed one (or
the next `--tenant` run of a plan) skips that scan, since the tool's own writes changed the state. Here each
pending step says what it needs, read-only, and the journal says what the tool itself already did, so a
resume accepts its own half-done work and refuses anything else with one line per problem, before any
mutating call and before the journal's `apply-start`:

- a list, configuration set or pool the step creates does not exist yet, or carries this plan's tags
  (made by an earlier run of it);
- a list the plan fills, copies from or points at exists (or a step of the plan creates it);
- a phone number the plan switches or pools exists and answers to the list the plan saw (or already to
  the tenant list, the tool's own switch), and is in no pool but the tenant's: a phone number can be in one
  pool only, a sender ID in several ("If the origination identity is a phone number and is already
  associated with another pool, an error is returned. A sender ID can be associated with multiple pools",
  AssociateOriginationIdentity, SMS and Voice v2 API reference);
- a sender ID the plan pools or makes a default sender exists (DescribeSenderIds).

Source files (present, sha256) are checked by `sources_problems` for the same refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.errors import StepError
from migrate.apply.kinds.base import not_found, ours, tag_list, tags_of
from migrate.apply.state import PlanState
from migrate.mapping.desired import DEFAULT_OPT_OUT_LIST, NAME_KEY, PLAN_ID_KEY

ApiFor = Callable[[str, str], Any]  # (account, region) -> Api


def sources_problems(steps: list[dict[str, Any]], data_dir: Path) -> list[str]:
    """Every source file a pending fill reads is there and is what the plan saw (sha256)."""
    from migrate.apply.fill import source_file

    found: list[str] = []
    for step in steps:
        for source in step["parameters"].get("sources", ()) if step["kind"] == "fill_opt_out_list" else ():
            try:
                source_file(data_dir, source)
            except StepError as exc:
                if str(exc) not in found:
                    found.append(str(exc))
    return found


@dataclass
class _Place:
    """What one (account, region) holds, read once and only as far as the pending steps need."""

    api: Any
    lists: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    sets: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    numbers: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    pools: list[tuple[dict[str, Any], dict[str, str]]] | None = None

    def opt_out_list(self, name: str) -> dict[str, Any] | None:
        if name not in self.lists:
            self.lists[name] = _one(self.api, "DescribeOptOutLists", "OptOutLists", OptOutListNames=[name])
        return self.lists[name]

    def configuration_set(self, name: str) -> dict[str, Any] | None:
        if name not in self.sets:
            self.sets[name] = _one(
                self.api, "DescribeConfigurationSets", "ConfigurationSets", ConfigurationSetNames=[name]
            )
        return self.sets[name]

    def number(self, number_id: str) -> dict[str, Any] | None:
        if number_id not in self.numbers:
            self.numbers[number_id] = _one(
                self.api, "DescribePhoneNumbers", "PhoneNumbers", PhoneNumberIds=[number_id]
            )
        return self.numbers[number_id]

    def pool_named(self, name: str) -> tuple[dict[str, Any], dict[str, str]] | None:
        if self.pools is None:
            self.pools = [
                (p, tags_of(self.api, p["PoolArn"])) for p in self.api.items("DescribePools", "Pools")
            ]
        return next(((p, t) for p, t in self.pools if t.get(NAME_KEY) == name), None)

    def pool_name(self, pool_id: str) -> str:
        self.pool_named("")
        return next((t.get(NAME_KEY, "") for p, t in self.pools or () if p["PoolId"] == pool_id), "")

    def sender_id(self, sender: str, country: str) -> bool:
        return (
            _one(
                self.api,
                "DescribeSenderIds",
                "SenderIds",
                SenderIds=[{"SenderId": sender, "IsoCountryCode": country}],
            )
            is not None
        )


def _one(api: Any, operation: str, key: str, **params: Any) -> dict[str, Any] | None:
    try:
        found = api.call(operation, **params).get(key, [])
    except Exception as exc:
        if not_found(exc):
            return None
        raise
    return dict(found[0]) if found else None


class Preflight:
    def __init__(self, plan_steps: list[dict[str, Any]], state: PlanState, plan_id: str, api_for: ApiFor):
        self.state = state
        self.plan_id = plan_id
        self.api_for = api_for
        self.places: dict[tuple[str, str], _Place] = {}
        self.created_lists = {
            _where(s, s["parameters"]["OptOutListName"]): s["id"]
            for s in plan_steps
            if s["kind"] == "create_opt_out_list"
        }
        self.created_sets = {
            _where(s, s["parameters"]["ConfigurationSetName"])
            for s in plan_steps
            if s["kind"] == "create_configuration_set"
        }
        # pool step id -> the pool's Name tag (the tool finds its pools by it)
        self.pool_names = {
            s["id"]: tag_list(s["parameters"].get("Tags")).get(NAME_KEY, s["id"])
            for s in plan_steps
            if s["kind"] == "create_pool"
        }
        self.pool_of_number: dict[tuple[str, str, str], str] = {}
        for s in plan_steps:
            founder = str(s["parameters"].get("OriginationIdentity", ""))
            pool = s["id"] if s["kind"] == "create_pool" else _ref(s["parameters"].get("PoolId"))
            if ":phone-number/" in founder and pool in self.pool_names:
                self.pool_of_number[_where(s, founder.rsplit("/", 1)[-1])] = self.pool_names[pool]
        for s in plan_steps:  # a number switched before its pool is made goes into that pool
            if s["kind"] == "create_pool":
                for dep in s["depends_on"]:
                    if "/set_phone_number_opt_out_list/" in dep:
                        number = dep.rsplit("/", 1)[-1]
                        self.pool_of_number.setdefault(
                            (s["account"], s["region"], number), self.pool_names[s["id"]]
                        )

    def place(self, step: dict[str, Any]) -> _Place:
        key = (str(step["account"]), str(step["region"]))
        if key not in self.places:
            self.places[key] = _Place(self.api_for(*key))
        return self.places[key]

    def problems(self, steps: list[dict[str, Any]]) -> list[str]:
        found: list[str] = []
        for step in steps:
            check = getattr(self, f"_{step['kind']}", None)
            for problem in [*self._made_pool(step), *(check(step) if check is not None else ())]:
                text = f"{step['account']}/{step['region']}: {problem}"
                if text not in found:
                    found.append(text)
        return found

    # -- opt-out lists ------------------------------------------------------------------------------------
    def _create_opt_out_list(self, step: dict[str, Any]) -> list[str]:
        name = step["parameters"]["OptOutListName"]
        found = self.place(step).opt_out_list(name)
        return [] if found is None else self._ours(step, f"opt-out list {name}", found["OptOutListArn"])

    def _fill_opt_out_list(self, step: dict[str, Any]) -> list[str]:
        params = step["parameters"]
        names = [params["OptOutListName"], *(c["OptOutListName"] for c in params.get("copy_from", ()))]
        return [p for name in names for p in self._list_there(step, name)]

    _verify_opt_out_list = _fill_opt_out_list

    def _list_there(self, step: dict[str, Any], name: str) -> list[str]:
        if name == DEFAULT_OPT_OUT_LIST:
            return []  # every account and region has its Default list
        creator = self.created_lists.get(_where(step, name))
        if creator is not None and not self.state.done(creator):
            return []  # the plan creates it before this step
        if self.place(step).opt_out_list(name) is not None:
            return []
        if creator is not None:
            return [f"opt-out list {name}, made by an earlier run of this plan, is gone: re-plan"]
        return [f"opt-out list {name} does not exist; the plan expects it (re-plan)"]

    # -- configuration sets -------------------------------------------------------------------------------
    def _create_configuration_set(self, step: dict[str, Any]) -> list[str]:
        name = step["parameters"]["ConfigurationSetName"]
        found = self.place(step).configuration_set(name)
        if found is None:
            return []
        return self._ours(step, f"configuration set {name}", found["ConfigurationSetArn"])

    def _set_exists(self, step: dict[str, Any]) -> list[str]:
        name = step["parameters"]["ConfigurationSetName"]
        if _where(step, name) in self.created_sets or self.place(step).configuration_set(name) is not None:
            return []
        return [f"configuration set {name} does not exist; the plan expects it (re-plan)"]

    _set_default_message_type = _set_exists
    _create_event_destination = _set_exists
    _update_event_destination = _set_exists

    def _set_default_sender_id(self, step: dict[str, Any]) -> list[str]:
        problems = self._set_exists(step)
        sender = step["parameters"]["SenderId"]
        # the plan names the sender by its name only: it exists in some country of the region
        found = self.place(step).api.items("DescribeSenderIds", "SenderIds")
        if not any(s.get("SenderId") == sender for s in found):
            problems.append(f"sender ID {sender} does not exist; the plan makes it a default sender")
        return problems

    # -- phone numbers, sender IDs and pools --------------------------------------------------------------
    def _set_phone_number_opt_out_list(self, step: dict[str, Any]) -> list[str]:
        params = step["parameters"]
        number_id, wanted = params["PhoneNumberId"], params["OptOutListName"]
        seen = (params.get("previous") or {}).get("OptOutListName")
        found = self.place(step).number(number_id)
        if found is None:
            return [f"phone number {number_id} does not exist; the plan switches it onto {wanted}"]
        problems = self._number_pool(step, number_id, found)
        have = found.get("OptOutListName")
        if have not in (seen, wanted):
            problems.append(
                f"phone number {number_id} answers to opt-out list {have}; the plan saw {seen} (its entries "
                f"would not be in {wanted}): re-plan"
            )
        return problems

    def _create_pool(self, step: dict[str, Any]) -> list[str]:
        name = self.pool_names[step["id"]]
        problems = self._identity(step, str(step["parameters"]["OriginationIdentity"]), step["parameters"])
        existing = self.place(step).pool_named(name)
        if existing is not None:
            problems += self._ours(step, f"pool {name} ({existing[0]['PoolId']})", existing[0]["PoolArn"])
        return problems

    def _associate_origination_identity(self, step: dict[str, Any]) -> list[str]:
        return self._identity(step, str(step["parameters"]["OriginationIdentity"]), step["parameters"])

    def _update_pool(self, step: dict[str, Any]) -> list[str]:
        return self._list_there(step, step["parameters"]["OptOutListName"])

    def _made_pool(self, step: dict[str, Any]) -> list[str]:
        """A pool an earlier run of this plan made, which a pending step uses, still exists."""
        creator = _ref(step["parameters"].get("PoolId"))
        pool_id = (self.state.result(creator) or {}).get("PoolId") if self.state.done(creator) else None
        if not pool_id:
            return []
        place = self.place(step)
        place.pool_named("")
        if any(p["PoolId"] == pool_id for p, _t in place.pools or ()):
            return []
        return [
            f"pool {pool_id} ({self.pool_names.get(creator, creator)}), made by an earlier run of this plan, is "
            "gone (a rollback of another copy of the journal?): re-plan"
        ]

    def _identity(self, step: dict[str, Any], arn: str, params: dict[str, Any]) -> list[str]:
        if ":phone-number/" in arn:
            number_id = arn.rsplit("/", 1)[-1]
            found = self.place(step).number(number_id)
            if found is None:
                return [f"phone number {number_id} does not exist; the plan pools it"]
            return self._number_pool(step, number_id, found)
        if ":sender-id/" in arn:
            sender, _, country = arn.split(":sender-id/", 1)[1].partition("/")
            if not self.place(step).sender_id(sender, country or str(params.get("IsoCountryCode", ""))):
                return [f"sender ID {sender} ({country}) does not exist; the plan pools it"]
        return []

    def _number_pool(self, step: dict[str, Any], number_id: str, found: dict[str, Any]) -> list[str]:
        pool_id = found.get("PoolId")
        if not pool_id:
            return []
        wanted = self.pool_of_number.get(_where(step, number_id))
        place = self.place(step)
        name = place.pool_name(pool_id)
        if wanted and name == wanted:
            existing = place.pool_named(name)
            if existing is not None and ours(existing[1], self.plan_id):
                return []  # an earlier run of this plan pooled it
        return [
            f"phone number {number_id} is in pool {pool_id}"
            + (f" ({name})" if name else "")
            + "; a phone number can be in one pool only and the plan did not put it there: re-plan"
        ]

    def _ours(self, step: dict[str, Any], what: str, arn: str) -> list[str]:
        tags = tags_of(self.place(step).api, arn)
        if ours(tags, self.plan_id):
            return []  # made by an earlier run of this plan (the journal may not even have its answer)
        made = tags.get(PLAN_ID_KEY)
        return [
            f"{what} already exists ({f'made by plan {made}' if made else 'not made by this plan'}); the "
            "plan expects to create it: re-plan"
        ]


def _where(step: dict[str, Any], name: str) -> tuple[str, str, str]:
    return (str(step["account"]), str(step["region"]), name)


def _ref(value: Any) -> str:
    return str(value.get("$step", "")) if isinstance(value, dict) else ""
