"""`readiness.html`: the report model rendered by the Jinja2 templates in `templates/`.

Autoescaping is on for every template and undefined names raise, so a value can never slip into the page
unescaped or silently vanish. The stylesheet and script are package files (`templates/assets/`), inlined
as they are and pinned by their sha256 in the page's Content-Security-Policy: the page may run that script
and nothing else, and may fetch nothing at all, even from `file://`.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from migrate.mapping.catalog import HOWS, SEVERITIES
from migrate.report.markdown import parse_inline
from migrate.report.parts import (
    ACTION_SYMBOLS,
    ACTIONS,
    HOW_LABELS,
    HUMAN_HOWS,
    READINESS,
    READINESS_LABELS,
    RESOURCE_LABELS,
    STEP_STATUSES,
    Report,
)
from migrate.report.record import done_items
from migrate.resources import data_dir

TEMPLATE = "readiness.html"
SECTIONS = (
    ("since", "Since 2026-10-30"),
    ("summary", "Summary"),
    ("schedule", "Schedule"),
    ("waves", "Waves"),
    ("charts", "Charts"),
    ("tenants", "Tenants"),
    ("checklist", "Checklist"),
    ("changes", "Changes"),
    ("steps", "Steps"),
    ("findings", "Findings"),
    ("identities", "Identities"),
    ("callsites", "Call sites"),
    ("exports", "Exports"),
)
SAFE_URL_PREFIXES = ("https://", "http://", "mailto:", "#")
# Rows (and tenant cards) shown before "Show all": the page's script pages long tables, because laying out
# thousands of rows at once is what freezes a browser. The CSV files hold every row.
PAGE_ROWS = 100


def _num(value: int) -> str:
    return f"{value:,}"


def _plural(value: int) -> str:
    return "" if value == 1 else "s"


def _url(value: str) -> str:
    """Only web, mail and in-page links reach an `href`; anything else (`javascript:`) becomes inert."""
    return value if value.lower().startswith(SAFE_URL_PREFIXES) else "#"


def _code_of(finding_id: str) -> str:
    """`CODE@account/region/...` → `CODE` (a step's blocked_by names findings by id)."""
    return finding_id.partition("@")[0]


@lru_cache(maxsize=4)
def environment(folder: str | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder or str(data_dir("templates"))),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    # `inline` turns text into spans (data) for the `spans` macro: backticked names in messages show as code.
    env.filters.update(num=_num, plural=_plural, url=_url, inline=parse_inline, code_of=_code_of)
    return env


def _asset(folder: Path, name: str, closing: str) -> str:
    text = (folder / "assets" / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"templates/assets/{name} must not contain {closing!r}")
    return text


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(report: Report, *, folder: Path | None = None) -> str:
    templates = folder or data_dir("templates")
    style = _asset(templates, "report.css", "</style")
    script = _asset(templates, "report.js", "</script")
    csp = (
        f"default-src 'none'; style-src {_sha(style)}; script-src {_sha(script)}; img-src 'none'; "
        "connect-src 'none'; font-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    template = environment(str(templates)).get_template(TEMPLATE)
    return template.render(
        report=report,
        csp=csp,
        # Trusted package files, checked above not to close their element early.
        style=Markup(style),
        script=Markup(script),
        sections=SECTIONS,
        page_rows=PAGE_ROWS,
        readiness_order=READINESS,
        readiness_labels=READINESS_LABELS,
        severity_order=SEVERITIES,
        severity_rank={name: index for index, name in enumerate(SEVERITIES)},
        how_order=HOWS,
        how_labels=HOW_LABELS,
        human_hows=HUMAN_HOWS,
        status_order=STEP_STATUSES,
        action_order=ACTIONS,
        action_symbols=ACTION_SYMBOLS,
        resource_labels=RESOURCE_LABELS,
        export_kinds=sorted({row.kind for row in report.exports}),
        schedule_of={s.anchor: s for s in report.schedules},
        recorded=done_items(report.checklist),
    )
