"""Late opt-outs: numbers that reached a source list between the scan (or the fill) and a switch.

A tenant list is filled from what its sources held when the fill read them. Someone who texts STOP
afterwards lands on the list the identity answers to *now* ("destination identities are automatically
added to the opt-out list if they reply to your originator phone number with the keyword STOP", AWS End
User Messaging SMS user guide, opt-out-list.html), on `Default`, or in SNS's opted-out numbers. So right before a step points a number or a pool at the tenant list
(`UpdatePhoneNumber`, `UpdatePool`, `AssociateOriginationIdentity` of a number, which then answers to the
pool's list), the sources are read again and every number the tenant list lacks is put there; the journal
records the count (`late-opt-outs`), never the numbers' text in the output.

Cost: the sources are read whole (as the fill reads them) and the tenant list once per apply run and list
(100 numbers a page, cached and kept up to date by this module's own puts), so a run with many switches
onto one list pays one read of it. Numbers the tool itself put on `Default` (another tenant's list) are
left out, as in the fill (`PlanState.tool_added`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from migrate.apply.fill import list_numbers
from migrate.apply.protect import list_set
from migrate.apply.state import DEFAULT_ADDED
from migrate.aws.paging import enumerate_pages
from migrate.inventory.optouts import normalise
from migrate.mapping.desired import DEFAULT_OPT_OUT_LIST

SnsFor = Callable[[str, str], Any]  # (account, region) -> an SNS client, or None where none is reachable
LATE = "late-opt-outs"


class LateOptOuts:
    """One per apply run: the plan's fill parameters per tenant list, and what each list holds."""

    def __init__(self, plan_steps: list[dict[str, Any]], sns_for: SnsFor | None = None) -> None:
        self.fills: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.senders: set[tuple[str, str, str]] = set()  # tenant lists the plan copies onto Default
        for step in plan_steps:
            name = step["parameters"].get("OptOutListName")
            where = (str(step["account"]), str(step["region"]))
            if step["kind"] == "fill_opt_out_list" and name != DEFAULT_OPT_OUT_LIST:
                self.fills[(*where, str(name))] = step["parameters"]
            elif step["kind"] == "fill_opt_out_list":
                self.senders |= {(*where, str(c["OptOutListName"])) for c in step["parameters"]["copy_from"]}
        self.sns_for = sns_for
        self.held: dict[str, set[str]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _list_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def sources(self, where: str, list_name: str, also: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
        """(list name, is Default) of the v2 lists the tenant list copies, plus `also` (lists the identity
        answers to now), without the list itself."""
        account, _, region = where.partition("/")
        params = self.fills.get((account, region, list_name), {})
        names = [c["OptOutListName"] for c in params.get("copy_from", ())]
        names += [n for n in also if n and n not in names]
        return [(n, n == DEFAULT_OPT_OUT_LIST) for n in names if n != list_name]

    def _sns(self, api: Any, list_name: str) -> Iterator[str]:
        account, _, region = api.where.partition("/")
        params = self.fills.get((account, region, list_name), {})
        if self.sns_for is None or not any(s.get("kind") == "SNS" for s in params.get("sources", ())):
            return
        client = self.sns_for(account, region)
        # sns:ListPhoneNumbersOptedOut, 100 a page with nextToken (SNS API reference); normalised to E.164
        # as the scan normalises them (migrate/inventory/optout_sources.py)
        for raw in enumerate_pages(client, "ListPhoneNumbersOptedOut", "phoneNumbers"):
            number, _valid, _reason = normalise(str(raw), None)
            if number is not None:
                yield f"+{number}"

    def copy(self, run: Any, list_name: str, also: tuple[str, ...] = ()) -> int:
        """Put onto `list_name` every number its sources hold now that it lacks; returns how many."""
        api = run.api
        if not list_name or list_name == DEFAULT_OPT_OUT_LIST or api.dry_run:
            return 0  # a dry run shows the fill's copies; what comes late is known only when it happens
        key = f"{api.where}/{list_name}"
        with self._list_lock(key):
            if key not in self.held:
                self.held[key] = list_set(api, list_name)
            held = self.held[key]
            on_default: set[str] = set()
            others: list[str] = []  # from every source but Default, in order
            for name, is_default in self.sources(api.where, list_name, also):
                numbers = list(list_numbers(api, name))
                if is_default:
                    on_default = set(numbers)
                else:
                    others += numbers
            others += list(self._sns(api, list_name))
            # Read after Default: the tool journals what it puts on Default before it puts it, so every number
            # of another tenant's copy running at the same time (`fill_opt_out_list .../Default`) is known here.
            # What this list's own copies put there is its own (as in the fill, `PlanState.others_added`).
            mine = run.state.tool_added(api.where)
            theirs = run.state.others_added(api.where, list_name)
            raw_default = set(on_default)
            on_default -= theirs
            late = [n for n in dict.fromkeys([*sorted(on_default), *others]) if n not in held]
            for number in late:
                api.call("PutOptedOutNumber", OptOutListName=list_name, OptedOutNumber=number)
                held.add(number)
            account, _, region = api.where.partition("/")
            if (account, region, list_name) in self.senders:
                # Every one Default lacks now is put, even one journaled before (a run killed between the
                # journal and the put); those the tool put there already are journaled as this list's too.
                fresh = list(dict.fromkeys(others))
                self._onto_default(
                    run,
                    list_name,
                    [n for n in fresh if n not in raw_default],
                    [n for n in fresh if n in raw_default and n in mine],
                )
        if run.journal_write is not None:
            run.journal_write(LATE, plan=run.plan_id, step=run.id, list=list_name, copied=len(late))
        if late:
            run.echo(f"  {len(late)} late opt-out(s) copied onto {list_name} before {run.id}")
        return len(late)

    def _onto_default(self, run: Any, list_name: str, numbers: list[str], held: list[str]) -> None:
        """A tenant with sender IDs: its sources' late numbers go onto Default too, which guards a send
        straight from a sender ID or with the configuration set's default sender (`migrate.apply.paths`);
        journaled as the tool's own (and `list_name`'s, with those the tool had put there already: `held`)
        before they are put, like the plan's copy of the list onto Default."""
        if not numbers and not held:
            return
        account, _, region = run.api.where.partition("/")
        if run.journal_write is not None:
            run.journal_write(
                DEFAULT_ADDED, plan=run.plan_id, step=run.id, account=account, region=region, numbers=numbers,
                list=list_name, held=held,
            )  # fmt: skip
        run.state.note_added(run.api.where, numbers, list_name, held)
        for number in numbers:
            run.api.call("PutOptedOutNumber", OptOutListName=DEFAULT_OPT_OUT_LIST, OptedOutNumber=number)


def protected_list(step: dict[str, Any]) -> str:
    """The tenant list whose copy onto Default a step waits for (`.../fill_opt_out_list/<list>/Default`)."""
    for dep in step.get("depends_on", ()):
        _head, _, tail = str(dep).partition("/fill_opt_out_list/")
        if tail.endswith(f"/{DEFAULT_OPT_OUT_LIST}"):
            return tail.rsplit("/", 1)[0]
    return ""


def copy_late(run: Any, list_name: str, also: tuple[str, ...] = ()) -> int:
    """`LateOptOuts.copy` for a step about to point something at `list_name` (nothing outside an apply)."""
    late = getattr(run, "late", None)
    return late.copy(run, list_name, also) if late is not None else 0
