"""Inventories built from records directly, for mapping and planning tests (no emulator, no scan).

`World` adds a tenant (a Pinpoint project with an SMS channel, its opt-out export and production
defaults) in one call; every id is derived from names, so the same calls give the same inventory.
`demo_inventory()` mirrors the built-in demo world (`migrate.emulator.demo_spec`) as a scan would record it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from migrate.inventory import records as r
from migrate.inventory.snapshot import AccountInfo, Inventory, Section

ACCOUNT = "111122223333"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/"


def _hex(*parts: str, n: int = 32) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:n]


def app_id(name: str, region: str = REGION) -> str:
    return _hex("app", name, region)


def phone_id(number: str) -> str:
    return "phone-" + _hex("phone", number)


class World:
    def __init__(
        self, regions: tuple[str, ...] = (REGION,), account: str = ACCOUNT, defaults: bool = True
    ) -> None:
        self.account = account
        self.inventory = Inventory(
            tool_version="test",
            scanned_at="2026-11-27T00:00:00Z",
            accounts=[AccountInfo(account, "test account")],
            regions=list(regions),
        )
        for region in regions if defaults else ():
            self.region_defaults(region)

    def add(self, *items: Any) -> World:
        self.inventory.add(*items)
        return self

    def where(self, region: str) -> dict[str, str]:
        return {"account": self.account, "region": region}

    def region_defaults(self, region: str, *, tier: str = "PRODUCTION", default_opt_outs: int = 0) -> None:
        w = self.where(region)
        self.add(
            r.AccountAttribute(**w, name="ACCOUNT_TIER", value=tier),
            r.OptOutList(
                **w, name="Default", arn=self.arn(region, "opt-out-list/Default"), size=default_opt_outs
            ),
            r.SpendLimit(
                **w, name="TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", enforced=1000, maximum=1000, overridden=True
            ),
            r.SpendLimit(
                **w, name="VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", enforced=1000, maximum=1000, overridden=True
            ),
        )
        for name in ("POOLS", "CONFIGURATION_SETS", "OPT_OUT_LISTS"):
            self.add(r.AccountLimit(**w, name=name, used=1 if name == "OPT_OUT_LISTS" else 0, maximum=25))

    def replace_record(self, kind: str, match: dict[str, Any], **changes: Any) -> World:
        items = self.inventory.records[kind]
        for i, item in enumerate(items):
            if all(getattr(item, k) == v for k, v in match.items()):
                items[i] = replace(item, **changes)
        return self

    def arn(self, region: str, resource: str, service: str = "sms-voice") -> str:
        return f"arn:aws:{service}:{region}:{self.account}:{resource}"

    # -- v2 identities ----------------------------------------------------------------------------------
    def number(
        self,
        phone: str,
        region: str = REGION,
        *,
        number_type: str = "TEN_DLC",
        message_type: str = "TRANSACTIONAL",
        country: str = "US",
        **kw: Any,
    ) -> World:
        pid = phone_id(phone)
        return self.add(
            r.PhoneNumber(
                **self.where(region),
                phone_number_id=pid,
                arn=self.arn(region, f"phone-number/{pid}"),
                phone_number=phone,
                status=kw.pop("status", "ACTIVE"),
                iso_country_code=country,
                message_type=message_type,
                number_type=number_type,
                capabilities=kw.pop("capabilities", ("SMS",)),
                opt_out_list=kw.pop("opt_out_list", "Default"),
                keywords=kw.pop("keywords", ({"keyword": "STOP", "action": "OPT_OUT", "message": "Bye"},)),
                **kw,
            )
        )

    def sender(self, sender_id: str, country: str, region: str = REGION, **kw: Any) -> World:
        return self.add(
            r.SenderId(
                **self.where(region),
                sender_id=sender_id,
                iso_country_code=country,
                arn=self.arn(region, f"sender-id/{sender_id}/{country}"),
                message_types=kw.pop("message_types", ("TRANSACTIONAL",)),
                **kw,
            )
        )

    # -- Pinpoint -------------------------------------------------------------------------------------------
    def tenant(
        self,
        name: str,
        region: str = REGION,
        *,
        sms: bool = True,
        sender_id: str = "",
        short_code: str = "",
        channels: tuple[str, ...] = (),
        opt_outs: int = 10,
        export: bool = True,
        rejected: int = 0,
        tags: dict[str, str] | None = None,
    ) -> str:
        aid = app_id(name, region)
        w = self.where(region)
        self.add(
            r.PinpointApp(
                **w,
                app_id=aid,
                name=name,
                arn=self.arn(region, f"apps/{aid}", "mobiletargeting"),
                tags=tags or {},
            )
        )
        if sms:
            self.add(
                r.Channel(
                    **w,
                    app_id=aid,
                    channel_type="SMS",
                    enabled=True,
                    sender_id=sender_id,
                    short_code=short_code,
                )
            )
        for channel in channels:
            extra = {"from_address": f"hello@{aid[:6]}.example.com"} if channel == "EMAIL" else {}
            self.add(r.Channel(**w, app_id=aid, channel_type=channel, enabled=True, **extra))
        if sms and export:
            self.add(
                r.OptOutExport(
                    **w,
                    app_id=aid,
                    source=f"s3://exports/{aid}/",
                    file=f"optouts/{aid}.csv",
                    rejects_file=f"optouts/{aid}.rejects.csv",
                    sha256=_hex("optouts", aid, str(opt_outs), n=64),
                    rejects_sha256=_hex("rejects", aid, n=64),
                    endpoints_read=opt_outs * 20,
                    sms_opted_out=opt_outs + rejected,
                    normalised=opt_outs,
                    duplicates=0,
                    rejected=rejected,
                )
            )
        return aid

    def campaign(self, app: str, name: str, region: str = REGION, **kw: Any) -> World:
        return self.add(
            r.Campaign(
                **self.where(region),
                app_id=app,
                campaign_id=_hex("campaign", app, name),
                name=name,
                state="SCHEDULED",
                version=1,
                channels=("SMS",),
                message_type="TRANSACTIONAL",
                definition={"MessageConfiguration": {"SMSMessage": {"Body": "Hi"}}},
                **kw,
            )
        )

    def journey(self, app: str, name: str, region: str = REGION, **kw: Any) -> World:
        return self.add(
            r.Journey(
                **self.where(region),
                app_id=app,
                journey_id=_hex("journey", app, name),
                name=name,
                state="ACTIVE",
                definition={"StartActivity": "send-sms"},
                **kw,
            )
        )

    def segment(self, app: str, name: str, region: str = REGION) -> World:
        return self.add(
            r.Segment(
                **self.where(region),
                app_id=app,
                segment_id=_hex("segment", app, name),
                name=name,
                segment_type="DIMENSIONAL",
                version=1,
                definition={"Dimensions": {}},
            )
        )

    def template(
        self, name: str, template_type: str, body: str, region: str = REGION, **content: Any
    ) -> World:
        return self.add(
            r.Template(
                **self.where(region),
                name=name,
                template_type=template_type,
                version="1",
                arn=self.arn(region, f"templates/{name}/{template_type}", "mobiletargeting"),
                content={"Body": body, **content},
            )
        )

    def stream(
        self, app: str, kind: str, name: str, role: str, trusts: tuple[str, ...], region: str = REGION
    ) -> World:
        resource = f"stream/{name}" if kind == "kinesis" else f"deliverystream/{name}"
        return self.add(
            r.EventStream(
                **self.where(region),
                app_id=app,
                destination_arn=self.arn(region, resource, kind),
                destination_kind=kind,
                destination_found=True,
                role_arn=ROLE + role,
                role_found=True,
                role_trusts=trusts,
            )
        )

    def settings(self, app: str, region: str = REGION, **kw: Any) -> World:
        return self.add(r.AppSettings(**self.where(region), app_id=app, **kw))

    def build(self) -> Inventory:
        return self.inventory


CLEAN_OVERRIDES = '[tenants."Acme Clinics"]\nidentities = ["+12065550100"]\n'


def clean_world() -> World:
    """One tenant whose number is named in overrides (CLEAN_OVERRIDES), production, its export read:
    nothing a person must act on. Tests add one thing to it and expect one finding."""
    world = World()
    world.tenant("Acme Clinics")
    world.number("+12065550100")
    return world


def sections(world: World, *items: tuple[str, str, str]) -> None:
    for region, name, status in items:
        world.inventory.sections.append(Section(world.account, region, name, status, reason="AccessDenied"))
