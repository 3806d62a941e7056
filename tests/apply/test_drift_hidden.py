"""Drift hidden by new STOPs (issue 12): a list that lost N entries and gained N STOP replies since it was
verified holds as many entries as then, so a plan comparing counts saw nothing. The live scan pages through
every entry anyway (no count API), and each carries its `OptedOutTimestamp`: apply's verify tags the newest
one it saw (`pinpoint-migrate:verified-through`), and the plan counts only the entries no newer than that
against the verified count. No call is added; the lost numbers are refilled and the list is whole again."""

from __future__ import annotations

import pytest

from apply.test_drift import apply, delete, entries, replan, verify
from apply.world import Demo
from migrate.mapping.desired import VERIFIED_COUNT_KEY, VERIFIED_THROUGH_KEY

V2 = "pinpoint-sms-voice-v2"
NEW_STOPS = {"us-east-1": "+1206555097{}", "eu-west-1": "+44770090097{}"}


@pytest.mark.parametrize(
    ("region", "name", "lost"),
    [("us-east-1", "pinpoint-cobalt-bank", 3), ("eu-west-1", "pinpoint-everest-travel", 1)],
)
def test_entries_lost_while_as_many_stops_came_are_refilled(
    demo: Demo, region: str, name: str, lost: int
) -> None:
    with demo.emulator() as emu:
        apply(demo, emu)
        sms = emu.session(region).client(V2)
        arn = sms.describe_opt_out_lists(OptOutListNames=[name])["OptOutLists"][0]["OptOutListArn"]
        tags = {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=arn)["Tags"]}
        before = entries(sms, name)
        assert tags[VERIFIED_COUNT_KEY] == str(len(before)) and tags[VERIFIED_THROUGH_KEY].isdigit()
        gone = before[1 : 1 + lost]
        delete(emu, region, name, gone)
        for i in range(lost):  # STOP replies after the cut-over: as many as were lost
            sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=NEW_STOPS[region].format(i))
        assert len(entries(sms, name)) == len(before)  # the count alone says nothing happened

        refill = replan(demo, emu)
        assert (
            f"{lost} entries lost since verified ({len(before) - lost} of {len(before)} left, {lost} newer)"
            in (refill.text)
        ), refill.text
        assert any(s["kind"] == "fill_opt_out_list" for s in refill.plan.steps)
        apply(demo, emu, refill.path)
        assert set(gone) <= set(entries(sms, name))
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []


def test_a_copied_stop_lost_while_another_came_is_refilled_and_the_new_one_copied(demo: Demo) -> None:
    """A sender-ID tenant's list after the cut-over: STOP S1 comes and is copied onto Default; then S1 is
    deleted from the list and STOP S2 comes. The count of the list equals the copy's, and S1 is newer than
    the verify: only the copy's time (`pinpoint-migrate:default-copy-through`) shows that one entry it copied
    is gone (refilled) and one came since (copied onto Default, which guards a send from the sender ID)."""
    name, s1, s2 = "pinpoint-everest-travel", "+447700900981", "+447700900982"
    with demo.emulator() as emu:
        apply(demo, emu)
        sms = emu.session("eu-west-1").client(V2)
        sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=s1)
        copy = replan(demo, emu)
        apply(demo, emu, copy.path)
        assert s1 in set(entries(sms, "Default"))
        size = len(entries(sms, name))
        delete(emu, "eu-west-1", name, [s1])
        sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=s2)
        assert len(entries(sms, name)) == size

        refill = replan(demo, emu)
        assert "1 entries lost since copied to Default" in refill.text, refill.text
        apply(demo, emu, refill.path)
        assert {s1, s2} <= set(entries(sms, name)) and s2 in set(entries(sms, "Default"))
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []
