from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import json
import os
import stat
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.inventory import optouts
from migrate.inventory.optouts import (
    ExportError,
    local_export_files,
    normalise,
    read_endpoint_export,
    read_s3_endpoint_export,
)

BUCKET = "exports"


def endpoint(
    n: int, address: Any, *, channel: str = "SMS", opt_out: str = "ALL", country: str | None = "US"
) -> dict[str, Any]:
    """An endpoint as a Pinpoint export writes it: the EndpointResponse JSON, one per line."""
    found: dict[str, Any] = {
        "ApplicationId": "6e0b7591a4d24d2b9b5fb9b4b8e1e6b2",
        "Id": f"ep-{n}",
        "ChannelType": channel,
        "Address": address,
        "EndpointStatus": "ACTIVE",
        "OptOut": opt_out,
        "RequestId": f"req-{n}",
        "EffectiveDate": "2026-05-01T12:00:00.000Z",
        "CreationDate": "2025-01-01T00:00:00.000Z",
        "CohortId": str(n % 100),
        "Attributes": {"plan": ["gold"]},
        "Demographic": {"Platform": "sms", "Timezone": "America/Los_Angeles"},
        "Metrics": {},
        "User": {"UserId": f"user-{n}", "UserAttributes": {}},
    }
    if country is not None:
        found["Location"] = {"Country": country, "City": "Seattle"}
    return found


def ndjson(items: list[Any]) -> bytes:
    return b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in items)


def put(emu: Emulator, key: str, body: bytes) -> Any:
    s3 = emu.session().client("s3")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    return s3


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_an_export_in_s3_becomes_a_private_deduplicated_csv(emu: Emulator, tmp_path: Path) -> None:
    part1 = [
        endpoint(1, "+12065550100"),
        endpoint(2, "+1 (206) 555-0100"),  # the same number again, written differently
        endpoint(3, "07700 900123", country="GB"),
        endpoint(4, "+12065550101", opt_out="NONE"),
        endpoint(5, "someone@example.com", channel="EMAIL"),
        endpoint(6, "+12065550102", channel="VOICE"),
        b"",
        endpoint(7, "12345"),
    ]
    part2 = [
        b"{not json",
        b"[1, 2]",
        endpoint(8, "2065550103", country=None),
        endpoint(9, "+33612345678", country="US"),  # a + wins over the endpoint's country
        endpoint(10, None),
        endpoint(11, "(206) 555-0104", country="us"),
    ]
    put(emu, "exports/job-1/", b"")  # the console's folder marker
    put(emu, "exports/job-1/part-00001.gz", gzip.compress(ndjson(part1)))
    s3 = put(emu, "exports/job-1/part-00002.gz", gzip.compress(ndjson(part2)))
    result = read_s3_endpoint_export(s3, f"s3://{BUCKET}/exports/job-1/", tenant="acme", out_dir=tmp_path)

    assert result.files_read == (
        f"s3://{BUCKET}/exports/job-1/part-00001.gz",
        f"s3://{BUCKET}/exports/job-1/part-00002.gz",
    )
    assert (result.lines, result.blank_lines, result.endpoints_read, result.malformed) == (14, 1, 11, 2)
    assert (result.sms_opted_out, result.normalised, result.duplicates, result.written) == (8, 5, 1, 4)
    assert (result.rejected, result.not_valid) == (5, 1)
    assert (result.file, result.rejects_file) == ("optouts/acme.csv", "optouts/acme.rejects.csv")
    out = tmp_path / "optouts" / "acme.csv"
    assert read_csv(out) == [
        ["phone_number"],
        ["+12065550100"],
        ["+12065550104"],
        ["+33612345678"],
        ["+447700900123"],
    ]
    rejects = read_csv(tmp_path / "optouts" / "acme.rejects.csv")
    assert rejects[0] == ["file", "line", "endpoint_id", "raw_value", "country", "reason"]
    by_line = {(r[0].rsplit("/", 1)[-1], int(r[1])): r for r in rejects[1:]}
    assert by_line[("part-00001.gz", 8)][2:5] == ["ep-7", "12345", "US"]
    assert by_line[("part-00001.gz", 8)][5] == "not a possible phone number: too short"
    assert by_line[("part-00002.gz", 1)][3:] == ["{not json", "", by_line[("part-00002.gz", 1)][5]]
    assert by_line[("part-00002.gz", 1)][5].startswith("not JSON:")
    assert by_line[("part-00002.gz", 2)][5] == "not a JSON object (a list)"
    assert by_line[("part-00002.gz", 3)][5] == "no leading + and the endpoint has no Location.Country"
    assert by_line[("part-00002.gz", 5)][5] == "the endpoint has no Address"
    for path, digest in ((out, result.sha256), (tmp_path / result.rejects_file, result.rejects_sha256)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert stat.S_IMODE((tmp_path / "optouts").stat().st_mode) == 0o700
    assert sorted(p.name for p in (tmp_path / "optouts").iterdir()) == ["acme.csv", "acme.rejects.csv"]


def test_files_are_created_private_never_chmoded(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3 = put(emu, "e/1.gz", gzip.compress(ndjson([endpoint(1, "+12065550100")])))

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("opt-out files must be created 0600, not chmod'ed")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(os, "fchmod", refuse)
    old = os.umask(0)  # even with a permissive umask
    try:
        result = read_s3_endpoint_export(s3, f"s3://{BUCKET}/e/", tenant="t", out_dir=tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / result.file).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / result.rejects_file).stat().st_mode) == 0o600


def test_same_export_gives_the_same_bytes_whatever_the_order(tmp_path: Path) -> None:
    numbers = [f"+1206555{n:04d}" for n in range(40)] * 2
    forward, backward = tmp_path / "a", tmp_path / "b"
    forward.mkdir()
    backward.mkdir()
    (forward / "1.gz").write_bytes(gzip.compress(ndjson([endpoint(i, a) for i, a in enumerate(numbers)])))
    (backward / "1.gz").write_bytes(
        gzip.compress(ndjson([endpoint(i, a) for i, a in enumerate(reversed(numbers))]))
    )
    one = read_endpoint_export(local_export_files(forward), tenant="x", out_dir=tmp_path / "o1", source="a")
    two = read_endpoint_export(
        local_export_files(backward), tenant="x", out_dir=tmp_path / "o2", source="b", chunk_size=7
    )
    assert one.sha256 == two.sha256 and (one.written, one.duplicates) == (40, 40) == (
        two.written,
        two.duplicates,
    )


def test_spilled_runs_merge_to_the_same_result(tmp_path: Path) -> None:
    addresses = [f"+4477009{(n * 7919) % 5000:05d}" for n in range(3000)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.ndjson").write_bytes(
        ndjson([endpoint(i, a, country="GB") for i, a in enumerate(addresses)])
    )
    files = local_export_files(tmp_path / "in")
    small = read_endpoint_export(files, tenant="s", out_dir=tmp_path / "s", source="x", chunk_size=64)
    big = read_endpoint_export(files, tenant="s", out_dir=tmp_path / "b", source="x")
    assert small.sha256 == big.sha256 and small.written == len(set(addresses))
    assert not [p for p in (tmp_path / "s" / "optouts").iterdir() if p.name.startswith(".")]


def test_a_truncated_gzip_is_a_clear_error_and_leaves_nothing(emu: Emulator, tmp_path: Path) -> None:
    whole = gzip.compress(ndjson([endpoint(i, f"+1206555{i:04d}") for i in range(2000)]))
    s3 = put(emu, "cut/part-1.gz", whole[: len(whole) // 2])
    with pytest.raises(ExportError, match=r"part-1.gz ends in the middle of its gzip stream after line \d+"):
        read_s3_endpoint_export(s3, f"s3://{BUCKET}/cut/", tenant="t", out_dir=tmp_path)
    assert list((tmp_path / "optouts").iterdir()) == []


def test_a_corrupt_gzip_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage that is not deflate" * 10)
    with pytest.raises(ExportError, match=r"bad\.gz is not a readable gzip file"):
        read_endpoint_export(
            local_export_files(tmp_path / "bad.gz"), tenant="t", out_dir=tmp_path, source="x"
        )


def test_no_files_under_the_prefix(emu: Emulator, tmp_path: Path) -> None:
    s3 = put(emu, "elsewhere/x.gz", b"x")
    with pytest.raises(ExportError, match="no export files under"):
        read_s3_endpoint_export(s3, f"s3://{BUCKET}/nothing-here/", tenant="t", out_dir=tmp_path)
    with pytest.raises(ValueError, match="not an S3 URL"):
        read_s3_endpoint_export(s3, "https://example.com/x", tenant="t", out_dir=tmp_path)


def test_an_oversized_line_is_rejected_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optouts, "MAX_LINE", 1000)
    big = json.dumps(endpoint(1, "+12065550100") | {"Attributes": {"x": ["y" * 3000]}}).encode()
    (tmp_path / "e.ndjson").write_bytes(ndjson([big, endpoint(2, "+12065550101")]))
    result = read_endpoint_export(
        local_export_files(tmp_path / "e.ndjson"), tenant="t", out_dir=tmp_path, source="x"
    )
    assert (result.lines, result.malformed, result.written) == (2, 1, 1)
    [_, row] = read_csv(tmp_path / result.rejects_file)
    assert row[1] == "1" and row[5] == "line longer than 1000 bytes" and len(row[3]) <= 201


@pytest.mark.parametrize("tenant", ["", "../x", "a/b", ".hidden", "x" * 129])
def test_tenant_must_be_a_plain_file_name(tmp_path: Path, tenant: str) -> None:
    with pytest.raises(ValueError, match="cannot be a file name"):
        read_endpoint_export([], tenant=tenant, out_dir=tmp_path, source="x")


@pytest.mark.parametrize(
    ("address", "country", "expected"),
    [
        ("+12065550100", None, (12065550100, True, "")),
        ("(206) 555-0100", "us", (12065550100, True, "")),
        ("+1 206 555 0100", "XX", (12065550100, True, "")),
        ("0612345678", "FR", (33612345678, True, "")),
        ("+1 800 FLOWERS", None, (18003569377, True, "")),
        ("12345", "US", (None, False, "not a possible phone number: too short")),
        (
            "+12065550",
            "US",
            (None, False, "not a possible phone number: a local number without its area code"),
        ),
        ("2065550100", None, (None, False, "no leading + and the endpoint has no Location.Country")),
        (
            "2065550100",
            "USA",
            (None, False, "no leading + and Location.Country 'USA' is not an ISO 3166-1 alpha-2 code"),
        ),
    ],
)
def test_normalise(address: str, country: str | None, expected: tuple[int | None, bool, str]) -> None:
    assert normalise(address, country) == expected


def test_emulator_export_job_output_reads_back(emu_before_eos: Emulator, tmp_path: Path) -> None:
    """The files the emulator's CreateExportJob writes are read as AWS's would be (before 2026-10-30:
    export jobs are retired after it)."""
    emu = emu_before_eos
    session = emu.session()
    s3 = session.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    pinpoint = session.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "acme"})["ApplicationResponse"]["Id"]
    batch = [
        {"Id": "a", "ChannelType": "SMS", "Address": "+12065550100", "OptOut": "ALL"},
        {"Id": "b", "ChannelType": "SMS", "Address": "+12065550101", "OptOut": "NONE"},
        {"Id": "c", "ChannelType": "SMS", "Address": "+442071838750", "OptOut": "ALL"},
    ]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})
    job = pinpoint.create_export_job(
        ApplicationId=app_id,
        ExportJobRequest={
            "S3UrlPrefix": f"s3://{BUCKET}/pinpoint/",
            "RoleArn": "arn:aws:iam::123456789012:role/Export",
        },
    )["ExportJobResponse"]
    result = read_s3_endpoint_export(
        s3, f"s3://{BUCKET}/pinpoint/{job['Id']}/", tenant="acme", out_dir=tmp_path
    )
    assert (result.endpoints_read, result.sms_opted_out, result.written, result.rejected) == (3, 2, 2, 0)
    assert read_csv(tmp_path / result.file)[1:] == [["+12065550100"], ["+442071838750"]]


def _generated_export(path: Path, count: int) -> None:
    """A lean export (the members the reader looks at, as an export writes them), generated fast."""
    row = '{"ChannelType":"SMS","Address":"+1206%07d","OptOut":"%s","Location":{"Country":"US"},"Id":"e%d"}\n'
    with gzip.open(path, "wb", compresslevel=1) as fh:
        for start in range(0, count, 10_000):
            block = "".join(
                row % (n % 9_000_000, "NONE" if n % 50 else "ALL", n)
                for n in range(start, min(count, start + 10_000))
            )
            fh.write(block.encode())


def _iter_peak(files: Any, out: Path, chunk: int) -> Iterator[int]:
    tracemalloc.start()
    try:
        read_endpoint_export(files, tenant="big", out_dir=out, source="gen", chunk_size=chunk)
        yield tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_over_200k_lines(tmp_path: Path) -> None:
    export = tmp_path / "big.gz"
    _generated_export(export, 200_000)
    [peak] = _iter_peak(local_export_files(export), tmp_path / "out", chunk=1024)  # 4 sorted runs spilled
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes"
    lines = (tmp_path / "out" / "optouts" / "big.csv").read_bytes().count(b"\n")
    assert lines == 1 + 4_000
