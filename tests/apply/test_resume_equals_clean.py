"""Property: however an apply is cut into runs (tenants in any order, a kill at any call, before AWS acted
or after it acted and before the answer came back), resuming until done ends in exactly the state a clean,
uninterrupted apply gives: the same pools, numbers, configuration sets, and the same numbers on every list.

The cases issue 12 found are instances: a sender-ID tenant's fill resumed after another tenant's verified
list had been copied onto `Default` took those copies too (88 entries, not 48); a copy of a tenant list onto
`Default` resumed inside the list tagged it with both passes' reads (`default-copy` 117 for 67 entries, 5 of
37 seeds; `tests/apply/test_default_copy.py` kills it there on purpose). Each example draws its own
sequence of runs from a seed; `PROPERTY_EXAMPLES=N` runs N of them (CI runs a few: each costs seconds).
"""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path
from typing import Any

import botocore.handlers
import pytest

from apply.world import Demo, copy_demo
from migrate.emulator import Emulator, dispatch
from migrate.mapping.desired import DEFAULT_COPY_THROUGH_KEY as COPY_THROUGH
from migrate.mapping.desired import VERIFIED_THROUGH_KEY

V2 = "pinpoint-sms-voice-v2"
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "3"))


class Kill(KeyboardInterrupt):
    """A kill -9 as the test sees it: the run stops inside a call, nothing of it runs on (not an AWS error)."""


class Killer:
    """Stops the run at its n-th v2 call: before the emulator serves it, or after (the answer is lost)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.left: int | None = None
        self.after = False
        self.fired = 0

    def arm(self, calls: int | None, after: bool) -> None:
        with self.lock:
            self.left, self.after = calls, after

    def _tick(self, event_name: str, after: bool) -> None:
        if "sms-voice" not in event_name:
            return
        with self.lock:
            if self.left is None or after != self.after:
                return
            self.left -= 1
            if self.left > 0:
                return
            self.left = None
            self.fired += 1
        raise Kill(event_name)

    def before(self, event_name: str = "", **_kwargs: Any) -> None:
        self._tick(event_name, after=False)

    def after_served(self, event_name: str = "", **_kwargs: Any) -> None:
        self._tick(event_name, after=True)


def v2_state(emu: Emulator, regions: list[str]) -> dict[str, Any]:
    """Everything apply makes, with generated pool ids replaced by the pool's Name tag, and every list's
    numbers in full (not only their count)."""
    state: dict[str, Any] = {}
    for region in regions:
        sms = emu.session(region).client(V2)

        def tags(arn: str) -> list[tuple[str, str]]:
            return sorted((t["Key"], t["Value"]) for t in sms.list_tags_for_resource(ResourceArn=arn)["Tags"])  # noqa: B023

        pools = {
            p["PoolId"]: dict(tags(p["PoolArn"])).get("Name", "?") for p in sms.describe_pools()["Pools"]
        }
        state[f"{region} pools"] = sorted(
            (
                pools[p["PoolId"]], p["OptOutListName"], p["MessageType"], p["Status"],
                sorted(
                    i["OriginationIdentity"]
                    for i in sms.list_pool_origination_identities(PoolId=p["PoolId"])["OriginationIdentities"]
                ),
            )
            for p in sms.describe_pools()["Pools"]
        )  # fmt: skip
        state[f"{region} numbers"] = sorted(
            (n["PhoneNumber"], n["OptOutListName"], pools.get(n.get("PoolId", ""), ""))
            for n in sms.describe_phone_numbers()["PhoneNumbers"]
        )
        lists = {}
        for item in sms.describe_opt_out_lists()["OptOutLists"]:
            numbers = [
                n["OptedOutNumber"]
                for page in sms.get_paginator("describe_opted_out_numbers").paginate(
                    OptOutListName=item["OptOutListName"]
                )
                for n in page["OptedOutNumbers"]
            ]
            # the time of the newest entry a verify saw is a time: it differs from run to run (as entries' do)
            kept = [
                t for t in tags(item["OptOutListArn"]) if t[0] not in (VERIFIED_THROUGH_KEY, COPY_THROUGH)
            ]
            lists[item["OptOutListName"]] = (sorted(numbers), kept)
        state[f"{region} lists"] = lists
        sets = sms.describe_configuration_sets()["ConfigurationSets"]
        for item in sets:  # destinations come in the order they were made, which concurrency decides
            item.pop("CreatedTimestamp", None)
            item["EventDestinations"].sort(key=lambda d: d["EventDestinationName"])
        state[f"{region} sets"] = sorted(json.dumps(c, sort_keys=True, default=str) for c in sets)
    return state


def skip_stale_scan(demo: Demo) -> None:
    """The plan was made against this very world: let apply go on without its (read-only, slow) stale-plan
    scan, as a resumed apply does. What is under test is the end state of the writes."""
    demo.journal.write_text(json.dumps({"event": "apply-start", "plan": demo.plan().plan_id}) + "\n")
    demo.journal.chmod(0o600)


@pytest.fixture(scope="module")
def clean(demo_base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    demo = copy_demo(demo_base, tmp_path_factory.mktemp("clean"))
    skip_stale_scan(demo)
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        return v2_state(emu, demo.plan().data["regions"])


@pytest.fixture
def killer(monkeypatch: pytest.MonkeyPatch) -> Killer:
    found = Killer()
    handlers = list(botocore.handlers.BUILTIN_HANDLERS)
    at = handlers.index(("before-send", dispatch._before_send))
    handlers.insert(at + 1, ("before-send", found.after_served))
    handlers.insert(at, ("before-send", found.before))
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", handlers)
    return found


@pytest.mark.parametrize("seed", range(EXAMPLES))
def test_apply_cut_into_runs_anyhow_ends_as_a_clean_apply(
    demo: Demo, clean: dict[str, Any], killer: Killer, seed: int
) -> None:
    rng = random.Random(seed)
    plan = demo.plan()
    slugs = [t["slug"] for t in plan.data["tenants"]]
    skip_stale_scan(demo)
    runs: list[str] = []
    with demo.emulator() as emu:
        for _ in range(rng.randint(2, 4)):
            tenants = tuple(rng.sample(slugs, rng.randint(1, len(slugs)))) if rng.random() < 0.6 else ()
            calls = rng.randint(1, 400) if rng.random() < 0.8 else None
            after = rng.random() < 0.5
            killer.arm(calls, after)
            try:
                outcome = demo.apply(emu, tenants=tenants, max_workers=rng.choice([1, 2, 6]))
                runs.append(f"{tenants or 'all'}: {'ok' if outcome.ok else 'failed'}")
            except Kill as kill:
                runs.append(
                    f"{tenants or 'all'}: killed at call {calls} ({'after' if after else 'before'} {kill})"
                )
        killer.arm(None, False)
        final = demo.apply(emu)
        assert final.ok, "\n".join([*runs, *final.summary()])
        got = v2_state(emu, plan.data["regions"])
    assert killer.fired or seed, runs
    for key in clean:
        assert got[key] == clean[key], f"{key} differs from a clean apply after: {'; '.join(runs)}"
