"""The property test's failures, shrunk and kept as explicit sequences; and what its checker relies on.

Each sequence replays the state machine's rules in order with the invariant checked after every one, as
hypothesis ran them (`state.apply(fault=...)` in a failure's report becomes `("apply", {"fault": ...})`).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from apply.invariant import world as w
from apply.invariant.chaos import Fault
from apply.invariant.ledger import OPTED_OUT, Direct, send_paths
from apply.invariant.machine import Migration

Step = tuple[str, dict[str, Any]]


def replay(steps: list[Step]) -> Migration:
    machine = Migration()
    try:
        machine.before_anything()
        machine.nobody_opted_out_is_reachable()
        for name, arguments in steps:
            getattr(machine, name)(**arguments)
            machine.nobody_opted_out_is_reachable()
    finally:
        machine.teardown()
    return machine


def test_the_direct_send_answers_as_boto3_does(running: None) -> None:
    """The checker's DryRuns skip botocore's wire round trip: on every path, before and after a whole apply,
    they must give the answer a boto3 DryRun send gets."""
    machine = Migration()
    try:
        sms = machine._v2()
        for moment in ("before", "after"):
            if moment == "after":
                machine.apply(None)
            compared = 0
            for path in send_paths(Direct(machine.emu)):
                for number in sorted(machine.ledger.universe[path.tenant]):
                    direct = machine.api.send(number, path.params)
                    try:
                        sms.send_text_message(
                            DestinationPhoneNumber=number, MessageBody="x", DryRun=True, **path.params
                        )
                        real = "reached"
                    except ClientError as exc:
                        reason = str(exc.response.get("Reason") or exc.response["Error"]["Code"])
                        real = "refused" if reason == OPTED_OUT else f"other:{reason}"
                    assert direct == real, (moment, path.label, number)
                    compared += 1
            assert compared > 50
        labels = {p.label.split(" (")[0] for p in send_paths(Direct(machine.emu))}
        assert {"pool +12065550101", "pool BRAVO/GB", "configuration set, no identity"} <= labels
    finally:
        machine.teardown()


def test_a_whole_apply_leaves_every_opt_out_refused_on_every_migrated_path(running: None) -> None:
    machine = replay([("apply", {"fault": None})])
    assert machine.story[-1].endswith(": ok")
    assert all(machine.ledger.owed[t.name] >= set(t.scanned) for t in w.TENANTS if t.migrated)


@pytest.mark.parametrize("what", ["kill-after CreatePool", "kill-before UpdatePool", "kill-after UpdatePool"])
def test_a_kill_between_the_two_calls_of_a_sender_id_pool_is_healed(running: None, what: str) -> None:
    """Issue 12 case 2: a pool founded by a sender ID starts on Default (CreatePool), then UpdatePool points
    it at the tenant list; a kill -9 around the second call is healed by the next run."""
    machine = Migration()
    try:
        machine.apply(None)  # a whole run, to find where Bravo's two calls are
        calls = [c.operation for c in machine.emu.calls if c.service == w.V2]
    finally:
        machine.teardown()
    update = calls.index("UpdatePool")  # the one pool whose founder is a sender ID needs it
    create = max(i for i in range(update) if calls[i] == "CreatePool")
    kind, operation = what.split()
    at = (create if operation == "CreatePool" else update) + 1
    replay([("apply", {"fault": Fault(at, kind)}), ("apply", {"fault": None})])


def test_rollback_after_drift_and_a_stop_keeps_what_each_path_refused(running: None) -> None:
    """Found by the property test (a checker fix, kept): a number deleted from the tenant list (drift) is
    not on what rollback copies back; it is the tenant's exemption until repair, not another path's."""
    replay(
        [
            ("apply", {"fault": None}),
            ("drift", {"list_name": "pinpoint-alpha", "index": 0}),
            ("stop", {"identity": w.ALPHA_NUMBER, "index": 3}),
            ("rollback", {"fault": None}),
        ]
    )


def test_a_replan_after_a_kill_between_verify_and_the_default_copy_still_copies(running: None) -> None:
    """Found by the property test: apply killed after Bravo's list was verified but before its copy onto
    Default; a re-plan saw the list verified (no-op) and dropped the copy, then pooled the sender ID and
    made it the default sender while Default lacked Bravo's opt-outs (reached from BRAVO directly and from
    the configuration set). The plan now copies onto Default whenever a sender step is still to come."""
    replay(
        [
            ("stop", {"identity": w.DELTA_NUMBER, "index": 4}),
            ("apply", {"fault": Fault(at=53, what="kill-after"), "replan_first": True}),
            ("apply", {"fault": None, "replan_first": True}),
        ]
    )


def test_repair_puts_back_what_was_deleted_from_a_tenant_list(running: None) -> None:
    machine = replay(
        [
            ("apply", {"fault": None}),
            ("drift", {"list_name": "pinpoint-alpha", "index": 0}),
            ("drift", {"list_name": "pinpoint-delta", "index": 1}),
            ("repair", {}),
        ]
    )
    assert machine.ledger.exempt == set(), machine.story


def test_a_stop_between_the_fill_and_the_switch_is_copied_at_the_switch(running: None) -> None:
    """Found by the property test (a non-derandomized run): apply killed at call 84, after Delta's list was
    filled from Default; a recipient replies STOP to Delta's number, still on Default; the resume switches the
    number to Delta's list, which lacks them: reached from the number and from Delta's pool."""
    replay(
        [
            ("apply", {"fault": Fault(at=84, what="kill-before"), "replan_first": True}),
            ("stop", {"identity": w.DELTA_NUMBER, "index": 9}),
            ("apply", {"fault": Fault(at=84, what="kill-before")}),
        ]
    )
