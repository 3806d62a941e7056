"""Keeping protection up when an identity leaves a list (safety invariant 1 during rollback and repair).

When rollback points a phone number, a pool or a sender ID back at the list it answered to before (or a
pool's deletion leaves its sender IDs on the account's `Default` list), every opted-out number on the list
it leaves that the destination lacks is first copied there and then checked, so nobody who opted out on the
tool's list (a STOP reply lands there after the cut-over) becomes reachable. AWS's user guide says of a
pool's list change: "any recipients who previously opt-out might not be in the new list and start to
receive messages" (https://docs.aws.amazon.com/sms-voice/latest/userguide/phone-pool-opt-out-list.html).
Numbers are never printed: only counts.
"""

from __future__ import annotations

from typing import Any

from migrate.apply.errors import StepError
from migrate.mapping.desired import DEFAULT_OPT_OUT_LIST


def list_set(api: Any, list_name: str) -> set[str]:
    """The numbers on a list (empty when it does not exist, or in a dry run names a pretended list)."""
    from migrate.apply.kinds.base import not_found

    try:
        return {
            str(e["OptedOutNumber"])
            for e in api.items("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=list_name)
        }
    except Exception as exc:
        if not_found(exc):
            return set()
        raise


def lacking(api: Any, source: str, target: str) -> list[str]:
    """The numbers on `source` that `target` lacks, sorted."""
    if not source or source == target:
        return []
    return sorted(list_set(api, source) - list_set(api, target))


def copy_missing(api: Any, source: str, target: str) -> int:
    """Copy onto `target` every number of `source` it lacks, then check they are all there.

    Returns how many were copied (in a dry run: would be). Raises StepError when the check finds a gap, so
    the caller does not go on to leave `source`.
    """
    missing = lacking(api, source, target or DEFAULT_OPT_OUT_LIST)
    target = target or DEFAULT_OPT_OUT_LIST
    for number in missing:
        api.call("PutOptedOutNumber", OptOutListName=target, OptedOutNumber=number)
    if missing and api.dry_run:
        api.flush(f"opted out on {source}, missing from {target}")
    elif missing:
        still = set(missing) - list_set(api, target)
        if still:
            raise StepError(
                f"{len(still)} of {len(missing)} numbers copied from {source} are not on {target}: "
                f"{source} is not left; run rollback again"
            )
    return len(missing)
