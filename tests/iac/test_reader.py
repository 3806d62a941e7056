"""The model read from a plan: what exists but the inventory does not describe, and live destinations kept."""

from __future__ import annotations

import json
from dataclasses import replace

from iac import worlds
from iac.helpers import files
from migrate.iac.reader import build_model
from migrate.mapping.overrides import parse_overrides
from migrate.plan.commands import compute_plan


def test_what_exists_but_the_inventory_does_not_describe_is_left_out_with_a_rescan_hint() -> None:
    _, live = worlds.applied()
    before = worlds._acme().build()  # the inventory of a scan made before apply
    plan = compute_plan(
        before, parse_overrides(worlds.OVERRIDES), live, inventory_sha256="0" * 64, offline=False
    )
    assert {c["action"] for c in plan.changes} == {"no-op"}
    (place,) = build_model(plan, before).places
    assert place.resources == []
    subjects = {g.subject for g in place.gaps if g.topic == "not described"}
    assert subjects == {
        "opt_out_list pinpoint-acme-clinics",
        "configuration_set pinpoint-acme-clinics",
        "pool pinpoint-acme-clinics",
    }
    readme = files((plan, before), "terraform")["README.md"]
    assert "scan again, plan, and export again" in readme


def test_a_live_destination_the_plan_leaves_alone_stays_in_the_cloudformation_set() -> None:
    plan, inventory = worlds.applied()
    sets = inventory.records["configuration_sets"]
    extra = {
        "name": "legacy-sns",
        "enabled": True,
        "event_types": ["TEXT_FAILED"],
        "firehose": "",
        "log_group": "",
        "sns": "arn:aws:sns:us-east-1:111122223333:legacy",
        "role": "",
    }
    sets[:] = [replace(s, event_destinations=(*s.event_destinations, extra)) for s in sets]
    out = files((plan, inventory), "cloudformation")
    for name in ("111122223333-us-east-1.template.json", "111122223333-us-east-1.import.template.json"):
        template = json.loads(out[name])["Resources"]
        destinations = template["ConfigurationSetPinpointAcmeClinics"]["Properties"]["EventDestinations"]
        assert [d["EventDestinationName"] for d in destinations] == ["acme-clinics-events", "legacy-sns"]
        assert destinations[1]["SnsDestination"] == {"TopicArn": "arn:aws:sns:us-east-1:111122223333:legacy"}
    assert "pinpoint-acme-clinics/legacy-sns" in out["README.md"]
    terraform = files((plan, inventory), "terraform")
    assert "legacy-sns" not in terraform["111122223333-us-east-1/main.tf"]
