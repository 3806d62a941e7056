"""The finding catalog: every gap the tool cannot close itself, as data (code, severity, how, words, runbook).

The predicates that raise these live in `checks*.py` and the mapping rules; their words live here, apart
from their logic. `message` is a `str.format` template over the finding's fields (`account`, `region`,
`tenant`, `resource`) and its `details`. `runbook` names a file in `runbooks/` (every code a person must act
on has one; a test walks this catalog).
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("blocker", "warning", "info")
HOWS = ("api", "console", "support-case", "third-party-review", "code-change")

DOCS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/"


@dataclass(frozen=True)
class FindingSpec:
    code: str
    severity: str
    how: str
    title: str
    message: str
    remedy: str
    runbook: str = ""
    docs: str = ""


CATALOG: dict[str, FindingSpec] = {}


def _spec(
    code: str,
    severity: str,
    how: str,
    title: str,
    message: str,
    remedy: str,
    docs: str,
    *,
    runbook: bool = True,
) -> None:
    """Add a code; `runbook=False` only for codes no person needs to act on."""
    assert severity in SEVERITIES and how in HOWS, code
    CATALOG[code] = FindingSpec(
        code, severity, how, title, message, remedy, f"{code}.md" if runbook else "", docs
    )


# -- account and region ------------------------------------------------------------------------------
_spec(
    "SECTION_UNAVAILABLE",
    "warning",
    "console",
    "Part of the account could not be read",
    "{section} in {account}/{region} could not be read ({status}: {reason}); the plan cannot account for "
    "what it holds.",
    "Grant the read permission the reason names, or accept the gap if the API is retired, then scan again.",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonpinpoint.html",
)
_spec(
    "ACCOUNT_IN_SANDBOX",
    "blocker",
    "support-case",
    "Region is in the SMS sandbox",
    "{account}/{region} is in the SMS sandbox: v2 sends only to verified destination numbers there, so "
    "{tenants} cannot reach their recipients after cut-over.",
    "Open a support case (service: End User Messaging SMS, category: Sandbox) to move the region to "
    "production before cut-over.",
    DOCS + "sandbox.html",
)
_spec(
    "SPEND_LIMIT_LOW",
    "warning",
    "support-case",
    "Monthly spend limit is still the default",
    "{limit} in {account}/{region} is {maximum} USD a month: the traffic Pinpoint sent will stop as soon as "
    "it is reached.",
    "Request a spend limit increase in a support case, then raise the limit with SetTextSpendLimitOverride.",
    DOCS + "awssupport-spend-threshold.html",
)
_spec(
    "QUOTA_INSUFFICIENT",
    "blocker",
    "support-case",
    "Resource quota too small for the plan",
    "{limit} in {account}/{region}: {used} in use, {needed} more planned, quota {maximum}: "
    "{blocked_count} planned resource(s) are blocked ({blocked}).",
    "Request a quota increase (Service Quotas or a support case), or group tenants with "
    '`strategy = "shared:<group>"` in overrides.toml.',
    DOCS + "quotas.html",
)

# -- origination identities and registrations --------------------------------------------------------
_spec(
    "REGISTRATION_INCOMPLETE",
    "blocker",
    "console",
    "Registration is not complete",
    "Registration {registration_id} ({registration_type}) is {status}: {resources} cannot send until "
    "it is COMPLETE.",
    "Open the registration in the End User Messaging SMS console, answer what the reviewers asked and "
    "submit a new version.",
    DOCS + "registrations.html",
)
_spec(
    "SENDER_ID_REGISTRATION_REQUIRED",
    "blocker",
    "console",
    "Sender ID must be registered",
    "{tenant_name} sends as sender ID {sender_id} in {country}, where sender IDs must be registered; "
    "it is {state}.",
    "Register the sender ID for {country} (console: Registrations > Create registration) and wait for "
    "approval before cut-over.",
    DOCS + "sender-id.html",
)
_spec(
    "SHORT_CODE_MIGRATION",
    "warning",
    "third-party-review",
    "Short code program must still match",
    "Short code {value} of {tenant_name} moves into pool {pool}: carriers approved its program for the "
    "HELP/STOP replies and message flow it had; v2 answers with the number's keywords.",
    "Compare the short code's v2 keywords with the approved program brief; file a program update with "
    "the carriers (support case) if they differ.",
    DOCS + "phone-numbers-short-code.html",
)
_spec(
    "IDENTITY_UNAVAILABLE",
    "warning",
    "console",
    "Origination identity cannot be used",
    "{value} used by {tenant_name} ({used_by}) {reason}; it is left out of the pool.",
    "Release the reference (update the campaign or journey) or request the number/sender ID in v2, "
    "then plan again.",
    DOCS + "phone-numbers.html",
)
_spec(
    "TENANT_HAS_NO_ORIGINATION",
    "blocker",
    "console",
    "Tenant has no origination identity",
    "{tenant_name} has SMS or voice enabled but no origination identity the plan can put in a pool; "
    "its pool is not planned (its opt-out list and configuration set are).",
    "Request a number or sender ID for the tenant (and register it), or name one with "
    '`identities = [...]` under [tenants."{tenant_name}"] in overrides.toml.',
    DOCS + "phone-numbers-request.html",
)
_spec(
    "ORIGINATION_IDENTITY_SHARED",
    "blocker",
    "api",
    "Phone number used by several tenants",
    "{value} is used by {tenants}: a phone number can be in one pool only, so it is not assigned to any.",
    'Name its owner in overrides.toml: [numbers."{value}"] owner = "<project>". The other tenants\' '
    "opt-outs are then copied into the owner's list.",
    DOCS + "phone-pool.html",
)
_spec(
    "OPTOUTS_MERGED_FOR_SHARED_NUMBER",
    "info",
    "api",
    "Shared number's opt-outs merged",
    "{value} goes to {owner}'s pool; the opt-outs of {others} are copied into {list} as well, so nobody "
    "who opted out of that number can be messaged from it.",
    "Nothing to do; move the other tenants to numbers of their own when convenient.",
    DOCS + "opt-out-list.html",
    runbook=False,
)
_spec(
    "NUMBER_IN_OTHER_POOL",
    "blocker",
    "console",
    "Phone number already in another pool",
    "{value} is already in pool {pool_id}, which this plan does not manage; a phone number can be in one "
    "pool only, so it cannot join {pool}.",
    "Disassociate it from {pool_id} (DisassociateOriginationIdentity) if that pool is no longer used, "
    "then plan again.",
    DOCS + "phone-pool.html",
)
_spec(
    "POOL_IDENTITY_MISMATCH",
    "warning",
    "console",
    "Identity cannot join the tenant pool",
    "{value} cannot join pool {pool}: its {fields} differ from {first}'s, which the pool copies.",
    "Make the settings match (UpdatePhoneNumber, PutKeyword) or leave the identity out; plan again.",
    DOCS + "phone-pool.html",
)

# -- opt-outs ---------------------------------------------------------------------------------------
_spec(
    "OPTOUT_EXPORT_MISSING",
    "blocker",
    "api",
    "Tenant's opt-outs were not exported",
    "No opt-out export was read for {tenant_name}: list {list} cannot be filled, so no pool is pointed "
    "at it.",
    "Scan again with an endpoint export made before 2026-10-30 (--endpoints-export), or with the "
    "tenant's own suppression list (--optouts APP_ID=FILE) now that no new export can be made.",
    "https://docs.aws.amazon.com/pinpoint/latest/developerguide/audience-data-export.html",
)
_spec(
    "DEFAULT_OPTOUT_LIST_COPIED",
    "info",
    "api",
    "Default opt-out list copied",
    "The {count} number(s) on the Default opt-out list of {account}/{region} are copied into {lists}, so "
    "nobody who texted STOP is exposed when a number leaves the Default list.",
    "Nothing to do.",
    DOCS + "opt-out-list.html",
    runbook=False,
)
_spec(
    "OPTOUT_NUMBER_INVALID",
    "warning",
    "console",
    "Opted-out addresses that are not phone numbers",
    "{rejected} opted-out address(es) of {tenant_name} could not be read as phone numbers; they are in "
    "{rejects_file} and are not on the list.",
    "Review the rejects file; add any real number with PutOptedOutNumber (or the console) after apply.",
    DOCS + "opt-out-list.html",
)

# -- events -----------------------------------------------------------------------------------------
_spec(
    "EVENT_STREAM_KINESIS_UNSUPPORTED",
    "blocker",
    "console",
    "Event stream goes to Kinesis Data Streams",
    "{tenant_name} streams events to Kinesis Data Stream {destination}; v2 delivers only to Firehose, "
    "CloudWatch Logs and SNS.",
    "Create a Firehose stream (it can write to the same consumer) or choose a log group or SNS topic, "
    'and name it with `event_destination` under [tenants."{tenant_name}"] in overrides.toml.',
    DOCS + "configuration-sets-event-destinations.html",
)
_spec(
    "EVENT_ROLE_TRUST_MISSING",
    "blocker",
    "console",
    "Event role does not trust v2",
    "Role {role_arn} (used by {used_by}) trusts {trusts} but not sms-voice.amazonaws.com; v2 cannot "
    "deliver events with it.",
    "Add sms-voice.amazonaws.com to the role's trust policy and scan again, or name another role with "
    "`event_role` in overrides.toml.",
    DOCS + "configuration-sets-kinesis.html",
)
_spec(
    "EVENT_SCHEMA_CHANGES",
    "warning",
    "code-change",
    "Event records change shape",
    "Events of {tenant_name} change shape in v2: `_SMS.SUCCESS` becomes `TEXT_SUCCESSFUL`, snake_case "
    "fields become camelCase; whatever reads {destination} must read the new records.",
    "Update the consumers of the event stream before cut-over (the runbook lists the field mapping).",
    DOCS + "configuration-sets-event-format.html",
)
_spec(
    "V1_DESTINATIONS_OVER_LIMIT",
    "warning",
    "console",
    "Too many event destinations for v2",
    "v1 configuration set {name} has {count} event destinations; v2 allows 5; not planned: {dropped}.",
    "Merge destinations (one Firehose can fan out) and delete the extra ones in v1, then plan again.",
    DOCS + "configuration-sets-event-destinations.html",
)

# -- engagement features Pinpoint ends ---------------------------------------------------------------
_spec(
    "APP_SETTINGS_NO_EQUIVALENT",
    "warning",
    "code-change",
    "Project settings have no v2 equivalent",
    "{tenant_name} uses {settings}: v2 has none of these; they stop applying at cut-over.",
    "Enforce quiet time and frequency limits in the sending application (or Amazon Connect); the "
    "settings are exported to {file}.",
    "https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html",
)
_spec(
    "CAMPAIGNS_NEED_REBUILD",
    "warning",
    "code-change",
    "Campaigns end with Pinpoint",
    "{count} campaign(s) of {tenant_name} ({names}) stop with Pinpoint; their definitions are exported.",
    "Rebuild them in Amazon Connect outbound campaigns or the application's scheduler, sending with "
    "SendTextMessage.",
    "https://docs.aws.amazon.com/connect/latest/adminguide/how-to-create-campaigns.html",
)
_spec(
    "JOURNEYS_NEED_REBUILD",
    "warning",
    "code-change",
    "Journeys end with Pinpoint",
    "{count} journey(s) of {tenant_name} ({names}) stop with Pinpoint; their definitions are exported.",
    "Rebuild them as Amazon Connect flows or Step Functions workflows that send with SendTextMessage.",
    "https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html",
)
_spec(
    "SEGMENTS_NEED_REBUILD",
    "warning",
    "code-change",
    "Segments end with Pinpoint",
    "{count} segment(s) of {tenant_name} ({names}) stop with Pinpoint; their definitions are exported.",
    "Rebuild audiences in Amazon Connect customer profiles or your own data store.",
    "https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html",
)
_spec(
    "TEMPLATES_EXPORTED",
    "info",
    "code-change",
    "Message templates exported",
    "{count} message template(s) in {account}/{region} were exported; {converted} SMS/voice template(s) "
    "were converted to Jinja2.",
    "Render the Jinja2 files in the sending application before calling SendTextMessage/SendVoiceMessage.",
    "https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html",
)
_spec(
    "EMAIL_CHANNEL_TO_SES",
    "warning",
    "code-change",
    "Email channel moves to Amazon SES",
    "{tenant_name} sends email through Pinpoint ({from_address}); after cut-over send with Amazon SES "
    "directly.",
    "Send with SES SendEmail from the same verified identity; move templates to SES templates.",
    "https://docs.aws.amazon.com/ses/latest/dg/send-email.html",
)
_spec(
    "PUSH_CHANNEL_UNCHANGED",
    "info",
    "api",
    "Push channel stays where it is",
    "{tenant_name}'s {channels} channel(s) keep working in AWS End User Messaging Push; nothing moves.",
    "Nothing to do.",
    "https://docs.aws.amazon.com/push-notifications/latest/userguide/what-is-service.html",
    runbook=False,
)
_spec(
    "CODE_USES_OLD_SEND_API",
    "warning",
    "code-change",
    "Code calls a send API that goes away",
    "{api} is called at {where}; replace it with {replacement}.",
    "Change the call to the v2 operation (the report gives the parameter mapping) and deploy before "
    "cut-over.",
    "https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html",
)
_spec(
    "EVENTS_NOT_DELIVERED",
    "blocker",
    "code-change",
    "Delivery events stopped with Pinpoint",
    "SMS and voice delivery events of {tenant_name} (event stream to {destination}, {known}) {when}; they "
    "come back only for sends made with SendTextMessage/SendVoiceMessage naming configuration set "
    "{configuration_set}.",
    "Move the senders' code to v2 SendTextMessage/SendVoiceMessage with ConfigurationSetName="
    "{configuration_set} (`pinpoint-migrate rewrite` writes the patch), after the configuration set and its "
    "event destination are applied.",
    "https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-destinations.html",
)
_spec(
    "EVENT_DESTINATION_UNCONFIRMED",
    "warning",
    "api",
    "Inferred event destination awaits confirmation",
    "{tenant_name}'s event stream could not be read (retired with Pinpoint); it is inferred to have been "
    "{destination} ({evidence}). The v2 event destination is not planned until you confirm it.",
    'Confirm it in overrides.toml: [tenants."{tenant_name}"] event_destination = "{destination}" '
    "(and event_role if the role is not {role_arn}), or name another destination, then plan again.",
    "https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-kinesis.html",
)
