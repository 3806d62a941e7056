"""Generated replacements for call sites this tool does not rewrite blindly: JavaScript/TypeScript (AWS SDK
for JavaScript v3) and AWS CLI. They go into the patch's notes for a person to carry over.

The v2 client and commands are `@aws-sdk/client-pinpoint-sms-voice-v2` (`PinpointSMSVoiceV2Client`,
`SendTextMessageCommand`, `SendVoiceMessageCommand`) and `aws pinpoint-sms-voice-v2 send-text-message` /
`send-voice-message` (https://docs.aws.amazon.com/cli/latest/reference/pinpoint-sms-voice-v2/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migrate.inventory.codescan import CodeHit
from migrate.rewrite.python_calls import Tenant

_ORIGIN = re.compile(r"(?:OriginationNumber|--origination-phone-number|--caller-id)[\s:='\"]+(\+?[\w-]+)")
_TYPE = re.compile(r"MessageType\W+['\"]?(TRANSACTIONAL|PROMOTIONAL)")


@dataclass(frozen=True)
class Note:
    detail: str
    code: str
    tenant: str = ""


def _tenant(text: str, tenants: dict[str, Tenant]) -> Tenant | None:
    found = [t for app_id, t in sorted(tenants.items()) if app_id in text]
    return found[0] if len(found) == 1 else None


def note_for(hit: CodeHit, text: str, tenants: dict[str, Tenant]) -> Note | None:
    """The generated v2 code for one JS/TS call or CLI line, or None when there is nothing to generate."""
    voice = hit.channel == "VOICE"
    tenant = _tenant(text, tenants)
    config_set = tenant.configuration_set if tenant else "<the tenant's configuration set (see the plan)>"
    origin = _ORIGIN.search(text)
    origination = origin.group(1) if origin else "<origination number, sender ID or pool id>"
    message_type = _TYPE.search(text)
    if (
        hit.language in ("javascript", "typescript")
        and hit.kind == "call"
        and hit.api != "pinpoint:SendUsersMessages"
    ):
        command = "SendVoiceMessageCommand" if voice else "SendTextMessageCommand"
        fields = [
            "DestinationPhoneNumber: phone,  // one call per address: v2 sends to one number",
            f'OriginationIdentity: "{origination}",',
            "MessageBody: body,",
        ]
        if voice:
            fields.append('MessageBodyTextType: "TEXT",  // or "SSML"')
        elif message_type:
            fields.append(f'MessageType: "{message_type.group(1)}",')
        fields.append(f'ConfigurationSetName: "{config_set}",')
        code = "\n".join(
            [
                f'import {{ PinpointSMSVoiceV2Client, {command} }} from "@aws-sdk/client-pinpoint-sms-voice-v2";',
                "const sms = new PinpointSMSVoiceV2Client({});",
                "// v2 answers { MessageId } per call, and throws (Reason DESTINATION_PHONE_NUMBER_OPTED_OUT, ...)",
                "// where SendMessages returned a DeliveryStatus per address",
                f"const {{ MessageId }} = await sms.send(new {command}({{",
                *(f"  {f}" for f in fields),
                "}));",
            ]
        )
        return Note("AWS SDK v3: replacement in the notes", code, tenant.slug if tenant else "")
    if hit.kind == "cli":
        operation = (
            "send-voice-message" if hit.api.endswith("SendVoiceMessage") or voice else "send-text-message"
        )
        parts = [
            f"aws pinpoint-sms-voice-v2 {operation}",
            '  --destination-phone-number "$1"',
            f"  --origination-identity {origination}",
            '  --message-body "<the message text>"',
        ]
        if operation == "send-voice-message":
            parts.append("  --message-body-text-type SSML  # or TEXT, from the v1 Content member")
        parts.append(f"  --configuration-set-name {config_set}")
        return Note("AWS CLI: replacement in the notes", " \\\n".join(parts), tenant.slug if tenant else "")
    return None
