"""Pinpoint recommender model configurations (Amazon Personalize campaigns that feed message variables).

They belong to the account and region (table `recommenders`, key Id, record
RecommenderConfigurationResponse). AWS's rules, checked here: up to 5 recommendations per message
(default 5); `Attributes` (1-10 custom attribute names -> display names) only with a transformer Lambda
(`RecommendationTransformerUri`), and without one a `RecommendationsDisplayName` is needed; the id type
is an endpoint or a user id; names follow AWS's character rules. Recommenders only
serve campaigns and journeys, so they are retired with them (see `retired.py`).
"""

from __future__ import annotations

import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import listing
from migrate.emulator.services.pinpoint.model import SERVICE, iso_now, pinpoint_not_found, public
from migrate.emulator.services.pinpoint.retired import check_retired

_ID_TYPES = ("PINPOINT_ENDPOINT_ID", "PINPOINT_USER_ID")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,127}")
_ATTRIBUTE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,49}")
_DISPLAY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,24}")
_WRITABLE = (
    "Attributes",
    "Description",
    "Name",
    "RecommendationProviderIdType",
    "RecommendationProviderRoleArn",
    "RecommendationProviderUri",
    "RecommendationTransformerUri",
    "RecommendationsDisplayName",
    "RecommendationsPerMessage",
)


def recommender(ctx: Context, recommender_id: str) -> dict[str, Any]:
    found = ctx.table("recommenders").get(recommender_id)
    if found is None:
        raise pinpoint_not_found("Recommender configuration")
    return found


def _configuration(request: dict[str, Any]) -> dict[str, Any]:
    """The configured members of a Create/Update request, checked and with AWS's defaults."""
    config = {m: request[m] for m in _WRITABLE if request.get(m) is not None}
    config.setdefault("RecommendationProviderIdType", "PINPOINT_ENDPOINT_ID")
    config.setdefault("RecommendationsPerMessage", 5)
    if config["RecommendationProviderIdType"] not in _ID_TYPES:
        raise bad_request(f"RecommendationProviderIdType must be one of {', '.join(_ID_TYPES)}")
    if not 1 <= int(config["RecommendationsPerMessage"]) <= 5:
        raise bad_request("RecommendationsPerMessage must be between 1 and 5")
    if "Name" in config and not _NAME.fullmatch(config["Name"]):
        raise bad_request(
            "Name must start with a letter or number and have up to 128 letters, numbers, spaces, _ or -"
        )
    display = config.get("RecommendationsDisplayName")
    if display is not None and not _DISPLAY_NAME.fullmatch(display):
        raise bad_request(
            "RecommendationsDisplayName must start with a letter or number and have up to 25 characters"
        )
    for member, kind in (
        ("RecommendationProviderUri", ":personalize:"),
        ("RecommendationProviderRoleArn", ":iam:"),
    ):
        if not (str(config[member]).startswith("arn:") and kind in config[member]):
            raise bad_request(f"{member} must be an ARN of{kind.replace(':', ' ')}")
    transformer = config.get("RecommendationTransformerUri")
    attributes = config.get("Attributes") or {}
    if attributes and not transformer:
        raise bad_request("Attributes can only be set with a RecommendationTransformerUri")
    if not transformer and not config.get("RecommendationsDisplayName"):
        raise bad_request("RecommendationsDisplayName is required without a RecommendationTransformerUri")
    bad = [k for k, v in attributes.items() if not _ATTRIBUTE.fullmatch(k) or not _DISPLAY_NAME.fullmatch(v)]
    if bad or len(attributes) > 10:
        raise bad_request(
            "Attributes take 1-10 attribute names (up to 50 letters, numbers, _ or -) with display names "
            f"(up to 25 characters){'; invalid: ' + ', '.join(bad) if bad else ''}"
        )
    return config


@operation(SERVICE, "CreateRecommenderConfiguration")
def create_recommender_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    config = _configuration(params["CreateRecommenderConfiguration"])
    now = iso_now(ctx)
    record = {"Id": ctx.new_id(), "CreationDate": now, "LastModifiedDate": now, **config}
    ctx.table("recommenders").put(record["Id"], record)
    return {"RecommenderConfigurationResponse": public(record)}


@operation(SERVICE, "GetRecommenderConfiguration")
def get_recommender_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    return {"RecommenderConfigurationResponse": public(recommender(ctx, params["RecommenderId"]))}


@operation(SERVICE, "GetRecommenderConfigurations")
def get_recommender_configurations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    records = ctx.table("recommenders").values()
    return {"ListRecommenderConfigurationsResponse": listing(records, params, public)}


@operation(SERVICE, "UpdateRecommenderConfiguration")
def update_recommender_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    current = recommender(ctx, params["RecommenderId"])
    # The request is the whole configuration (it requires the provider URI and role), as a PUT.
    config = _configuration(params["UpdateRecommenderConfiguration"])
    record = {
        "Id": current["Id"],
        "CreationDate": current["CreationDate"],
        "LastModifiedDate": iso_now(ctx),
        **config,
    }
    ctx.table("recommenders").put(record["Id"], record)
    return {"RecommenderConfigurationResponse": public(record)}


@operation(SERVICE, "DeleteRecommenderConfiguration")
def delete_recommender_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = recommender(ctx, params["RecommenderId"])
    ctx.table("recommenders").delete(record["Id"])
    return {"RecommenderConfigurationResponse": public(record)}
