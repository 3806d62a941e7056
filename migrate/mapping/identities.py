"""Which origination identities each tenant uses, as the inventory shows it, resolved to v2 records.

A tenant uses: its SMS channel's short code and sender ID, the origination numbers and sender IDs of its
campaigns and journeys, and the identities named in overrides.toml. Each use is resolved against the v2
phone numbers and sender IDs of the tenant's account and region; a use that resolves to nothing (or to a
number that is not ACTIVE) is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate.mapping.desired import IdentitySpec
from migrate.mapping.index import Index
from migrate.mapping.shapes import keyword_signature
from migrate.mapping.tenants import Tenant

PHONE = "phone_number"
SENDER = "sender_id"
# Uses are ordered by where they come from: the channel's identity is the tenant's primary one.
_RANK = {"channel": 0, "override": 1, "campaign": 2, "journey": 3}


@dataclass(frozen=True)
class Use:
    tenant: Tenant
    kind: str
    value: str  # "+12065550100", "22233", "EVEREST" or "EVEREST/GB"
    where: str  # "channel", "campaign:<name>", "journey:<name>", "override"

    @property
    def rank(self) -> int:
        return _RANK[self.where.split(":", 1)[0]]


def uses_of(index: Index, tenant: Tenant) -> list[Use]:
    uses: list[Use] = []
    sms = index.channels(tenant.app_id).get("SMS")
    if sms is not None and sms.enabled:
        if sms.short_code:
            uses.append(Use(tenant, PHONE, sms.short_code, "channel"))
        if sms.sender_id:
            uses.append(Use(tenant, SENDER, sms.sender_id, "channel"))
    for campaign in sorted(index.of_app("campaigns", tenant.app_id), key=lambda c: c.campaign_id):
        if campaign.origination_number:
            uses.append(Use(tenant, PHONE, campaign.origination_number, f"campaign:{campaign.name}"))
        if campaign.sender_id:
            uses.append(Use(tenant, SENDER, campaign.sender_id, f"campaign:{campaign.name}"))
    for journey in sorted(index.of_app("journeys", tenant.app_id), key=lambda j: j.journey_id):
        uses.extend(Use(tenant, PHONE, n, f"journey:{journey.name}") for n in journey.origination_numbers)
        uses.extend(Use(tenant, SENDER, s, f"journey:{journey.name}") for s in journey.sender_ids)
    for value in tenant.override.identities if tenant.override else ():
        uses.append(Use(tenant, SENDER if "/" in value else PHONE, value, "override"))
    return uses


@dataclass(frozen=True)
class Resolved:
    """The v2 identities a value names (a sender ID may exist for several countries), or why none."""

    identities: tuple[IdentitySpec, ...]
    problem: str = ""


def resolve(index: Index, tenant: Tenant, kind: str, value: str, used_by: tuple[str, ...]) -> Resolved:
    place = (tenant.account, tenant.region)
    if kind == PHONE:
        number = index.phone_number(place, value)
        if number is None:
            return Resolved((), f"is not a phone number of {tenant.account} in {tenant.region}")
        spec = IdentitySpec(
            kind=PHONE,
            identity_id=number.phone_number_id,
            arn=number.arn,
            value=number.phone_number,
            iso_country_code=number.iso_country_code,
            message_types=(number.message_type,),
            used_by=used_by,
        )
        if number.status != "ACTIVE":
            return Resolved((spec,), f"is {number.status}, not ACTIVE")
        return Resolved((spec,))
    sender, _, country = value.partition("/")
    found = [s for s in index.sender_ids(place, sender) if not country or s.iso_country_code == country]
    if not found:
        # A sender ID Pinpoint used without a v2 record still works as a configuration set default in
        # countries that need no registration; it simply is not a pool member.
        return Resolved((), "is not a v2 sender ID of this account and region" if country else "")
    return Resolved(
        tuple(
            IdentitySpec(
                kind=SENDER,
                identity_id=f"{s.sender_id}/{s.iso_country_code}",
                arn=s.arn,
                value=s.sender_id,
                iso_country_code=s.iso_country_code,
                message_types=tuple(sorted(s.message_types)) or ("TRANSACTIONAL",),
                used_by=used_by,
            )
            for s in found
        )
    )


def compatibility(index: Index, tenant: Tenant, identity: IdentitySpec) -> dict[str, object]:
    """The settings a pool copies from its first identity and checks on every later one."""
    if identity.kind != PHONE:
        return {}
    number = index.one(
        "phone_numbers", account=tenant.account, region=tenant.region, phone_number_id=identity.identity_id
    )
    return {
        "two-way setting": bool(number.two_way_enabled),
        "self-managed opt-out setting": bool(number.self_managed_opt_outs),
        "keywords": keyword_signature(number.keywords),
    }
