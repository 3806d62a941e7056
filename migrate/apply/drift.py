"""Drift of a list the tool fills: which opted-out numbers of its sources it lacks now, read whole.

A fill step's sources are the scan's 0600 files (every kind: the tenant's endpoint export, SNS opted-out
numbers, suppression files for one tenant or all) and the lists in `copy_from` (`Default`, every list an
identity of the tenant was on). The check reads each of them whole, and the list itself whole, with
DescribeOptedOutNumbers: 100 numbers a page at most (`MaxResults` max 100 in botocore's
pinpoint-sms-voice-v2 model) at 1 request/s by default (the Describe* rows of the RPS table in
https://docs.aws.amazon.com/sms-voice/latest/userguide/quotas.html), so a million numbers is ~2.8 hours.
Numbers are counted once however many sources hold them ("5 of 95", not a sum over sources), and the missing ones are kept (per account, region and list) for `verify --full`'s
missing-numbers file; what is printed is masked by `migrate.report.mask` (no two numbers alike).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrate.apply.fill import csv_numbers, list_numbers, source_file
from migrate.apply.protect import list_set

MISSING_KEY = "missing"  # in a verify's shared cache: (account, region, list) -> numbers it lacks
SHOWN = 10  # numbers named in one message; the file has them all


def exempt_from_default(
    api: Any, entry: dict[str, Any], data_dir: Path, state: Any = None, list_name: str = ""
) -> set[str]:
    """Numbers on Default that the tenant list `list_name` need not hold: the tool copied them there for
    other tenants that send from a sender ID (`except_lists`: their lists now; `except_files`: the files
    they were filled from, which still name a number lost from such a list since; and, where the journal is
    at hand (`state`), what it put there for other lists). Never one the journal says came from `list_name`
    itself (a STOP after the cut-over, copied onto Default, since deleted from the list): the fill puts
    those back (`migrate.apply.fill`), so the check wants them. The scan's snapshot of Default is a file
    source of the list itself, so a number Default held before the tool touched it is never exempt."""
    exempt: set[str] = set()
    for name in entry.get("except_lists", ()):
        exempt |= list_set(api, name)  # empty when that tenant's list is not made yet
    for source in entry.get("except_files", ()):
        exempt |= set(csv_numbers(source_file(data_dir, source)))
    if state is not None and list_name:
        where = str(api.where)
        exempt |= state.others_added(where, list_name)
        exempt -= state.added_for.get((where, list_name), set())
    return exempt


def lacking(run: Any, held: set[str]) -> tuple[set[str], list[str]]:
    """(every number the list must hold, the ones it lacks, sorted) for a fill step's `run`."""
    wanted: set[str] = set()
    for source in run.params.get("sources", ()):
        wanted.update(csv_numbers(source_file(run.data_dir, source)))
    for other in run.params.get("copy_from", ()):
        exempt = exempt_from_default(run.api, other, run.data_dir, run.state, run.params["OptOutListName"])
        wanted.update(n for n in _read(run, other["OptOutListName"]) if n in held or n not in exempt)
    return wanted, sorted(wanted - held)


def _read(run: Any, name: str) -> set[str]:
    """A list's numbers; read once per verify (its steps share `run.cache`), every time in apply."""
    key = f"{run.api.where}/{name}"
    if key in run.cache:
        return set(run.cache[key])
    found = set(list_numbers(run.api, name))
    if run.journal_write is None:
        run.cache[key] = found
    return found


def note_missing(run: Any, list_name: str, numbers: list[str]) -> None:
    """Keep what a list lacks for the missing-numbers file (verify's cache only; apply keeps nothing)."""
    if not numbers or run.journal_write is not None:
        return
    account, _, region = str(run.api.where).partition("/")
    run.cache.setdefault(MISSING_KEY, {}).setdefault((account, region, list_name), set()).update(numbers)


def listing(numbers: list[str]) -> str:
    """The first few numbers, raw: every caller masks the whole text once it is complete."""
    shown = ", ".join(numbers[:SHOWN])
    return shown + (f" and {len(numbers) - SHOWN} more" if len(numbers) > SHOWN else "")
