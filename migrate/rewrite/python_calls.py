"""Rewrite one Python module's old send calls to SMS/Voice v2, with libcst (formatting and comments kept).

What is rewritten (everything else is left as it is, with the reason):
- boto3 `pinpoint` `send_messages(ApplicationId=..., MessageRequest={...})` whose ApplicationId is a
  literal or a module-level constant naming a tenant of the plan, whose MessageRequest is a dict literal
  with `Addresses` (SMS or VOICE) and `MessageConfiguration.SMSMessage` / `VoiceMessage`;
- boto3 `pinpoint-sms-voice` `send_voice_message(...)` with keyword arguments and a dict-literal Content.

Parameter mapping, from botocore's models (pinpoint `SMSMessage`, `VoiceMessage`, `AddressConfiguration`;
pinpoint-sms-voice `SendVoiceMessageRequest`; pinpoint-sms-voice-v2 `SendTextMessageRequest`,
`SendVoiceMessageRequest`) and the API references
(https://docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-messages.html,
https://docs.aws.amazon.com/pinpoint-sms-voice/latest/APIReference/v1-sms-voice-voice-message.html,
https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html,
https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendVoiceMessage.html):
Addresses key -> DestinationPhoneNumber (one call each: v2 sends to one number); Body / BodyOverride ->
MessageBody; OriginationNumber / SenderId / OriginationPhoneNumber / CallerId -> OriginationIdentity;
MessageType, Keyword -> the same; EntityId / TemplateId -> DestinationCountryParameters IN_ENTITY_ID /
IN_TEMPLATE_ID; Context -> Context; VoiceId -> VoiceId in capitals (v2's enum is JOANNA, ...);
LanguageCode -> dropped (implied by VoiceId); the tenant's configuration set -> ConfigurationSetName.
Pinpoint's SMSMessage and VoiceMessage have no time to live, so v2's TimeToLive is left unset.
A response used afterwards keeps SendMessages' shape (`MessageResponse.Result[address]`) built from
v2's one MessageId per call, and a refused destination (a ClientError such as Reason
DESTINATION_PHONE_NUMBER_OPTED_OUT) becomes that address's failed DeliveryStatus, as before.

This module decides what each call becomes; `python_source.py` reads the module (literals, constants,
clients) and `python_emit.py` writes the new calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import PositionProvider

from migrate.rewrite.python_emit import MARK as MARK
from migrate.rewrite.python_emit import call_text as _call
from migrate.rewrite.python_emit import emit as _emit_call
from migrate.rewrite.python_emit import voice_id as _voice_id
from migrate.rewrite.python_emit import voice_type as _voice_type
from migrate.rewrite.python_source import V2_CLIENT, V2_SERVICE, Unsafe
from migrate.rewrite.python_source import FoundCall as _Call
from migrate.rewrite.python_source import Modules as _Modules
from migrate.rewrite.python_source import add_client as _add_client
from migrate.rewrite.python_source import code as _code
from migrate.rewrite.python_source import dict_of as _dict
from migrate.rewrite.python_source import keywords as _keywords
from migrate.rewrite.python_source import literal as _literal

_OLD = {"pinpoint": "send_messages", "pinpoint-sms-voice": "send_voice_message"}
_SMS_KEYS = {"Body", "MessageType", "Keyword", "OriginationNumber", "SenderId", "EntityId", "TemplateId"}
_VOICE_KEYS = {"Body", "OriginationNumber", "VoiceId", "LanguageCode"}
_ADDRESS_KEYS = {"ChannelType", "BodyOverride", "Context"}
_V1_KEYS = {"DestinationPhoneNumber", "OriginationPhoneNumber", "CallerId", "ConfigurationSetName", "Content"}


@dataclass(frozen=True)
class Tenant:
    slug: str
    app_id: str
    configuration_set: str
    pools: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """One old send call: rewritten (to `operation`) or left, with the reason."""

    line: int
    end_line: int
    api: str
    status: str  # rewritten | left
    detail: str
    tenant: str = ""
    operation: str = ""


class _Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, modules: _Modules, tenants: dict[str, Tenant], client: str) -> None:
        super().__init__()
        self.modules = modules
        self.tenants = tenants
        self.client = client
        self.outcomes: list[Outcome] = []

    def _old_call(self, line: cst.SimpleStatementLine) -> _Call | None:
        if len(line.body) != 1:
            return None
        small = line.body[0]
        target = None
        if isinstance(small, cst.Expr):
            value = small.value
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            if not isinstance(small.targets[0].target, cst.Name):
                return None
            target, value = small.targets[0].target.value, small.value
        else:
            return None
        if isinstance(value, cst.Await):
            return None
        if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
            return None
        owner = value.func.value
        if not isinstance(owner, cst.Name) or owner.value not in self.modules.clients:
            return None
        service = self.modules.clients[owner.value]
        if _OLD.get(service) != value.func.attr.value:
            return None
        return _Call(target, owner.value, service, value)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        found = self._old_call(original_node)
        if found is None:
            return updated_node
        where = self.get_metadata(PositionProvider, original_node)
        api = (
            "pinpoint:SendMessages" if found.service == "pinpoint" else "pinpoint-sms-voice:SendVoiceMessage"
        )
        try:
            if found.service == "pinpoint":
                text, tenant, operation = self._send_messages(found)
            else:
                text, tenant, operation = self._v1_voice(found)
        except Unsafe as exc:
            self.outcomes.append(Outcome(where.start.line, where.end.line, api, "left", str(exc)))
            return updated_node
        parsed = cst.parse_module(text)
        statements = list(parsed.body)
        first = statements[0]
        # the generated comments (the module header of the parsed text) go after the call's own comments
        statements[0] = first.with_changes(leading_lines=[*original_node.leading_lines, *parsed.header])
        detail = f"-> {V2_SERVICE} {operation}" + (f" (tenant {tenant})" if tenant else "")
        self.outcomes.append(
            Outcome(where.start.line, where.end.line, api, "rewritten", detail, tenant, operation)
        )
        return cst.FlattenSentinel(statements)

    # -- pinpoint SendMessages ---------------------------------------------------------------------------
    def _send_messages(self, found: _Call) -> tuple[str, str, str]:
        args = _keywords(found.call, {"ApplicationId", "MessageRequest"})
        if "ApplicationId" not in args or "MessageRequest" not in args:
            raise Unsafe("ApplicationId or MessageRequest is missing")
        app_id = _literal(args["ApplicationId"], self.modules.constants)
        if app_id is None:
            raise Unsafe(
                "ApplicationId is neither a string literal nor a module-level constant: the tenant is unknown"
            )
        tenant = self.tenants.get(app_id)
        if tenant is None:
            raise Unsafe(f"application {app_id} is not a tenant of the plan")
        request = _dict(args["MessageRequest"], "MessageRequest")
        extra = set(request) - {"Addresses", "MessageConfiguration", "Context", "TraceId"}
        if extra:
            raise Unsafe(
                f"MessageRequest uses {', '.join(sorted(extra))} (endpoints and templates are retired)"
            )
        if "Addresses" not in request:
            raise Unsafe("MessageRequest has no Addresses")
        addresses = request["Addresses"]
        if not isinstance(addresses, cst.Dict) or not addresses.elements:
            raise Unsafe("Addresses is not a dict literal")
        destinations: list[tuple[str, dict[str, cst.BaseExpression]]] = []
        channels = set()
        for element in addresses.elements:
            if not isinstance(element, cst.DictElement):
                raise Unsafe("Addresses has a ** expansion")
            config = _dict(element.value, "an address's configuration")
            if set(config) - _ADDRESS_KEYS:
                raise Unsafe(f"an address uses {', '.join(sorted(set(config) - _ADDRESS_KEYS))}")
            channel = _literal(config.get("ChannelType", cst.Name("None")), {})
            if channel not in ("SMS", "VOICE"):
                raise Unsafe("an address's ChannelType is not the literal SMS or VOICE")
            channels.add(channel)
            destinations.append((_code(element.key), config))
        if len(channels) != 1:
            raise Unsafe("the request mixes SMS and VOICE addresses")
        channel = channels.pop()
        configuration = _dict(request.get("MessageConfiguration", cst.Dict([])), "MessageConfiguration")
        message_key = "SMSMessage" if channel == "SMS" else "VoiceMessage"
        if set(configuration) - {message_key}:
            raise Unsafe(f"MessageConfiguration has {', '.join(sorted(set(configuration) - {message_key}))}")
        message = _dict(configuration.get(message_key, cst.Dict([])), message_key)
        allowed = _SMS_KEYS if channel == "SMS" else _VOICE_KEYS
        if set(message) - allowed:
            raise Unsafe(
                f"{message_key} uses {', '.join(sorted(set(message) - allowed))}, which v2 sends differently"
            )
        body = _code(message["Body"]) if "Body" in message else None
        pairs = []
        for destination, config in destinations:
            text = _code(config["BodyOverride"]) if "BodyOverride" in config else body
            if text is None:
                raise Unsafe("no Body (and no BodyOverride) for an address")
            context = _code(config["Context"]) if "Context" in config else None
            pairs.append((destination, text, context))
        shared_context = _code(request["Context"]) if "Context" in request else None
        params = self._parameters(channel, message, tenant)
        if "TraceId" in request:
            trace = _code(request["TraceId"])
            shared_context = (
                f"{{**{shared_context}, 'TraceId': {trace}}}" if shared_context else f"{{'TraceId': {trace}}}"
            )
        operation = "SendTextMessage" if channel == "SMS" else "SendVoiceMessage"
        method = "send_text_message" if channel == "SMS" else "send_voice_message"
        text = _emit_call(
            found,
            self.client,
            method,
            operation,
            tenant.slug,
            pairs,
            params,
            shared_context,
            _code(args["ApplicationId"]),
        )
        return text, tenant.slug, operation

    def _parameters(self, channel: str, message: dict[str, cst.BaseExpression], tenant: Tenant) -> list[str]:
        params: list[str] = []
        origin = message.get("OriginationNumber") or message.get("SenderId")
        if origin is not None:
            params.append(f"OriginationIdentity={_code(origin)}")
        elif channel == "VOICE":
            raise Unsafe(
                "a voice message needs an origination identity (VoiceMessage.OriginationNumber) in v2"
            )
        if channel == "SMS":
            for key in ("MessageType", "Keyword"):
                if key in message:
                    params.append(f"{key}={_code(message[key])}")
            country = [
                (k, v)
                for k, v in (("IN_ENTITY_ID", "EntityId"), ("IN_TEMPLATE_ID", "TemplateId"))
                if v in message
            ]
            if country:
                inner = ", ".join(f"'{k}': {_code(message[v])}" for k, v in country)
                params.append(f"DestinationCountryParameters={{{inner}}}")
        else:
            params.append(f"MessageBodyTextType={_voice_type(message.get('Body'))}")
            if "VoiceId" in message:
                params.append(f"VoiceId={_voice_id(message['VoiceId'])}")
        params.append(f"ConfigurationSetName={tenant.configuration_set!r}")
        return params

    # -- v1 SendVoiceMessage -----------------------------------------------------------------------------
    def _v1_voice(self, found: _Call) -> tuple[str, str, str]:
        args = _keywords(found.call, _V1_KEYS)
        if "DestinationPhoneNumber" not in args or "Content" not in args:
            raise Unsafe("DestinationPhoneNumber or Content is missing")
        origin = args.get("OriginationPhoneNumber") or args.get("CallerId")
        if origin is None:
            raise Unsafe("no OriginationPhoneNumber or CallerId: v2 needs an origination identity")
        content = _dict(args["Content"], "Content")
        if len(content) != 1:
            raise Unsafe("Content must hold exactly one message")
        kind, inner_node = next(iter(content.items()))
        inner = _dict(inner_node, f"Content.{kind}")
        if "Text" not in inner or set(inner) - {"Text", "VoiceId", "LanguageCode"}:
            raise Unsafe(f"Content.{kind} has no Text, or members v2 cannot take")
        text_type = "'SSML'" if kind == "SSMLMessage" else "'TEXT'"
        params = [f"OriginationIdentity={_code(origin)}", f"MessageBodyTextType={text_type}"]
        if "VoiceId" in inner:
            params.append(f"VoiceId={_voice_id(inner['VoiceId'])}")
        review = ""
        if "ConfigurationSetName" in args:
            params.append(f"ConfigurationSetName={_code(args['ConfigurationSetName'])}")
        else:
            review = f"{MARK} review: name the tenant's configuration set (ConfigurationSetName=...) so its events come back\n"
        call = _call(
            f"{self.client}.send_voice_message",
            [
                f"DestinationPhoneNumber={_code(args['DestinationPhoneNumber'])}",
                f"MessageBody={_code(inner['Text'])}",
                *params,
            ],
            "",
        )
        target = f"{found.target} = " if found.target else ""
        text = f"{MARK} pinpoint-sms-voice SendVoiceMessage -> {V2_SERVICE} SendVoiceMessage\n{review}{target}{call}\n"
        return text, "", "SendVoiceMessage"


@dataclass(frozen=True)
class Rewritten:
    text: str
    outcomes: tuple[Outcome, ...]


def rewrite_python(source: str, tenants: dict[str, Tenant]) -> Rewritten:
    """The module's new text and what happened to each old send call (the text is unchanged if none)."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return Rewritten(
            source, (Outcome(exc.raw_line, exc.raw_line, "", "left", f"not valid Python: {exc.message}"),)
        )
    except cst.CSTValidationError as exc:  # parsed, but a node libcst refuses (a name no Python accepts)
        return Rewritten(source, (Outcome(1, 1, "", "left", f"not valid Python: {exc}"),))
    modules = _Modules()
    module.visit(modules)
    olds = [n for n, s in modules.clients.items() if s in _OLD]
    if not olds:
        return Rewritten(source, ())
    existing = [n for n, s in modules.clients.items() if s == V2_SERVICE]
    client = existing[0] if existing else V2_CLIENT
    wrapper = cst.MetadataWrapper(module)
    rewriter = _Rewriter(modules, tenants, client)
    changed = wrapper.visit(rewriter)
    if not any(o.status == "rewritten" for o in rewriter.outcomes):
        return Rewritten(source, tuple(rewriter.outcomes))
    if not existing:
        changed = _add_client(changed, modules, olds[0])
    return Rewritten(changed.code, tuple(rewriter.outcomes))
