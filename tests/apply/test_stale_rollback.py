"""A rollback of a stale journal (an older copy, or one of another machine) racing an apply, or run after
it, never leaves a sender-ID pool answering to `Default` (issue 12, case 2, third trigger).

The journal's lock keeps two runs off one journal file; it cannot see a copy. So the rules are in the
steps: a pool the tool made never goes back to the list CreatePool gave it (it goes only with its own
deletion), nothing joins a pool of the plan that something moved off its list, and a resumed apply whose
pool was deleted meanwhile refuses before its first write, naming it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apply.world import NOW, Demo, InvariantHook
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, run_rollback
from migrate.apply.executor import StepOutcome
from migrate.apply.journal import read_journal

V2 = "pinpoint-sms-voice-v2"
FJORD_POOL = "111122223333/eu-west-1/create_pool/pinpoint-fjord-energy"


def sender_pools_on_default(emu: Any) -> list[str]:
    """Pools holding a sender ID that answer to Default (a send through them skips the tenant list)."""
    sms = emu.session("eu-west-1").client(V2)
    exposed = []
    for pool in sms.describe_pools()["Pools"]:
        members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
        if pool["OptOutListName"] == "Default" and any(
            ":sender-id/" in m["OriginationIdentityArn"] for m in members
        ):
            exposed.append(pool["PoolId"])
    return exposed


def rollback(demo: Demo, emu: Any, journal: Path) -> Any:
    options = RollbackOptions(
        journal_path=journal, yes=True, echo=lambda _line: None, aws=AwsOptions(now=NOW)
    )
    return run_rollback(options, emulator=emu)


def test_a_stale_rollback_run_after_the_apply_leaves_the_sender_id_pool_on_its_list(demo: Demo) -> None:
    """An older journal that holds the pool's list change but not its creation (a copy that lost its first
    records): rolling it back used to point the live pool at Default."""
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        records = read_journal(demo.journal).records
        update = FJORD_POOL.replace("create_pool", "update_pool")
        stale = demo.root / "older-journal.jsonl"
        stale.write_text("".join(json.dumps(r) + "\n" for r in records if r.get("step") == update))
        stale.chmod(0o600)
        result = rollback(demo, emu, stale)
        assert result.ok, "\n".join(result.summary())
        assert sender_pools_on_default(emu) == []
        hook = InvariantHook(emu, demo)
        hook(StepOutcome("after the stale rollback", "rollback", "ok"))
        assert "pinpoint-fjord-energy" in hook.pools_seen
