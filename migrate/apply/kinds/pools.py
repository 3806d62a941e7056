"""Pools and their members, and the switch of a phone number onto its tenant's (verified) opt-out list.

A pool has no name in v2: the tool finds its pools again by their `Name` tag (the journal's PoolId first,
then the founding number's pool, then every pool's tags), so a resumed apply adopts the pool a killed run
made instead of making a second one.
"""

from __future__ import annotations

from typing import Any

from migrate.apply.dryrun import placeholder
from migrate.apply.errors import StepError
from migrate.apply.kinds.base import (
    Check,
    Kind,
    StepRun,
    Undone,
    UndoRun,
    adopt_or_refuse,
    compare,
    kind,
    not_found,
    ours,
    tag_list,
    tags_of,
)
from migrate.apply.late import copy_late
from migrate.apply.protect import copy_missing
from migrate.apply.waiters import retrying, wait_for
from migrate.mapping.desired import NAME_KEY
from migrate.plan.steps import client_token

POOL_FIELDS = ("OptOutListName", "DeletionProtectionEnabled")


def describe_pool(api: Any, pool_id: str) -> dict[str, Any] | None:
    try:
        found = api.call("DescribePools", PoolIds=[pool_id]).get("Pools", [])
    except Exception as exc:
        if not_found(exc):
            return None
        raise
    return dict(found[0]) if found else None


def describe_number(api: Any, number_id: str) -> dict[str, Any]:
    found = api.call("DescribePhoneNumbers", PhoneNumberIds=[number_id]).get("PhoneNumbers", [])
    if not found:
        raise StepError(f"phone number {number_id} does not exist")
    return dict(found[0])


def find_pool(run: StepRun, name: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The pool tagged `Name=name` (with its tags), or None."""
    known = (run.state.result(run.id) or {}).get("PoolId") or run.state.checkpoints.get(run.id, {}).get(
        "PoolId"
    )
    candidates: list[dict[str, Any]] = []
    if known:
        found = describe_pool(run.api, known)
        candidates = [found] if found else []
    else:
        founder = str(run.params.get("OriginationIdentity", ""))
        if ":phone-number/" in founder:
            pool_id = describe_number(run.api, founder.rsplit("/", 1)[-1]).get("PoolId")
            found = describe_pool(run.api, pool_id) if pool_id else None
            candidates = [found] if found else []
        else:
            candidates = list(run.api.items("DescribePools", "Pools"))
    for pool in candidates:
        tags = tags_of(run.api, pool["PoolArn"])
        if tags.get(NAME_KEY) == name:
            return pool, tags
    if (known and candidates) or (
        candidates and ":phone-number/" in str(run.params.get("OriginationIdentity", ""))
    ):
        other = candidates[0]["PoolId"] if candidates else known
        raise StepError(f"the founding identity of pool {name} is in pool {other}, which is not {name}")
    return None


def _status(api: Any, pool_id: str) -> str | None:
    found = describe_pool(api, pool_id)
    return str(found["Status"]) if found else None


def wait_pool_active(api: Any, pool_id: str) -> str | None:
    """Wait until a pool is ACTIVE (CreatePool answers CREATING; terraform's pool.go waitPoolActive)."""
    if api.dry_run:
        return "ACTIVE"
    return wait_for(
        api.waits, f"pool {pool_id}", lambda: _status(api, pool_id), target={"ACTIVE"}, pending={"CREATING"}
    )


def wait_pool_gone(api: Any, pool_id: str) -> None:
    """Wait until a deleted pool is gone (DeletePool answers DELETING; terraform's pool.go waitPoolDeleted,
    Pending DELETING). Its identities stay in it until then: a number cannot leave its pool's list, nor
    found a new pool, before (the emulator's lifecycle.py `_pool_deleted`)."""
    if api.dry_run:
        return
    what, pending = f"pool {pool_id}", {"DELETING", "ACTIVE"}
    wait_for(api.waits, what, lambda: _status(api, pool_id), target={None}, pending=pending)


def pool_members(api: Any, pool_id: str) -> set[str]:
    return {
        m["OriginationIdentityArn"]
        for m in api.items("ListPoolOriginationIdentities", "OriginationIdentities", PoolId=pool_id)
    }


@kind
class CreatePool(Kind):
    name = "create_pool"

    def execute(self, run: StepRun) -> dict[str, Any]:
        name = tag_list(run.params["Tags"]).get(NAME_KEY, run.id)
        protection = bool(run.params.get("DeletionProtectionEnabled", False))
        found = find_pool(run, name)
        made = False
        if found is not None:
            pool, tags = found
            adopt_or_refuse(f"pool {name} ({pool['PoolId']})", tags, run.plan_id)
        else:
            pool = run.api.call(
                "CreatePool",
                OriginationIdentity=run.params["OriginationIdentity"],
                IsoCountryCode=run.params["IsoCountryCode"],
                MessageType=run.params["MessageType"],
                DeletionProtectionEnabled=protection,
                Tags=run.params["Tags"],
                ClientToken=run.token(),
            )
            made = bool(pool)
        if pool and pool.get("Status") != "ACTIVE":
            # Journaled before waiting, so a killed or timed-out run resumed finds this pool and waits on.
            # (Nothing is sent through a pool before it is ACTIVE: a sender-ID pool's Default list exposes
            # nobody meanwhile.)
            run.checkpoint({"PoolId": pool["PoolId"], "waiting": "ACTIVE"})
            pool = {**pool, "Status": wait_pool_active(run.api, pool["PoolId"])}
        if not pool:  # dry run: the steps that need the id see a placeholder
            self._guard(run, pool, made=False)
            return {}
        result = {
            "PoolId": pool["PoolId"],
            "PoolArn": pool["PoolArn"],
            "created": True,
            "protection": protection,
        }
        if run.journal_write is not None and self._exposed(run, pool):
            # The journal knows the pool before the second call: a kill in between is healed by the next run
            # (resume runs this step first and finds the pool by its tags) and seen by rollback.
            run.journal_write("result", plan=run.plan_id, step=run.id, result={**result, "guarded": False})
        self._guard(run, pool, made=made)
        return result

    @staticmethod
    def _exposed(run: StepRun, pool: dict[str, Any]) -> bool:
        wanted = run.after("opt_out_list")
        return bool(wanted) and bool(pool) and pool.get("OptOutListName") != wanted

    def _guard(self, run: StepRun, pool: dict[str, Any], *, made: bool) -> None:
        """Point a pool founded by a sender ID at its verified list within this step, or undo the pool.

        CreatePool takes no opt-out list: a pool founded by a phone number copies the number's (already
        switched) list, but one founded by a sender ID starts on `Default` ("By default, when a pool is
        created it is assigned to the Default opt-out list", AWS End User Messaging SMS user guide,
        phone-pool-opt-out-list.html), and could send to the tenant's opted-out recipients until the plan's
        `update_pool` runs. The step is done only when the pool answers to its list; if the second call
        fails (after botocore's retries), the pool is deleted again before the step reports the failure,
        so no exposed pool survives (safety invariant 1). The later `update_pool` then finds nothing to do.
        A pool founded by a number whose switch something undid meanwhile (a rollback of another copy of
        the journal, racing) starts on that number's old list: it is pointed at its list the same way.
        """
        wanted = run.after("opt_out_list")
        if not wanted or (":phone-number/" in str(run.params["OriginationIdentity"]) and not pool):
            return
        if pool.get("OptOutListName") == wanted:
            return
        pool_id = pool.get("PoolId") or placeholder(run.id, "PoolId")
        try:
            copy_late(run, wanted)  # inside: a failure here deletes the exposed pool too
            run.api.call("UpdatePool", PoolId=pool_id, OptOutListName=wanted)
        except Exception as exc:
            if run.api.dry_run:
                raise
            try:
                if pool.get("DeletionProtectionEnabled"):
                    run.api.call("UpdatePool", PoolId=pool_id, DeletionProtectionEnabled=False)
                run.api.call("DeletePool", PoolId=pool_id)
                # Reported gone only once it is: while DELETING its founding number is still in it, so the
                # next apply would adopt a dying pool and a rollback could not move the number back.
                wait_pool_gone(run.api, pool_id)
            except Exception as again:
                raise StepError(
                    f"pool {pool_id} answers to {pool.get('OptOutListName') or 'Default'}, not {wanted}, and could "
                    f"neither be pointed at {wanted} ({exc}) nor deleted ({again}): run apply again now, it "
                    "does this step first"
                ) from exc
            if run.journal_write is not None:  # gone: the next run creates it afresh (a new ClientToken)
                run.journal_write(
                    "undo", plan=run.plan_id, step=run.id, status="ok", detail=f"deleted pool {pool_id} again"
                )
            raise StepError(
                f"pool {pool_id} could not be pointed at {wanted} ({exc}): deleted again"
                + ("" if made else " (adopted from an earlier run)")
                + ", nothing is left answering to Default; run apply again"
            ) from exc

    def verify(self, run: StepRun) -> list[Check]:
        name = tag_list(run.params["Tags"]).get(NAME_KEY, run.id)
        found = find_pool(run, name)
        if found is None:
            return [Check(run.id, False, f"pool {name} does not exist", "exists")]
        pool, _tags = found
        checks = [
            compare(run.id, "MessageType", pool.get("MessageType"), run.params["MessageType"]),
            compare(
                run.id,
                "DeletionProtectionEnabled",
                bool(pool.get("DeletionProtectionEnabled")),
                bool(run.params.get("DeletionProtectionEnabled")),
            ),
        ]
        wanted_list = run.after("opt_out_list")
        if wanted_list:
            checks.append(compare(run.id, "OptOutListName", pool.get("OptOutListName"), wanted_list))
        founder = run.params["OriginationIdentity"]
        held = founder in pool_members(run.api, pool["PoolId"])
        checks.append(
            Check(run.id, held, f"{founder} is in pool {name}" + ("" if held else ": missing"), "member")
        )
        return checks

    def undo(self, run: UndoRun) -> Undone:
        pool_id = run.result.get("PoolId", "")
        pool = describe_pool(run.api, pool_id) if pool_id else None
        if pool is None:
            return Undone("nothing", f"pool {pool_id or '(never made)'} is already gone")
        if not ours(tags_of(run.api, pool["PoolArn"]), run.plan_id):
            return Undone("refused", f"pool {pool_id} no longer carries the tool's tags: left alone")
        if pool.get("Status") == "CREATING":
            wait_pool_active(run.api, pool_id)
        allowed = {run.params["OriginationIdentity"], *run.members.get(pool_id, set())}
        foreign = sorted(pool_members(run.api, pool_id) - allowed)
        if foreign:
            return Undone(
                "refused",
                f"pool {pool_id} now holds {', '.join(foreign)}, which pinpoint-migrate did not put there: "
                "left alone (take them out first)",
            )
        if pool.get("DeletionProtectionEnabled"):
            made_protected = run.result.get("protection", run.params.get("DeletionProtectionEnabled"))
            if not (made_protected or pool_id in run.protected):
                return Undone(
                    "refused",
                    f"pool {pool_id} has deletion protection that pinpoint-migrate did not turn on: left alone",
                )
            run.api.call("UpdatePool", PoolId=pool_id, DeletionProtectionEnabled=False)
        copied = 0
        if any(":sender-id/" in m for m in pool_members(run.api, pool_id)):
            # A sender ID outside a pool answers to `Default` (see migrate/emulator/services/v2/send_rules.py)
            copied = copy_missing(run.api, str(pool.get("OptOutListName") or ""), "Default")
        if pool.get("Status") != "DELETING":  # a resumed rollback finds it DELETING: it only waits
            run.api.call("DeletePool", PoolId=pool_id)
        wait_pool_gone(run.api, pool_id)  # its numbers stay in it until then: older steps' undo needs that
        extra = (
            f" ({copied} opted-out number(s) copied to Default for its sender IDs first)" if copied else ""
        )
        return Undone("undone", f"deleted pool {pool_id}{extra}", copied=copied)


@kind
class UpdatePool(Kind):
    name = "update_pool"

    def execute(self, run: StepRun) -> dict[str, Any]:
        pool_id = run.params["PoolId"]
        pool = describe_pool(run.api, pool_id) or {}
        if not pool and not run.api.dry_run:
            raise StepError(f"pool {pool_id} does not exist")
        wanted = {k: run.params[k] for k in POOL_FIELDS if k in run.params}
        recorded = (run.state.result(run.id) or {}).get("previous")
        planned = run.params.get("previous") or {}
        previous = recorded or {
            k: pool.get(k) if pool.get(k) != v else planned.get(k) for k, v in wanted.items()
        }
        if any(pool.get(k) != v for k, v in wanted.items()):
            if pool.get("Status") == "CREATING":
                wait_pool_active(run.api, pool_id)
            copy_late(run, str(wanted.get("OptOutListName") or ""))
            run.api.call("UpdatePool", PoolId=pool_id, **wanted)
        return {"PoolId": pool_id, "previous": previous, **wanted}

    def verify(self, run: StepRun) -> list[Check]:
        pool = describe_pool(run.api, run.params["PoolId"]) or {}
        return [compare(run.id, k, pool.get(k), run.params[k]) for k in POOL_FIELDS if k in run.params]

    def undo(self, run: UndoRun) -> Undone:
        pool_id = run.result.get("PoolId", "")
        if ("pool", pool_id) in run.doomed:
            return Undone("nothing", f"goes with pool {pool_id}", follows=("pool", pool_id))
        pool = describe_pool(run.api, pool_id)
        if pool is None:
            return Undone("nothing", f"pool {pool_id} is gone")
        previous = run.result.get("previous") or {}
        restore = {
            k: v for k, v in previous.items() if v is not None and pool.get(k) == run.params.get(k) != v
        }
        if "OptOutListName" in restore and ours(tags_of(run.api, pool["PoolArn"]), run.plan_id):
            # A pool the tool made was on its earlier list (Default, for one founded by a sender ID) only
            # between CreatePool and UpdatePool: nothing to go back to. Its list goes with its deletion; a
            # rollback that does not delete it (an older journal, racing an apply that still uses the pool)
            # must not leave it answering to Default (issue 12, case 2).
            restore.pop("OptOutListName")
        if not restore:
            return Undone("nothing", f"pool {pool_id} was changed since or needs nothing: left as it is")
        copied = 0
        if "OptOutListName" in restore:
            copied = copy_missing(run.api, str(pool.get("OptOutListName") or ""), restore["OptOutListName"])
        run.api.call("UpdatePool", PoolId=pool_id, **restore)
        extra = f" ({copied} opted-out number(s) copied there first)" if copied else ""
        return Undone("undone", f"pool {pool_id} back to {restore}{extra}", copied=copied)


def _list_held(run: StepRun, pool: dict[str, Any]) -> None:
    """A pool this plan made answers to the plan's list (its create step saw to it) unless something else
    moved it since (a rollback of another copy of the journal): then nothing joins it."""
    wanted, have = run.after("opt_out_list"), pool.get("OptOutListName")
    if wanted and pool and have != wanted and ours(tags_of(run.api, pool["PoolArn"]), run.plan_id):
        raise StepError(
            f"pool {pool['PoolId']} answers to opt-out list {have}, not {wanted}: something moved it since it "
            "was made (a rollback of another copy of the journal?); nothing joins it. Check, then re-plan"
        )


@kind
class AssociateOriginationIdentity(Kind):
    name = "associate_origination_identity"

    def execute(self, run: StepRun) -> dict[str, Any]:
        pool_id, identity = run.params["PoolId"], run.params["OriginationIdentity"]
        if identity not in pool_members(run.api, pool_id):
            pool = describe_pool(run.api, pool_id) or {}  # a pooled number answers to the pool's list
            _list_held(run, pool)
            number = ":phone-number/" in identity and describe_number(run.api, identity.rsplit("/", 1)[-1])
            copy_late(
                run, str(pool.get("OptOutListName") or ""), (str((number or {}).get("OptOutListName") or ""),)
            )
            # A pool made by someone else may still be CREATING: AWS refuses with RESOURCE_NOT_ACTIVE.
            retrying(
                run.api.waits,
                f"AssociateOriginationIdentity {identity}",
                lambda: run.api.call(
                    "AssociateOriginationIdentity",
                    PoolId=pool_id,
                    OriginationIdentity=identity,
                    IsoCountryCode=run.params["IsoCountryCode"],
                    ClientToken=run.state.token(client_token(run.plan_id, run.id), run.id),
                ),
                conflicts={"RESOURCE_NOT_ACTIVE"},
            )
        return {"PoolId": pool_id, "OriginationIdentityArn": identity}

    def verify(self, run: StepRun) -> list[Check]:
        pool_id, identity = run.params["PoolId"], run.params["OriginationIdentity"]
        held = identity in pool_members(run.api, pool_id)
        return [
            Check(run.id, held, f"{identity} is in pool {pool_id}" + ("" if held else ": missing"), "member")
        ]

    def undo(self, run: UndoRun) -> Undone:
        pool_id, identity = run.params["PoolId"], run.params["OriginationIdentity"]
        if ("pool", pool_id) in run.doomed:
            return Undone("nothing", f"leaves with pool {pool_id}", follows=("pool", pool_id))
        pool = describe_pool(run.api, pool_id)
        if pool is None or identity not in pool_members(run.api, pool_id):
            return Undone("nothing", f"{identity} is no longer in pool {pool_id}")
        copied = 0
        if ":sender-id/" in identity:  # out of the pool, a sender ID answers to Default
            copied = copy_missing(run.api, str(pool.get("OptOutListName") or ""), "Default")
        run.api.call(
            "DisassociateOriginationIdentity",
            PoolId=pool_id,
            OriginationIdentity=identity,
            IsoCountryCode=run.params["IsoCountryCode"],
        )
        return Undone("undone", f"took {identity} out of pool {pool_id}", copied=copied)
