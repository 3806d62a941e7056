"""`refill_opt_out_list`: put back exactly the opted-out numbers `verify --full` found a list lacks.

The numbers come from verify's 0600 missing-numbers file (`migrate.plan.missing`), which the plan names with
its sha256: a file changed since the plan is refused before any write. Each number is looked up on the list
first (DescribeOptedOutNumbers takes up to 5 numbers in `OptedOutNumbers`, botocore's
pinpoint-sms-voice-v2 model), put with PutOptedOutNumber only when absent (the call is idempotent anyway:
"Creates an opted out destination phone number in the opt-out list", v2 API reference), then all are
looked up again. Nothing else on the list is read or touched, so a refill of 5 numbers costs a few calls
whatever the list's size. Numbers are never printed unmasked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from migrate.apply.drift import note_missing
from migrate.apply.errors import StepError
from migrate.apply.kinds.base import Check, Kind, StepRun, Undone, UndoRun, kind, not_found, tags_of
from migrate.apply.kinds.lists import describe_list
from migrate.inventory.scan_v2 import opted_out_ms
from migrate.mapping.desired import DEFAULT_COPY_THROUGH_KEY, DEFAULT_OPT_OUT_LIST, VERIFIED_THROUGH_KEY
from migrate.plan.errors import PlanInputError
from migrate.plan.missing import numbers_for
from migrate.report.mask import mask_text

LOOKUP = 5  # OptedOutNumbers: max 5 in botocore's model of DescribeOptedOutNumbers


def _numbers(run: StepRun) -> tuple[str, ...]:
    place = (str(run.step["account"]), str(run.step["region"]), str(run.params["OptOutListName"]))
    try:
        return numbers_for(run.params["missing"], place)
    except PlanInputError as exc:
        raise StepError(str(exc)) from None


def _chunks(numbers: list[str] | tuple[str, ...]) -> Iterator[list[str]]:
    for start in range(0, len(numbers), LOOKUP):
        yield list(numbers[start : start + LOOKUP])


def on_list(api: Any, list_name: str, numbers: list[str] | tuple[str, ...]) -> set[str]:
    """Which of `numbers` are on the list (a list that does not exist holds none)."""
    return set(stamps_on(api, list_name, numbers))


def stamps_on(api: Any, list_name: str, numbers: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Each of `numbers` on the list, with the time of its entry (epoch ms)."""
    found: dict[str, int] = {}
    for chunk in _chunks(numbers):
        try:
            answer = api.call("DescribeOptedOutNumbers", OptOutListName=list_name, OptedOutNumbers=chunk)
        except Exception as exc:
            if not_found(exc):
                return {}
            raise
        found.update({str(e["OptedOutNumber"]): opted_out_ms(e) for e in answer.get("OptedOutNumbers", ())})
    return found


def _verified_through(run: StepRun, list_name: str, numbers: tuple[str, ...], newest: int) -> None:
    """Move the list's `verified-through` time past the numbers just refilled (entries dated now): they were
    missing, so the verified count is met again by the entries no newer than that (`migrate.plan.drift`),
    and the next plan is empty. The entries that came between the verify and the refill count too, so until
    the next full check the count hides as many later losses (`verify --full` finds those). Its
    `default-copy-through` (a sender-ID tenant's list) moves too when every refilled number is on Default."""
    if list_name == DEFAULT_OPT_OUT_LIST:
        return  # Default carries no verified count
    found = describe_list(run.api, list_name)
    tags = tags_of(run.api, found["OptOutListArn"]) if found else {}
    keys = [VERIFIED_THROUGH_KEY]
    if tags.get(DEFAULT_COPY_THROUGH_KEY, "").isdigit() and set(numbers) <= on_list(
        run.api, DEFAULT_OPT_OUT_LIST, numbers
    ):
        keys.append(DEFAULT_COPY_THROUGH_KEY)
    moved = [
        {"Key": k, "Value": str(newest)} for k in keys if tags.get(k, "").isdigit() and newest > int(tags[k])
    ]
    if found and moved:
        run.api.call("TagResource", ResourceArn=found["OptOutListArn"], Tags=moved)


@kind
class RefillOptOutList(Kind):
    name = "refill_opt_out_list"
    bucket_operation = "PutOptedOutNumber"

    def execute(self, run: StepRun) -> dict[str, Any]:
        list_name = str(run.params["OptOutListName"])
        numbers = _numbers(run)
        present = on_list(run.api, list_name, numbers)
        absent = [n for n in numbers if n not in present]
        for number in absent:
            run.api.call("PutOptedOutNumber", OptOutListName=list_name, OptedOutNumber=number)
        if run.api.dry_run:
            if absent:
                run.api.flush(f"numbers verify --full found missing from {list_name}")
            return {"OptOutListName": list_name, "put": len(absent), "already": len(present)}
        stamps = stamps_on(run.api, list_name, numbers)
        still = sorted(set(numbers) - set(stamps))
        if still:
            raise StepError(
                mask_text(f"{len(still)} of {len(numbers)} refilled numbers are not on {list_name}: "
                          f"{', '.join(still[:10])}; run apply again")
            )  # fmt: skip
        _verified_through(run, list_name, numbers, max(stamps.values(), default=0))
        return {"OptOutListName": list_name, "put": len(absent), "already": len(present)}

    def verify(self, run: StepRun) -> list[Check]:
        list_name = str(run.params["OptOutListName"])
        numbers = _numbers(run)
        lacking = sorted(set(numbers) - on_list(run.api, list_name, numbers))
        note_missing(run, list_name, lacking)
        detail = (
            f"{list_name} holds all {len(numbers)} refilled numbers"
            if not lacking
            else f"{len(lacking)} of {len(numbers)} refilled numbers are missing from {list_name}: "
            f"{', '.join(lacking[:10])}"
        )
        return [Check(run.id, not lacking, detail, "contents")]

    def undo(self, run: UndoRun) -> Undone:
        # Taking a number off an opt-out list could message someone who said STOP: never done.
        return Undone(
            "nothing",
            f"numbers refilled onto {run.params['OptOutListName']} are kept (removing one could message a STOP)",
        )
