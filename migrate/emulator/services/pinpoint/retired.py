"""Pinpoint after its end of support (2026-10-30): which operations are retired and how they fail.

AWS's notice: "After October 30, 2026, you will no longer be able to access the Amazon Pinpoint console or
Amazon Pinpoint resources (endpoints, segments, campaigns, journeys, and analytics) ... APIs related to
SMS, voice, mobile push, OTP, and phone number validate are not impacted by this change and are supported
by AWS End User Messaging." So projects (apps), channels, message templates, tags, SendMessages to
addresses, OTP and PhoneNumberValidate go on; everything that reads or writes endpoints, segments,
campaigns, journeys or analytics is retired. Export and import jobs move endpoints and segments, so they
go too; so do in-app messages and recommender configurations, which only feed campaigns and journeys.
`SendMessages` itself lives on, but a request that targets endpoint ids (`Endpoints`) needs endpoints:
`check_retired_feature(ctx, "endpoints")` refuses that part.

Two more go with them, which the notice does not name but terraform-provider-aws documents:
- event streams: `aws_pinpoint_event_stream` (website/docs/r/pinpoint_event_stream.html.markdown) says
  "event streams are being discontinued on October 30, 2026 ... For SMS/Voice event delivery, use
  aws_pinpointsmsvoicev2_configuration_set with an event destination";
- the application Settings API: `aws_pinpoint_app` (website/docs/r/pinpoint_app.html.markdown) marks
  `campaign_hook`, `limits` and `quiet_time` deprecated because "engagement features, including the
  Settings API that backs these attributes, are being discontinued on October 30, 2026".

When. End of support follows the emulator's clock (on at or after 2026-10-30T00:00:00Z) unless the world
forces it on or off (`Emulator(end_of_support=True/False)`).

The error. AWS has not published what a retired Pinpoint API answers, so the answer is a setting of the
world (`Emulator(retired_answer=...)`, saved with it): Pinpoint's modelled `ForbiddenException` (HTTP 403)
by default, `NotFoundException` (404) or `BadRequestException` (400) on demand, each with a message naming
the end of support. A product that relies on one of them is wrong: it must classify a refusal by operation
and date (see `migrate/aws/retirement.py`). 403 is the default because botocore never retries it (a 5xx or
a throttle would be retried, hiding the cause and slowing every scan).
"""

from __future__ import annotations

from datetime import UTC, datetime

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError

END_OF_SUPPORT_DATE = "2026-10-30"
END_OF_SUPPORT_EPOCH = datetime(2026, 10, 30, tzinfo=UTC).timestamp()
# The HTTP status a retired operation answers with, and Pinpoint's modelled error of that status.
RETIRED_ANSWERS: dict[int, str] = {
    403: "ForbiddenException",
    404: "NotFoundException",
    400: "BadRequestException",
}
DEFAULT_RETIRED_ANSWER = 403

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
    "event_streams": frozenset({"PutEventStream", "GetEventStream", "DeleteEventStream"}),
    "settings": frozenset({"GetApplicationSettings", "UpdateApplicationSettings"}),
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


def end_of_support_at(moment: float) -> bool:
    """Whether Pinpoint's engagement APIs are retired at `moment` (seconds since the epoch, UTC)."""
    return moment >= END_OF_SUPPORT_EPOCH


def retired_error(what: str, answer: int = DEFAULT_RETIRED_ANSWER) -> ApiError:
    code = RETIRED_ANSWERS.get(answer, RETIRED_ANSWERS[DEFAULT_RETIRED_ANSWER])
    return ApiError(
        code,
        f"{what} is no longer available: Amazon Pinpoint reached end of support on {END_OF_SUPPORT_DATE}. "
        "SMS, voice, push, OTP and phone number validation continue in AWS End User Messaging.",
    )


def check_retired(ctx: Context) -> None:
    """Call first in every handler of a retired operation: refuses it once end of support is on."""
    if ctx.end_of_support and ctx.operation in RETIRED_OPERATIONS:
        raise retired_error(ctx.operation, ctx.retired_answer)


def check_retired_feature(ctx: Context, feature: str) -> None:
    """Refuse one retired feature (`endpoints`, ...) used inside an operation that itself lives on."""
    if feature not in RETIRED_FEATURES:
        raise KeyError(feature)
    if ctx.end_of_support:
        raise retired_error(f"{ctx.operation} with {feature}", ctx.retired_answer)
