"""The step kinds a plan is made of, one class each (see `steps` for the order that keeps invariant 1)."""

from __future__ import annotations

from migrate.plan.steps import PASSED_TO_V2, Grant, StepKind, step_kind, sv


@step_kind
class CreateOptOutList(StepKind):
    """Create the tenant's opt-out list (empty)."""

    name = "create_opt_out_list"
    operation = "CreateOptOutList"
    grants = (sv("CreateOptOutList"), sv("TagResource"), sv("DescribeOptOutLists", "*"))
    creates = True


@step_kind
class FillOptOutList(StepKind):
    """PutOptedOutNumber for every number of `sources` (the scan's 0600 CSV files; apply checks each
    file's sha256 first) and of the lists in `copy_from` (read with DescribeOptedOutNumbers), skipping
    numbers already on the list; rate-limited and resumable."""

    name = "fill_opt_out_list"
    grants = (sv("PutOptedOutNumber"), sv("DescribeOptedOutNumbers"), sv("DescribeOptedOutNumbers", "source"))


@step_kind
class VerifyOptOutList(StepKind):
    """Check that every number of `sources` and `copy_from` is on the list, then tag the list with
    `pinpoint-migrate:contents=<contents_sha256>` (how a later plan knows it is filled) and
    `pinpoint-migrate:verified-count=<entries>` and `pinpoint-migrate:verified-through=<newest entry's
    time>` (a later plan finding fewer entries no newer than that plans a refill). A pool is pointed at the
    list only after this step."""

    name = "verify_opt_out_list"
    grants = (sv("DescribeOptedOutNumbers"), sv("DescribeOptedOutNumbers", "source"), sv("TagResource"))


@step_kind
class RefillOptOutList(StepKind):
    """Drift repair: PutOptedOutNumber for exactly the numbers `verify --full` found the list lacks (its
    0600 missing-numbers file, named with its sha256 in `missing`; apply refuses a changed file), each looked
    up first and checked on the list after; the list's `verified-through` tag then moves past them. Nothing
    else on the list is touched."""

    name = "refill_opt_out_list"
    grants = (sv("PutOptedOutNumber"), sv("DescribeOptedOutNumbers"), sv("TagResource"))


@step_kind
class CreateConfigurationSet(StepKind):
    """Create the configuration set."""

    name = "create_configuration_set"
    operation = "CreateConfigurationSet"
    grants = (sv("CreateConfigurationSet"), sv("TagResource"), sv("DescribeConfigurationSets", "*"))
    creates = True


@step_kind
class SetDefaultSenderId(StepKind):
    """Set the configuration set's default sender ID (the Pinpoint SMS channel's)."""

    name = "set_default_sender_id"
    operation = "SetDefaultSenderId"
    grants = (sv("SetDefaultSenderId"),)


@step_kind
class SetDefaultMessageType(StepKind):
    """Set the configuration set's default message type."""

    name = "set_default_message_type"
    operation = "SetDefaultMessageType"
    grants = (sv("SetDefaultMessageType"),)


@step_kind
class CreateEventDestination(StepKind):
    """Create an event destination (Firehose, CloudWatch Logs or SNS) on the configuration set; undo
    deletes it."""

    name = "create_event_destination"
    operation = "CreateEventDestination"
    grants = (
        sv("CreateEventDestination"),
        Grant("iam:PassRole", "role", PASSED_TO_V2),
        sv("DescribeConfigurationSets", "*"),
    )
    creates = True


@step_kind
class UpdateEventDestination(StepKind):
    """Change an existing event destination; `previous` holds what it was, for undo."""

    name = "update_event_destination"
    operation = "UpdateEventDestination"
    grants = (sv("UpdateEventDestination"), Grant("iam:PassRole", "role", PASSED_TO_V2))


@step_kind
class SetPhoneNumberOptOutList(StepKind):
    """UpdatePhoneNumber OptOutListName: the number answers to the (verified) tenant list from now on;
    `previous` holds the list it had, for undo. Runs before the number founds or joins a pool."""

    name = "set_phone_number_opt_out_list"
    operation = "UpdatePhoneNumber"
    grants = (sv("UpdatePhoneNumber", "identity"), sv("DescribePhoneNumbers", "*"))


@step_kind
class CreatePool(StepKind):
    """CreatePool with the first identity as OriginationIdentity; the pool copies its keywords, opt-out
    list, two-way and self-managed opt-out settings. Deletion protection is set here (it is not copied)."""

    name = "create_pool"
    operation = "CreatePool"
    grants = (sv("CreatePool"), sv("CreatePool", "identity"), sv("TagResource"), sv("DescribePools", "*"))
    creates = True


@step_kind
class UpdatePool(StepKind):
    """UpdatePool: point the pool at the verified list and/or set deletion protection; `previous` holds
    what it was, for undo."""

    name = "update_pool"
    operation = "UpdatePool"
    grants = (sv("UpdatePool"),)


@step_kind
class AssociateOriginationIdentity(StepKind):
    """Add a further identity to the pool (its settings already match: same list after the switch)."""

    name = "associate_origination_identity"
    operation = "AssociateOriginationIdentity"
    grants = (
        sv("AssociateOriginationIdentity"),
        sv("AssociateOriginationIdentity", "identity"),
        sv("ListPoolOriginationIdentities"),
    )
