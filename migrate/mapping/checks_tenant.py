"""Predicates over a project: event records, settings and engagement features Pinpoint ends, other
channels, opt-out rejects, sender ID registration and short codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from migrate.mapping.exports import project_dir, settings_in_use
from migrate.mapping.findings import Finding, check, make
from migrate.mapping.identities import PHONE, SENDER, uses_of
from migrate.mapping.rules import MapContext

PUSH_CHANNELS = ("ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU", "GCM")
# Countries where a sender ID must be registered before it can send (End User Messaging SMS registration
# forms, "Supported countries and regions"). Countries where registration is offered but optional (e.g. GB,
# IE, AU, FI) are not listed: an unregistered sender ID still delivers there.
SENDER_ID_REGISTRATION_COUNTRIES = frozenset(
    (
        "AE",
        "BY",
        "EG",
        "ID",
        "IN",
        "JO",
        "KE",
        "KW",
        "KZ",
        "LK",
        "PH",
        "QA",
        "RU",
        "SA",
        "SG",
        "TH",
        "TR",
        "VN",
        "ZM",
    )
)


def _apps(ctx: MapContext) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Every project (tenant or not) with the scope fields of its findings."""
    tenants = ctx.tenants.by_app()
    for app in sorted(ctx.inventory.of("pinpoint_apps"), key=lambda a: (a.account, a.region, a.app_id)):
        tenant = tenants.get(app.app_id)
        yield (
            app,
            {
                "account": app.account,
                "region": app.region,
                "tenant": ctx.tenants.slugs.get(app.app_id, app.app_id),
                "tenant_name": tenant.name if tenant else app.name,
            },
        )


@check("EVENT_SCHEMA_CHANGES")
def event_schema_changes(ctx: MapContext) -> Iterator[Finding]:
    for tenant in ctx.tenants.tenants:
        stream = ctx.index.one("event_streams", app_id=tenant.app_id)
        if stream is not None:
            yield make(
                "EVENT_SCHEMA_CHANGES",
                account=tenant.account,
                region=tenant.region,
                tenant=tenant.slug,
                tenant_name=tenant.name,
                destination=stream.destination_arn,
            )


@check("APP_SETTINGS_NO_EQUIVALENT")
def app_settings_no_equivalent(ctx: MapContext) -> Iterator[Finding]:
    for app, scope in _apps(ctx):
        settings = ctx.index.one("app_settings", app_id=app.app_id)
        used = settings_in_use(settings) if settings is not None else []
        if used:
            folder = project_dir(app.account, app.region, scope["tenant"])
            yield make(
                "APP_SETTINGS_NO_EQUIVALENT", settings=used, file=f"{folder}/app-settings.json", **scope
            )


def _rebuild(ctx: MapContext, code: str, kind: str) -> Iterator[Finding]:
    for app, scope in _apps(ctx):
        records = sorted(ctx.index.of_app(kind, app.app_id), key=lambda r: r.name)
        if records:
            folder = project_dir(app.account, app.region, scope["tenant"])
            yield make(code, count=len(records), names=[r.name for r in records], folder=folder, **scope)


@check("CAMPAIGNS_NEED_REBUILD")
def campaigns_need_rebuild(ctx: MapContext) -> Iterator[Finding]:
    yield from _rebuild(ctx, "CAMPAIGNS_NEED_REBUILD", "campaigns")


@check("JOURNEYS_NEED_REBUILD")
def journeys_need_rebuild(ctx: MapContext) -> Iterator[Finding]:
    yield from _rebuild(ctx, "JOURNEYS_NEED_REBUILD", "journeys")


@check("SEGMENTS_NEED_REBUILD")
def segments_need_rebuild(ctx: MapContext) -> Iterator[Finding]:
    yield from _rebuild(ctx, "SEGMENTS_NEED_REBUILD", "segments")


@check("EMAIL_CHANNEL_TO_SES")
def email_channel_to_ses(ctx: MapContext) -> Iterator[Finding]:
    for app, scope in _apps(ctx):
        email = ctx.index.channels(app.app_id).get("EMAIL")
        if email is not None and email.enabled:
            yield make("EMAIL_CHANNEL_TO_SES", from_address=email.from_address or email.identity, **scope)


@check("PUSH_CHANNEL_UNCHANGED")
def push_channel_unchanged(ctx: MapContext) -> Iterator[Finding]:
    for app, scope in _apps(ctx):
        channels = ctx.index.channels(app.app_id)
        push = sorted(t for t, c in channels.items() if t in PUSH_CHANNELS and c.enabled)
        if push:
            yield make("PUSH_CHANNEL_UNCHANGED", channels=push, **scope)


@check("OPTOUT_NUMBER_INVALID")
def optout_number_invalid(ctx: MapContext) -> Iterator[Finding]:
    for tenant in ctx.tenants.tenants:
        export = ctx.index.one("optout_exports", app_id=tenant.app_id)
        if export is not None and export.rejected > 0:
            yield make(
                "OPTOUT_NUMBER_INVALID",
                account=tenant.account,
                region=tenant.region,
                tenant=tenant.slug,
                tenant_name=tenant.name,
                rejected=export.rejected,
                rejects_file=export.rejects_file,
            )


@check("SENDER_ID_REGISTRATION_REQUIRED")
def sender_id_registration_required(ctx: MapContext) -> Iterator[Finding]:
    for tenant in ctx.tenants.tenants:
        seen: set[str] = set()
        for use in uses_of(ctx.index, tenant):
            if use.kind != SENDER:
                continue
            sender, _, country = use.value.partition("/")
            for record in ctx.index.sender_ids((tenant.account, tenant.region), sender):
                key = f"{record.sender_id}/{record.iso_country_code}"
                if key in seen or (country and record.iso_country_code != country):
                    continue
                seen.add(key)
                if record.iso_country_code in SENDER_ID_REGISTRATION_COUNTRIES and not record.registered:
                    state = (
                        f"registration {record.registration_id} is not complete"
                        if record.registration_id
                        else "not registered"
                    )
                    yield make(
                        "SENDER_ID_REGISTRATION_REQUIRED",
                        account=tenant.account,
                        region=tenant.region,
                        tenant=tenant.slug,
                        resource=key,
                        tenant_name=tenant.name,
                        sender_id=record.sender_id,
                        country=record.iso_country_code,
                        state=state,
                    )


@check("SHORT_CODE_MIGRATION")
def short_code_migration(ctx: MapContext) -> Iterator[Finding]:
    for tenant in ctx.tenants.tenants:
        values = sorted({u.value for u in uses_of(ctx.index, tenant) if u.kind == PHONE})
        for value in values:
            number = ctx.index.phone_number((tenant.account, tenant.region), value)
            if number is not None and number.number_type == "SHORT_CODE":
                yield make(
                    "SHORT_CODE_MIGRATION",
                    account=tenant.account,
                    region=tenant.region,
                    tenant=tenant.slug,
                    resource=value,
                    tenant_name=tenant.name,
                    value=value,
                    pool=tenant.resource_name,
                )
