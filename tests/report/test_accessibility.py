"""Structure a screen reader relies on, colour contrast, and runbooks rendered with a few safe tags only."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from migrate.report.html import environment, render_html
from migrate.report.model import build_report
from migrate.report.runbooks import load_runbook
from migrate.resources import data_dir
from tests.report import world

RUNBOOK_TAGS = {"h4", "h5", "h6", "p", "ul", "ol", "li", "pre", "code", "strong", "em", "a"}


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.labels = 0
        self.open_labels = 0
        self.unlabelled: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "label":
            self.open_labels += 1
        elif tag in ("input", "select") and not self.open_labels and "aria-label" not in attributes:
            self.unlabelled.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


@pytest.fixture(scope="module")
def outline() -> _Outline:
    parser = _Outline()
    parser.feed(render_html(build_report(world.inventory(), world.plan())))
    return parser


def test_landmarks_and_one_title(outline: _Outline) -> None:
    names = [tag for tag, _ in outline.tags]
    assert names.count("h1") == 1 and names.count("main") == 1
    assert ("header", {"class": "top", "role": "banner"}) in outline.tags
    assert any(tag == "nav" and attrs.get("aria-label") for tag, attrs in outline.tags)
    assert any(tag == "footer" for tag, _ in outline.tags)
    html_tag = next(attrs for tag, attrs in outline.tags if tag == "html")
    assert html_tag["lang"] == "en"


def test_headings_never_skip_a_level(outline: _Outline) -> None:
    levels = [int(tag[1]) for tag, _ in outline.tags if re.fullmatch(r"h[1-6]", tag)]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def test_tables_have_column_headers_and_controls_have_labels(outline: _Outline) -> None:
    headers = [attrs for tag, attrs in outline.tags if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    assert outline.unlabelled == []
    charts = [attrs for tag, attrs in outline.tags if tag == "svg"]
    assert charts and all(attrs.get("role") == "img" and attrs.get("aria-labelledby") for attrs in charts)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa() -> None:
    css = (data_dir("templates") / "assets" / "report.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        ("ink", "paper"), ("muted", "paper"), ("muted", "band"), ("accent", "paper"), ("ink", "band"),
        ("blocked", "blocked-bg"), ("warn", "warn-bg"), ("ready", "ready-bg"), ("info", "info-bg"),
    ]  # fmt: skip
    for fg, bg in pairs:
        assert _contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    assert _contrast("#dbe4ee", "#12263f") >= 4.5  # the header's text on its band


@pytest.mark.parametrize("path", sorted(data_dir("runbooks").glob("*.md")), ids=lambda p: p.stem)
def test_every_runbook_renders_with_safe_tags_only(path: Path) -> None:
    runbook = load_runbook(path.stem)
    assert runbook is not None and runbook.title and runbook.blocks
    template = environment().from_string('{% import "partials/macros.html" as ui %}{{ ui.markdown(blocks) }}')
    parser = _Outline()
    parser.feed(template.render(blocks=runbook.blocks))
    assert {tag for tag, _ in parser.tags} <= RUNBOOK_TAGS
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert all(h.startswith("https://") for h in hrefs), hrefs
