"""The HCL writer: escaping, layout, and what python-hcl2 reads back."""

from __future__ import annotations

import pytest

from iac.helpers import hcl_text, parse_tf
from migrate.iac.hcl import Block, Expr, block, document, quote, value


@pytest.mark.parametrize(
    "text",
    [
        'say "hi"',
        "back\\slash",
        "${not.a.reference}",
        "%{ if x }y%{ endif }",
        "tab\tnew\nline",
        "☎ çødé",
        "\x01bell",
    ],
)
def test_strings_read_back_as_written(text: str) -> None:
    parsed = parse_tf(f"x = {quote(text)}\n")
    assert hcl_text(parsed["x"]) == text


def test_template_sequences_are_escaped_so_nothing_interpolates() -> None:
    assert quote("${a}%{b}") == '"$${a}%%{b}"'
    assert quote("$ and % alone") == '"$ and % alone"'


def test_values_and_blocks_are_laid_out_as_terraform_fmt_would() -> None:
    body = Block("resource", ("t", "n")).set("a", 1).set("long_name", True).set("ref", Expr("x.y.id"))
    body.set("list", ["a", "b"]).set("map", {"k": "v", "with space": "w"})
    body.add(Block("lifecycle")).set("ignore_changes", [Expr("tags")])
    assert block(body) == (
        'resource "t" "n" {\n'
        "  a         = 1\n"
        "  long_name = true\n"
        "  ref       = x.y.id\n"
        '  list      = ["a", "b"]\n'
        "  map = {\n"
        '    k            = "v"\n'
        '    "with space" = "w"\n'
        "  }\n"
        "\n"
        "  lifecycle {\n"
        "    ignore_changes = [tags]\n"
        "  }\n"
        "}"
    )
    assert value([]) == "[]" and value({}) == "{}"
    assert value(["a" * 40, "b" * 40]).startswith("[\n")
    parsed = parse_tf(document([body], "# header"))
    assert parsed["resource"][0]["t"]["n"]["map"] == {"k": "v", "with space": "w"}


def test_an_unknown_value_type_is_refused() -> None:
    with pytest.raises(TypeError):
        value(object())
