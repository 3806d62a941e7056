"""What `codescan` looks for, as data: per language, the patterns of the old send APIs, and per API its v2
replacement with the parameter mapping the readiness report prints next to every call site.

A pattern is matched line by line. A language may ask that a file also names the service's SDK
somewhere (`guards`): Django's mail backend has a `send_messages()` too, and v2's client has a
`send_voice_message()` like v1's, so a bare method name is not enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEND_MESSAGES = "pinpoint:SendMessages"
SEND_USERS_MESSAGES = "pinpoint:SendUsersMessages"
V1_SEND_VOICE = "pinpoint-sms-voice:SendVoiceMessage"
PINPOINT, V1 = "pinpoint", "pinpoint-sms-voice"  # the guard each API needs (its service)
API_SERVICE = {SEND_MESSAGES: PINPOINT, SEND_USERS_MESSAGES: PINPOINT, V1_SEND_VOICE: V1}


@dataclass(frozen=True)
class Rule:
    api: str
    kind: str  # call | request | cli | state-machine | iam | inline-code
    pattern: re.Pattern[str]
    note: str = ""


@dataclass(frozen=True)
class Language:
    name: str
    extensions: tuple[str, ...] = ()
    filenames: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    guards: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (service, pattern the file must contain)
    ignore: re.Pattern[str] | None = None  # lines that only name a type (imports) are not call sites


def _r(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _rules(api: str, kind: str, *patterns: str, note: str = "") -> tuple[Rule, ...]:
    return tuple(Rule(api, kind, _r(p), note) for p in patterns)


CLI_RULES = (
    *_rules(SEND_MESSAGES, "cli", r"\baws\b[^\n|;&]*?\spinpoint\s+send-messages\b"),
    *_rules(SEND_USERS_MESSAGES, "cli", r"\baws\b[^\n|;&]*?\spinpoint\s+send-users-messages\b"),
    *_rules(V1_SEND_VOICE, "cli", r"\baws\b[^\n|;&]*?\spinpoint-sms-voice\s+send-voice-message\b"),
)
# Step Functions' SDK integrations (in ASL, CloudFormation, Terraform, CDK) and IAM actions.
STATE_MACHINE_RULES = (
    *_rules(SEND_MESSAGES, "state-machine", r"aws-sdk:pinpoint:sendMessages\b"),
    *_rules(SEND_USERS_MESSAGES, "state-machine", r"aws-sdk:pinpoint:sendUsersMessages\b"),
    *_rules(V1_SEND_VOICE, "state-machine", r"aws-sdk:pinpointsmsvoice:sendVoiceMessage\b"),
)
IAM_RULES = (
    *_rules(SEND_MESSAGES, "iam", r"\bmobiletargeting:SendMessages\b"),
    *_rules(SEND_USERS_MESSAGES, "iam", r"\bmobiletargeting:SendUsersMessages\b"),
    *_rules(
        V1_SEND_VOICE,
        "iam",
        r"\bsms-voice:SendVoiceMessage\b",
        note="sms-voice:SendVoiceMessage is the IAM action of v1 and of v2 alike",
    ),
)
CDK_RULES = (  # CallAwsService(service="pinpoint", action="sendMessages") in CDK code
    *_rules(SEND_MESSAGES, "state-machine", r"""\baction\s*[:=]\s*['"]sendMessages['"]"""),
    *_rules(SEND_USERS_MESSAGES, "state-machine", r"""\baction\s*[:=]\s*['"]sendUsersMessages['"]"""),
)

PYTHON_CALLS = (
    *_rules(SEND_MESSAGES, "call", r"\.send_messages\s*\("),
    *_rules(SEND_USERS_MESSAGES, "call", r"\.send_users_messages\s*\("),
    *_rules(V1_SEND_VOICE, "call", r"\.send_voice_message\s*\("),
)
PYTHON_GUARDS = (
    (PINPOINT, _r(r"""['"](?:pinpoint|mobiletargeting)['"]""")),
    (V1, _r(r"""['"](?:pinpoint-sms-voice|sms-voice\.pinpoint)['"]""")),
)
JS_CALLS = (
    *_rules(SEND_MESSAGES, "call", r"\.sendMessages\s*\(", r"\bnew\s+SendMessagesCommand\b"),
    *_rules(SEND_USERS_MESSAGES, "call", r"\.sendUsersMessages\s*\(", r"\bnew\s+SendUsersMessagesCommand\b"),
    *_rules(V1_SEND_VOICE, "call", r"\.sendVoiceMessage\s*\(", r"\bnew\s+SendVoiceMessageCommand\b"),
)
JS_GUARDS = (
    (
        PINPOINT,
        _r(
            r"""client-pinpoint['"]|clients/pinpoint['"]|\bAWS\.Pinpoint\b|\bPinpointClient\b|['"]pinpoint['"]"""
        ),
    ),
    (
        V1,
        _r(
            r"""client-pinpoint-sms-voice['"]|clients/pinpointsmsvoice['"]|\bAWS\.PinpointSMSVoice\b|\bPinpointSMSVoiceClient\b"""
        ),
    ),
)

LANGUAGES: tuple[Language, ...] = (
    Language(
        "python",
        (".py",),
        rules=PYTHON_CALLS + CDK_RULES + STATE_MACHINE_RULES,
        guards=PYTHON_GUARDS,
        ignore=_r(r"^\s*(?:from|import)\s"),
    ),
    *(
        Language(
            name,
            exts,
            rules=JS_CALLS + CDK_RULES + STATE_MACHINE_RULES,
            guards=JS_GUARDS,
            ignore=_r(r"^\s*(?:import|export)\b.*\bfrom\b|\brequire\s*\("),
        )
        for name, exts in (
            ("javascript", (".js", ".mjs", ".cjs", ".jsx")),
            ("typescript", (".ts", ".mts", ".cts", ".tsx")),
        )
    ),
    *(
        Language(
            name,
            exts,
            rules=(
                *_rules(SEND_MESSAGES, "call", r"\.sendMessages\s*\("),
                *_rules(SEND_MESSAGES, "request", r"\bSendMessagesRequest\b"),
                *_rules(SEND_USERS_MESSAGES, "call", r"\.sendUsersMessages\s*\("),
                *_rules(SEND_USERS_MESSAGES, "request", r"\bSendUsersMessagesRequest\b"),
                *_rules(V1_SEND_VOICE, "call", r"\.sendVoiceMessage\s*\("),
                *_rules(V1_SEND_VOICE, "request", r"\bSendVoiceMessageRequest\b"),
            ),
            guards=(
                (PINPOINT, _r(r"\bservices\.pinpoint\b")),
                (V1, _r(r"\bservices\.pinpointsmsvoice\b")),
            ),
            ignore=_r(r"^\s*import\s"),
        )
        for name, exts in (("java", (".java",)), ("kotlin", (".kt", ".kts")))
    ),
    Language(
        "go",
        (".go",),
        rules=(
            *_rules(SEND_MESSAGES, "call", r"\.SendMessages(?:WithContext|Request)?\s*\("),
            *_rules(SEND_MESSAGES, "request", r"\bSendMessagesInput\b"),
            *_rules(SEND_USERS_MESSAGES, "call", r"\.SendUsersMessages(?:WithContext|Request)?\s*\("),
            *_rules(SEND_USERS_MESSAGES, "request", r"\bSendUsersMessagesInput\b"),
            *_rules(V1_SEND_VOICE, "call", r"\.SendVoiceMessage(?:WithContext|Request)?\s*\("),
            *_rules(V1_SEND_VOICE, "request", r"\bSendVoiceMessageInput\b"),
        ),
        guards=((PINPOINT, _r(r"""service/pinpoint['"/]""")), (V1, _r(r"""service/pinpointsmsvoice['"/]"""))),
    ),
    Language(
        "csharp",
        (".cs",),
        rules=(
            *_rules(SEND_MESSAGES, "call", r"\bSendMessages(?:Async)?\s*\("),
            *_rules(SEND_MESSAGES, "request", r"\bSendMessagesRequest\b"),
            *_rules(SEND_USERS_MESSAGES, "call", r"\bSendUsersMessages(?:Async)?\s*\("),
            *_rules(SEND_USERS_MESSAGES, "request", r"\bSendUsersMessagesRequest\b"),
            *_rules(V1_SEND_VOICE, "call", r"\bSendVoiceMessage(?:Async)?\s*\("),
            *_rules(V1_SEND_VOICE, "request", r"\bSendVoiceMessageRequest\b"),
        ),
        guards=((PINPOINT, _r(r"\bAmazon\.Pinpoint\b")), (V1, _r(r"\bAmazon\.PinpointSMSVoice\b"))),
        ignore=_r(r"^\s*using\s"),
    ),
    Language(
        "shell",
        (".sh", ".bash", ".zsh", ".ksh", ".ps1"),
        filenames=("Makefile", "makefile", "GNUmakefile", "Dockerfile", "Justfile"),
        rules=CLI_RULES,
    ),
    # json/yaml/template files are given one of the four names below by their content (see codescan).
    *(
        Language(name, rules=CLI_RULES + STATE_MACHINE_RULES + IAM_RULES)
        for name in ("cloudformation", "stepfunctions", "json", "yaml")
    ),
    Language("terraform", (".tf", ".tf.json", ".hcl"), rules=CLI_RULES + STATE_MACHINE_RULES + IAM_RULES),
)
STRUCTURED_EXTENSIONS = (".json", ".yaml", ".yml", ".template")
# Inline Lambda code in templates (CloudFormation ZipFile/InlineCode, Terraform heredocs).
INLINE_CODE_RULES = tuple(Rule(r.api, "inline-code", r.pattern) for r in PYTHON_CALLS + JS_CALLS)
INLINE_CODE_GUARDS = PYTHON_GUARDS + JS_GUARDS

SMS_HINT = _r(r"\bSMSMessage\b|\bsms_message\b|\bsmsMessage\b|\bSMS\b|\bChannelTypeSms\b")
VOICE_HINT = _r(r"\bVoiceMessage\b|\bvoice_message\b|\bvoiceMessage\b|\bVOICE\b|\bChannelTypeVoice\b")
HINT_WINDOW = 12  # lines either side of a call site read for the channel


@dataclass(frozen=True)
class Replacement:
    operation: str  # the v2 operation(s)
    parameters: tuple[tuple[str, str], ...]  # (old parameter path, what to do in v2)


_COMMON = (
    ("ApplicationId", "ConfigurationSetName of the tenant's v2 configuration set"),
    ("MessageRequest.Context / Addresses.<n>.Context", "Context"),
    ("MessageRequest.TraceId", "Context (e.g. {'TraceId': ...}); v2 returns a MessageId per message"),
    ("Endpoints (endpoint IDs)", "look up each endpoint's Address yourself: endpoints are retired"),
)
_SMS = (
    ("MessageRequest.Addresses.<number> (ChannelType SMS)", "DestinationPhoneNumber (one call per number)"),
    ("SMSMessage.Body / Addresses.<n>.BodyOverride", "MessageBody"),
    ("SMSMessage.OriginationNumber", "OriginationIdentity (phone number, pool, or their ARN)"),
    ("SMSMessage.SenderId", "OriginationIdentity (the registered sender ID, or a pool holding it)"),
    ("SMSMessage.MessageType", "MessageType (TRANSACTIONAL | PROMOTIONAL)"),
    ("SMSMessage.Keyword", "Keyword"),
    ("SMSMessage.EntityId", "DestinationCountryParameters {'IN_ENTITY_ID': ...}"),
    ("SMSMessage.TemplateId", "DestinationCountryParameters {'IN_TEMPLATE_ID': ...}"),
    ("SMSMessage.MediaUrl", "SendMediaMessage MediaUrls (MMS), not SendTextMessage"),
    ("SMSMessage.Substitutions / TemplateConfiguration.SMSTemplate", "render the body in your code"),
)
_VOICE = (
    ("MessageRequest.Addresses.<number> (ChannelType VOICE)", "DestinationPhoneNumber (one call per number)"),
    ("VoiceMessage.Body", "MessageBody with MessageBodyTextType TEXT or SSML"),
    ("VoiceMessage.OriginationNumber", "OriginationIdentity"),
    ("VoiceMessage.VoiceId", "VoiceId (v2 spells the voice in capitals, e.g. JOANNA)"),
    ("VoiceMessage.LanguageCode", "implied by VoiceId"),
    ("VoiceMessage.Substitutions / TemplateConfiguration.VoiceTemplate", "render the body in your code"),
)
_USERS = (("SendUsersMessageRequest.Users.<user id>", "resolve the user's SMS/voice addresses yourself"),)
_V1_VOICE = (
    ("DestinationPhoneNumber", "DestinationPhoneNumber"),
    ("OriginationPhoneNumber", "OriginationIdentity"),
    ("CallerId", "OriginationIdentity (v2 shows the origination identity as caller)"),
    ("Content.SSMLMessage.Text", "MessageBody with MessageBodyTextType SSML"),
    (
        "Content.PlainTextMessage.Text / CallInstructionsMessage.Text",
        "MessageBody with MessageBodyTextType TEXT",
    ),
    ("Content.*.VoiceId", "VoiceId (in capitals, e.g. JOANNA)"),
    ("Content.*.LanguageCode", "implied by VoiceId"),
    ("ConfigurationSetName", "ConfigurationSetName of the v2 configuration set migrated from v1"),
)
V2 = "pinpoint-sms-voice-v2"
TEXT = Replacement(f"{V2}:SendTextMessage", _SMS + _COMMON)
VOICE = Replacement(f"{V2}:SendVoiceMessage", _VOICE + _COMMON)
EITHER = Replacement(f"{V2}:SendTextMessage or {V2}:SendVoiceMessage", _SMS + _VOICE + _COMMON)


def replacement(api: str, channel: str) -> Replacement:
    """The v2 operation and parameter mapping for one call site of `api` on `channel`."""
    if api == V1_SEND_VOICE:
        return Replacement(f"{V2}:SendVoiceMessage", _V1_VOICE)
    chosen = {"SMS": TEXT, "VOICE": VOICE}.get(channel, EITHER)
    if api == SEND_USERS_MESSAGES:
        return Replacement(chosen.operation, _USERS + chosen.parameters)
    return chosen
