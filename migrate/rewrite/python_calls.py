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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.metadata import PositionProvider

MARK = "# pinpoint-migrate:"
V2_SERVICE = "pinpoint-sms-voice-v2"
V2_CLIENT = "sms_voice_v2"
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


class Unsafe(Exception):
    """This call cannot be rewritten safely (the message is the reason shown to a person)."""


def _literal(node: cst.BaseExpression, constants: dict[str, str]) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.Name):
        return constants.get(node.value)
    return None


def _dict(node: cst.BaseExpression, what: str) -> dict[str, cst.BaseExpression]:
    if not isinstance(node, cst.Dict):
        raise Unsafe(f"{what} is not a dict literal")
    out: dict[str, cst.BaseExpression] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            raise Unsafe(f"{what} has a key that is not a string literal (or a ** expansion)")
        key = element.key.evaluated_value
        out[str(key)] = element.value
    return out


class _Modules(cst.CSTVisitor):
    """Module-level string constants and boto3 clients (name -> service, the statement that makes it)."""

    def __init__(self) -> None:
        self.constants: dict[str, str] = {}
        self.clients: dict[str, str] = {}
        self.client_lines: dict[str, cst.SimpleStatementLine] = {}
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target = small.targets[0].target
            if not isinstance(target, cst.Name):
                continue
            value = small.value
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
                self.constants[target.value] = value.evaluated_value
            service = _client_service(value)
            if service is not None:
                self.clients[target.value] = service
                self.client_lines[target.value] = node


def _client_service(node: cst.BaseExpression) -> str | None:
    """`boto3.client("svc", ...)` or `<session>.client("svc", ...)` -> "svc"."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value != "client" or not node.args:
        return None
    first = node.args[0]
    if first.keyword is not None and first.keyword.value != "service_name":
        return None
    if isinstance(first.value, cst.SimpleString) and isinstance(first.value.evaluated_value, str):
        return first.value.evaluated_value
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@dataclass
class _Call:
    target: str | None  # the name the response is assigned to
    client: str
    service: str
    call: cst.Call


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
        text = _emit(
            found,
            self.client,
            method,
            operation,
            tenant,
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


def _call(function: str, arguments: list[str], indent: str) -> str:
    """`function(` one argument a line `)`, at `indent` (the generated code reads like hand-written code)."""
    inner = "".join(f"{indent}    {a},\n" for a in arguments)
    return f"{function}(\n{inner}{indent})"


def _keywords(call: cst.Call, allowed: set[str]) -> dict[str, cst.BaseExpression]:
    out: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.keyword is None or arg.star:
            raise Unsafe("the call passes positional or ** arguments")
        if arg.keyword.value not in allowed:
            raise Unsafe(f"the call passes {arg.keyword.value}, which v2 has no place for")
        out[arg.keyword.value] = arg.value
    return out


def _voice_type(body: cst.BaseExpression | None) -> str:
    if isinstance(body, cst.SimpleString) and str(body.evaluated_value).lstrip().startswith("<speak"):
        return "'SSML'"
    return "'TEXT'"


def _voice_id(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return repr(node.evaluated_value.upper())  # v2's VoiceId enum is in capitals (JOANNA)
    return f"str({_code(node)}).upper()"


def _emit(
    found: _Call,
    client: str,
    method: str,
    operation: str,
    tenant: Tenant,
    pairs: list[tuple[str, str, str | None]],
    params: list[str],
    shared_context: str | None,
    app_expr: str,
) -> str:
    head = f"{MARK} pinpoint SendMessages -> {V2_SERVICE} {operation} (tenant {tenant.slug})\n"
    per_address = any(c is not None for _d, _b, c in pairs)
    context = None if per_address else shared_context
    common = params + ([f"Context={context}"] if context else [])
    if found.target is None and len(pairs) == 1 and not per_address:
        destination, body, _c = pairs[0]
        return (
            head + f"{MARK} review: v2 raises ClientError for a refused destination (e.g. Reason "
            "DESTINATION_PHONE_NUMBER_OPTED_OUT) where SendMessages returned a DeliveryStatus per address\n"
            + _call(
                f"{client}.{method}",
                [f"DestinationPhoneNumber={destination}", f"MessageBody={body}", *common],
                "",
            )
            + "\n"
        )
    rows = ", ".join(
        f"({d}, {b}, {c or shared_context})" if per_address else f"({d}, {b})" for d, b, c in pairs
    )
    loop_vars = "_pm_to, _pm_body, _pm_context" if per_address else "_pm_to, _pm_body"
    extra = ["**({'Context': _pm_context} if _pm_context else {})"] if per_address else []
    arguments = ["DestinationPhoneNumber=_pm_to", "MessageBody=_pm_body", *common, *extra]
    if found.target is None:
        return (
            head
            + f"{MARK} review: one call per address; v2 raises ClientError for a refused destination\n"
            + f"for {loop_vars} in ({rows},):\n    {_call(f'{client}.{method}', arguments, '    ')}\n"
        )
    send = _call(f"{client}.{method}", arguments, "        ")
    result = found.target
    return (
        head + f"{MARK} review: v2 returns one MessageId per call; {result} keeps SendMessages' shape "
        "(MessageResponse.Result per address) for the code below, a refused destination as its DeliveryStatus\n"
        + f"{result} = {{'MessageResponse': {{'ApplicationId': {app_expr}, 'Result': {{}}}}}}\n"
        + f"for {loop_vars} in ({rows},):\n"
        + "    try:\n"
        + f"        _pm_sent = {send}\n"
        + f"        {result}['MessageResponse']['Result'][_pm_to] = {{'DeliveryStatus': 'SUCCESSFUL', 'StatusCode': 200, "
        "'MessageId': _pm_sent['MessageId']}\n"
        + f"    except {client}.exceptions.ClientError as _pm_error:\n"
        + "        _pm_reason = _pm_error.response.get('Reason', '')\n"
        + f"        {result}['MessageResponse']['Result'][_pm_to] = {{\n"
        + "            'DeliveryStatus': 'OPT_OUT' if _pm_reason == 'DESTINATION_PHONE_NUMBER_OPTED_OUT' else 'PERMANENT_FAILURE',\n"
        + "            'StatusCode': 400,\n"
        + "            'StatusMessage': str(_pm_error),\n"
        + "        }\n"
    )


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


def _add_client(module: cst.Module, modules: _Modules, old: str) -> cst.Module:
    """`sms_voice_v2 = boto3.client("pinpoint-sms-voice-v2", <the old client's other arguments>)` after it."""
    line = modules.client_lines[old]
    small = line.body[0]
    assert isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)
    call = small.value
    first = call.args[0].with_changes(value=cst.SimpleString(repr(V2_SERVICE)))
    new_call = call.with_changes(args=[first, *call.args[1:]])
    new_line = cst.SimpleStatementLine(
        body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(V2_CLIENT))], value=new_call)]
    )
    body: list[Any] = []
    for statement in module.body:
        body.append(statement)
        if statement is line or (
            isinstance(statement, cst.SimpleStatementLine) and statement.deep_equals(line)
        ):
            body.append(new_line)
    return module.with_changes(body=body)
