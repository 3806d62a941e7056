"""Preflight before the first write (issue 12, case 6): a missing or changed opt-outs file found at its
fill step came after other steps had written; apply must refuse before any mutating call."""

from __future__ import annotations

import pytest

from apply.world import V2, Demo, mutating
from migrate.apply.errors import ApplyError


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_missing_or_changed_source_file_is_refused_before_any_write(demo: Demo, damage: str) -> None:
    files = sorted((demo.root / "migration" / "optouts").glob("*.csv"))
    target = next(f for f in files if not f.name.endswith(".rejects.csv"))
    if damage == "missing":
        target.unlink()
    else:
        target.write_text(target.read_text() + "+12065550999\n")
    with demo.emulator() as emu:
        mark = len(emu.calls)
        with pytest.raises(ApplyError, match=target.name):
            demo.apply(emu)
        assert mutating(emu.calls[mark:]) == []
    assert not demo.journal.exists() or "apply-start" not in demo.journal.read_text()


def test_a_resumed_apply_refuses_what_moved_since_and_accepts_what_it_did_itself(demo: Demo) -> None:
    """Resuming skips the fresh apply's stale-plan scan (the tool's own writes changed the state): the
    preflight reads what the pending steps touch, accepts the first run's own lists, pools and switches
    (journal and tags), and names everything else that is not where the plan expects it."""
    with demo.emulator() as emu:
        assert demo.apply(emu, tenants=("everest-travel",)).ok  # its list, pool, switched number: ours
        east = emu.session("us-east-1").client(V2)
        west = emu.session("eu-west-1").client(V2)
        plan = demo.plan()
        number = {
            s["tenants"][0]: s["parameters"]["PhoneNumberId"]
            for s in plan.steps
            if s["kind"] == "set_phone_number_opt_out_list"
        }
        east.create_opt_out_list(OptOutListName="pinpoint-acme-clinics")  # someone else made it
        east.create_opt_out_list(OptOutListName="elsewhere")
        east.update_phone_number(PhoneNumberId=number["cobalt-bank"], OptOutListName="elsewhere")
        east.create_pool(
            OriginationIdentity=number["bluebird-retail"], IsoCountryCode="US", MessageType="PROMOTIONAL"
        )
        west.release_sender_id(SenderId="FJORDEN", IsoCountryCode="IN")
        before = demo.journal.read_bytes()
        mark = len(emu.calls)
        with pytest.raises(ApplyError) as refused:
            demo.apply(emu)
        assert mutating(emu.calls[mark:]) == []
    text = str(refused.value)
    assert demo.journal.read_bytes() == before  # not even an apply-start
    assert "opt-out list pinpoint-acme-clinics already exists (not made by this plan)" in text
    assert f"phone number {number['cobalt-bank']} answers to opt-out list elsewhere" in text
    assert f"phone number {number['bluebird-retail']} is in pool" in text
    assert "sender ID FJORDEN (IN) does not exist" in text
    assert "everest" not in text  # what the first run did itself is accepted
    assert text.endswith("nothing was applied")
