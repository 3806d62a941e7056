"""Configuration sets, their defaults (sender ID, message type) and their event destinations."""

from __future__ import annotations

from typing import Any

from migrate.apply.errors import StepError
from migrate.apply.kinds.base import (
    Check,
    Kind,
    StepRun,
    Undone,
    UndoRun,
    adopt_or_refuse,
    compare,
    kind,
    not_found,
    ours,
    tags_of,
)
from migrate.apply.late import copy_late, protected_list

DESTINATION_MEMBERS = ("KinesisFirehoseDestination", "CloudWatchLogsDestination", "SnsDestination")


def describe_set(api: Any, name: str) -> dict[str, Any] | None:
    try:
        found = api.call("DescribeConfigurationSets", ConfigurationSetNames=[name]).get(
            "ConfigurationSets", []
        )
    except Exception as exc:
        if not_found(exc):
            return None
        raise
    return dict(found[0]) if found else None


def _require_set(run: StepRun, name: str) -> dict[str, Any]:
    found = describe_set(run.api, name)
    if found is None and not run.api.dry_run:
        raise StepError(f"configuration set {name} does not exist")
    return found or {}


@kind
class CreateConfigurationSet(Kind):
    name = "create_configuration_set"

    def execute(self, run: StepRun) -> dict[str, Any]:
        set_name = run.params["ConfigurationSetName"]
        found = describe_set(run.api, set_name)
        if found is not None:
            arn = found["ConfigurationSetArn"]
            adopt_or_refuse(f"configuration set {set_name}", tags_of(run.api, arn), run.plan_id)
            return {"ConfigurationSetName": set_name, "ConfigurationSetArn": arn, "created": True}
        made = run.api.call(
            "CreateConfigurationSet",
            ConfigurationSetName=set_name,
            Tags=run.params["Tags"],
            ClientToken=run.token(),
        )
        arn = made.get("ConfigurationSetArn", "")
        return {"ConfigurationSetName": set_name, "ConfigurationSetArn": arn, "created": True}

    def verify(self, run: StepRun) -> list[Check]:
        set_name = run.params["ConfigurationSetName"]
        found = describe_set(run.api, set_name)
        return [Check(run.id, found is not None, f"configuration set {set_name} exists", "exists")]

    def undo(self, run: UndoRun) -> Undone:
        set_name = run.params["ConfigurationSetName"]
        found = describe_set(run.api, set_name)
        if found is None:
            return Undone("nothing", f"configuration set {set_name} is already gone")
        if not ours(tags_of(run.api, found["ConfigurationSetArn"]), run.plan_id):
            return Undone(
                "refused", f"configuration set {set_name} no longer carries the tool's tags: left alone"
            )
        run.api.call("DeleteConfigurationSet", ConfigurationSetName=set_name)
        return Undone("undone", f"deleted configuration set {set_name}")


class _SetDefault(Kind):
    member = ""  # SenderId | MessageType
    field_name = ""  # DefaultSenderId | DefaultMessageType
    set_op = ""
    delete_op = ""

    def execute(self, run: StepRun) -> dict[str, Any]:
        set_name = run.params["ConfigurationSetName"]
        found = _require_set(run, set_name)
        previous = found.get(self.field_name)
        wanted = run.params[self.member]
        if previous != wanted:
            if self.member == "SenderId":  # the sender answers to Default: STOPs since the plan's copy first
                copy_late(run, protected_list(run.step))
            run.api.call(self.set_op, ConfigurationSetName=set_name, **{self.member: wanted})
        recorded = run.state.result(run.id) or {}
        return {"ConfigurationSetName": set_name, "previous": recorded.get("previous", previous)}

    def verify(self, run: StepRun) -> list[Check]:
        found = describe_set(run.api, run.params["ConfigurationSetName"]) or {}
        return [compare(run.id, self.field_name, found.get(self.field_name), run.params[self.member])]

    def undo(self, run: UndoRun) -> Undone:
        set_name = run.params["ConfigurationSetName"]
        if ("configuration_set", set_name) in run.doomed:
            return Undone(
                "nothing", f"goes with configuration set {set_name}", follows=("configuration_set", set_name)
            )
        found = describe_set(run.api, set_name)
        if found is None:
            return Undone("nothing", f"configuration set {set_name} is gone")
        if found.get(self.field_name) != run.params[self.member]:
            return Undone("nothing", f"{self.field_name} of {set_name} was changed since: left as it is")
        previous = run.result.get("previous")
        if previous:
            run.api.call(self.set_op, ConfigurationSetName=set_name, **{self.member: previous})
        else:
            run.api.call(self.delete_op, ConfigurationSetName=set_name)
        return Undone("undone", f"{self.field_name} of {set_name} back to {previous or '(none)'}")


@kind
class SetDefaultSenderId(_SetDefault):
    name = "set_default_sender_id"
    member, field_name = "SenderId", "DefaultSenderId"
    set_op, delete_op = "SetDefaultSenderId", "DeleteDefaultSenderId"


@kind
class SetDefaultMessageType(_SetDefault):
    name = "set_default_message_type"
    member, field_name = "MessageType", "DefaultMessageType"
    set_op, delete_op = "SetDefaultMessageType", "DeleteDefaultMessageType"


def _destination(found: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((d for d in found.get("EventDestinations", ()) if d["EventDestinationName"] == name), None)


def _destination_body(params: dict[str, Any]) -> dict[str, Any]:
    return {k: params[k] for k in DESTINATION_MEMBERS if params.get(k)}


def _matches(have: dict[str, Any], params: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    wanted: dict[str, Any] = {
        "MatchingEventTypes": sorted(params["MatchingEventTypes"]),
        **_destination_body(params),
    }
    if "Enabled" in params:
        wanted["Enabled"] = params["Enabled"]
    gaps = []
    for key, value in wanted.items():
        got = have.get(key)
        if key == "MatchingEventTypes":
            got = sorted(got or ())
        if got != value:
            gaps.append((key, got, value))
    return gaps


class _Destination(Kind):
    def verify(self, run: StepRun) -> list[Check]:
        set_name, name = run.params["ConfigurationSetName"], run.params["EventDestinationName"]
        have = _destination(describe_set(run.api, set_name) or {}, name)
        if have is None:
            return [Check(run.id, False, f"event destination {set_name}/{name} does not exist", "exists")]
        gaps = _matches(have, run.params)
        return (
            [Check(run.id, True, f"event destination {set_name}/{name} is as planned", "fields")]
            if not gaps
            else [
                Check(run.id, False, f"{key} is {got!r}, the plan wants {want!r}", key)
                for key, got, want in gaps
            ]
        )


@kind
class CreateEventDestination(_Destination):
    name = "create_event_destination"

    def execute(self, run: StepRun) -> dict[str, Any]:
        set_name, name = run.params["ConfigurationSetName"], run.params["EventDestinationName"]
        have = _destination(_require_set(run, set_name), name)
        if have is not None:
            # A destination carries no tags: it is this plan's only if an earlier run of this step made it.
            if _matches(have, run.params) or run.id not in run.state.attempted:
                raise StepError(
                    f"event destination {set_name}/{name} already exists and this plan did not make it; "
                    "re-plan (apply --refresh)"
                )
            return {"ConfigurationSetName": set_name, "EventDestinationName": name, "created": True}
        run.api.call(
            "CreateEventDestination",
            ConfigurationSetName=set_name,
            EventDestinationName=name,
            MatchingEventTypes=run.params["MatchingEventTypes"],
            ClientToken=run.token(),
            **_destination_body(run.params),
        )
        return {"ConfigurationSetName": set_name, "EventDestinationName": name, "created": True}

    def undo(self, run: UndoRun) -> Undone:
        set_name, name = run.params["ConfigurationSetName"], run.params["EventDestinationName"]
        if ("configuration_set", set_name) in run.doomed:
            return Undone(
                "nothing", f"goes with configuration set {set_name}", follows=("configuration_set", set_name)
            )
        have = _destination(describe_set(run.api, set_name) or {}, name)
        if have is None:
            return Undone("nothing", f"event destination {set_name}/{name} is already gone")
        if _matches(have, {**run.params, "Enabled": have.get("Enabled")}):
            return Undone("refused", f"event destination {set_name}/{name} was changed since: left alone")
        run.api.call("DeleteEventDestination", ConfigurationSetName=set_name, EventDestinationName=name)
        return Undone("undone", f"deleted event destination {set_name}/{name}")


@kind
class UpdateEventDestination(_Destination):
    name = "update_event_destination"

    def execute(self, run: StepRun) -> dict[str, Any]:
        set_name, name = run.params["ConfigurationSetName"], run.params["EventDestinationName"]
        have = _destination(_require_set(run, set_name), name)
        if have is None and not run.api.dry_run:
            raise StepError(f"event destination {set_name}/{name} does not exist")
        if have is None or _matches(have, run.params):
            run.api.call(
                "UpdateEventDestination",
                ConfigurationSetName=set_name,
                EventDestinationName=name,
                Enabled=run.params.get("Enabled", True),
                MatchingEventTypes=run.params["MatchingEventTypes"],
                **_destination_body(run.params),
            )
        return {"ConfigurationSetName": set_name, "EventDestinationName": name}

    def undo(self, run: UndoRun) -> Undone:
        set_name, name = run.params["ConfigurationSetName"], run.params["EventDestinationName"]
        previous = {k: v for k, v in (run.params.get("previous") or {}).items() if v is not None}
        have = _destination(describe_set(run.api, set_name) or {}, name)
        if have is None:
            return Undone("nothing", f"event destination {set_name}/{name} is gone")
        if not previous.get("MatchingEventTypes"):
            return Undone("refused", f"the journal lacks the earlier settings of {set_name}/{name}")
        run.api.call(
            "UpdateEventDestination", ConfigurationSetName=set_name, EventDestinationName=name, **previous
        )
        return Undone("undone", f"event destination {set_name}/{name} back to its earlier settings")
