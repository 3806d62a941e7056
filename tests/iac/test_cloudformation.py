"""CloudFormation output: cfn-lint finds nothing in any template; imports are complete and self-contained."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iac import worlds
from iac.helpers import files, lint_findings, region_of, templates
from migrate.iac.cloudformation import IDENTIFIERS, TYPES

WORLDS = {"demo": worlds.demo, "applied": worlds.applied, "mixed": worlds.mixed, "hostile": worlds.hostile}


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    return {name: files(make(), "cloudformation") for name, make in WORLDS.items()}


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_cfn_lint_finds_nothing_in_any_template(rendered: dict[str, dict[str, str]], world: str) -> None:
    found = {
        name: lint_findings(text, region_of(name))
        for name, text in rendered[world].items()
        if name.endswith("template.json")
    }
    assert found and all(v == [] for v in found.values()), found


def test_cfn_lint_is_not_vacuous(rendered: dict[str, dict[str, str]]) -> None:
    name = "111122223333-us-east-1.template.json"
    template = json.loads(rendered["mixed"][name])
    pool = next(r for r in template["Resources"].values() if r["Type"] == "AWS::SMSVOICE::Pool")
    del pool["Properties"]["MandatoryKeywords"]
    pool["Properties"]["OptOutListName"] = {"Ref": "NoSuchList"}
    rules = {rule for rule, _ in lint_findings(json.dumps(template), "us-east-1")}
    assert {"E3003", "E1020"} <= rules


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        if "Ref" in value:
            return {value["Ref"]}
        if "Fn::GetAtt" in value:
            return {value["Fn::GetAtt"][0]}
        return {r for v in value.values() for r in _refs(v)}
    if isinstance(value, list):
        return {r for v in value for r in _refs(v)}
    return set()


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_every_reference_names_a_resource_or_parameter_of_its_template(
    rendered: dict[str, dict[str, str]], world: str
) -> None:
    for name, template in templates(rendered[world]).items():
        known = set(template["Resources"]) | set(template.get("Parameters", {}))
        assert _refs(template["Resources"]) <= known, name
        assert set(template.get("Parameters", {})) <= _refs(template["Resources"]), name


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_the_import_pair_covers_exactly_what_exists(rendered: dict[str, dict[str, str]], world: str) -> None:
    out = rendered[world]
    for name in (n for n in out if n.endswith(".resources-to-import.json")):
        slug = name.removesuffix(".resources-to-import.json")
        entries = json.loads(out[name])
        full = json.loads(out[f"{slug}.template.json"])["Resources"]
        importing = json.loads(out[f"{slug}.import.template.json"])
        assert "Outputs" not in importing
        assert [e["LogicalResourceId"] for e in entries] == list(importing["Resources"])
        # An import template stands alone: no resource of it refers to another (only to parameters).
        assert _refs(importing["Resources"]) <= set(importing.get("Parameters", {}))
        for entry in entries:
            body = importing["Resources"][entry["LogicalResourceId"]]
            assert body["Type"] == entry["ResourceType"] == full[entry["LogicalResourceId"]]["Type"]
            assert body["DeletionPolicy"] == body["UpdateReplacePolicy"] == "Retain"
            kind = next(k for k, t in TYPES.items() if t == entry["ResourceType"])
            assert set(entry["ResourceIdentifier"]) == set(IDENTIFIERS[kind])
            for prop, value in entry["ResourceIdentifier"].items():
                if prop in body["Properties"]:
                    assert body["Properties"][prop] == value
        numbers = {
            k
            for k, r in full.items()
            if r["Type"] in ("AWS::SMSVOICE::PhoneNumber", "AWS::SMSVOICE::SenderId")
        }
        assert numbers <= {e["LogicalResourceId"] for e in entries}, (
            "numbers and sender IDs are never created"
        )


def test_an_applied_plan_imports_everything_as_it_is(rendered: dict[str, dict[str, str]]) -> None:
    out = rendered["applied"]
    entries = json.loads(out["111122223333-us-east-1.resources-to-import.json"])
    assert {e["ResourceType"] for e in entries} == set(TYPES.values())
    pool = next(e for e in entries if e["ResourceType"] == "AWS::SMSVOICE::Pool")
    assert pool["ResourceIdentifier"] == {"PoolId": "pool-0a1b2c3d4e5f"}
    full = json.loads(out["111122223333-us-east-1.template.json"])["Resources"]
    importing = json.loads(out["111122223333-us-east-1.import.template.json"])["Resources"]
    assert set(full) == set(importing)
    config = importing["ConfigurationSetPinpointAcmeClinics"]["Properties"]
    assert config["EventDestinations"][0]["KinesisFirehoseDestination"] == {
        "DeliveryStreamArn": worlds.FIREHOSE,
        "IamRoleArn": worlds.ROLE,
    }
    number = full["PhoneNumberPhoneE5aeb733f188fdcf23277820f35fd475"]["Properties"]
    assert number["MandatoryKeywords"]["STOP"] == {"Message": "Acme: you will get no more messages"}
    assert number["OptionalKeywords"] == [{"Keyword": "JOIN", "Message": "Welcome back", "Action": "OPT_IN"}]
    assert number["OptOutListName"] == {"Ref": "OptOutListPinpointAcmeClinics"}


def test_created_resources_reference_each_other_and_blocked_ones_are_left_out(
    rendered: dict[str, dict[str, str]],
) -> None:
    out = rendered["mixed"]
    full = json.loads(out["111122223333-us-east-1.template.json"])["Resources"]
    pool = full["PoolPinpointAcmeClinics"]["Properties"]
    assert pool["OptOutListName"] == {"Ref": "OptOutListPinpointAcmeClinics"}
    assert pool["OriginationIdentities"] == [
        {"Fn::GetAtt": ["PhoneNumberPhoneE5aeb733f188fdcf23277820f35fd475", "Arn"]},
        {"Fn::GetAtt": ["SenderIdACMEUS", "Arn"]},
    ]
    assert "PoolPinpointCobaltBank" not in full and "PoolPinpointDeltaLogistics" not in full
    bluebird = full["ConfigurationSetPinpointBluebirdRetail"]["Properties"]
    assert "EventDestinations" not in bluebird
    short_code_pool = full["PoolPinpointBluebirdRetail"]["Properties"]
    assert short_code_pool["OriginationIdentities"][0].endswith(":phone-number/" + _phone("22233"))
    assert set(short_code_pool["MandatoryKeywords"]["HELP"]["Message"]) == {"Ref"}
    readme = out["README.md"]
    for code in ("EVENT_STREAM_KINESIS_UNSUPPORTED", "ORIGINATION_IDENTITY_SHARED"):
        assert code in readme
    assert "pool `pinpoint-cobalt-bank`" in readme and "SHORT_CODE" in readme


def test_opt_out_lists_are_retained_and_an_updated_list_keeps_its_live_tags(
    rendered: dict[str, dict[str, str]],
) -> None:
    full = json.loads(rendered["mixed"]["111122223333-us-east-1.template.json"])["Resources"]
    lists = {k: r for k, r in full.items() if r["Type"] == "AWS::SMSVOICE::OptOutList"}
    assert len(lists) == 4 and all(r["DeletionPolicy"] == "Retain" for r in lists.values())
    tags = {t["Key"]: t["Value"] for t in lists["OptOutListPinpointAcmeClinics"]["Properties"]["Tags"]}
    assert tags["team"] == "sms" and "pinpoint-migrate:contents" in tags


def test_hostile_tags_survive_as_data(rendered: dict[str, dict[str, str]]) -> None:
    full = json.loads(rendered["hostile"]["111122223333-us-east-1.template.json"])["Resources"]
    tags = {t["Key"]: t["Value"] for t in full["OptOutListPinpointAcmeClinics"]["Properties"]["Tags"]}
    for key, value in worlds.HOSTILE_TAGS.items():
        assert tags[key] == value


def _phone(number: str) -> str:
    from plan.factories import phone_id

    return phone_id(number)
