"""Opt-outs from a Pinpoint endpoint export, streamed: the data the migration must not lose.

A Pinpoint export job writes gzip-compressed newline-delimited JSON below its `S3UrlPrefix`, one
`EndpointResponse` per line (`ChannelType`, `Address`, `OptOut`, `Location.Country`, ...). AWS does not
document the object names below the prefix, so every non-empty object under it is read, in key order;
each is gunzipped when it starts with the gzip magic bytes and read as plain NDJSON otherwise. Point the
prefix at one job (`s3://bucket/prefix/<JobId>/`) so that one tenant's file holds one project.

Kept: endpoints with `ChannelType` `SMS` and `OptOut` `ALL` (whatever their `EndpointStatus`: someone who
opted out stays opted out). Their `Address` is normalised to E.164 with `phonenumbers`, reading a number
without a leading `+` in the endpoint's `Location.Country`. Numbers that cannot be normalised and lines
that are not JSON objects go to `optouts/<tenant>.rejects.csv` with the file, line and reason: nothing is
dropped silently. Lines that cannot be SMS opt-outs (see `cannot_be_sms_optout`) are counted
without being parsed: that is most of an export, and `json.loads` was most of the time. Memory stays flat: objects are streamed (S3 `GetObject` body, never read whole), lines
are bounded, and de-duplication spills sorted runs to disk (see `optouts_files`).
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import phonenumbers

from migrate.aws.paging import enumerate_pages
from migrate.inventory.optouts_files import DEFAULT_CHUNK, NumberSet, RejectWriter, private_dir

MAX_LINE = 1 << 20  # an endpoint is a few KiB at most; a longer "line" is damage, not data
RAW_KEEP = 200  # characters of a malformed line kept in the rejects file
PROGRESS_EVERY = 10_000
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_S3_URL = re.compile(r"^s3://([^/]+)/?(.*)$")


class ExportError(RuntimeError):
    """The export cannot be read to the end (truncated or corrupt gzip, missing objects)."""


@dataclass(frozen=True)
class ExportFile:
    """One object of an export: its name (for messages and rejects) and how to open it as bytes."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None  # bytes the store says it holds: reading fewer is a partial read, an error


@dataclass(frozen=True)
class OptOutExport:
    """What one export gave: counts, the files written (relative to the output folder) and their sha256."""

    tenant: str
    source: str
    files_read: tuple[str, ...]
    lines: int
    blank_lines: int
    endpoints_read: int
    sms_opted_out: int
    normalised: int  # opted-out SMS numbers turned into E.164, duplicates included
    duplicates: int
    written: int  # unique numbers in the CSV
    not_valid: int  # written, but libphonenumber's metadata does not know the number as assigned
    malformed: int  # lines that are not a JSON object
    rejected: int  # rows of the rejects file (malformed lines + numbers that cannot be normalised)
    file: str
    sha256: str
    rejects_file: str
    rejects_sha256: str


def read_endpoint_export(
    files: Sequence[ExportFile],
    *,
    tenant: str,
    out_dir: Path,
    source: str,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> OptOutExport:
    """Stream `files` into `out_dir/optouts/<tenant>.csv` and `<tenant>.rejects.csv` (both mode 0600).

    Raises `ExportError` (and writes nothing) when a file is truncated or corrupt.
    """
    if not _TENANT.match(tenant):
        raise ValueError(f"tenant {tenant!r} cannot be a file name: use letters, digits, '.', '_' and '-'")
    folder = private_dir(Path(out_dir) / "optouts")
    csv_path, rejects_path = folder / f"{tenant}.csv", folder / f"{tenant}.rejects.csv"
    numbers = NumberSet(folder, chunk_size)
    rejects = RejectWriter(rejects_path)
    counts = {"lines": 0, "blank": 0, "endpoints": 0, "opted_out": 0, "not_valid": 0, "malformed": 0}
    try:
        for export in files:
            for line_no, line in _lines(export):
                counts["lines"] += 1
                if progress is not None and counts["lines"] % PROGRESS_EVERY == 0:
                    progress(counts["lines"])
                if cannot_be_sms_optout(line):
                    counts["endpoints"] += 1
                    continue
                _take(export.name, line_no, line, numbers, rejects, counts)
        written, sha = numbers.write_csv(csv_path)
        rejects_sha = rejects.commit()
    except BaseException:
        numbers.cleanup()
        rejects.discard()
        raise
    if progress is not None:
        progress(counts["lines"])
    return OptOutExport(
        tenant=tenant,
        source=source,
        files_read=tuple(f.name for f in files),
        lines=counts["lines"],
        blank_lines=counts["blank"],
        endpoints_read=counts["endpoints"],
        sms_opted_out=counts["opted_out"],
        normalised=numbers.added,
        duplicates=numbers.added - written,
        written=written,
        not_valid=counts["not_valid"],
        malformed=counts["malformed"],
        rejected=rejects.count,
        file=f"optouts/{csv_path.name}",
        sha256=sha,
        rejects_file=f"optouts/{rejects_path.name}",
        rejects_sha256=rejects_sha,
    )


def read_s3_endpoint_export(
    s3_client: Any,
    url: str,
    *,
    tenant: str,
    out_dir: Path,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> OptOutExport:
    """`read_endpoint_export` over every object under an `s3://bucket/prefix/` URL."""
    files = s3_export_files(s3_client, url)
    return read_endpoint_export(
        files, tenant=tenant, out_dir=out_dir, source=url, chunk_size=chunk_size, progress=progress
    )


def s3_export_files(s3_client: Any, url: str) -> list[ExportFile]:
    """The objects of an export under `url`, in key order (folder markers and empty objects skipped)."""
    match = _S3_URL.match(url)
    if not match or not match.group(1):
        raise ValueError(f"{url!r} is not an S3 URL such as s3://bucket/prefix/")
    bucket, prefix = match.group(1), match.group(2)
    found = [
        (obj["Key"], obj.get("Size", 0))
        for obj in enumerate_pages(s3_client, "ListObjectsV2", "Contents", Bucket=bucket, Prefix=prefix)
        if not obj["Key"].endswith("/") and obj.get("Size", 1) > 0
    ]
    if not found:
        raise ExportError(f"no export files under {url}")

    def opener(key: str) -> Callable[[], BinaryIO]:
        return lambda: s3_client.get_object(Bucket=bucket, Key=key)["Body"]  # a stream, never read whole

    sizes = {key: int(size) for key, size in found}
    return [ExportFile(f"s3://{bucket}/{key}", opener(key), sizes[key]) for key in sorted(sizes)]


def local_export_files(path: Path) -> list[ExportFile]:
    """The files of an export downloaded to `path` (one file, or a folder read recursively in order)."""
    root = Path(path)
    if root.is_file():
        candidates = [root]
    else:
        candidates = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    found = [p for p in candidates if p.stat().st_size > 0]
    if not found:
        raise ExportError(f"no export files under {root}")
    return [ExportFile(str(p), lambda p=p: open(p, "rb"), p.stat().st_size) for p in found]  # type: ignore[misc]


def normalise(address: str, country: str | None) -> tuple[int | None, bool, str]:
    """(E.164 digits as an int, valid per libphonenumber, reject reason) of one endpoint address."""
    region = None
    if country:
        code = country.strip().upper()
        region = code if code in phonenumbers.SUPPORTED_REGIONS else None
    text = address.strip()
    if not text.startswith("+") and region is None:
        if country:
            return (
                None,
                False,
                f"no leading + and Location.Country {country!r} is not an ISO 3166-1 alpha-2 code",
            )
        return None, False, "no leading + and the endpoint has no Location.Country"
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        return None, False, f"not a phone number: {exc}"
    why = phonenumbers.is_possible_number_with_reason(parsed)
    if why != phonenumbers.ValidationResult.IS_POSSIBLE:
        reason = {
            phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "a local number without its area code",
            phonenumbers.ValidationResult.TOO_SHORT: "too short",
            phonenumbers.ValidationResult.TOO_LONG: "too long",
            phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country calling code",
            phonenumbers.ValidationResult.INVALID_LENGTH: "a length no number of that country has",
        }.get(why, "not a possible number")
        return None, False, f"not a possible phone number: {reason}"
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    # Possible-but-not-valid numbers are kept: an extra opt-out entry harms nobody, a lost one does.
    return int(e164[1:]), phonenumbers.is_valid_number(parsed), ""


_SMS, _ALL = b'"SMS"', b'"ALL"'


def cannot_be_sms_optout(line: bytes) -> bool:
    """True only for a line that no JSON parse can read as an endpoint with `ChannelType` "SMS" and
    `OptOut` "ALL", so it is counted as an endpoint and not parsed (~98% of an export's lines).

    Why it is a necessary condition: the line is one whole JSON object as Pinpoint writes it (starts
    with `{`, ends with `}`, not over MAX_LINE, so not cut), it has no backslash (so no string in it is
    written with an escape such as `\\u0041LL`) and no NUL byte (so it is not UTF-16/32, which
    `json.loads` would also accept). In such a text the string "SMS" can only be the bytes `"SMS"`,
    and likewise "ALL"; a line lacking either cannot hold both values. A line that fails any test is
    parsed as before, so a malformed line still goes to the rejects file.
    """
    return (
        (_ALL not in line or _SMS not in line)
        and b"\\" not in line
        and b"\x00" not in line
        and line[:1] == b"{"
        and line.rstrip()[-1:] == b"}"
        and len(line) <= MAX_LINE
    )


def _take(
    name: str, line_no: int, line: bytes, numbers: NumberSet, rejects: RejectWriter, counts: dict[str, int]
) -> None:
    if not line.strip():
        counts["blank"] += 1
        return
    if len(line) > MAX_LINE:
        counts["malformed"] += 1
        rejects.add(name, line_no, "", _raw(line), "", f"line longer than {MAX_LINE} bytes")
        return
    try:
        endpoint = json.loads(line)
    except ValueError as exc:
        counts["malformed"] += 1
        rejects.add(name, line_no, "", _raw(line), "", f"not JSON: {exc}")
        return
    if not isinstance(endpoint, dict):
        counts["malformed"] += 1
        rejects.add(name, line_no, "", _raw(line), "", f"not a JSON object (a {type(endpoint).__name__})")
        return
    counts["endpoints"] += 1
    if endpoint.get("ChannelType") != "SMS" or endpoint.get("OptOut") != "ALL":
        return
    counts["opted_out"] += 1
    location = endpoint.get("Location")
    country = location.get("Country") if isinstance(location, dict) else None
    country = country if isinstance(country, str) else None
    endpoint_id = str(endpoint.get("Id") or "")
    address = endpoint.get("Address")
    if not isinstance(address, str) or not address.strip():
        rejects.add(name, line_no, endpoint_id, _raw(address), country or "", "the endpoint has no Address")
        return
    number, valid, reason = normalise(address, country)
    if number is None:
        rejects.add(name, line_no, endpoint_id, address, country or "", reason)
        return
    if not valid:
        counts["not_valid"] += 1
    numbers.add(number)


def _raw(value: Any) -> str:
    if value is None:
        return ""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    text = text.rstrip("\r\n")
    return text if len(text) <= RAW_KEEP else text[:RAW_KEEP] + "…"


def _lines(export: ExportFile) -> Iterator[tuple[int, bytes]]:
    """Numbered lines of one file, gunzipped if gzip; lines over MAX_LINE are cut and reported as such."""
    raw = export.open()
    try:
        head = raw.read(2)
        rejoined = _Rejoined(head, raw)
        stream: Any = io.BufferedReader(rejoined, 1 << 16)
        plain = head != b"\x1f\x8b"
        if not plain:
            stream = gzip.GzipFile(fileobj=stream, mode="rb")
        line_no = 0
        while True:
            try:
                line = stream.readline(MAX_LINE + 1)
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    while True:  # skip the rest of the oversized line without holding it
                        rest = stream.readline(MAX_LINE)
                        if not rest or rest.endswith(b"\n"):
                            break
            except EOFError:
                raise ExportError(
                    f"{export.name} ends in the middle of its gzip stream after line {line_no} "
                    "(truncated file? download or export it again)"
                ) from None
            except (gzip.BadGzipFile, zlib.error) as exc:
                raise ExportError(
                    f"{export.name} is not a readable gzip file after line {line_no}: {exc}"
                ) from None
            if not line:
                _whole(export, rejoined.count + len(head), line_no)
                return
            line_no += 1
            cut = len(line) > MAX_LINE  # an oversized line, already skipped to its end
            if plain and not cut and not line.endswith(b"\n") and line.strip() and not _parses(line):
                # NDJSON ends each record with a newline: a last line cut short is a truncated file, as a
                # gzip stream that ends early is (read as whole, it would drop the opt-outs after the cut)
                raise ExportError(
                    f"{export.name} ends in the middle of line {line_no} (no newline, not JSON): the file is "
                    "truncated; download or export it again"
                )
            yield line_no, line
    finally:
        raw.close()


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _whole(export: ExportFile, read: int, lines: int) -> None:
    """A file read to its end holds as many bytes as its store said it would (else a partial read)."""
    if export.size is not None and read < export.size:
        raise ExportError(
            f"{export.name}: read {read} of its {export.size} bytes (partial read after line {lines}): "
            "download or export it again"
        )


class _Rejoined(io.RawIOBase):
    """The bytes already read to sniff the format, followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head = head
        self._rest = rest
        self.count = 0  # bytes read from `rest` (after the head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)
