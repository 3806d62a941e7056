"""Terraform output, parsed back with python-hcl2: every resource, every reference, every import block."""

from __future__ import annotations

from typing import Any

import pytest

from iac import worlds
from iac.helpers import files, hcl_text, parse_tf, tf_references, tf_resources
from migrate.iac.reader import build_model
from migrate.iac.terraform import PROVIDER_VERSION, TYPES

WORLDS = {"demo": worlds.demo, "applied": worlds.applied, "mixed": worlds.mixed, "hostile": worlds.hostile}


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, dict[str, Any]]]:
    out = {}
    for name, make in WORLDS.items():
        rendered = files(make(), "terraform")
        out[name] = {path: parse_tf(text) for path, text in rendered.items() if path.endswith(".tf")}
    return out


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_every_model_resource_is_declared_with_its_type_and_imports_match_what_exists(
    parsed: dict[str, dict[str, dict[str, Any]]], world: str
) -> None:
    plan, inventory = WORLDS[world]()
    model = build_model(plan, inventory)
    for place in model.places:
        module = parsed[world][f"{place.slug}/main.tf"]
        declared = tf_resources(module)
        imports = {block["to"].strip("${}"): block["id"] for block in module.get("import", [])}
        assert set(imports) <= set(declared), "every import block targets a declared resource"
        kinds = {t: k for k, t in TYPES.items()}
        counted = {k: 0 for k in TYPES}
        for address in declared:
            counted[kinds[address.split(".")[0]]] += 1
        for kind in TYPES:
            if kind != "keyword":
                assert counted[kind] == len(place.of(kind)), (place.slug, kind)
        owners = place.of("phone_number") + place.of("pool")
        words = sum(2 + len(r.desired.get("optional_keywords", [])) for r in owners)
        assert counted["keyword"] == words
        imported = [r for r in place.resources if r.imported]
        imported_keywords = sum(2 + len(r.desired.get("optional_keywords", [])) for r in owners if r.imported)
        assert len(imports) == len(imported) + imported_keywords
        assert sorted(imports.values()) == sorted(
            [r.import_id for r in imported]
            + [f"{r.import_id},{w}" for r in owners if r.imported for w in ("STOP", "HELP")]
            + [
                f"{r.import_id},{k['keyword']}"
                for r in owners
                if r.imported
                for k in r.desired.get("optional_keywords", [])
            ]
        )
        for address, body in declared.items():
            kind = kinds[address.split(".")[0]]
            if kind in ("phone_number", "sender_id"):
                assert address in imports, "numbers and sender IDs are imported, never created"
            if kind in ("phone_number", "sender_id", "opt_out_list"):
                assert body["lifecycle"][0]["prevent_destroy"] is True


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_every_reference_points_at_a_declared_resource_or_variable(
    parsed: dict[str, dict[str, dict[str, Any]]], world: str
) -> None:
    for path, module in parsed[world].items():
        declared = tf_resources(module)
        variables = {f"var.{name}" for entry in module.get("variable", []) for name in entry}
        used_variables = set()
        for address, body in declared.items():
            for target, attribute in tf_references({k: v for k, v in body.items() if k != "lifecycle"}):
                if target.startswith("var."):
                    used_variables.add(target)
                    continue
                assert target in declared, (path, address, target)
                assert attribute in ("name", "arn", "id"), (address, attribute)
        assert used_variables == variables, path


def test_provider_and_versions_are_pinned_per_account_and_region(
    parsed: dict[str, dict[str, dict[str, Any]]],
) -> None:
    for path, module in parsed["demo"].items():
        slug = path.split("/")[0]
        account, region = slug.split("-", 1)
        (settings,) = module["terraform"]
        assert settings["required_version"] == ">= 1.5.0"
        assert settings["required_providers"][0]["aws"] == {
            "source": "hashicorp/aws",
            "version": PROVIDER_VERSION,
        }
        (provider,) = module["provider"]
        assert provider["aws"] == {"region": region, "allowed_account_ids": [account]}


def test_references_wire_the_pool_to_its_list_numbers_and_keywords(
    parsed: dict[str, dict[str, dict[str, Any]]],
) -> None:
    declared = tf_resources(parsed["mixed"]["111122223333-us-east-1/main.tf"])
    pool = declared["aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics"]
    number = "aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475"
    assert pool["opt_out_list_name"] == "${aws_pinpointsmsvoicev2_opt_out_list.pinpoint_acme_clinics.name}"
    assert pool["origination_identities"] == [
        "${" + number + ".arn}",
        "${aws_pinpointsmsvoicev2_sender_id.acme_us.arn}",
    ]
    assert pool["iso_country_code"] == "US" and pool["message_type"] == "TRANSACTIONAL"
    assert declared[number]["opt_out_list_name"] == pool["opt_out_list_name"]
    stop = declared["aws_pinpointsmsvoicev2_keyword.pinpoint_acme_clinics_stop"]
    assert stop == {
        "origination_identity": "${aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics.id}",
        "keyword": "STOP",
        "keyword_message": "Acme: you will get no more messages",
    }
    join = declared["aws_pinpointsmsvoicev2_keyword.phone_e5aeb733f188fdcf23277820f35fd475_join"]
    assert join["keyword_action"] == "OPT_IN"
    destination = declared[
        "aws_pinpointsmsvoicev2_event_destination.pinpoint_acme_clinics_acme_clinics_events"
    ]
    assert (
        destination["configuration_set_name"]
        == "${aws_pinpointsmsvoicev2_configuration_set.pinpoint_acme_clinics.name}"
    )
    assert destination["kinesis_firehose_destination"] == [
        {"delivery_stream_arn": worlds.FIREHOSE, "iam_role_arn": worlds.ROLE}
    ]
    assert "aws_pinpointsmsvoicev2_pool.pinpoint_cobalt_bank" not in declared
    assert (
        "aws_pinpointsmsvoicev2_event_destination.pinpoint_bluebird_retail_bluebird_retail_events"
        not in declared
    )
    bluebird = declared["aws_pinpointsmsvoicev2_pool.pinpoint_bluebird_retail"]
    assert bluebird["origination_identities"][0].startswith(
        "arn:aws:sms-voice:us-east-1:111122223333:phone-number/"
    )


def test_an_imported_pool_leaves_out_iso_country_code_and_keeps_its_id(
    parsed: dict[str, dict[str, dict[str, Any]]],
) -> None:
    module = parsed["applied"]["111122223333-us-east-1/main.tf"]
    declared = tf_resources(module)
    pool = declared["aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics"]
    assert "iso_country_code" not in pool and pool["message_type"] == "TRANSACTIONAL"
    imports = {b["to"]: b["id"] for b in module["import"]}
    assert imports["${aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics}"] == "pool-0a1b2c3d4e5f"
    assert imports["${aws_pinpointsmsvoicev2_keyword.pinpoint_acme_clinics_stop}"] == "pool-0a1b2c3d4e5f,STOP"
    assert imports["${aws_pinpointsmsvoicev2_sender_id.acme_us}"] == "ACME,US"
    assert (
        imports["${aws_pinpointsmsvoicev2_event_destination.pinpoint_acme_clinics_acme_clinics_events}"]
        == "pinpoint-acme-clinics,acme-clinics-events"
    )
    config = declared["aws_pinpointsmsvoicev2_configuration_set.pinpoint_acme_clinics"]
    assert config["default_sender_id"] == "ACME" and config["default_message_type"] == "TRANSACTIONAL"


def test_hostile_strings_read_back_as_they_were(parsed: dict[str, dict[str, dict[str, Any]]]) -> None:
    declared = tf_resources(parsed["hostile"]["111122223333-us-east-1/main.tf"])
    tags = declared["aws_pinpointsmsvoicev2_opt_out_list.pinpoint_acme_clinics"]["tags"]
    assert {k: hcl_text(v) for k, v in tags.items()} == {
        **worlds.HOSTILE_TAGS,
        "managed-by": "pinpoint-migrate",
    }
