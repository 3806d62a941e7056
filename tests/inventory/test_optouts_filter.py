"""The cheap line filter of export reading never skips an SMS opt-out (a property against the full parse)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.inventory.optouts import cannot_be_sms_optout, local_export_files, read_endpoint_export


def _is_sms_optout(line: bytes) -> bool:
    """What the full parse decides: a JSON object with ChannelType "SMS" and OptOut "ALL"."""
    try:
        endpoint = json.loads(line)
    except ValueError:
        return False
    return (
        isinstance(endpoint, dict)
        and endpoint.get("ChannelType") == "SMS"
        and endpoint.get("OptOut") == "ALL"
    )


_words = st.sampled_from(
    ["SMS", "ALL", "NONE", "EMAIL", "sms", "all", "ALLX", "SMS ", "\u0041LL", "S\u00e9MS"]
)
_values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _words, st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(_words, st.text(max_size=6)), inner, max_size=3),
    ),
    max_leaves=8,
)
_endpoints = st.fixed_dictionaries(
    {  # mostly the values that matter, so the property is tested on many real opt-outs
        "ChannelType": st.one_of(st.just("SMS"), st.just("SMS"), _words, _values),
        "OptOut": st.one_of(st.just("ALL"), st.just("ALL"), _words, _values),
    },
    optional={
        "Address": st.one_of(st.just("+12065550100"), _values),
        "Id": st.text(max_size=6),
        "Attributes": _values,
    },
)


@st.composite
def _lines(draw: st.DrawFn) -> bytes:
    endpoint = draw(_endpoints)
    text = json.dumps(
        endpoint,
        ensure_ascii=draw(st.booleans()),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])),
        indent=draw(st.sampled_from([None, None, 0])),
    ).replace("\n", "" if draw(st.booleans()) else " ")
    for letter in draw(st.lists(st.sampled_from("ALSM"), max_size=2)):
        # upper-case letters occur only inside JSON strings (true/false/null are lower case): escape them
        text = text.replace(letter, f"\\u{ord(letter):04x}")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "utf-32-le", "utf-8-sig"]))
    line = (
        draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", "\n", " \r\n"]))
    ).encode(encoding)
    cut = draw(st.integers(min_value=0, max_value=len(line)))
    return line if draw(st.booleans()) else line[:cut] + draw(st.binary(max_size=4))


@settings(max_examples=300, deadline=None)
@given(_lines())
def test_no_sms_optout_is_ever_skipped(line: bytes) -> None:
    if _is_sms_optout(line):
        assert not cannot_be_sms_optout(line)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_no_sms_optout_is_skipped_in_any_bytes(line: bytes) -> None:
    for candidate in (line, b'{"ChannelType":"SMS","OptOut":"ALL"' + line + b"}", b"{" + line + b"}"):
        if _is_sms_optout(candidate):
            assert not cannot_be_sms_optout(candidate)


def test_escaped_and_wide_optouts_are_parsed() -> None:
    for text in (
        '{"ChannelType":"SMS","OptOut":"\\u0041LL","Address":"+12065550100"}',
        '{"ChannelType":"\\u0053MS","OptOut":"ALL","Address":"+12065550100"}',
    ):
        assert _is_sms_optout(text.encode()) and not cannot_be_sms_optout(text.encode())
    wide = '{"ChannelType":"SMS","OptOut":"ALL"}'.encode("utf-16")
    assert _is_sms_optout(wide) and not cannot_be_sms_optout(wide)
    assert cannot_be_sms_optout(b'{"ChannelType":"EMAIL","OptOut":"ALL"}\n')
    assert cannot_be_sms_optout(b'{"ChannelType":"SMS","OptOut":"NONE"}\n')


def test_reading_with_the_filter_keeps_every_optout_and_every_malformed_line(tmp_path: Path) -> None:
    rows = [
        {"ChannelType": "SMS", "OptOut": "ALL", "Address": "+12065550100"},
        {"ChannelType": "EMAIL", "OptOut": "ALL", "Address": "a@example.com"},
        {"ChannelType": "SMS", "OptOut": "NONE", "Address": "+12065550101"},
    ]
    lines = [json.dumps(r) for r in rows] * 3
    lines.append('{"ChannelType":"SMS","OptOut":"\\u0041LL","Address":"+12065550102"}')
    lines.append('{"ChannelType":"SMS","Address":"+12065550103","OptOut":"AL')  # cut: a reject, not skipped
    lines.append('["not an object"]')
    export = tmp_path / "part.gz"
    export.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    found = read_endpoint_export(local_export_files(export), tenant="t", out_dir=tmp_path / "out", source="x")
    assert found.lines == 12 and found.endpoints_read == 10 and found.malformed == 2
    assert found.sms_opted_out == 4 and found.written == 2
    numbers = (tmp_path / "out" / found.file).read_text()
    assert "12065550100" in numbers and "12065550102" in numbers
