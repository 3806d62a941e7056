"""The live v2 state `plan` diffs against (and apply compares its plan with): a read of v2 only."""

from __future__ import annotations

from migrate import __version__
from migrate.aws.sessions import SessionError, open_sessions
from migrate.clock import iso, now_utc
from migrate.emulator import Emulator
from migrate.emulator.credentials import session_clock
from migrate.inventory.scan_options import ScanOptions, rate_limited_clients, scan_workers
from migrate.inventory.scanner import Scanner
from migrate.inventory.sections import load_sections
from migrate.inventory.snapshot import AccountInfo, Inventory
from migrate.progress import Progress


def scan_live_v2(
    options: ScanOptions, inventory: Inventory, *, emulator: Emulator | None = None
) -> Inventory:
    """Read only the v2 state of the accounts and regions of `inventory` (what `plan` diffs against); with
    `--shard K/N` in the session options, of that share of the accounts (marked so shards merge back)."""
    if options.sessions.shard is not None and not any(
        options.sessions.wants(a.account_id) for a in inventory.accounts
    ):
        return _frame(options, inventory, [])  # a shard may hold no account of the inventory
    session_set = open_sessions(options.sessions, clock=session_clock(emulator))
    wanted = {a.account_id for a in inventory.accounts if options.sessions.wants(a.account_id)}
    accounts = [a for a in session_set.accounts if a.account_id in wanted]
    missing = sorted(wanted - {a.account_id for a in accounts})
    if missing:
        raise SessionError(
            f"the inventory covers account(s) {', '.join(missing)} that these credentials do not reach; "
            "give the same --profile/--role-arn/--org-role as the scan, or plan with --offline"
        )
    clients = rate_limited_clients(options, emulator)
    sections = {name: spec for name, spec in load_sections().items() if name.startswith("v2.")}
    targets = [(a, r) for a in accounts for r in sorted(set(inventory.regions))]
    progress = Progress("live v2 state", enabled=options.progress)
    workers = scan_workers(options.max_workers, len(targets))
    result = Scanner(clients, max_workers=workers, sections=sections, progress=progress).run(targets)
    progress.close()
    live = _frame(options, inventory, [AccountInfo(a.account_id, a.label) for a in accounts])
    live.add(*result.records)
    live.sections.extend(result.sections)
    return live


def _frame(options: ScanOptions, inventory: Inventory, accounts: list[AccountInfo]) -> Inventory:
    live = Inventory(tool_version=__version__, scanned_at=iso(now_utc(options.now)))
    live.accounts = accounts
    live.regions = sorted(set(inventory.regions))
    if options.sessions.shard is not None:
        live.options = {"shard": "{}/{}".format(*options.sessions.shard)}
    return live
