"""Endpoint export lines and phone numbers: every line is counted, every opted-out SMS endpoint is written
or rejected with a reason (never dropped), and nothing but `ExportError` (a truncated or corrupt file)
escapes; `normalise` answers every address with a number or a reason.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migrate.inventory.optouts import ExportError, local_export_files, normalise, read_endpoint_export
from reliability.strategies import RELIABLE, json_values

_ADDRESSES = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="+0123456789 ()-.", max_size=18),
    st.sampled_from(
        ["+12065550100", "2065550100", "+447700900123", "+1555", "not-a-number", "+99912345", ""]
    ),
)
_COUNTRIES = st.one_of(
    st.none(), st.text(max_size=4), st.sampled_from(["US", "us", "GB", "IN", "ZZ", " de "])
)

endpoints = st.fixed_dictionaries(
    {},
    optional={
        "ChannelType": st.sampled_from(["SMS", "EMAIL", "VOICE", "sms"]) | json_values,
        "OptOut": st.sampled_from(["ALL", "NONE"]) | json_values,
        "Address": _ADDRESSES | json_values,
        "Location": st.fixed_dictionaries({}, optional={"Country": _COUNTRIES | json_values}) | json_values,
        "Id": json_values,
    },
)
lines = st.one_of(
    endpoints.map(lambda e: json.dumps(e).encode()),
    st.binary(max_size=120).filter(lambda b: b"\n" not in b),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.just(b""),
)


def _read(folder: Path, payload: bytes) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-00001").write_bytes(payload)
    return read_endpoint_export(
        local_export_files(folder / "part-00001"), tenant="t", out_dir=folder / "out", source="test"
    )


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@RELIABLE
@given(address=_ADDRESSES, country=_COUNTRIES)
def test_normalise_gives_a_number_or_a_reason(address: str, country: str | None) -> None:
    number, valid, reason = normalise(address, country)
    if number is None:
        assert reason and not valid
        return
    assert reason == ""
    parsed = phonenumbers.parse(f"+{number}")
    assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == f"+{number}"
    assert valid == phonenumbers.is_valid_number(parsed)


@RELIABLE
@given(batch=st.lists(lines, max_size=25), gzipped=st.booleans())
def test_every_line_is_counted_and_no_opt_out_is_lost(
    tmp_path_factory: pytest.TempPathFactory, batch: list[bytes], gzipped: bool
) -> None:
    payload = b"\n".join(batch) + (b"\n" if batch else b"")
    if gzipped:
        payload = gzip.compress(payload)
    folder = tmp_path_factory.mktemp("export")
    try:
        found = _read(folder, payload)
    except ExportError:
        # Only for no data at all, or plain text that starts with gzip's magic bytes.
        assert not payload or (not gzipped and payload.startswith(b"\x1f\x8b"))
        return
    assert found.lines == len(batch) or (batch and batch[-1] == b"" and found.lines == len(batch) - 1)
    assert found.blank_lines + found.endpoints_read + found.malformed == found.lines
    address_rejects = found.rejected - found.malformed
    assert found.sms_opted_out == found.normalised + address_rejects  # each one written or rejected
    written = _rows(folder / "out" / found.file)
    rejects = _rows(folder / "out" / found.rejects_file)
    assert len(written) - 1 == found.written and len(rejects) - 1 == found.rejected
    assert all(row and row[0].startswith("+") for row in written[1:])
    assert all(row[-1] for row in rejects[1:])  # every reject says why


@RELIABLE
@given(cut=st.integers(min_value=1, max_value=60))
def test_a_truncated_gzip_export_is_refused_with_export_error(
    tmp_path_factory: pytest.TempPathFactory, cut: int
) -> None:
    body = b"".join(
        json.dumps({"ChannelType": "SMS", "OptOut": "ALL", "Address": f"+1206555{n:04d}"}).encode() + b"\n"
        for n in range(40)
    )
    packed = gzip.compress(body)
    folder = tmp_path_factory.mktemp("cut")
    with pytest.raises(ExportError):
        _read(folder, packed[: max(2, len(packed) - cut)])
    assert not (folder / "out" / "optouts" / "t.csv").exists()  # nothing written from a broken export
