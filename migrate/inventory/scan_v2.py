"""Sections that read AWS End User Messaging SMS and Voice v2."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from migrate.inventory.records import (
    AccountAttribute,
    AccountLimit,
    ConfigurationSet,
    OptOutList,
    PhoneNumber,
    Pool,
    ProtectConfiguration,
    Registration,
    SenderId,
    SpendLimit,
    VerifiedNumber,
)
from migrate.inventory.sections import RegionScan, section
from migrate.mapping.desired import DEFAULT_COPY_THROUGH_KEY, VERIFIED_THROUGH_KEY

V2 = "pinpoint-sms-voice-v2"
KEYWORD_LOOKUPS_IN_FLIGHT = 4


def destination(d: dict[str, Any], name: str) -> dict[str, Any]:
    """An event destination (v1 or v2: they share member names) as the inventory keeps it."""
    target = d.get("KinesisFirehoseDestination") or d.get("CloudWatchLogsDestination") or {}
    return {
        "name": name,
        "enabled": bool(d.get("Enabled")),
        "event_types": sorted(d.get("MatchingEventTypes", [])),
        "firehose": (d.get("KinesisFirehoseDestination") or {}).get("DeliveryStreamArn", ""),
        "log_group": (d.get("CloudWatchLogsDestination") or {}).get("LogGroupArn", ""),
        "sns": (d.get("SnsDestination") or {}).get("TopicArn", ""),
        "role": target.get("IamRoleArn", ""),
    }


def opted_out_ms(entry: dict[str, Any]) -> int:
    """An entry's `OptedOutTimestamp` ("The time that the op tout occurred", required in
    OptedOutNumberInformation, botocore's pinpoint-sms-voice-v2 model) in epoch milliseconds."""
    stamp: Any = entry.get("OptedOutTimestamp") or 0
    seconds = stamp.timestamp() if isinstance(stamp, datetime) else float(stamp)
    return round(seconds * 1000)


def _no_newer(stamps: list[int], through: str) -> int:
    """How many entries are no newer than the time a tag gives (-1 without the tag)."""
    return sum(1 for s in stamps if s <= int(through)) if through.isdigit() else -1


def _tags(scan: RegionScan, arn: str) -> dict[str, str]:
    found = scan.client(V2).list_tags_for_resource(ResourceArn=arn).get("Tags", [])
    return {t["Key"]: t["Value"] for t in found}


def _keywords(scan: RegionScan, identity: str) -> tuple[dict[str, Any], ...]:
    found = scan.items(V2, "DescribeKeywords", "Keywords", OriginationIdentity=identity)
    return tuple(
        {
            "keyword": k["Keyword"],
            "message": k.get("KeywordMessage", ""),
            "action": k.get("KeywordAction", ""),
        }
        for k in found
    )


@section(
    "v2.phone_numbers",
    permissions=("sms-voice:DescribePhoneNumbers", "sms-voice:DescribeKeywords"),
    early=True,  # one DescribeKeywords per number at 1 rps
)
def phone_numbers(scan: RegionScan) -> list[Any]:
    found = scan.items(V2, "DescribePhoneNumbers", "PhoneNumbers")
    # One DescribeKeywords per number: a few in flight keep its bucket busy when latency exceeds its slot
    # (the rate limiter still paces them at the quota).
    with ThreadPoolExecutor(max_workers=KEYWORD_LOOKUPS_IN_FLIGHT, thread_name_prefix="keywords") as pool:
        keywords = list(pool.map(lambda n: _keywords(scan, n["PhoneNumberId"]), found))
    out = []
    for n, number_keywords in zip(found, keywords, strict=True):
        out.append(
            PhoneNumber(
                account=scan.account_id,
                region=scan.region,
                phone_number_id=n["PhoneNumberId"],
                arn=n["PhoneNumberArn"],
                phone_number=n["PhoneNumber"],
                status=n["Status"],
                iso_country_code=n["IsoCountryCode"],
                message_type=n["MessageType"],
                number_type=n["NumberType"],
                capabilities=tuple(sorted(n.get("NumberCapabilities", []))),
                two_way_enabled=bool(n.get("TwoWayEnabled")),
                self_managed_opt_outs=bool(n.get("SelfManagedOptOutsEnabled")),
                opt_out_list=n.get("OptOutListName", ""),
                pool_id=n.get("PoolId", ""),
                registration_id=n.get("RegistrationId", ""),
                deletion_protection=bool(n.get("DeletionProtectionEnabled")),
                keywords=number_keywords,
            )
        )
    return out


@section("v2.sender_ids", permissions=("sms-voice:DescribeSenderIds",))
def sender_ids(scan: RegionScan) -> list[Any]:
    return [
        SenderId(
            account=scan.account_id,
            region=scan.region,
            sender_id=s["SenderId"],
            iso_country_code=s["IsoCountryCode"],
            arn=s["SenderIdArn"],
            message_types=tuple(sorted(s.get("MessageTypes", []))),
            registered=bool(s.get("Registered")),
            registration_id=s.get("RegistrationId", ""),
            deletion_protection=bool(s.get("DeletionProtectionEnabled")),
        )
        for s in scan.items(V2, "DescribeSenderIds", "SenderIds")
    ]


@section(
    "v2.pools",
    permissions=(
        "sms-voice:DescribePools",
        "sms-voice:ListPoolOriginationIdentities",
        "sms-voice:ListTagsForResource",
        "sms-voice:DescribeKeywords",
    ),
)
def pools(scan: RegionScan) -> list[Any]:
    out = []
    for p in scan.items(V2, "DescribePools", "Pools"):
        identities = scan.items(
            V2, "ListPoolOriginationIdentities", "OriginationIdentities", PoolId=p["PoolId"]
        )
        out.append(
            Pool(
                account=scan.account_id,
                region=scan.region,
                pool_id=p["PoolId"],
                arn=p["PoolArn"],
                status=p["Status"],
                message_type=p["MessageType"],
                opt_out_list=p.get("OptOutListName", ""),
                two_way_enabled=bool(p.get("TwoWayEnabled")),
                self_managed_opt_outs=bool(p.get("SelfManagedOptOutsEnabled")),
                shared_routes=bool(p.get("SharedRoutesEnabled")),
                deletion_protection=bool(p.get("DeletionProtectionEnabled")),
                identities=tuple(sorted(i["OriginationIdentityArn"] for i in identities)),
                tags=_tags(scan, p["PoolArn"]),
                keywords=_keywords(scan, p["PoolId"]),
            )
        )
    return out


@section(
    "v2.opt_out_lists",
    permissions=(
        "sms-voice:DescribeOptOutLists",
        "sms-voice:DescribeOptedOutNumbers",
        "sms-voice:ListTagsForResource",
    ),
    early=True,  # every list's opted-out numbers, 100 a page at 1 rps
)
def opt_out_lists(scan: RegionScan) -> list[Any]:
    out = []
    for o in scan.items(V2, "DescribeOptOutLists", "OptOutLists"):
        tags = _tags(scan, o["OptOutListArn"])
        # No count API exists: the size is the number of entries paged through (numbers are not kept). The
        # same pages give each entry's time, so the entries a verify saw are counted apart from later ones.
        stamps = [
            opted_out_ms(e)
            for e in scan.items(
                V2, "DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=o["OptOutListName"]
            )
        ]
        kept = _no_newer(stamps, tags.get(VERIFIED_THROUGH_KEY, ""))
        out.append(
            OptOutList(
                account=scan.account_id,
                region=scan.region,
                name=o["OptOutListName"],
                arn=o["OptOutListArn"],
                size=len(stamps),
                tags=tags,
                verified_kept=kept,
                copy_kept=_no_newer(stamps, tags.get(DEFAULT_COPY_THROUGH_KEY, "")),
            )
        )
    return out


@section(
    "v2.configuration_sets",
    permissions=("sms-voice:DescribeConfigurationSets", "sms-voice:ListTagsForResource"),
)
def configuration_sets(scan: RegionScan) -> list[Any]:
    out = []
    for c in scan.items(V2, "DescribeConfigurationSets", "ConfigurationSets"):
        destinations = tuple(
            sorted((destination(d, d["EventDestinationName"]) for d in c.get("EventDestinations", [])),
                   key=lambda d: d["name"])
        )  # fmt: skip
        out.append(
            ConfigurationSet(
                account=scan.account_id,
                region=scan.region,
                name=c["ConfigurationSetName"],
                arn=c["ConfigurationSetArn"],
                default_sender_id=c.get("DefaultSenderId", ""),
                default_message_type=c.get("DefaultMessageType", ""),
                protect_configuration_id=c.get("ProtectConfigurationId", ""),
                event_destinations=destinations,
                tags=_tags(scan, c["ConfigurationSetArn"]),
            )
        )
    return out


@section(
    "v2.registrations",
    permissions=("sms-voice:DescribeRegistrations", "sms-voice:ListRegistrationAssociations"),
)
def registrations(scan: RegionScan) -> list[Any]:
    out = []
    for r in scan.items(V2, "DescribeRegistrations", "Registrations"):
        associations = scan.items(
            V2, "ListRegistrationAssociations", "RegistrationAssociations", RegistrationId=r["RegistrationId"]
        )
        out.append(
            Registration(
                account=scan.account_id,
                region=scan.region,
                registration_id=r["RegistrationId"],
                arn=r["RegistrationArn"],
                registration_type=r["RegistrationType"],
                status=r["RegistrationStatus"],
                version=int(r.get("CurrentVersionNumber", 0)),
                associations=tuple(
                    sorted(a.get("ResourceArn") or a.get("ResourceId", "") for a in associations)
                ),
            )
        )
    return out


def _mask(number: str) -> str:
    """A verified destination is a recipient: masked by the one masking function (migrate/report/mask.py)."""
    from migrate.report.mask import mask_number

    masked = mask_number(number)
    return masked if masked != number else "****"


@section("v2.verified_numbers", permissions=("sms-voice:DescribeVerifiedDestinationNumbers",))
def verified_numbers(scan: RegionScan) -> list[Any]:
    return [
        VerifiedNumber(
            account=scan.account_id,
            region=scan.region,
            verified_id=v["VerifiedDestinationNumberId"],
            status=v["Status"],
            number_masked=_mask(v["DestinationPhoneNumber"]),
        )
        for v in scan.items(V2, "DescribeVerifiedDestinationNumbers", "VerifiedDestinationNumbers")
    ]


@section("v2.spend_limits", permissions=("sms-voice:DescribeSpendLimits",))
def spend_limits(scan: RegionScan) -> list[Any]:
    return [
        SpendLimit(
            account=scan.account_id,
            region=scan.region,
            name=s["Name"],
            enforced=int(s["EnforcedLimit"]),
            maximum=int(s["MaxLimit"]),
            overridden=bool(s["Overridden"]),
        )
        for s in scan.items(V2, "DescribeSpendLimits", "SpendLimits")
    ]


@section(
    "v2.account",
    permissions=("sms-voice:DescribeAccountAttributes", "sms-voice:DescribeAccountLimits"),
)
def account(scan: RegionScan) -> list[Any]:
    attributes: list[Any] = [
        AccountAttribute(account=scan.account_id, region=scan.region, name=a["Name"], value=a["Value"])
        for a in scan.items(V2, "DescribeAccountAttributes", "AccountAttributes")
    ]
    limits = [
        AccountLimit(
            account=scan.account_id,
            region=scan.region,
            name=limit["Name"],
            used=int(limit["Used"]),
            maximum=int(limit["Max"]),
        )
        for limit in scan.items(V2, "DescribeAccountLimits", "AccountLimits")
    ]
    return attributes + limits


@section("v2.protect_configurations", permissions=("sms-voice:DescribeProtectConfigurations",))
def protect_configurations(scan: RegionScan) -> list[Any]:
    return [
        ProtectConfiguration(
            account=scan.account_id,
            region=scan.region,
            protect_configuration_id=p["ProtectConfigurationId"],
            arn=p["ProtectConfigurationArn"],
            account_default=bool(p.get("AccountDefault")),
            deletion_protection=bool(p.get("DeletionProtectionEnabled")),
        )
        for p in scan.items(V2, "DescribeProtectConfigurations", "ProtectConfigurations")
    ]
