"""Rendering a test plan, linting CloudFormation with cfn-lint, parsing Terraform with python-hcl2."""

from __future__ import annotations

import json
import re
from typing import Any

import hcl2
from cfnlint.api import ManualArgs, lint
from hcl2 import SerializationOptions

from migrate.iac.commands import render
from migrate.inventory.snapshot import Inventory
from migrate.plan.planfile import Plan

_PARSE = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([a-z0-9_]+)(?:\.([a-z_]+))?\}$")


def files(world: tuple[Plan, Inventory], fmt: str) -> dict[str, str]:
    plan, inventory = world
    return render(plan, inventory, fmt)


def lint_findings(text: str, region: str) -> list[tuple[str, str]]:
    """Every cfn-lint match (errors, warnings and informational) as (rule id, message)."""
    matches = lint(text, config=ManualArgs(regions=[region], include_checks=["I"]))
    return [(m.rule.id, m.message) for m in matches]


def templates(rendered: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in rendered.items() if name.endswith("template.json")}


def region_of(name: str) -> str:
    return name.split(".", 1)[0].split("-", 1)[1]


def parse_tf(text: str) -> dict[str, Any]:
    return hcl2.loads(text, serialization_options=_PARSE)


def tf_resources(parsed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`type.name` → body, for every resource block."""
    out: dict[str, dict[str, Any]] = {}
    for entry in parsed.get("resource", []):
        for rtype, named in entry.items():
            for name, body in named.items():
                assert f"{rtype}.{name}" not in out, f"{rtype}.{name} declared twice"
                out[f"{rtype}.{name}"] = body
    return out


def tf_references(value: Any) -> list[tuple[str, str]]:
    """(`type.name`, attribute) of every resource reference in a value; `var.x` as ("var.x", "")."""
    if isinstance(value, str):
        found = REFERENCE.match(value)
        if not found:
            assert "${" not in value.replace("$${", ""), f"unexpected interpolation in {value!r}"
            return []
        first, second, attribute = found.groups()
        return [(f"{first}.{second}", attribute or "")]
    if isinstance(value, dict):
        return [r for v in value.values() for r in tf_references(v)]
    if isinstance(value, list):
        return [r for v in value for r in tf_references(v)]
    return []


def hcl_text(value: str) -> str:
    """A string as HCL means it (python-hcl2 leaves the template escapes `$${` and `%%{` as written)."""
    return value.replace("$${", "${").replace("%%{", "%{")
