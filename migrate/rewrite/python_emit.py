"""Writing the v2 calls that replace an old send call (`python_calls.py` decides what; this writes how)."""

from __future__ import annotations

import libcst as cst

from migrate.rewrite.python_source import V2_SERVICE, FoundCall, code

MARK = "# pinpoint-migrate:"


def call_text(function: str, arguments: list[str], indent: str) -> str:
    """`function(` one argument a line `)`, at `indent` (the generated code reads like hand-written code)."""
    inner = "".join(f"{indent}    {a},\n" for a in arguments)
    return f"{function}(\n{inner}{indent})"


def voice_type(body: cst.BaseExpression | None) -> str:
    if isinstance(body, cst.SimpleString) and str(body.evaluated_value).lstrip().startswith("<speak"):
        return "'SSML'"
    return "'TEXT'"


def voice_id(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return repr(node.evaluated_value.upper())  # v2's VoiceId enum is in capitals (JOANNA)
    return f"str({code(node)}).upper()"


def emit(
    found: FoundCall,
    client: str,
    method: str,
    operation: str,
    tenant_slug: str,
    pairs: list[tuple[str, str, str | None]],
    params: list[str],
    shared_context: str | None,
    app_expr: str,
) -> str:
    head = f"{MARK} pinpoint SendMessages -> {V2_SERVICE} {operation} (tenant {tenant_slug})\n"
    per_address = any(c is not None for _d, _b, c in pairs)
    context = None if per_address else shared_context
    common = params + ([f"Context={context}"] if context else [])
    if found.target is None and len(pairs) == 1 and not per_address:
        destination, body, _c = pairs[0]
        return (
            head + f"{MARK} review: v2 raises ClientError for a refused destination (e.g. Reason "
            "DESTINATION_PHONE_NUMBER_OPTED_OUT) where SendMessages returned a DeliveryStatus per address\n"
            + call_text(
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
            + f"for {loop_vars} in ({rows},):\n    {call_text(f'{client}.{method}', arguments, '    ')}\n"
        )
    send = call_text(f"{client}.{method}", arguments, "        ")
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
