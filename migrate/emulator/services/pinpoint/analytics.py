"""Pinpoint's analytics reads (KPIs, journey metrics, journey runs), PutEvents and in-app messages.

All of them are retired with Pinpoint's end of support (see `retired.py`: "analytics", and in-app
messages and journey runs with campaigns and journeys). Before it they answer what an account with no
recorded traffic answers: a valid, empty result (no KPI rows, no metrics, no in-app campaigns), so a
client sees a well-formed response rather than a 501 its SDK would retry as a server error. Events sent
with PutEvents are accepted (202 per endpoint and event, as the API reference's EventsResponse shows)
and kept in the app's `events` table for tests to read; they feed no metric.

A journey that has been published has one run (the emulator does not model recurring journeys' runs):
its id is derived from the journey's, its status follows the journey's state.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.campaigns import campaign
from migrate.emulator.services.pinpoint.engagement import listing
from migrate.emulator.services.pinpoint.journeys import journey
from migrate.emulator.services.pinpoint.model import SERVICE, app, app_table, iso_now, pinpoint_not_found
from migrate.emulator.services.pinpoint.retired import check_retired

# KPI names are lowercase words joined by hyphens ("successful-delivery-rate",
# "txn-sms-sent-grouped-by-date", ...), per the API reference's list of standard metrics.
_KPI_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Default date range when the request gives none: the last 7 days up to now (an emulator choice).
_DEFAULT_RANGE = timedelta(days=7)
# The member of a journey activity that says its type, and the ActivityType the metrics name.
_ACTIVITY_TYPES = {
    "SMS": "SMS",
    "EMAIL": "EMAIL",
    "PUSH": "PUSH",
    "CUSTOM": "CUSTOM",
    "ContactCenter": "CONTACT_CENTER",
    "ConditionalSplit": "CONDITIONAL_SPLIT",
    "MultiCondition": "MULTI_CONDITIONAL_SPLIT",
    "RandomSplit": "RANDOM_SPLIT",
    "Holdout": "HOLDOUT",
    "Wait": "WAIT",
}
_RUN_STATUS = {"ACTIVE": "RUNNING", "PAUSED": "RUNNING", "COMPLETED": "COMPLETED", "CLOSED": "COMPLETED"}


def _kpi(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = str(params["KpiName"])
    if not name or not set(name) <= _KPI_CHARS:
        raise bad_request(f"KpiName {name!r} is not a Pinpoint metric name.")
    end = params.get("EndTime") or datetime.fromtimestamp(ctx.now(), UTC)
    start = params.get("StartTime") or end - _DEFAULT_RANGE
    if start > end:
        raise bad_request("StartTime must be before EndTime.")
    return {
        "ApplicationId": params["ApplicationId"],
        "KpiName": name,
        "StartTime": start,
        "EndTime": end,
        "KpiResult": {"Rows": []},
    }


@operation(SERVICE, "GetApplicationDateRangeKpi")
def get_application_date_range_kpi(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    return {"ApplicationDateRangeKpiResponse": _kpi(ctx, params)}


@operation(SERVICE, "GetCampaignDateRangeKpi")
def get_campaign_date_range_kpi(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    campaign(ctx, params["ApplicationId"], params["CampaignId"])
    return {"CampaignDateRangeKpiResponse": {**_kpi(ctx, params), "CampaignId": params["CampaignId"]}}


@operation(SERVICE, "GetJourneyDateRangeKpi")
def get_journey_date_range_kpi(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    journey(ctx, params["ApplicationId"], params["JourneyId"])
    return {"JourneyDateRangeKpiResponse": {**_kpi(ctx, params), "JourneyId": params["JourneyId"]}}


# -- journeys: runs and execution metrics ----------------------------------------------------------
def _runs(record: dict[str, Any]) -> list[dict[str, Any]]:
    status = "CANCELLED" if record["State"] == "CANCELLED" else _RUN_STATUS.get(record["State"])
    if status is None:  # a draft has never run
        return []
    run_id = hashlib.sha256(f"run:{record['Id']}".encode()).hexdigest()[:32]
    return [
        {
            "RunId": run_id,
            "Status": status,
            "CreationTime": record["CreationDate"],
            "LastUpdateTime": record["LastModifiedDate"],
        }
    ]


def _run(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = journey(ctx, params["ApplicationId"], params["JourneyId"])
    for run in _runs(record):
        if run["RunId"] == params["RunId"]:
            return record
    raise pinpoint_not_found("Journey run")


def _activity_type(record: dict[str, Any], activity_id: str) -> str:
    activity = (record.get("Activities") or {}).get(activity_id)
    if activity is None:
        raise pinpoint_not_found("Journey activity")
    return next((kind for member, kind in _ACTIVITY_TYPES.items() if activity.get(member)), "CUSTOM")


def _metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "ApplicationId": params["ApplicationId"],
        "JourneyId": params["JourneyId"],
        "LastEvaluatedTime": iso_now(ctx),
        "Metrics": {},
    }


@operation(SERVICE, "GetJourneyRuns")
def get_journey_runs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = journey(ctx, params["ApplicationId"], params["JourneyId"])
    return {"JourneyRunsResponse": listing(_runs(record), params, dict)}


@operation(SERVICE, "GetJourneyExecutionMetrics")
def get_journey_execution_metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    journey(ctx, params["ApplicationId"], params["JourneyId"])
    return {"JourneyExecutionMetricsResponse": _metrics(ctx, params)}


@operation(SERVICE, "GetJourneyExecutionActivityMetrics")
def get_journey_execution_activity_metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = journey(ctx, params["ApplicationId"], params["JourneyId"])
    kind = _activity_type(record, params["JourneyActivityId"])
    out = {**_metrics(ctx, params), "JourneyActivityId": params["JourneyActivityId"], "ActivityType": kind}
    return {"JourneyExecutionActivityMetricsResponse": out}


@operation(SERVICE, "GetJourneyRunExecutionMetrics")
def get_journey_run_execution_metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    _run(ctx, params)
    return {"JourneyRunExecutionMetricsResponse": {**_metrics(ctx, params), "RunId": params["RunId"]}}


@operation(SERVICE, "GetJourneyRunExecutionActivityMetrics")
def get_journey_run_execution_activity_metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = _run(ctx, params)
    kind = _activity_type(record, params["JourneyActivityId"])
    out = {
        **_metrics(ctx, params),
        "RunId": params["RunId"],
        "JourneyActivityId": params["JourneyActivityId"],
        "ActivityType": kind,
    }
    return {"JourneyRunExecutionActivityMetricsResponse": out}


# -- events and in-app messages ---------------------------------------------------------------------
@operation(SERVICE, "PutEvents")
def put_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    batches = params["EventsRequest"]["BatchItem"]
    if not batches:
        raise bad_request("BatchItem must name at least one endpoint.")
    events = app_table(ctx, "events", application_id)
    results: dict[str, Any] = {}
    for endpoint_id, batch in batches.items():
        accepted = {}
        for event_id, event in (batch.get("Events") or {}).items():
            events.put(f"{endpoint_id}/{event_id}", {"EndpointId": endpoint_id, **event})
            accepted[event_id] = {"Message": "Accepted", "StatusCode": 202}
        results[endpoint_id] = {
            "EndpointItemResponse": {"Message": "Accepted", "StatusCode": 202},
            "EventsItemResponse": accepted,
        }
    return {"EventsResponse": {"Results": results}}


@operation(SERVICE, "GetInAppMessages")
def get_in_app_messages(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    # In-app campaigns are not emulated: no endpoint is ever eligible for one.
    return {"InAppMessagesResponse": {"InAppMessageCampaigns": []}}
