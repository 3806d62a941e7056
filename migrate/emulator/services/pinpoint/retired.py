"""Pinpoint after its end of support (2026-10-30): which operations are retired and how they fail.

AWS's notice: "After October 30, 2026, you will no longer be able to access the Amazon Pinpoint console or
Amazon Pinpoint resources (endpoints, segments, campaigns, journeys, and analytics) ... APIs related to
SMS, voice, mobile push, OTP, and phone number validate are not impacted by this change and are supported
by AWS End User Messaging." So projects (apps) and their settings, channels, event streams, message
templates, tags, SendMessages to addresses, OTP and PhoneNumberValidate go on; everything that reads or
writes endpoints, segments, campaigns, journeys or analytics is retired. Export and import jobs move
endpoints and segments, so they go too; so do in-app messages and recommender configurations, which only
feed campaigns and journeys. `SendMessages` itself lives on, but a request that targets endpoint ids
(`Endpoints`) needs endpoints: `check_retired_feature(ctx, "endpoints")` refuses that part.

The error. AWS has not published what a retired Pinpoint API answers. We answer Pinpoint's modelled
`ForbiddenException` (HTTP 403) with a message naming the end of support, because:
- botocore maps it to a `ClientError` with code `ForbiddenException` that is never retried (a 5xx or a
  throttle would be retried, hiding the cause and slowing every scan);
- it is what Pinpoint answers when a call is not allowed for the account, which is how callers (our own
  scanners included) already classify "this section cannot be read: record the reason, go on";
- a 404 would read as "this resource was deleted", a 400 as "the caller sent a bad request": both wrong.
"""

from __future__ import annotations

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError

END_OF_SUPPORT_DATE = "2026-10-30"

RETIRED_FEATURES: dict[str, frozenset[str]] = {
    "endpoints": frozenset(
        {
            "UpdateEndpoint",
            "UpdateEndpointsBatch",
            "GetEndpoint",
            "GetUserEndpoints",
            "DeleteEndpoint",
            "DeleteUserEndpoints",
            "RemoveAttributes",
            "SendUsersMessages",
        }
    ),
    "segments": frozenset(
        {
            "CreateSegment",
            "GetSegment",
            "GetSegments",
            "UpdateSegment",
            "DeleteSegment",
            "GetSegmentVersion",
            "GetSegmentVersions",
            "GetSegmentExportJobs",
            "GetSegmentImportJobs",
        }
    ),
    "campaigns": frozenset(
        {
            "CreateCampaign",
            "GetCampaign",
            "GetCampaigns",
            "UpdateCampaign",
            "DeleteCampaign",
            "GetCampaignVersion",
            "GetCampaignVersions",
            "GetCampaignActivities",
            "GetInAppMessages",
            "CreateRecommenderConfiguration",
            "GetRecommenderConfiguration",
            "GetRecommenderConfigurations",
            "UpdateRecommenderConfiguration",
            "DeleteRecommenderConfiguration",
        }
    ),
    "journeys": frozenset(
        {
            "CreateJourney",
            "GetJourney",
            "ListJourneys",
            "UpdateJourney",
            "UpdateJourneyState",
            "DeleteJourney",
            "GetJourneyRuns",
        }
    ),
    "analytics": frozenset(
        {
            "PutEvents",
            "GetApplicationDateRangeKpi",
            "GetCampaignDateRangeKpi",
            "GetJourneyDateRangeKpi",
            "GetJourneyExecutionMetrics",
            "GetJourneyExecutionActivityMetrics",
            "GetJourneyRunExecutionMetrics",
            "GetJourneyRunExecutionActivityMetrics",
        }
    ),
    "jobs": frozenset(
        {
            "CreateExportJob",
            "GetExportJob",
            "GetExportJobs",
            "CreateImportJob",
            "GetImportJob",
            "GetImportJobs",
        }
    ),
}

RETIRED_OPERATIONS: frozenset[str] = frozenset().union(*RETIRED_FEATURES.values())


def retired_error(what: str) -> ApiError:
    return ApiError(
        "ForbiddenException",
        f"{what} is no longer available: Amazon Pinpoint reached end of support on {END_OF_SUPPORT_DATE}. "
        "SMS, voice, push, OTP and phone number validation continue in AWS End User Messaging.",
    )


def check_retired(ctx: Context) -> None:
    """Call first in every handler of a retired operation: refuses it once end of support is on."""
    if ctx.end_of_support and ctx.operation in RETIRED_OPERATIONS:
        raise retired_error(ctx.operation)


def check_retired_feature(ctx: Context, feature: str) -> None:
    """Refuse one retired feature (`endpoints`, ...) used inside an operation that itself lives on."""
    if feature not in RETIRED_FEATURES:
        raise KeyError(feature)
    if ctx.end_of_support:
        raise retired_error(f"{ctx.operation} with {feature}")
