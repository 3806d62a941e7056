"""A sender-ID tenant's copy onto `Default`, broken off and resumed, ends as a clean apply's (issue 12).

A tenant that sends from sender IDs has its verified list copied onto `Default` (sends straight from a
sender ID are checked against `Default`), and the list is tagged with how many entries were copied
(`pinpoint-migrate:default-copy`): a later plan that counts more on the list (a STOP reply after the
cut-over) copies it onto `Default` again. A copy resumed inside the tenant list reads it again from its
start; it tagged the list with what both passes read (77 or 97 for a list of 67), so the next STOPs left the
count below the tag and no plan copied them onto `Default`: a send straight from the sender ID reached them.
The storm and cut-into-runs tests found it as a tag that differed from a clean apply's on some runs.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import botocore.handlers
import pytest

from apply.test_drift import apply, entries, replan
from apply.world import Demo, fill_files, fill_step
from migrate.apply.kinds.base import FillSettings
from migrate.emulator import dispatch
from migrate.mapping.desired import DEFAULT_COPY_KEY

V2 = "pinpoint-sms-voice-v2"
SENDER_LISTS = ("pinpoint-everest-travel", "pinpoint-fjord-energy")
EU = ("everest-travel", "fjord-energy")


def _hook(monkeypatch: pytest.MonkeyPatch, before: Any, after: Any) -> None:
    """Run `before(operation, params)` ahead of the emulator serving a v2 call, `after(...)` once it has."""

    def call(request: Any, event_name: str) -> tuple[str, dict[str, Any]]:
        return event_name.rsplit(".", 1)[-1], json.loads(request.body or b"{}")

    def ahead(request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if "sms-voice" in event_name:
            before(*call(request, event_name))

    def behind(request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if "sms-voice" in event_name:
            after(*call(request, event_name))

    handlers = list(botocore.handlers.BUILTIN_HANDLERS)
    at = handlers.index(("before-send", dispatch._before_send))
    handlers.insert(at + 1, ("before-send", behind))
    handlers.insert(at, ("before-send", ahead))
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", handlers)


def _sources(demo: Demo, name: str) -> set[str]:
    """What the list must hold in a world without late STOPs: its files (export, Default at scan, SNS)."""
    return set().union(*fill_files(demo, fill_step(demo, name)).values())


@pytest.mark.parametrize("kill_at", [12, 31])
def test_a_copy_onto_default_resumed_tags_the_list_with_its_size(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, kill_at: int
) -> None:
    """Kill the copy of Everest's list onto `Default` at its `kill_at`-th put, after checkpoints, resume:
    the tag says how many entries the list had when copied (its size), so a STOP that lands on the list
    after apply is planned onto `Default` by the next plan, and a fresh plan after that is empty."""

    class Kill(KeyboardInterrupt):
        pass

    puts = [0]
    lock = threading.Lock()

    def before(operation: str, params: dict[str, Any]) -> None:
        return None

    def after(operation: str, params: dict[str, Any]) -> None:
        if operation == "PutOptedOutNumber" and params.get("OptOutListName") == "Default":
            with lock:
                puts[0] += 1
                if puts[0] != kill_at:
                    return
            raise Kill("after the put was served")

    _hook(monkeypatch, before, after)
    fill = FillSettings(checkpoint_every=10, progress=False)
    name, stop = "pinpoint-everest-travel", "+447700900123"
    with demo.emulator() as emu:
        with pytest.raises(Kill):
            demo.apply(emu, tenants=EU[:1], max_workers=1, fill=fill)
        puts[0] = -(10**6)  # no more kills
        apply(demo, emu)
        sms = emu.session("eu-west-1").client(V2)
        size = len(entries(sms, name))
        arn = sms.describe_opt_out_lists(OptOutListNames=[name])["OptOutLists"][0]["OptOutListArn"]
        tags = {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=arn)["Tags"]}
        assert size == len(_sources(demo, name))
        assert tags[DEFAULT_COPY_KEY] == str(size), tags
        # a STOP reply after the cut-over lands on the tenant list: the next plan copies it onto Default
        sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=stop)
        counted = replan(demo, emu)
        copies = [s["id"] for s in counted.plan.steps if s["kind"] == "fill_opt_out_list"]
        assert copies and all(c.endswith(f"/{name}/Default") for c in copies), counted.text
        apply(demo, emu, counted.path)
        assert stop in set(entries(sms, "Default"))
        assert replan(demo, emu).plan.steps == []
