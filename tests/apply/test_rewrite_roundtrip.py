"""The demo's sample application, run against the emulator before and after `rewrite`: after, every send is
a v2 SendTextMessage/SendVoiceMessage to the same destination with the same body, naming the tenant's
configuration set and origination; an opted-out destination is refused as before; a second rewrite
changes nothing."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from apply.world import Demo
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.emulator.services.v2.send import sent_messages

APP = Path(__file__).resolve().parents[2] / "migrate" / "demo_app" / "notify_service.py"
FREE = ("+12065550123", "+12065550124")


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop(name, None)
    return module


def _opted_out(emu: Emulator) -> str:
    sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    return str(
        sms.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"][0]["OptedOutNumber"]
    )


def _run(app: ModuleType, blocked: str) -> dict[str, Any]:
    return {
        "reminder": app.appointment_reminder(FREE[0], "Your appointment is at 9"),
        "reminder-opted-out": app.appointment_reminder(blocked, "Your appointment is at 9"),
        "sale": app.sale_announcement(FREE[0], FREE[1], "Spring sale"),
        "call": app.reminder_call(FREE[1], "Your appointment is at 9"),
        "ivr": bool(app.ivr_call(FREE[0], "<speak>Press 1</speak>")),
    }


def test_the_sample_app_sends_the_same_messages_through_v2_after_the_rewrite(
    demo: Demo, tmp_path: Path
) -> None:
    code = tmp_path / "app"
    code.mkdir()
    shutil.copy(APP, code / "notify_service.py")
    original = (code / "notify_service.py").read_text()
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu).ok
        blocked = _opted_out(emu)
        before = _run(_load(code / "notify_service.py", "notify_before"), blocked)
        pinpoint_sent = len(emu.world.table(f"pinpoint:{emu.account_id}:us-east-1:messages"))
    assert before["reminder"] == "SUCCESSFUL" and before["reminder-opted-out"] == "OPT_OUT"
    assert pinpoint_sent >= 5

    out = CliRunner().invoke(cli, ["rewrite", "--code", str(code), "--plan", str(demo.plan_path), "--write"])
    assert out.exit_code == 0, out.output
    assert "4 rewritten" in out.output and "0 left" in out.output
    new = (code / "notify_service.py").read_text()
    assert "send_messages" not in new and "pinpoint-sms-voice-v2" in new
    assert '"OriginationNumber": "+12065550100",  # the clinic' not in new
    assert "# the Pinpoint project of Acme Clinics" in new  # comments and the rest are kept
    patch = demo.plan_path.with_name("rewrite.patch")
    assert f"+++ b/{code}/notify_service.py" in patch.read_text()
    saved = json.loads(demo.plan_path.with_name("rewrite.json").read_text())
    assert {s["status"] for s in saved["sites"]} == {"rewritten"}

    with demo.emulator(persist=True) as emu:
        pinpoint_before = len(emu.world.table(f"pinpoint:{emu.account_id}:us-east-1:messages"))
        v2_before = len(sent_messages(emu, "us-east-1"))
        after = _run(_load(code / "notify_service.py", "notify_after"), blocked)
        assert len(emu.world.table(f"pinpoint:{emu.account_id}:us-east-1:messages")) == pinpoint_before
        sends = sent_messages(emu, "us-east-1")[v2_before:]
        numbers = (
            emu.session("us-east-1").client("pinpoint-sms-voice-v2").describe_phone_numbers()["PhoneNumbers"]
        )
        ids = {n["PhoneNumber"]: n["PhoneNumberId"] for n in numbers}
    assert after == before  # the calling code sees what it saw before, the opted-out number refused
    by_body = {(m["DestinationPhoneNumber"], m["MessageBody"]): m for m in sends}
    reminder = by_body[(FREE[0], "Your appointment is at 9")]
    assert reminder["Channel"] == "TEXT" and reminder["ConfigurationSetName"] == "pinpoint-acme-clinics"
    assert (
        reminder["OriginationIdentity"] == ids["+12065550100"] and reminder["MessageType"] == "TRANSACTIONAL"
    )
    sale = [by_body[(FREE[0], "Spring sale")], by_body[(FREE[1], "Spring sale (members: 10% more)")]]
    assert all(m["ConfigurationSetName"] == "pinpoint-bluebird-retail" for m in sale)
    assert all(
        m["OriginationIdentity"] == ids["+18335550111"] and m["MessageType"] == "PROMOTIONAL" for m in sale
    )
    call = by_body[(FREE[1], "Your appointment is at 9")]
    assert call["Channel"] == "VOICE" and call["VoiceId"] == "JOANNA"
    assert call["ConfigurationSetName"] == "pinpoint-acme-clinics"
    ivr = by_body[(FREE[0], "<speak>Press 1</speak>")]
    assert ivr["MessageBodyTextType"] == "SSML" and ivr["ConfigurationSetName"] == "acme-voice-events"
    assert blocked not in {m["DestinationPhoneNumber"] for m in sends}
    assert len(sends) == 5

    again = CliRunner().invoke(
        cli,
        [
            "rewrite",
            "--code",
            str(code),
            "--plan",
            str(demo.plan_path),
            "--patch",
            str(tmp_path / "again.patch"),
        ],
    )
    assert again.exit_code == 0 and "0 rewritten" in again.output  # idempotent
    assert (code / "notify_service.py").read_text() == new
    # and the patch applies to the original with git apply
    fresh = tmp_path / "fresh"
    (fresh / code.relative_to("/")).parent.mkdir(parents=True)
    shutil.copytree(code, fresh / code.relative_to("/"), dirs_exist_ok=True)
    (fresh / code.relative_to("/") / "notify_service.py").write_text(original)
    subprocess.run(["git", "init", "-q", str(fresh)], check=True)
    relative_patch = (
        patch.read_text()
        .replace(f"a/{code}", f"a/{code.relative_to('/')}")
        .replace(f"b/{code}", f"b/{code.relative_to('/')}")
    )
    (tmp_path / "rel.patch").write_text(relative_patch)
    subprocess.run(["git", "apply", str(tmp_path / "rel.patch")], cwd=fresh, check=True)
    assert (fresh / code.relative_to("/") / "notify_service.py").read_text() == new
