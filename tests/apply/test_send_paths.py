"""Every send path v2 offers refuses the tenant's opted-out numbers after apply (issue 12, case 3).

The paths (SendTextMessage's OriginationIdentity, API reference): the pool (id, ARN), a phone number (id,
ARN, E.164), a sender ID (name, ARN), none with the configuration set (its default sender ID), none at
all. A sender ID sent from directly, or the configuration set's default sender, answers to Default, so
apply copies the verified tenant list onto Default before it sets a default sender or pools a sender ID.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from apply.world import OPTED_OUT, Demo, tenant_opt_outs
from migrate.apply.executor import StepOutcome

V2 = "pinpoint-sms-voice-v2"
SENDERS = {"everest-travel": ("EVEREST", "GB"), "fjord-energy": ("FJORDEN", "IN")}


def _paths(emu: Any, slug: str) -> list[dict[str, str]]:
    sender, country = SENDERS[slug]
    arn = f"arn:aws:sms-voice:eu-west-1:{emu.account_id}:sender-id/{sender}/{country}"
    paths = [{"OriginationIdentity": sender}, {"OriginationIdentity": arn}]
    sms = emu.session("eu-west-1").client(V2)
    sets = {c["ConfigurationSetName"] for c in sms.describe_configuration_sets()["ConfigurationSets"]}
    if f"pinpoint-{slug}" in sets:
        paths.append({"ConfigurationSetName": f"pinpoint-{slug}"})
    return paths


def _reached(emu: Any, demo: Demo, slug: str) -> list[str]:
    app = next(t["app_id"] for t in demo.plan().data["tenants"] if t["slug"] == slug)
    sms = emu.session("eu-west-1").client(V2)
    reached = []
    for path in _paths(emu, slug):
        for number in tenant_opt_outs(demo, app)[:15]:
            try:
                sms.send_text_message(DestinationPhoneNumber=number, MessageBody="x", DryRun=True, **path)
            except ClientError as exc:
                if exc.response.get("Reason") == OPTED_OUT:
                    continue
                if exc.response.get("Reason") in ("INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",):
                    continue  # that identity cannot reach the number's country at all
            reached.append(f"{number[:-4]}**** via {path}")
    return reached


def test_sender_id_and_configuration_set_paths_refuse_every_opt_out_once_the_pool_exists(demo: Demo) -> None:
    seen: list[str] = []
    with demo.emulator() as emu:

        def after(outcome: StepOutcome) -> None:
            # from the moment a sender ID is pooled or made a default sender, its direct paths are safe
            if outcome.kind in ("create_pool", "associate_origination_identity", "set_default_sender_id"):
                for slug in SENDERS:
                    if slug in outcome.step_id:
                        seen.extend(_reached(emu, demo, slug))

        result = demo.apply(emu, after_step=after, max_workers=1)
        assert result.ok
        # apply ends with what it did not do, naming the tenants (the demo blocks two tenants' pools)
        last = result.summary()[-1]
        assert last.startswith("not done: ") and "Acme Clinics (" in last and "blocked" in last, last
        for slug in SENDERS:
            assert _reached(emu, demo, slug) == [], slug
    assert seen == []
