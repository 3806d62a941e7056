"""Opt-out lists: create one, fill it (see `migrate.apply.fill`), verify its contents before any pool uses it."""

from __future__ import annotations

from typing import Any

from migrate.apply.drift import lacking, listing, note_missing
from migrate.apply.errors import StepError
from migrate.apply.fill import fill_list, list_numbers
from migrate.apply.kinds.base import (
    Check,
    Kind,
    StepRun,
    Undone,
    UndoRun,
    adopt_or_refuse,
    kind,
    not_found,
    ours,
    tag_list,
    tags_of,
)
from migrate.inventory.scan_v2 import opted_out_ms
from migrate.mapping.desired import (
    CONTENTS_KEY,
    DEFAULT_COPY_KEY,
    DEFAULT_COPY_THROUGH_KEY,
    DEFAULT_OPT_OUT_LIST,
    VERIFIED_COUNT_KEY,
    VERIFIED_THROUGH_KEY,
)
from migrate.report.mask import mask_text


def describe_list(run_api: Any, name: str) -> dict[str, Any] | None:
    try:
        found = run_api.call("DescribeOptOutLists", OptOutListNames=[name]).get("OptOutLists", [])
    except Exception as exc:
        if not_found(exc):
            return None
        raise
    return dict(found[0]) if found else None


@kind
class CreateOptOutList(Kind):
    name = "create_opt_out_list"

    def execute(self, run: StepRun) -> dict[str, Any]:
        list_name = run.params["OptOutListName"]
        found = describe_list(run.api, list_name)
        if found is not None:
            adopt_or_refuse(
                f"opt-out list {list_name}", tags_of(run.api, found["OptOutListArn"]), run.plan_id
            )
            return {"OptOutListName": list_name, "OptOutListArn": found["OptOutListArn"], "created": True}
        made = run.api.call(
            "CreateOptOutList", OptOutListName=list_name, Tags=run.params["Tags"], ClientToken=run.token()
        )
        return {"OptOutListName": list_name, "OptOutListArn": made.get("OptOutListArn", ""), "created": True}

    def verify(self, run: StepRun) -> list[Check]:
        list_name = run.params["OptOutListName"]
        found = describe_list(run.api, list_name)
        if found is None:
            return [Check(run.id, False, f"opt-out list {list_name} does not exist", "exists")]
        tags = tags_of(run.api, found["OptOutListArn"])
        missing = {k: v for k, v in tag_list(run.params["Tags"]).items() if tags.get(k) != v}
        if missing:
            return [Check(run.id, False, f"opt-out list {list_name} lacks tags {sorted(missing)}", "tags")]
        return [Check(run.id, True, f"opt-out list {list_name} exists with the plan's tags", "exists")]

    def undo(self, run: UndoRun) -> Undone:
        list_name = run.params["OptOutListName"]
        found = describe_list(run.api, list_name)
        if found is None:
            return Undone("nothing", f"opt-out list {list_name} is already gone")
        if not ours(tags_of(run.api, found["OptOutListArn"]), run.plan_id):
            return Undone(
                "refused", f"opt-out list {list_name} no longer carries the tool's tags: left alone"
            )
        users = _foreign_users(run, list_name)
        if users:
            return Undone(
                "refused",
                f"opt-out list {list_name} is used by {', '.join(users)}, which this rollback does not "
                "remove: left alone (move them off the list first)",
            )
        run.api.call("DeleteOptOutList", OptOutListName=list_name)
        return Undone("undone", f"deleted opt-out list {list_name}")


def _foreign_users(run: UndoRun, list_name: str) -> list[str]:
    """Pools and numbers on the list that the rollback does not remove (it undoes its own first)."""
    name_filter = [{"Name": "opt-out-list-name", "Values": [list_name]}]
    users = [
        f"pool {p['PoolId']}"
        for p in run.api.items("DescribePools", "Pools", Filters=name_filter)
        if ("pool", p["PoolId"]) not in run.doomed
    ]
    users += [
        f"phone number {n['PhoneNumberId']}"
        for n in run.api.items("DescribePhoneNumbers", "PhoneNumbers", Filters=name_filter)
        if n["PhoneNumberId"] not in run.switched  # the rollback has moved it back (or would, in a dry run)
    ]
    return users


@kind
class FillOptOutList(Kind):
    name = "fill_opt_out_list"
    bucket_operation = "PutOptedOutNumber"

    def execute(self, run: StepRun) -> dict[str, Any]:
        result = fill_list(run)
        if run.params["OptOutListName"] == DEFAULT_OPT_OUT_LIST and not run.api.dry_run:
            # A copy of a tenant list onto Default (its sender IDs answer to Default): the tenant list keeps
            # how many entries were copied and the time of the newest, so a later plan seeing newer ones (a
            # STOP after the cut-over) copies them too, and one seeing fewer of the older ones refills the
            # list (see `migrate.plan.drift`).
            for source in run.params.get("copy_from", ())[:1]:
                found = describe_list(run.api, source["OptOutListName"])
                if found is not None:
                    copied = [
                        {"Key": DEFAULT_COPY_KEY, "Value": str(result.get("read", 0))},
                        {"Key": DEFAULT_COPY_THROUGH_KEY, "Value": str(result.get("through", 0))},
                    ]
                    run.api.call("TagResource", ResourceArn=found["OptOutListArn"], Tags=copied)
        return result

    def verify(self, run: StepRun) -> list[Check]:
        return contents_checks(run, describe_list(run.api, run.params["OptOutListName"]))

    def undo(self, run: UndoRun) -> Undone:
        # Taking a number off an opt-out list could message someone who said STOP: never done here.
        # A list the tool created goes away whole with the undo of its creation.
        list_name = run.params["OptOutListName"]
        if ("opt_out_list", list_name) in run.doomed:
            return Undone(
                "nothing",
                f"the numbers go with opt-out list {list_name}",
                follows=("opt_out_list", list_name),
            )
        return Undone(
            "nothing", f"opt-outs added to {list_name} are kept (removing one could message a STOP)"
        )


@kind
class VerifyOptOutList(Kind):
    name = "verify_opt_out_list"

    def execute(self, run: StepRun) -> dict[str, Any]:
        list_name = run.params["OptOutListName"]
        found = describe_list(run.api, list_name)
        if found is None:
            if run.api.dry_run:
                run.api.call(
                    "TagResource", ResourceArn=f"(dry-run: ARN of {list_name})", Tags=run.params["Tags"]
                )
                return {"OptOutListName": list_name}
            raise StepError(f"opt-out list {list_name} does not exist")
        # each entry's time too (the same pages): the newest one the check saw is tagged with the count
        stamps = {
            str(e["OptedOutNumber"]): opted_out_ms(e)
            for e in run.api.items("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=list_name)
        }
        held = set(stamps)
        checks = contents_checks(run, found, held)
        failed = [c for c in checks if not c.ok]
        if failed and not run.api.dry_run:
            raise StepError(
                mask_text("; ".join(c.detail for c in failed))
                + ": no pool is pointed at the list; the next apply "
                "fills it again"
            )
        # the count a later plan compares the live scan's count of entries no newer than the newest of these
        # with (fewer: entries were lost, refill; STOPs that came since are newer, and do not hide a loss)
        count = [
            {"Key": VERIFIED_COUNT_KEY, "Value": str(len(held))},
            {"Key": VERIFIED_THROUGH_KEY, "Value": str(max(stamps.values(), default=0))},
        ]
        run.api.call("TagResource", ResourceArn=found["OptOutListArn"], Tags=[*run.params["Tags"], *count])
        counted = next((c.detail for c in checks if c.what == "count"), "")
        return {"OptOutListName": list_name, "OptOutListArn": found["OptOutListArn"], "checked": counted}

    def verify(self, run: StepRun) -> list[Check]:
        list_name = run.params["OptOutListName"]
        found = describe_list(run.api, list_name)
        checks = contents_checks(run, found)
        wanted = tag_list(run.params["Tags"])
        tags = tags_of(run.api, found["OptOutListArn"]) if found else {}
        ok = tags.get(CONTENTS_KEY) == wanted.get(CONTENTS_KEY)
        checks.append(
            Check(run.id, ok, f"{list_name} tagged {CONTENTS_KEY}" + ("" if ok else ": missing"), "tag")
        )
        return checks

    def undo(self, run: UndoRun) -> Undone:
        list_name = run.params["OptOutListName"]
        if ("opt_out_list", list_name) in run.doomed:
            return Undone(
                "nothing",
                f"the contents tag goes with opt-out list {list_name}",
                follows=("opt_out_list", list_name),
            )
        found = describe_list(run.api, list_name)
        if found is None:
            return Undone("nothing", f"opt-out list {list_name} is gone")
        run.api.call("UntagResource", ResourceArn=found["OptOutListArn"], TagKeys=[CONTENTS_KEY])
        return Undone("undone", f"removed the {CONTENTS_KEY} tag from {list_name}")


def contents_checks(run: StepRun, found: dict[str, Any] | None, held: set[str] | None = None) -> list[Check]:
    """Every number of the sources and copied lists is on the list, and the list holds at least the minimum."""
    list_name = run.params["OptOutListName"]
    if found is None:
        return [Check(run.id, False, f"opt-out list {list_name} does not exist", "exists")]
    key = f"{run.api.where}/{list_name}"
    if held is None:
        held = run.cache[key] if key in run.cache else set(list_numbers(run.api, list_name))
    if run.journal_write is None:  # verify: the list does not change between its steps' checks
        run.cache[key] = held
    wanted, missing = lacking(run, held)
    note_missing(run, list_name, missing)
    minimum = int(run.params.get("expected_minimum", 0))
    checks = [
        Check(
            run.id,
            not missing,
            f"{list_name} holds all {len(wanted)} opted-out numbers of its sources"
            if not missing
            else f"{len(missing)} of {len(wanted)} opted-out numbers are missing from {list_name}: "
            f"{listing(missing)} (verify --full writes them all to a file `plan --missing` refills from)",
            "contents",
        ),
        Check(
            run.id,
            len(held) >= minimum,
            f"{list_name} holds {len(held)} numbers (at least {minimum} expected)",
            "count",
        ),
    ]
    return checks
