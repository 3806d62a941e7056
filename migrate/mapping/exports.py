"""What v2 cannot hold, as files: campaigns, journeys, segments, project settings and message templates.

`build_exports` is pure (records in, `ExportFile`s out); `commands.run_plan` writes them under
`--export-dir`, and the plan lists each one with its sha256. SMS and voice templates are converted to
Jinja2: Pinpoint's `{{Attributes.X}}` → `{{ attributes["X"] }}`, `{{User.UserAttributes.X}}` →
`{{ user_attributes["X"] }}`, any other endpoint path `{{A.B}}` → `{{ endpoint["A"]["B"] }}`; a default
from the template's `DefaultSubstitutions` becomes `| default("...")`. Handlebars helpers and blocks
(`{{#if}}`, `{{capitalize X}}`) have no automatic translation: they are kept verbatim (as Jinja2 string
literals, so they print as written) and named in the file's notes. `render()` renders a converted template the way a sender would.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from jinja2 import ChainableUndefined
from jinja2.sandbox import SandboxedEnvironment

from migrate.mapping.desired import ExportFile
from migrate.mapping.index import Index
from migrate.mapping.tenants import TenantSet, slugify

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")
_ANY_TAG = re.compile(r"\{\{.*?\}\}", re.DOTALL)
CONVERTED = ("SMS", "VOICE")


def project_dir(account: str, region: str, slug: str) -> str:
    return f"{account}/{region}/projects/{slug}"


def template_dir(account: str, region: str, template_type: str) -> str:
    return f"{account}/{region}/templates/{template_type.lower()}"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _plain(record: Any) -> dict[str, Any]:
    data = dataclasses.asdict(record)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _name(text: str, ident: str) -> str:
    """A safe file name from a user-chosen name plus a piece of the id (names can repeat or be hostile)."""
    base = slugify(text, 60) or "unnamed"
    return f"{base}-{slugify(ident, 12)}" if ident else base


def build_exports(index: Index, tenants: TenantSet) -> list[ExportFile]:
    files: list[ExportFile] = []
    apps = {a.app_id: a for a in index.inventory.of("pinpoint_apps")}
    for app_id, app in sorted(apps.items()):
        folder = project_dir(app.account, app.region, tenants.slugs.get(app_id, slugify(app_id)))
        meta = {"application_id": app_id, "project": app.name, "account": app.account, "region": app.region}
        for kind, records, ident in (
            ("campaign", index.of_app("campaigns", app_id), "campaign_id"),
            ("journey", index.of_app("journeys", app_id), "journey_id"),
            ("segment", index.of_app("segments", app_id), "segment_id"),
        ):
            for record in sorted(records, key=lambda r: getattr(r, ident)):
                body = {"exported_from": "Amazon Pinpoint", **meta, kind: _plain(record)}
                path = f"{folder}/{kind}s/{_name(record.name, getattr(record, ident))}.json"
                files.append(
                    ExportFile(path, kind, f"{kind} {record.name} ({getattr(record, ident)})", _dump(body))
                )
        settings = index.one("app_settings", app_id=app_id)
        if settings is not None and settings_in_use(settings):
            body = {"exported_from": "Amazon Pinpoint", **meta, "settings": _plain(settings)}
            files.append(
                ExportFile(
                    f"{folder}/app-settings.json", "app_settings", f"settings of {app.name}", _dump(body)
                )
            )
    for template in sorted(
        index.inventory.of("templates"), key=lambda t: (t.account, t.region, t.template_type, t.name)
    ):
        folder = template_dir(template.account, template.region, template.template_type)
        stem = f"{folder}/{_name(template.name, '')}"
        source = f"{template.template_type} template {template.name} (version {template.version})"
        body = {"exported_from": "Amazon Pinpoint", "template": _plain(template)}
        files.append(ExportFile(f"{stem}.json", "template_source", source, _dump(body)))
        if template.template_type in CONVERTED:
            text, notes = convert_template(template.content)
            safe = re.sub(r"[^A-Za-z0-9 _.,()-]", "_", source)  # names come from the inventory: no "#}" in
            header = f"{{# {safe}, converted from Pinpoint placeholders to Jinja2 -#}}\n"
            files.append(ExportFile(f"{stem}.j2", "template", source, header + text, tuple(notes)))
    return _unique(files)


def _unique(files: list[ExportFile]) -> list[ExportFile]:
    """Two names can slugify alike: later ones get a counter, so no file overwrites another."""
    seen: dict[str, int] = {}
    result = []
    for item in files:
        path = item.path
        if path in seen:
            seen[path] += 1
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}-{seen[item.path]}{dot}{ext}"
        seen.setdefault(path, 0)
        result.append(dataclasses.replace(item, path=path))
    return result


def settings_in_use(settings: Any) -> list[str]:
    """The project settings that are set (Pinpoint answers with empty objects for the ones that are not)."""
    used = []
    for label, value in (
        ("QuietTime", settings.quiet_time),
        ("Limits", settings.limits),
        ("CampaignHook", settings.campaign_hook),
        ("JourneyLimits", settings.journey_limits),
    ):
        if isinstance(value, dict) and any(v not in (None, "", 0, {}, []) for v in value.values()):
            used.append(label)
    return used


# -- templates --------------------------------------------------------------------------------------------
def _defaults(content: dict[str, Any]) -> dict[str, str]:
    raw = content.get("DefaultSubstitutions") or content.get("default_substitutions") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif value is not None:
            flat[prefix] = str(value)

    walk("", raw if isinstance(raw, dict) else {})
    return flat


def _variable(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "Attributes" and len(parts) > 1:
        return f"attributes[{json.dumps('.'.join(parts[1:]))}]"
    if parts[:2] == ["User", "UserAttributes"] and len(parts) > 2:
        return f"user_attributes[{json.dumps('.'.join(parts[2:]))}]"
    return "endpoint" + "".join(f"[{json.dumps(p)}]" for p in parts)


def _literal(text: str) -> str:
    """Text Jinja2 must print as it is: as a string expression when it holds a Jinja2 delimiter (a
    `{% raw %}` block could be closed early by the text itself)."""
    if any(mark in text for mark in ("{{", "{%", "{#")):
        return "{{ " + json.dumps(text, ensure_ascii=False) + " }}"
    return text


def convert_template(content: dict[str, Any]) -> tuple[str, list[str]]:
    """A Pinpoint SMS/voice template body → Jinja2 text, and notes on what could not be converted."""
    body = str(content.get("Body") or content.get("body") or "")
    defaults = _defaults(content)
    notes: list[str] = []
    out: list[str] = []
    position = 0
    for match in _ANY_TAG.finditer(body):
        out.append(_literal(body[position : match.start()]))
        position = match.end()
        simple = _PLACEHOLDER.fullmatch(match.group())
        if (
            simple is None or simple.group(1).split(".")[0] == "this"
        ):  # `this` only means something in a block
            out.append(_literal(match.group()))
            notes.append(f"not converted: {match.group()}")
            continue
        path = simple.group(1)
        expression = _variable(path)
        if path in defaults:
            expression += f" | default({json.dumps(defaults[path])})"
        out.append("{{ " + expression + " }}")
    out.append(_literal(body[position:]))
    return "".join(out), notes


_ENV = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False, keep_trailing_newline=True)


def render(
    text: str,
    *,
    attributes: dict[str, Any] | None = None,
    user_attributes: dict[str, Any] | None = None,
    endpoint: dict[str, Any] | None = None,
) -> str:
    """Render a converted template. Pinpoint user attributes are lists: their values are joined."""
    users = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
        for k, v in (user_attributes or {}).items()
    }
    return _ENV.from_string(text).render(
        attributes=attributes or {}, user_attributes=users, endpoint=endpoint or {}
    )
