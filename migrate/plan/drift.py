"""Drift is a planned change (safety invariant 2): a list the tool fills that lost entries gets a refill.

Two ways the plan learns of it, both without reading any list's numbers itself:

- **counts, always.** The live v2 scan pages through every list to count it (DescribeOptOutLists returns
  no count; DescribeOptedOutNumbers gives at most 100 numbers a page, `MaxResults` max 100 in botocore's
  pinpoint-sms-voice-v2 model), and apply tags a list it verified with the count it held
  (`pinpoint-migrate:verified-count`) and the newest `OptedOutTimestamp` among them
  (`pinpoint-migrate:verified-through`; every entry of those pages carries one, required in
  OptedOutNumberInformation). The scan counts the entries no newer than that apart (`verified_kept`):
  fewer than verified, the list is filled again (the fill puts only the numbers it lacks, from every
  source) and checked, even when as many STOPs came since (the total is the same). A tenant list that
  sends from a sender ID also records how many of its entries were copied onto `Default` and the newest
  one's time (`pinpoint-migrate:default-copy`, `default-copy-through`; the scan's `copy_kept`): an entry
  newer now (a STOP reply after the cut-over) and the copy onto `Default` is planned again, since sends
  straight from a sender ID are checked against `Default` (see `migrate.apply.paths`); fewer of the older
  ones (a copied STOP deleted since) and the list is refilled first.
- **the exact numbers, given.** `verify --full` reads every source whole and writes what each list lacks
  to a 0600 file; `plan --missing FILE` plans a `refill_opt_out_list` step of exactly those numbers per list
  (Default included). Counts miss an entry lost that came after the verify and the copy (or one AWS
  dates no later than their newest); the file does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.mapping.desired import DEFAULT_COPY_KEY, DEFAULT_OPT_OUT_LIST, VERIFIED_COUNT_KEY, address
from migrate.plan.errors import PlanInputError
from migrate.plan.steps import sms_arn

if TYPE_CHECKING:
    from migrate.mapping.desired import OptOutListSpec
    from migrate.plan.diff import FieldDiff, Planner


def _count(tags: dict[str, str], key: str) -> int | None:
    try:
        return int(tags[key])
    except (KeyError, ValueError):
        return None


def lost_entries(live: Any) -> str:
    """ "" or what the list lost since it was verified, as the plan shows it: the verified count against
    the entries no newer than the newest one the verify saw (`verified_kept`, from the scan's own pages),
    or against all of them on a list verified before the tool tagged that time. A sender-ID tenant's list
    is checked against its last copy onto Default the same way (`copy_kept`): a STOP that came after the
    verify, was copied, then deleted, is a loss too."""
    for what, count_key, kept in (
        ("verified", VERIFIED_COUNT_KEY, live.verified_kept),
        ("copied to Default", DEFAULT_COPY_KEY, live.copy_kept),
    ):
        counted = _count(live.tags, count_key)
        left = live.size if kept < 0 else kept
        if counted is not None and left < counted:
            newer = live.size - left
            since = f", {newer} newer" if newer else ""
            return f"{counted - left} entries lost since {what} ({left} of {counted} left{since}): refill"
    return ""


def new_since_copy(live: Any) -> bool:
    """Whether the list holds entries newer than its last copy onto Default (a STOP since the copy), or
    more than were copied (a copy tagged before the tool kept its time)."""
    copied = _count(live.tags, DEFAULT_COPY_KEY)
    if copied is not None and live.copy_kept >= 0:
        return live.size > live.copy_kept
    return copied is not None and live.size > copied


def refill_step(planner: Planner, spec: OptOutListSpec, arn: str) -> list[str]:
    """The refill of exactly the numbers `plan --missing` names for the list (none without the file)."""
    key = (spec.account, spec.region, spec.name)
    if planner.missing is None or not planner.missing.count(key):
        return []
    parameters = {"OptOutListName": spec.name, "missing": planner.missing.reference(key)}
    return [
        planner.step(
            "refill_opt_out_list", spec.account, spec.region, spec.address, spec.name, parameters,
            resources={"target": arn},
        )
    ]  # fmt: skip


def refill_diff(planner: Planner, key: tuple[str, str, str]) -> list[FieldDiff]:
    from migrate.plan.diff import FieldDiff

    if planner.missing is None or not planner.missing.count(key):
        return []
    count = planner.missing.count(key)
    return [FieldDiff("contents", f"{count} numbers missing", f"refill from {planner.missing.path.name}")]


@dataclass(frozen=True)
class _DefaultList:
    account: str
    region: str

    @property
    def address(self) -> str:
        return address("opt_out_list", self.account, self.region, DEFAULT_OPT_OUT_LIST)


def refill_default(planner: Planner, place: tuple[str, str]) -> None:
    """The numbers `verify --full` found the account's Default list lacks (tenant lists copied there for
    their sender IDs): a refill step of exactly those."""
    key = (*place, DEFAULT_OPT_OUT_LIST)
    if planner.missing is None or not planner.missing.count(key):
        return
    planner.refilled.add(key)
    target = _DefaultList(*place)
    parameters = {"OptOutListName": DEFAULT_OPT_OUT_LIST, "missing": planner.missing.reference(key)}
    arn = sms_arn(*place, f"opt-out-list/{DEFAULT_OPT_OUT_LIST}")
    step = planner.step(
        "refill_opt_out_list",
        *place,
        target.address,
        DEFAULT_OPT_OUT_LIST,
        parameters,
        resources={"target": arn},
    )
    tenants = tuple(
        t
        for s in planner.desired.opt_out_lists
        if s.senders and (s.account, s.region) == place
        for t in s.tenants
    )
    planner.change(
        target, "opt_out_list", DEFAULT_OPT_OUT_LIST, "update", diff=refill_diff(planner, key), steps=[step],
        tenants=tenants,
    )  # fmt: skip


def unknown_lists(planner: Planner) -> None:
    """A missing-numbers file naming a list this plan does not fill is refused (another account's file?)."""
    if planner.missing is None:
        return
    unknown = sorted(set(planner.missing.lists) - planner.refilled)
    if unknown:
        names = ", ".join("/".join(place) for place in unknown[:5])
        raise PlanInputError(
            f"{planner.missing.path}: names opt-out lists this plan does not fill ({names}): give the file "
            "verify --full wrote for this plan's accounts"
        )
