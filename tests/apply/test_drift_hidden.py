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
