"""Registries walked (STYLE.md 3): finding codes have runbooks that say how to confirm; step kinds have
permissions and real operations; rules are documented."""

from __future__ import annotations

import re
from functools import cache

import botocore.session
import pytest

from migrate.mapping.catalog import CATALOG
from migrate.mapping.rules import RULES, map_inventory
from migrate.plan.steps import STEP_KINDS
from migrate.resources import data_dir
from plan.factories import World

RUNBOOKS = data_dir("runbooks")
SECTIONS = ("## Why", "## Steps", "## AWS documentation", "## Typical duration", "## How to confirm")
CONFIRM_SERVICES = (
    "pinpoint-sms-voice-v2",
    "pinpoint",
    "pinpoint-sms-voice",
    "iam",
    "firehose",
    "cloudtrail",
    "service-quotas",
)


@cache
def operations() -> frozenset[str]:
    session = botocore.session.get_session()
    return frozenset(op for s in CONFIRM_SERVICES for op in session.get_service_model(s).operation_names)


def test_codes_a_person_acts_on_have_runbooks_and_no_runbook_is_orphaned() -> None:
    for code, spec in CATALOG.items():
        if spec.how != "api":
            assert spec.runbook == f"{code}.md", code
        if spec.runbook:
            assert (RUNBOOKS / spec.runbook).is_file(), f"runbooks/{spec.runbook} is missing"
    named = {spec.runbook for spec in CATALOG.values() if spec.runbook}
    assert {p.name for p in RUNBOOKS.glob("*.md")} == named


@pytest.mark.parametrize("code", sorted(c for c, s in CATALOG.items() if s.runbook))
def test_each_runbook_has_its_sections_and_names_the_api_call_that_confirms(code: str) -> None:
    text = (RUNBOOKS / CATALOG[code].runbook).read_text(encoding="utf-8")
    assert text.startswith("# "), code
    for section in SECTIONS:
        assert f"\n{section}\n" in text, f"{code}: no '{section}' section"
    assert "https://docs.aws.amazon.com/" in text.split("## AWS documentation", 1)[1]
    confirm = text.split("## How to confirm", 1)[1]
    named = set(re.findall(r"`([A-Z][A-Za-z]+)`", confirm))
    assert named & operations(), f"{code}: 'How to confirm' names no API operation ({sorted(named)})"


def test_catalog_entries_are_complete() -> None:
    for code, spec in CATALOG.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", code)
        assert spec.title and spec.message and spec.remedy and spec.docs.startswith("https://"), code


def test_every_step_kind_has_permissions_and_a_real_operation() -> None:
    model = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
    for name, kind in STEP_KINDS.items():
        assert kind.grants, f"step kind {name} declares no IAM permission"
        assert all(g.action.startswith(("sms-voice:", "iam:")) for g in kind.grants), name
        assert kind.doc, name
        for grant in kind.grants:
            if grant.action.startswith("sms-voice:"):
                assert grant.action.split(":")[1] in model.operation_names, grant.action
        if kind.operation:
            assert kind.operation in model.operation_names, name
            assert f"sms-voice:{kind.operation}" in {g.action for g in kind.grants}, name
        if kind.creates:
            assert "ClientToken" in model.operation_model(kind.operation).input_shape.members, name


def test_every_rule_is_documented_and_runs() -> None:
    world = World()
    world.tenant("Acme Clinics")
    map_inventory(world.build())
    assert RULES and all(rule.doc for rule in RULES.values())
