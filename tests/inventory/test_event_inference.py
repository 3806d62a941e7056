"""When GetEventStream is refused, the scan infers each project's former stream from CloudTrail and IAM."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.inventory.event_inference import infer
from migrate.inventory.records import PinpointApp
from migrate.inventory.run import ScanOptions, run_scan

STREAMED = {t.name: t.event_stream.split(":")[1] for t in spec.TENANTS if t.event_stream}


def _scan(tmp_path: Path, now: str, days: int) -> dict:
    with Emulator.demo() as emu:
        emu.faults.fail("GetEventStream", "ForbiddenException", times=10_000, message="retired")
        outcome = run_scan(
            ScanOptions(
                out_dir=tmp_path, regions=spec.REGIONS, progress=False, now=now, cloudtrail_days=days
            ),
            emulator=emu,
        )
    names = {a.app_id: a.name for a in outcome.inventory.of("pinpoint_apps")}
    return {
        "inferred": {names[i.app_id]: i for i in outcome.inventory.of("inferred_event_streams")},
        "sections": {
            (s.region, s.name): s for s in outcome.inventory.sections if s.name.startswith("events.")
        },
        "streams": outcome.inventory.of("event_streams"),
    }


def test_iam_roles_and_cloudtrail_name_the_former_streams(tmp_path: Path) -> None:
    # the demo's streams were put on 2026-06-01: a look-back that covers that day finds them in CloudTrail
    found = _scan(tmp_path, "2026-07-01T00:00:00Z", 90)
    assert found["streams"] == []
    assert set(found["inferred"]) == set(STREAMED)
    for name, stream in STREAMED.items():
        item = found["inferred"][name]
        assert item.destination_arn.endswith("/" + stream)
        assert item.evidence[0].startswith("CloudTrail: PutEventStream at 2026-06-01")
        assert any(e.startswith("IAM: role ") for e in item.evidence)
        assert item.role_arn.startswith(f"arn:aws:iam::{spec.ACCOUNT}:role/")
        assert "pinpoint.amazonaws.com" in item.role_trusts
    assert {s.status for s in found["sections"].values()} == {"ok"}


def test_without_cloudtrail_the_roles_alone_still_infer(tmp_path: Path) -> None:
    found = _scan(tmp_path, spec.DEMO_NOW, 0)
    assert set(found["inferred"]) == set(STREAMED)
    assert all(not e.startswith("CloudTrail") for i in found["inferred"].values() for e in i.evidence)
    assert ("us-east-1", "events.iam_roles") in found["sections"]


def _app(name: str, app_id: str) -> PinpointApp:
    return PinpointApp(
        "111122223333",
        "us-east-1",
        app_id,
        name,
        f"arn:aws:mobiletargeting:us-east-1:111122223333:apps/{app_id}",
    )


def _role(stream: str, role: str = "pinpoint-writer") -> dict:
    return {
        "role_arn": f"arn:aws:iam::111122223333:role/{role}", "role_name": role,
        "trusts": ["pinpoint.amazonaws.com"], "action": "firehose:PutRecordBatch",
        "stream": f"arn:aws:firehose:us-east-1:111122223333:deliverystream/{stream}",
    }  # fmt: skip


@pytest.mark.parametrize(
    "stream, owner",
    [
        ("acme-events", "Acme Clinics"),
        ("events-acme-prod", "Acme Clinics"),
        ("shared-events", None),  # no project word: not tied to anyone
        ("acme-bluebird", None),  # two projects match: ambiguous, not tied
        ("a1b2c3d4e5f60718293a4b5c6d7e8f90-events", "Bluebird Retail"),  # the app id
    ],
)
def test_a_role_is_tied_to_one_project_or_to_none(stream: str, owner: str | None) -> None:
    apps = [_app("Acme Clinics", "0" * 32), _app("Bluebird Retail", "a1b2c3d4e5f60718293a4b5c6d7e8f90")]
    found = infer(apps, [_role(stream)], [])
    assert [next(a.name for a in apps if a.app_id == i.app_id) for i in found] == ([owner] if owner else [])


def test_cloudtrail_ties_a_stream_no_name_reveals() -> None:
    apps = [_app("Acme Clinics", "0" * 32)]
    call = {"app_id": "0" * 32, "stream": _role("x")["stream"], "role_arn": "", "when": "2026-09-01T00:00:00Z",
            "who": "arn:aws:iam::111122223333:user/ops"}  # fmt: skip
    (found,) = infer(apps, [_role("x")], [call])
    assert found.evidence == (
        "CloudTrail: PutEventStream at 2026-09-01T00:00:00Z by arn:aws:iam::111122223333:user/ops",
    )


def test_a_policy_without_a_named_stream_is_no_evidence(tmp_path: Path) -> None:
    with Emulator.demo() as emu:
        iam = boto3.client("iam", region_name="us-east-1")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "pinpoint.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        iam.create_role(RoleName="wide-acme", AssumeRolePolicyDocument=json.dumps(trust))
        iam.put_role_policy(
            RoleName="wide-acme",
            PolicyName="p",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "firehose:*", "Resource": "*"}],
                }
            ),
        )
        emu.faults.fail("GetEventStream", "ForbiddenException", times=10_000, message="retired")
        outcome = run_scan(ScanOptions(out_dir=tmp_path, regions=spec.REGIONS, progress=False), emulator=emu)
    assert all(
        "wide-acme" not in e for i in outcome.inventory.of("inferred_event_streams") for e in i.evidence
    )
