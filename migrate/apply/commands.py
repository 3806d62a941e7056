"""`apply`, `verify` and `rollback` as library calls (the click wiring lives in `migrate.cli_apply`).

`run_apply` refuses what must not run (a damaged or tampered plan, another account, a stale live state,
a journal held by another run), shows what it will do and asks, then runs the steps that the journal
does not already record as done. Re-running it, or running it after a crash, is always safe: done steps
are skipped without a call, and a step caught mid-way looks its resource up before acting again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.clients import AwsOptions, Clients
from migrate.apply.dryrun import Mode
from migrate.apply.errors import ApplyError
from migrate.apply.executor import Execution, Executor, StepOutcome
from migrate.apply.journal import Journal, read_journal
from migrate.apply.kinds import StepRun
from migrate.apply.kinds.base import FillSettings, change_of
from migrate.apply.late import LateOptOuts
from migrate.apply.preflight import ApiFor, Preflight, sources_problems
from migrate.apply.rollback import RollbackOptions, RollbackResult, run_rollback
from migrate.apply.selection import SHARD_IDLE, scope_note, select_steps, step_tenants, tenant_names
from migrate.apply.shards import shard_path, shard_scope
from migrate.apply.stale import check_accounts, is_current, refresh, scan_live, stale_error
from migrate.apply.state import PlanState, plan_state
from migrate.apply.verify import VerifyOptions, VerifyResult, run_verify
from migrate.emulator import Emulator
from migrate.plan.planfile import Plan, load_plan

__all__ = [
    "ApplyOptions",
    "ApplyResult",
    "AwsOptions",
    "RollbackOptions",
    "RollbackResult",
    "VerifyOptions",
    "VerifyResult",
    "run_apply",
    "run_rollback",
    "run_verify",
]


@dataclass
class ApplyOptions:
    plan_path: Path
    aws: AwsOptions = field(default_factory=AwsOptions)
    journal_path: Path | None = None  # default: journal.jsonl beside the plan
    data_dir: Path | None = None  # the scan's folder (optouts/, inventory.json); default: the plan's folder
    dry_run: bool = False
    resume: bool = False
    refresh: bool = False
    yes: bool = False
    max_workers: int = 4
    confirm: Callable[[str], bool] | None = None
    echo: Callable[[str], None] = print
    fill: FillSettings = field(default_factory=FillSettings)
    after_step: Callable[[StepOutcome], None] | None = None
    tenants: tuple[str, ...] = ()  # --tenant (repeatable): only these tenants and the shared steps they need
    wave: str | None = None  # --wave FILE[:NAME]
    wave_name: str | None = None


@dataclass
class ApplyResult:
    plan_id: str
    journal: Path
    execution: Execution = field(default_factory=Execution)
    already_done: int = 0
    dry_run: bool = False
    not_done: list[str] = field(default_factory=list)  # tenants left without part of their migration, why

    @property
    def ok(self) -> bool:
        return self.execution.ok

    def summary(self) -> list[str]:
        run = self.execution
        lines = [
            f"plan {self.plan_id}: {run.count('ok')} step(s) {'shown (dry run: none applied)' if self.dry_run else 'applied'}, "
            f"{run.count('failed')} failed, "
            f"{run.count('not-run')} not run, {self.already_done} done earlier (journal {self.journal})"
        ]
        for outcome in run.outcomes:
            if outcome.status == "failed":
                lines.append(f"  FAILED {outcome.step_id}: {outcome.error}")
        if not run.ok:
            lines.append("fix what failed and run apply again: done steps are skipped")
        lines.append(
            "not done: " + "; ".join(self.not_done)
            if self.not_done
            else "not done: nothing (every tenant's steps ran)"
        )
        return lines


def _paths(options: ApplyOptions) -> tuple[Path, Path]:
    folder = Path(options.plan_path).parent
    journal = options.journal_path or shard_path(folder / "journal.jsonl", options.aws.sessions.shard)
    return journal, (options.data_dir or folder)


def _pending(plan: Plan, state: PlanState, write: Callable[..., Any] | None) -> list[dict[str, Any]]:
    """The steps to run: not done yet; a fill is redone when the check of its list failed last time."""
    kinds = {s["id"]: s["kind"] for s in plan.steps}
    for step in plan.steps:
        if step["kind"] == "verify_opt_out_list" and state.failed(step["id"]):
            for dep in step["depends_on"]:
                if kinds.get(dep) == "fill_opt_out_list" and state.done(dep):
                    state.status.pop(dep, None)
                    state.checkpoints.pop(dep, None)
                    if write is not None:
                        write("reset", plan=plan.plan_id, step=dep, reason=f"{step['id']} failed")
    return [s for s in plan.steps if not state.done(s["id"])]


def _ask(plan: Plan, steps: list[dict[str, Any]], done: int, journal: Path, options: ApplyOptions) -> None:
    kinds = Counter(s["kind"] for s in steps)
    text = "\n".join(
        [
            f"Apply plan {plan.plan_id} to account(s) {', '.join(plan.data['accounts'])}, regions "
            f"{', '.join(plan.data['regions'])}:",
            f"  {len(steps)} step(s) to run ({done} done earlier), journal {journal}",
            *(f"    {n:4d}  {k}" for k, n in sorted(kinds.items())),
        ]
    )
    destructive = [s["id"] for s in steps if s.get("destructive")]
    if destructive:
        text += f"\n  {len(destructive)} of them delete or replace something: {', '.join(destructive[:5])}"
    options.echo(text)
    if options.yes:
        return
    if options.confirm is None:
        raise ApplyError("apply changes AWS and needs a confirmation: pass --yes to apply without asking")
    if not options.confirm("Apply these changes?"):
        raise ApplyError("not applied: nothing was changed")


def _not_done(plan: Plan, execution: Execution) -> list[str]:
    """Per tenant, what apply did not do: blocked resources (the plan's blockers) and failed or skipped steps."""
    names = {t["slug"]: t["name"] for t in plan.data["tenants"]}
    why: dict[str, list[str]] = {}
    for change in plan.changes:
        if change.get("action") == "blocked":
            for slug in change.get("tenants") or ():
                why.setdefault(slug, []).append(f"{change['resource_type']} {change['name']} blocked")
    tenants_of = {s["id"]: s.get("tenants") or () for s in plan.steps}
    for outcome in execution.outcomes:
        if outcome.status != "ok":
            for slug in tenants_of.get(outcome.step_id, ()):
                why.setdefault(slug, []).append(f"{outcome.kind} {outcome.status}")
    return [
        f"{names.get(slug, slug)} ({', '.join(sorted(set(items))[:4])}{', ...' if len(set(items)) > 4 else ''})"
        for slug, items in sorted(why.items())
    ]


def _preflight(
    plan: Plan, steps: list[dict[str, Any]], state: PlanState, data_dir: Path, api_for: ApiFor
) -> None:
    """Before the first write: every source file a pending fill reads is there and is what the plan saw
    (sha256), and every list, configuration set, pool, number and sender ID the pending steps touch is where
    the plan expects it (or where an earlier run of this plan put it); else refuse with nothing written."""
    problems = sources_problems(steps, data_dir) + Preflight(
        plan.steps, state, plan.plan_id, api_for
    ).problems(steps)
    if len(problems) == 1:
        raise ApplyError(f"{problems[0]}; nothing was applied")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:40])
        more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
        raise ApplyError(
            f"plan {plan.plan_id} does not fit what is there ({len(problems)} problems):\n{listed}{more}\n"
            "nothing was applied"
        )


def _ran_idle(write: Callable[..., Any], whole: Plan, why: str) -> None:
    """A shard's apply that had nothing to do still leaves its journal (`SHARD_IDLE`): every shard that ran
    has one, so the report can tell a shard that did nothing from one whose journal is missing, and
    rollback of each shard (as CI runs it) finds a journal; it names every tenant of the plan, so
    `rollback --tenant` of any shard knows the names."""
    write(SHARD_IDLE, plan=whole.plan_id, reason=why, tenant_names=tenant_names(whole.data["tenants"]))


# Step kinds whose first call can leave an exposed resource until their second: finished first on resume.
HEAL_FIRST = ("create_pool",)

# The operations whose raised rate matters to an apply (the long opt-out fill and its checks).
RATED_OPERATIONS = ("PutOptedOutNumber", "DescribeOptedOutNumbers")


def run_apply(options: ApplyOptions, *, emulator: Emulator | None = None) -> ApplyResult:
    shard = options.aws.sessions.shard
    whole = load_plan(Path(options.plan_path))
    # --shard K/N: that share of the plan; --tenant/--wave names are the whole plan's
    plan, selection, idle = shard_scope(whole, shard, options.tenants, options.wave, options.wave_name)
    journal_path, data_dir = _paths(options)
    if shard is not None and options.refresh:
        raise ApplyError("--refresh re-plans every account of the plan: run it without --shard/--processes")
    if idle:  # an empty share is a success with nothing done, and no AWS call
        options.echo(f"{idle}: nothing to do")
        if not options.dry_run:
            with Journal.open(journal_path) as idle_journal:
                _ran_idle(idle_journal.append, whole, idle)
        return ApplyResult(plan.plan_id, journal_path, dry_run=options.dry_run)
    clients = Clients(options.aws, emulator)
    check_accounts(plan, list(clients.accounts))
    journal: Journal | None = None
    if options.dry_run:
        found = read_journal(journal_path)
        records = found.records
        notes = [found.torn] if found.torn else []
    else:
        journal = Journal.open(journal_path)
        records, notes = journal.records, journal.notes
    try:
        for note in notes:
            options.echo(f"note: {note}")
        state = plan_state(records, plan.plan_id)
        if options.resume and not state.seen:
            raise ApplyError(
                f"--resume: {journal_path} holds no apply of plan {plan.plan_id}; run apply without --resume"
            )
        if state.started is None or options.refresh:
            live = scan_live(plan, options.aws.scan_options(), emulator)
            if not is_current(plan, live):
                if not options.refresh:
                    raise stale_error(plan, Path(options.plan_path), live, data_dir)
                # Never apply what nobody reviewed (and never replace the reviewed file): write the
                # refreshed plan beside it and stop; applying it is a separate, reviewed step.
                fresh = refresh(plan, Path(options.plan_path), live, data_dir)
                raise ApplyError(
                    f"the live state changed since plan {plan.plan_id}: re-planned into {fresh.path} "
                    f"({len(fresh.plan.steps)} step(s)); nothing was applied. Review it "
                    f"(`pinpoint-migrate plan show {fresh.path}`) and run `pinpoint-migrate apply {fresh.path}`"
                )
        else:
            options.echo(
                f"resuming plan {plan.plan_id} (started {state.started.get('at', '?')}): done steps are skipped, "
                "a step caught mid-way looks its resource up again"
            )
        write = journal.append if journal is not None else None
        chosen = select_steps(plan.steps, selection)
        scope = {s["id"] for s in chosen.steps}
        steps = [s for s in _pending(plan, state, write) if s["id"] in scope]
        done = len(scope) - len(steps)
        if not selection.everything:
            options.echo(scope_note(selection, chosen))
        result = ApplyResult(plan.plan_id, journal_path, already_done=done, dry_run=options.dry_run)
        if not steps:
            options.echo(f"nothing to do: all {len(scope)} step(s) of plan {plan.plan_id} in scope are done")
            if shard is not None and write is not None:
                _ran_idle(write, whole, f"shard {shard[0]}/{shard[1]}: every step in scope is done")
            return result
        mode: Mode = "dry-run" if options.dry_run else "live"
        _preflight(plan, steps, state, data_dir, lambda a, r: clients.api(a, r, mode, options.echo))
        if any(s["kind"] == "fill_opt_out_list" for s in steps):
            places = {(s["account"], s["region"]) for s in steps}
            for note in clients.adopt_service_quotas(places, list(RATED_OPERATIONS)):
                options.echo(note)
        if options.dry_run:
            options.echo(f"dry run of plan {plan.plan_id}: the calls apply would make; none is made")
        else:
            _ask(plan, steps, done, journal_path, options)
            assert write is not None
            write(
                "apply-start", plan=plan.plan_id, integrity=plan.data["integrity"], steps=len(steps),
                selection=selection.record(), step_tenants=step_tenants(plan.steps),
                tenant_names=tenant_names(whole.data["tenants"]),  # every shard's: rollback --tenant names any
            )  # fmt: skip
        changes = {s["id"]: change_of(plan.changes, s) for s in steps}

        late = LateOptOuts(plan.steps, lambda a, r: clients.factory.client(clients.accounts[a], "sns", r))

        def make_run(step: dict[str, Any], params: dict[str, Any]) -> StepRun:
            api = clients.api(step["account"], step["region"], mode, options.echo)
            return StepRun(
                step, params, api, state, plan.plan_id, data_dir, options.echo, write, options.fill,
                changes.get(step["id"], {}), late=late,
            )  # fmt: skip

        executor = Executor(
            make_run,
            state.results,
            write=write,
            plan_id=plan.plan_id,
            max_workers=options.max_workers,
            dry_run=options.dry_run,
            after_step=options.after_step,
            echo=options.echo,
            stop=options.fill.stop,
            progress=options.fill.progress,
        )
        # A multi-call step an earlier run left half done (a pool made but not yet pointed at its list) is
        # completed or undone before anything else runs or is reported (safety invariant 1).
        first = [
            s
            for s in steps
            if s["kind"] in HEAL_FIRST and (state.result(s["id"]) or {}).get("guarded") is False
        ]
        result.execution = executor.run(first) if first else Execution()
        stopped = {o.step_id for o in result.execution.outcomes if o.status != "ok"}
        rest = []
        for step in steps:  # plan order: a step comes after what it depends on
            if step in first:
                continue
            if stopped & set(step["depends_on"]):
                stopped.add(step["id"])
                text = "not run: it depends on a step that failed"
                if write is not None:
                    write("end", plan=plan.plan_id, step=step["id"], status="not-run", error=text)
                result.execution.outcomes.append(StepOutcome(step["id"], step["kind"], "not-run", text))
            else:
                rest.append(step)
        result.execution.outcomes.extend(executor.run(rest).outcomes)
        result.not_done = _not_done(plan, result.execution)
        if write is not None:
            counts = {s: result.execution.count(s) for s in ("ok", "failed", "not-run")}
            write("apply-end", plan=plan.plan_id, **counts)
        return result
    finally:
        if journal is not None:
            journal.close()
