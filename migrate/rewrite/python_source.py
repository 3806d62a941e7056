"""Reading a Python module for the rewrite: literals and dict literals, module-level constants and boto3
clients, keyword arguments, and adding the v2 client beside the old one (`python_calls.py` rewrites)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

V2_SERVICE = "pinpoint-sms-voice-v2"
V2_CLIENT = "sms_voice_v2"


class Unsafe(Exception):
    """This call cannot be rewritten safely (the message is the reason shown to a person)."""


def literal(node: cst.BaseExpression, constants: dict[str, str]) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.Name):
        return constants.get(node.value)
    return None


def dict_of(node: cst.BaseExpression, what: str) -> dict[str, cst.BaseExpression]:
    if not isinstance(node, cst.Dict):
        raise Unsafe(f"{what} is not a dict literal")
    out: dict[str, cst.BaseExpression] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            raise Unsafe(f"{what} has a key that is not a string literal (or a ** expansion)")
        key = element.key.evaluated_value
        out[str(key)] = element.value
    return out


class Modules(cst.CSTVisitor):
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
            service = client_service(value)
            if service is not None:
                self.clients[target.value] = service
                self.client_lines[target.value] = node


def client_service(node: cst.BaseExpression) -> str | None:
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


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@dataclass
class FoundCall:
    target: str | None  # the name the response is assigned to
    client: str
    service: str
    call: cst.Call


def keywords(call: cst.Call, allowed: set[str]) -> dict[str, cst.BaseExpression]:
    out: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.keyword is None or arg.star:
            raise Unsafe("the call passes positional or ** arguments")
        if arg.keyword.value not in allowed:
            raise Unsafe(f"the call passes {arg.keyword.value}, which v2 has no place for")
        out[arg.keyword.value] = arg.value
    return out


def add_client(module: cst.Module, modules: Modules, old: str) -> cst.Module:
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
