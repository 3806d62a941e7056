"""Exports of what v2 cannot hold: file layout, JSON content, templates converted to Jinja2 and rendered."""

from __future__ import annotations

import json

import pytest
from plan.demo_inventory import demo_inventory
from plan.factories import World, app_id

from migrate.mapping.events import (
    PINPOINT_RECORD_STATUS,
    V1_TO_V2,
    UnknownEventType,
    stream_event_types,
    to_v2,
    translate,
    v2_event_types,
)
from migrate.mapping.exports import convert_template, render
from migrate.mapping.rules import map_inventory


def test_demo_exports_cover_campaigns_journeys_segments_settings_and_templates() -> None:
    exports = {e.path: e for e in map_inventory(demo_inventory().build()).exports}
    acme = "111122223333/us-east-1/projects/acme-clinics"
    assert any(p.startswith(f"{acme}/campaigns/appointment-reminders-") for p in exports)
    assert any(p.startswith(f"{acme}/journeys/new-patient-onboarding-") for p in exports)
    assert any(p.startswith(f"{acme}/segments/active-patients-") for p in exports)
    settings = json.loads(exports[f"{acme}/app-settings.json"].content)
    assert settings["settings"]["quiet_time"] == {"Start": "21:00", "End": "08:00"}
    assert "111122223333/us-east-1/templates/sms/acme-reminder.j2" in exports
    assert "111122223333/us-east-1/templates/voice/acme-reminder-call.j2" in exports
    assert "111122223333/us-east-1/templates/email/bluebird-newsletter.json" in exports
    assert not any(p.endswith("email/bluebird-newsletter.j2") for p in exports)
    campaign = json.loads(next(e.content for p, e in exports.items() if "/campaigns/spring-sale-" in p))
    assert campaign["campaign"]["name"] == "spring-sale" and campaign["project"] == "Bluebird Retail"


def test_every_converted_demo_template_renders() -> None:
    templates = [e for e in map_inventory(demo_inventory().build()).exports if e.kind == "template"]
    assert len(templates) == 7
    for item in templates:
        text = render(item.content, user_attributes={"FirstName": ["Ada"]})
        assert text.startswith(("Hi Ada, ", "<speak>Hello Ada. ")) and "{" not in text, item.path
        if "/sms/" in item.path:  # the SMS templates carry a default for Attributes.Message
            assert text.endswith("your update is ready. Reply STOP to opt out."), text
        assert text == render(item.content, user_attributes={"FirstName": ["Ada"]})


def test_placeholders_become_jinja2_variables_with_pinpoint_defaults() -> None:
    text, notes = convert_template(
        {
            "Body": "Hi {{User.UserAttributes.FirstName}}, {{ Attributes.Code }} for {{Address}} in "
            "{{Location.City}}. {{#if Attributes.VIP}}VIP{{/if}} 100% {% not jinja %}",
            "DefaultSubstitutions": json.dumps(
                {"User.UserAttributes.FirstName": "there", "Attributes": {"Code": "0"}}
            ),
        }
    )
    assert '{{ user_attributes["FirstName"] | default("there") }}' in text
    assert '{{ attributes["Code"] | default("0") }}' in text
    assert '{{ endpoint["Address"] }}' in text and '{{ endpoint["Location"]["City"] }}' in text
    assert notes == ["not converted: {{#if Attributes.VIP}}", "not converted: {{/if}}"]
    rendered = render(
        text, attributes={"Code": "42"}, endpoint={"Address": "+1206", "Location": {"City": "Oslo"}}
    )
    assert rendered == "Hi there, 42 for +1206 in Oslo. {{#if Attributes.VIP}}VIP{{/if}} 100% {% not jinja %}"
    assert render(text).startswith("Hi there, 0 for  in .")


def test_template_text_cannot_break_out_into_jinja2() -> None:
    body = "A {% endraw %}{{ 7*7 }} B {# c #} {{#each x}}{{this}}{{/each}} {{ Attributes.Name }}"
    text, notes = convert_template({"Body": body})
    assert render(text, attributes={"Name": "Ada"}) == body.replace("{{ Attributes.Name }}", "Ada")
    assert len(notes) == 4
    world = World()
    world.template("x #}{{ 7*7 }}{#", "SMS", "hi")
    (item,) = [e for e in map_inventory(world.build()).exports if e.kind == "template"]
    assert render(item.content) == "hi"


def test_hostile_names_make_safe_unique_paths() -> None:
    world = World()
    aid = world.tenant("../../etc")
    world.campaign(aid, "../../passwd")
    world.campaign(aid, "../../passwd ")
    world.template("a/../../b", "SMS", "x")
    world.template("a-b", "SMS", "y")
    paths = [e.path for e in map_inventory(world.build()).exports]
    assert all(".." not in p and not p.startswith("/") for p in paths)
    assert len(paths) == len(set(paths))
    assert any("/projects/etc/campaigns/passwd-" in p for p in paths)


def test_event_types_translate_to_the_v2_enum() -> None:
    enum = v2_event_types()
    assert set(V1_TO_V2.values()) <= enum and set(PINPOINT_RECORD_STATUS.values()) <= enum
    assert to_v2("INITIATED_CALL") == "VOICE_INITIATED" and to_v2("TEXT_ALL") == "TEXT_ALL"
    assert translate(["COMPLETED_CALL", "INITIATED_CALL", "COMPLETED_CALL"]) == (
        "VOICE_COMPLETED",
        "VOICE_INITIATED",
    )
    assert translate(["VOICE_ALL", "BUSY", "TEXT_SENT"]) == ("TEXT_SENT", "VOICE_ALL")
    assert translate(["ALL", "BUSY"]) == ("ALL",)
    assert stream_event_types() == ("TEXT_ALL",)
    with pytest.raises(UnknownEventType):
        to_v2("_SMS.SUCCESS")


def test_app_settings_export_only_when_something_is_set() -> None:
    world = World()
    aid = world.tenant("Acme Clinics")
    world.settings(aid, quiet_time={}, limits={"Daily": 0}, campaign_hook={"Mode": ""})
    assert not [e for e in map_inventory(world.build()).exports if e.kind == "app_settings"]
    assert app_id("Acme Clinics") == aid
