"""Phone-number masking and the small, safe Markdown reader used for runbooks."""

from __future__ import annotations

from dataclasses import dataclass

from migrate.report.markdown import Span, parse, parse_inline, plain_text
from migrate.report.mask import mask_deep, mask_number, mask_text


def test_mask_number_keeps_country_and_area_code() -> None:
    assert mask_number("+12065550100") == "+1206555****"
    assert mask_number("+447911123456") == "+44791112****"  # the last four digits hidden
    assert mask_number("22233") == "22233"  # a short code is no recipient
    assert mask_number("not a number") == "not a number"


def test_mask_text_finds_numbers_inside_sentences() -> None:
    text = "+12065550100 is used by A and B; so is +447911123456, not 22233 or account 111122223333"
    assert mask_text(text) == (
        "+1206555**** is used by A and B; so is +44791112****, not 22233 or account 111122223333"
    )


@dataclass(frozen=True)
class _Item:
    name: str
    numbers: tuple[str, ...]
    extra: dict[str, list[str]]


def test_mask_deep_walks_dataclasses_and_containers() -> None:
    item = _Item("+12065550100", ("+12065550101",), {"k +12065550102": ["+12065550103"]})
    masked = mask_deep(item)
    # four different recipients sharing a masked form: never printed alike, each with a stable label
    assert masked == _Item("+1206555****~1", ("+1206555****~2",), {"k +1206555****~3": ["+1206555****~4"]})
    assert item.name == "+12065550100"  # the original is untouched
    # the account's own origination numbers stay in full; a lone recipient needs no label
    kept = mask_deep(item, keep={"+12065550100", "+12065550101", "+12065550102"})
    assert kept == _Item("+12065550100", ("+12065550101",), {"k +12065550102": ["+1206555****"]})


def test_markdown_blocks() -> None:
    blocks = parse(
        "# Title\n\nWhy it **matters**, see [the guide](https://docs.aws.amazon.com/x).\n\n"
        "## Steps\n1. Open `End User Messaging SMS`.\n2. Choose *Registrations*\n   and continue.\n\n"
        "- one\n- two\n\n```sh\naws pinpoint-sms-voice-v2 describe-registrations\n```\n",
        heading_offset=3,
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "paragraph", "heading", "numbers", "bullets", "code"]
    assert blocks[0].level == 4 and blocks[2].level == 5
    assert Span("strong", "matters") in blocks[1].spans
    assert Span("link", "the guide", "https://docs.aws.amazon.com/x") in blocks[1].spans
    assert blocks[3].items[1] == (
        Span("text", "Choose "),
        Span("em", "Registrations"),
        Span("text", " and continue."),
    )
    assert blocks[5].text == "aws pinpoint-sms-voice-v2 describe-registrations"
    assert "describe-registrations" in plain_text(blocks)


def test_markdown_never_passes_html_or_script_links() -> None:
    spans = parse_inline("<img src=x onerror=alert(1)> [click](javascript:alert(1)) [d](data:text/html,x)")
    assert all(s.kind == "text" for s in spans)
    assert "".join(s.text for s in spans).startswith("<img src=x")
    blocks = parse("<script>alert(1)</script>")
    assert blocks[0].kind == "paragraph" and blocks[0].spans[0].kind == "text"


def test_bare_urls_become_links_and_code_keeps_stars() -> None:
    spans = parse_inline("See https://aws.amazon.com/support. Run `a**b**c`.")
    assert Span("link", "https://aws.amazon.com/support", "https://aws.amazon.com/support") in spans
    assert Span("code", "a**b**c") in spans
