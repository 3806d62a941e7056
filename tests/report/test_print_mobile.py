"""Paper and phones, in Chromium: the demo's report prints to at most 25 A4 pages with no table wider than
the page; at 390 px nothing makes the page scroll sideways and chart text stays legible (>= 10 px)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.report import world
from tests.report.test_browser import ARGS, CHROMIUM, EXAMPLE, _world_report, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed at /usr/bin/chromium"),
]

MAX_PAGES = 25
PHONE = {"width": 390, "height": 844}
A4_CONTENT_PX = 726  # 210 mm less the print stylesheet's 9 mm margins, at 96 px per inch

# Elements wider than the screen that are not inside a scroll container (a wide table may scroll inside its
# own box; the page itself must not).
_OVERFLOWING = """(limit) => {
  function clipped(e) {
    for (let a = e.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'hidden' || o === 'scroll') return true;
    }
    return false;
  }
  return Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > limit + 0.5 && !clipped(e);
  }).slice(0, 10).map(e => e.tagName + '#' + e.id + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right));
}"""

_CHART_TEXT = """() => Array.from(document.querySelectorAll('figure.chart svg')).flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll('text')).map(t => [
    svg.closest('figure').id, t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""


def _reports(tmp_path: Path) -> list[Path]:
    names = ["Acme Clinics", world.HOSTILE, "A tenant with a name far longer than any phone screen is wide"]
    found = [_world_report(tmp_path, names)]
    return [EXAMPLE, *found] if EXAMPLE.exists() else found


def _page(browser: Any, path: Path, viewport: dict[str, int]) -> Any:  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    return context, page


def test_the_demo_report_prints_to_at_most_25_a4_pages(browser: Any) -> None:  # noqa: F811
    if not EXAMPLE.exists():
        pytest.skip("reports/example is not there")
    context, page = _page(browser, EXAMPLE, {"width": 1366, "height": 768})
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= MAX_PAGES, f"the demo's report prints to {pages} A4 pages"
    context.close()


@pytest.mark.parametrize("media", ["print", "screen"])
def test_no_table_or_box_is_wider_than_the_page(browser: Any, tmp_path: Path, media: str) -> None:  # noqa: F811
    """In print at A4's width every table fits (nothing clipped at the edge); on a 390 px phone nothing
    makes the page scroll sideways, with every card and runbook open."""
    width = A4_CONTENT_PX if media == "print" else PHONE["width"]
    for path in _reports(tmp_path):
        context, page = _page(browser, path, {"width": width, "height": 900})
        page.emulate_media(media=media)
        if media == "print":
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        else:
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert page.evaluate(_OVERFLOWING, width) == [], path
        if media == "print":
            tables = page.evaluate(
                "(w) => Array.from(document.querySelectorAll('table')).filter(t => t.getBoundingClientRect().right > w + 0.5).map(t => t.id || t.className)",
                width,
            )
            assert tables == [], (path, tables)
        context.close()


def test_chart_text_is_legible_on_a_phone(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    for path in _reports(tmp_path):
        context, page = _page(browser, path, PHONE)
        sizes = page.evaluate(_CHART_TEXT)
        assert sizes, path
        small = [(chart, text, round(size, 1)) for chart, text, size in sizes if size < 10]
        assert small == [], (path, small[:5])
        for selector in ("#findings-table", "#steps-table", "#schedule-table"):  # one card per row
            cells = page.eval_on_selector(
                f"{selector} tbody tr", "r => r.cells[0].getBoundingClientRect().width"
            )
            assert cells > PHONE["width"] * 0.7, (path, selector, cells)
        context.close()
