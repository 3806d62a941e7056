"""`rollback`: undo, newest first, what the journal says this tool did, and nothing else.

Only steps whose `end` is `ok` in the journal (and not undone since) are undone, by their kind's `undo()`,
with what the journal recorded: the step's parameters and result. A resource is deleted only if its
creation is in the journal and it still carries the tool's tags for that plan; deletion protection is
turned off only where the tool turned it on; a list or pool that something the tool did not put there now
uses is refused, named, and left alone. Changes to a resource the rollback deletes anyway are not undone
one by one. Each undo is journaled (`undo`), so a rollback can be re-run and a later apply starts afresh; a change
that goes away with a resource the rollback deletes (a pool's member, a list's fill) is journaled as undone
only after that resource is gone, so a rollback killed in between still knows the member is the tool's and
finishes on the next run. Protection never goes down (safety invariant 1): before a phone number, pool or
sender ID leaves a list the tool filled, every opted-out number the list it goes back to lacks is copied
there and checked (`migrate.apply.protect`); the prompt and `--dry-run` give that count first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrate.apply.clients import AwsOptions, Clients
from migrate.apply.dryrun import Mode
from migrate.apply.errors import AccountMismatchError, ApplyError
from migrate.apply.executor import describe_error
from migrate.apply.journal import Journal, read_journal
from migrate.apply.kinds import KINDS, Undone, UndoRun
from migrate.apply.protect import lacking
from migrate.apply.selection import journal_selection
from migrate.apply.state import Applied, applied_steps
from migrate.emulator import Emulator
from migrate.progress import Progress


@dataclass
class RollbackOptions:
    journal_path: Path
    aws: AwsOptions = field(default_factory=AwsOptions)
    dry_run: bool = False
    yes: bool = False
    plan_id: str | None = None  # only this plan's steps (default: every plan in the journal)
    confirm: Callable[[str], bool] | None = None
    echo: Callable[[str], None] = print
    tenants: tuple[str, ...] = ()  # --tenant: undo only steps every tenant of which is named
    wave: str | None = None  # --wave FILE[:NAME]
    wave_name: str | None = None
    progress: bool | None = None  # progress lines: None on a terminal only, False never (-q)


@dataclass
class RollbackResult:
    outcomes: list[tuple[Applied, Undone]] = field(default_factory=list)
    dry_run: bool = False
    to_copy: int = 0  # opted-out numbers the lists identities go back to lacked (the prompt's count)

    @property
    def ok(self) -> bool:
        return all(u.ok for _a, u in self.outcomes)

    @property
    def copied(self) -> int:
        """Numbers copied (a dry run: the prompt's count, since its pretended copies never land, a number
        bound for one list from two places would be counted twice)."""
        return self.to_copy if self.dry_run else sum(u.copied for _a, u in self.outcomes)

    def summary(self) -> list[str]:
        counts = {
            s: sum(1 for _a, u in self.outcomes if u.status == s)
            for s in ("undone", "nothing", "refused", "failed")
        }
        verb, copy = ("would undo", "would copy") if self.dry_run else ("undone", "copied")
        lines = [
            f"rollback{' (dry run: nothing changed)' if self.dry_run else ''}: of {len(self.outcomes)} applied "
            f"step(s), {counts['undone']} {verb}, {counts['nothing']} need nothing, "
            f"{counts['refused']} refused, {counts['failed']} failed; {copy} "
            f"{self.copied} opted-out number(s) onto the lists identities go back to"
        ]
        lines += [f"  {u.status.upper()} {a.step_id}: {u.detail}" for a, u in self.outcomes if not u.ok]
        return lines


@dataclass
class _Ownership:
    doomed: set[tuple[str, str]] = field(default_factory=set)
    members: dict[str, set[str]] = field(default_factory=dict)
    protected: set[str] = field(default_factory=set)
    switched: set[str] = field(default_factory=set)


def _made(step: Applied) -> tuple[str, str] | None:
    """The resource a create step made, as (type, id)."""
    if step.kind == "create_opt_out_list":
        return ("opt_out_list", step.params["OptOutListName"])
    if step.kind == "create_configuration_set":
        return ("configuration_set", step.params["ConfigurationSetName"])
    if step.kind == "create_pool" and step.result.get("PoolId"):
        return ("pool", step.result["PoolId"])
    return None


def _ownership(applied: list[Applied]) -> _Ownership:
    """What the journal says the tool made or changed (so an undo can tell its own work from others')."""
    own = _Ownership()
    for step in applied:
        made = _made(step)
        if made is not None:
            own.doomed.add(made)
        elif step.kind == "associate_origination_identity":
            own.members.setdefault(str(step.params["PoolId"]), set()).add(step.params["OriginationIdentity"])
        elif step.kind == "update_pool" and step.params.get("DeletionProtectionEnabled"):
            if not (step.result.get("previous") or {}).get("DeletionProtectionEnabled"):
                own.protected.add(str(step.params["PoolId"]))
        elif step.kind == "set_phone_number_opt_out_list":
            own.switched.add(step.params["PhoneNumberId"])
    return own


def run_rollback(options: RollbackOptions, *, emulator: Emulator | None = None) -> RollbackResult:
    journal: Journal | None = None
    if options.dry_run:
        found = read_journal(Path(options.journal_path))
        records, notes = found.records, [found.torn] if found.torn else []
    else:
        if not Path(options.journal_path).is_file():
            raise ApplyError(f"{options.journal_path}: no such journal (nothing was applied with it)")
        journal = Journal.open(Path(options.journal_path), command="rollback")
        records, notes = journal.records, journal.notes
    shown: Progress | None = None
    try:
        for note in notes:
            options.echo(f"note: {note}")
        applied = [a for a in applied_steps(records, in_doubt=True) if options.plan_id in (None, a.plan_id)]
        selection, applied = journal_selection(
            records, applied, options.tenants, options.wave, options.wave_name
        )
        if not selection.everything:
            options.echo(
                f"selection: {selection.describe()}: {len(applied)} applied step(s) serve only them; steps shared "
                "with other tenants and account-level steps stay"
            )
        result = RollbackResult(dry_run=options.dry_run)
        if not applied:
            options.echo(f"nothing to roll back: {options.journal_path} records no applied step")
            return result
        clients = Clients(options.aws, emulator)
        missing = sorted({a.account for a in applied} - set(clients.accounts))
        if missing:
            raise AccountMismatchError(
                f"the journal records changes in account(s) {', '.join(missing)}, which these credentials do "
                "not reach: use the credentials (or --emulator world) of the apply"
            )
        applied = [_known_pool(a, clients, options) for a in applied]
        own = _ownership(applied)
        mode: Mode = "dry-run" if options.dry_run else "live"
        result.to_copy = _protection_gap(applied, clients, options, own)
        _ask(applied, options, result.to_copy)
        plans = sorted({a.plan_id for a in applied})
        if journal is not None:
            for plan_id in plans:
                journal.append(
                    "rollback-start", plan=plan_id, steps=sum(1 for a in applied if a.plan_id == plan_id),
                    selection=selection.record(),
                )  # fmt: skip
        deferred: dict[tuple[str, str], list[tuple[Applied, Undone]]] = {}
        shown = Progress(
            "dry-run rollback steps" if options.dry_run else "rollback steps", len(applied),
            enabled=options.progress,
        )  # fmt: skip
        for step in reversed(applied):
            shown.advance(0, step.step_id)
            api = clients.api(step.account, step.region, mode, options.echo)
            run = UndoRun(
                step.plan_id, step.step_id, step.params, step.result, api, own.doomed, own.members, own.protected,
                own.switched,
            )  # fmt: skip
            try:
                undone = KINDS[step.kind].undo(run)
            except Exception as exc:
                undone = Undone("failed", describe_error(exc))
            made = _made(step)
            if made is not None and not undone.ok:
                own.doomed.discard(made)  # it stays: what uses it is not going away with it
            result.outcomes.append((step, undone))
            shown.advance()
            status_shown = "would undo" if options.dry_run and undone.status == "undone" else undone.status
            options.echo(f"  {status_shown:8} {step.step_id}: {undone.detail}")
            if journal is None:
                continue
            if undone.follows is not None:  # journaled once what it goes with is gone
                deferred.setdefault(undone.follows, []).append((step, undone))
                continue
            status = "ok" if undone.ok else undone.status
            journal.append("undo", plan=step.plan_id, step=step.step_id, status=status, detail=undone.detail)
            if made is not None and undone.ok:
                for later, how in deferred.pop(made, []):
                    journal.append(
                        "undo", plan=later.plan_id, step=later.step_id, status="ok", detail=how.detail
                    )
        shown.close()
        if journal is not None:
            for plan_id in plans:
                journal.append("rollback-end", plan=plan_id, ok=result.ok)
        return result
    finally:
        if shown is not None:
            shown.close()  # a run cut short by an error takes its progress line off the terminal first
        if journal is not None:
            journal.close()


def _protection_gap(
    applied: list[Applied], clients: Clients, options: RollbackOptions, own: _Ownership
) -> int:
    """How many opted-out numbers the lists identities go back to lack (read only): copied there first."""
    moves: dict[tuple[str, str, str], set[str]] = {}  # (account, region, destination) -> lists it gets
    for step in applied:
        api = clients.api(step.account, step.region, "read-only", options.echo)
        if step.kind == "set_phone_number_opt_out_list" and step.result.get("previous"):
            moves.setdefault((step.account, step.region, step.result["previous"]), set()).add(
                step.params["OptOutListName"]
            )
        elif step.kind == "update_pool" and (step.result.get("previous") or {}).get("OptOutListName"):
            target = step.result["previous"]["OptOutListName"]
            moves.setdefault((step.account, step.region, target), set()).add(
                step.params.get("OptOutListName", "")
            )
        elif step.kind in ("create_pool", "associate_origination_identity"):
            identity = str(step.params.get("OriginationIdentity", ""))
            pool_list = _pool_list(api, step)
            if ":sender-id/" in identity and pool_list:
                moves.setdefault((step.account, step.region, "Default"), set()).add(pool_list)
    total = 0
    # reading lists runs at 1 page of 100 a second: one unit per destination list, the total fixed first
    shown = Progress("rollback lists compared", len(moves), enabled=options.progress if moves else False)
    try:
        for (account, region, target), sources in sorted(moves.items()):
            api = clients.api(account, region, "read-only", options.echo)
            total += len({n for source in sorted(sources) if source for n in lacking(api, source, target)})
            shown.advance(detail=target)
    finally:
        shown.close()
    return total


def _known_pool(step: Applied, clients: Clients, options: RollbackOptions) -> Applied:
    """A create_pool step the journal does not know finished (killed after CreatePool acted, before its
    answer was journaled): the pool it may have made, found by its `Name` tag and this plan's tags (read only)."""
    if step.kind != "create_pool" or step.result.get("PoolId"):
        return step
    from migrate.apply.kinds.base import ours, tag_list, tags_of
    from migrate.mapping.desired import NAME_KEY

    api = clients.api(step.account, step.region, "read-only", options.echo)
    name = tag_list(step.params.get("Tags")).get(NAME_KEY)
    for pool in api.items("DescribePools", "Pools"):
        tags = tags_of(api, pool["PoolArn"])
        if name and tags.get(NAME_KEY) == name and ours(tags, step.plan_id):
            found = {"PoolId": pool["PoolId"], "PoolArn": pool["PoolArn"]}
            return replace(step, result={**step.result, **found})
    return step


def _pool_list(api: object, step: Applied) -> str:
    from migrate.apply.kinds.pools import describe_pool

    pool_id = str(step.result.get("PoolId") or step.params.get("PoolId") or "")
    pool = describe_pool(api, pool_id) if pool_id else None
    return str((pool or {}).get("OptOutListName") or "")


def _ask(applied: list[Applied], options: RollbackOptions, to_copy: int) -> None:
    creates = sum(1 for a in applied if KINDS[a.kind].spec.creates)
    verb = "would be" if options.dry_run else "are"
    options.echo(
        f"Roll back {len(applied)} applied step(s) of {len({a.plan_id for a in applied})} plan(s), newest first: "
        f"{creates} resource(s) the tool created {verb} deleted, {len(applied) - creates} change(s) reversed; "
        f"first {to_copy} opted-out number(s) {verb} copied onto the lists identities go back to"
        + (" (dry run: the calls are printed, none is made)" if options.dry_run else "")
    )
    if options.dry_run or options.yes:
        return
    if options.confirm is None:
        raise ApplyError(
            "rollback deletes resources and needs a confirmation: pass --yes to roll back without asking"
        )
    if not options.confirm("Roll back these changes?"):
        raise ApplyError("not rolled back: nothing was changed")
