"""Predicates over an account and region: what the scan could not read, sandbox, spend, registrations,
templates, and code that still calls the send APIs that go away."""

from __future__ import annotations

from collections.abc import Iterator

from migrate.mapping.exports import CONVERTED
from migrate.mapping.findings import Finding, check, make
from migrate.mapping.rules import MapContext

PROBLEM_STATUSES = ("denied", "unavailable", "error")
DONE_REGISTRATIONS = ("COMPLETE", "CLOSED", "DELETED")
DEFAULT_SPEND_MAX = 1  # USD a month: what a new account gets
# Old call → its v2 replacement (for CloudTrail records; source call sites carry their own).
REPLACEMENTS = {
    "SendMessages": "pinpoint-sms-voice-v2 SendTextMessage / SendVoiceMessage",
    "SendUsersMessages": "pinpoint-sms-voice-v2 SendTextMessage (look the user's numbers up yourself)",
    "SendVoiceMessage": "pinpoint-sms-voice-v2 SendVoiceMessage",
}


def _tenant_places(ctx: MapContext) -> dict[tuple[str, str], list[str]]:
    places: dict[tuple[str, str], list[str]] = {}
    for tenant in ctx.tenants.tenants:
        places.setdefault((tenant.account, tenant.region), []).append(tenant.name)
    return places


@check("SECTION_UNAVAILABLE")
def section_unavailable(ctx: MapContext) -> Iterator[Finding]:
    for section in ctx.inventory.sections:
        if section.status in PROBLEM_STATUSES:
            yield make(
                "SECTION_UNAVAILABLE",
                account=section.account,
                region=section.region,
                resource=section.name,
                section=section.name,
                status=section.status,
                reason=section.reason or "no reason given",
            )


@check("ACCOUNT_IN_SANDBOX")
def account_in_sandbox(ctx: MapContext) -> Iterator[Finding]:
    for (account, region), names in sorted(_tenant_places(ctx).items()):
        if ctx.index.attribute((account, region), "ACCOUNT_TIER") == "SANDBOX":
            yield make("ACCOUNT_IN_SANDBOX", account=account, region=region, tenants=sorted(names))


@check("SPEND_LIMIT_LOW")
def spend_limit_low(ctx: MapContext) -> Iterator[Finding]:
    voice_places = {(t.account, t.region) for t in ctx.tenants.tenants if t.voice}
    for account, region in sorted(_tenant_places(ctx)):
        wanted = ["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]
        if (account, region) in voice_places:
            wanted.append("VOICE_MESSAGE_MONTHLY_SPEND_LIMIT")
        for name in wanted:
            limit = ctx.index.one("spend_limits", account=account, region=region, name=name)
            if limit is not None and max(limit.maximum, limit.enforced) <= DEFAULT_SPEND_MAX:
                yield make(
                    "SPEND_LIMIT_LOW",
                    account=account,
                    region=region,
                    resource=name,
                    limit=name,
                    maximum=max(limit.maximum, limit.enforced),
                )


@check("REGISTRATION_INCOMPLETE")
def registration_incomplete(ctx: MapContext) -> Iterator[Finding]:
    numbers = {n.phone_number_id: n.phone_number for n in ctx.inventory.of("phone_numbers")}
    numbers.update({n.arn: n.phone_number for n in ctx.inventory.of("phone_numbers")})
    for item in sorted(
        ctx.inventory.of("registrations"), key=lambda r: (r.account, r.region, r.registration_id)
    ):
        if item.status in DONE_REGISTRATIONS:
            continue
        resources = sorted(numbers.get(a, a) for a in item.associations) or ["the identities it is for"]
        yield make(
            "REGISTRATION_INCOMPLETE",
            account=item.account,
            region=item.region,
            resource=item.registration_id,
            registration_id=item.registration_id,
            registration_type=item.registration_type,
            status=item.status,
            resources=resources,
        )


@check("TEMPLATES_EXPORTED")
def templates_exported(ctx: MapContext) -> Iterator[Finding]:
    places: dict[tuple[str, str], list[str]] = {}
    for template in ctx.inventory.of("templates"):
        places.setdefault((template.account, template.region), []).append(template.template_type)
    for (account, region), types in sorted(places.items()):
        converted = sum(1 for t in types if t in CONVERTED)
        files = sorted(
            e.path
            for e in ctx.desired.exports
            if e.kind in ("template", "template_source") and e.path.startswith(f"{account}/{region}/")
        )
        yield make(
            "TEMPLATES_EXPORTED",
            account=account,
            region=region,
            count=len(types),
            converted=converted,
            files=files,
        )


@check("CODE_USES_OLD_SEND_API")
def code_uses_old_send_api(ctx: MapContext) -> Iterator[Finding]:
    for site in sorted(ctx.inventory.of("call_sites"), key=lambda s: (s.path, s.line, s.api)):
        yield make(
            "CODE_USES_OLD_SEND_API",
            account=site.account,
            region=site.region,
            resource=f"{site.path}:{site.line}",
            api=site.api,
            where=f"{site.path}:{site.line} ({site.language})",
            replacement=site.replacement
            or REPLACEMENTS.get(site.api.split(".")[-1], "the v2 send operation"),
            channel=site.channel,
        )
    for usage in sorted(
        ctx.inventory.of("api_usage"), key=lambda u: (u.account, u.region, u.event_name, u.principal)
    ):
        if usage.event_name not in REPLACEMENTS:
            continue
        yield make(
            "CODE_USES_OLD_SEND_API",
            account=usage.account,
            region=usage.region,
            resource=f"cloudtrail:{usage.event_name}:{usage.principal}",
            api=usage.event_name,
            where=f"CloudTrail: {usage.principal} ({usage.count} call(s), last {usage.last_seen})",
            replacement=REPLACEMENTS[usage.event_name],
            user_agent=usage.user_agent,
        )
