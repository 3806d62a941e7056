"""The switch of a phone number onto its tenant's (verified) opt-out list, and back in rollback."""

from __future__ import annotations

from typing import Any

from migrate.apply.errors import StepError
from migrate.apply.kinds.base import Check, Kind, StepRun, Undone, UndoRun, compare, kind
from migrate.apply.kinds.pools import describe_number, describe_pool, wait_pool_gone
from migrate.apply.late import copy_late
from migrate.apply.protect import copy_missing


@kind
class SetPhoneNumberOptOutList(Kind):
    name = "set_phone_number_opt_out_list"

    def execute(self, run: StepRun) -> dict[str, Any]:
        number_id, wanted = run.params["PhoneNumberId"], run.params["OptOutListName"]
        current = describe_number(run.api, number_id).get("OptOutListName")
        recorded = (run.state.result(run.id) or {}).get("previous")
        planned = (run.params.get("previous") or {}).get("OptOutListName")
        previous = recorded or (current if current != wanted else planned)
        if current != wanted:
            copy_late(run, wanted, (str(current or ""),))  # STOPs that reached its list since the fill
            run.api.call("UpdatePhoneNumber", PhoneNumberId=number_id, OptOutListName=wanted)
        return {"PhoneNumberId": number_id, "OptOutListName": wanted, "previous": previous}

    def verify(self, run: StepRun) -> list[Check]:
        number = describe_number(run.api, run.params["PhoneNumberId"])
        return [compare(run.id, "OptOutListName", number.get("OptOutListName"), run.params["OptOutListName"])]

    def undo(self, run: UndoRun) -> Undone:
        number_id, ours_list = run.params["PhoneNumberId"], run.params["OptOutListName"]
        try:
            number = describe_number(run.api, number_id)
        except StepError:
            return Undone("nothing", f"phone number {number_id} is gone")
        pool_id = number.get("PoolId")
        if pool_id and (describe_pool(run.api, pool_id) or {}).get("Status") == "DELETING":
            # A pool being deleted (a rollback of another copy of the journal, or an apply undoing a pool it
            # could not point at its list) keeps its numbers until it is gone: wait, it does not stay.
            wait_pool_gone(run.api, pool_id)
            number = describe_number(run.api, number_id)
            pool_id = number.get("PoolId")
        current = number.get("OptOutListName")
        # (a step the journal does not know finished has no result: the list the plan saw it on)
        previous = run.result.get("previous") or (run.params.get("previous") or {}).get("OptOutListName")
        if pool_id and ("pool", pool_id) not in run.doomed:
            return Undone(
                "refused",
                f"phone number {number_id} is still in pool {pool_id}, which stays: it keeps {current}",
            )
        if current != ours_list:
            return Undone("nothing", f"phone number {number_id} answers to {current} now: left as it is")
        if not previous:
            return Undone("refused", f"the journal lacks the earlier opt-out list of {number_id}")
        copied = copy_missing(run.api, ours_list, previous)
        run.api.call("UpdatePhoneNumber", PhoneNumberId=number_id, OptOutListName=previous)
        return Undone(
            "undone",
            f"phone number {number_id} back on opt-out list {previous}"
            + (f" ({copied} opted-out number(s) of {ours_list} copied there first)" if copied else ""),
            copied=copied,
        )
