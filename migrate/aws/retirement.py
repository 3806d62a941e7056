"""Amazon Pinpoint's end of support (2026-10-30): which operations it retired, and how a scan tells.

AWS's notice (on every page of the Pinpoint guides, e.g. developerguide/event-streams-setup): "After
October 30, 2026, you will no longer be able to access the Amazon Pinpoint console or Amazon Pinpoint
resources (endpoints, segments, campaigns, journeys, and analytics) ... APIs related to SMS, voice,
mobile push, OTP, and phone number validate are not impacted by this change". Export and import jobs move
endpoints and segments; in-app messages and recommender configurations feed campaigns and journeys.
terraform-provider-aws adds two: `aws_pinpoint_event_stream` ("event streams are being discontinued on
October 30, 2026 ... For SMS/Voice event delivery, use aws_pinpointsmsvoicev2_configuration_set with an
event destination") and `aws_pinpoint_app` ("engagement features, including the Settings API that backs
these attributes [campaign_hook, limits, quiet_time], are being discontinued on October 30, 2026").

AWS has published no error for a retired call: it may answer 403, 404 or 400. So a refusal is judged by
the operation and the date, never by the error code alone: a client error (4xx, not a throttle) from a
retired Pinpoint operation at or after the end of support is `retired`. Before it, the same answer means
what it always meant (denied, not found, bad request).
"""

from __future__ import annotations

import datetime as dt

END_OF_SUPPORT = dt.datetime(2026, 10, 30, tzinfo=dt.UTC)
END_OF_SUPPORT_DATE = END_OF_SUPPORT.date().isoformat()
SERVICE = "pinpoint"

# What each retired group is called where a person reads it, and its operations.
RETIRED_GROUPS: dict[str, tuple[str, ...]] = {
    "endpoints": (
        "UpdateEndpoint", "UpdateEndpointsBatch", "GetEndpoint", "GetUserEndpoints", "DeleteEndpoint",
        "DeleteUserEndpoints", "RemoveAttributes", "SendUsersMessages",
    ),
    "segments": (
        "CreateSegment", "GetSegment", "GetSegments", "UpdateSegment", "DeleteSegment", "GetSegmentVersion",
        "GetSegmentVersions", "GetSegmentExportJobs", "GetSegmentImportJobs",
    ),
    "campaigns": (
        "CreateCampaign", "GetCampaign", "GetCampaigns", "UpdateCampaign", "DeleteCampaign",
        "GetCampaignVersion", "GetCampaignVersions", "GetCampaignActivities", "GetInAppMessages",
        "CreateRecommenderConfiguration", "GetRecommenderConfiguration", "GetRecommenderConfigurations",
        "UpdateRecommenderConfiguration", "DeleteRecommenderConfiguration",
    ),
    "journeys": (
        "CreateJourney", "GetJourney", "ListJourneys", "UpdateJourney", "UpdateJourneyState", "DeleteJourney",
        "GetJourneyRuns",
    ),
    "analytics": (
        "PutEvents", "GetApplicationDateRangeKpi", "GetCampaignDateRangeKpi", "GetJourneyDateRangeKpi",
        "GetJourneyExecutionMetrics", "GetJourneyExecutionActivityMetrics", "GetJourneyRunExecutionMetrics",
        "GetJourneyRunExecutionActivityMetrics",
    ),
    "export and import jobs": (
        "CreateExportJob", "GetExportJob", "GetExportJobs", "CreateImportJob", "GetImportJob", "GetImportJobs",
    ),
    "event streams": ("PutEventStream", "GetEventStream", "DeleteEventStream"),
    "app settings": ("GetApplicationSettings", "UpdateApplicationSettings"),
}  # fmt: skip
RETIRED_OPERATIONS: dict[str, str] = {op: group for group, ops in RETIRED_GROUPS.items() for op in ops}


def in_effect(moment: dt.datetime) -> bool:
    """Whether Pinpoint's end of support has come at `moment` (an aware datetime)."""
    return moment >= END_OF_SUPPORT


def is_retired_refusal(
    service: str, operation: str, http_status: int | None, code: str, moment: dt.datetime
) -> bool:
    """A refusal of a call that end of support explains: a retired Pinpoint operation, called at or after
    2026-10-30, answered with a client error other than a throttle (whichever of 400/403/404 it is)."""
    from migrate.aws.errors import THROTTLING_CODES

    return (
        service == SERVICE
        and operation in RETIRED_OPERATIONS
        and in_effect(moment)
        and http_status is not None
        and 400 <= http_status < 500
        and http_status != 429
        and code not in THROTTLING_CODES
    )
