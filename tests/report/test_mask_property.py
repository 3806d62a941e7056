"""Masking never prints two different numbers alike, never prints a recipient in full, and shows the
account's own origination numbers as they are (issue 13)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.report.mask import mask_deep, mask_text

# numbers that mostly share a masked form (same first digits), so collisions are the common case
NUMBERS = st.builds(
    lambda tail, cc: f"+{cc}206555{tail:04d}", st.integers(0, 9999), st.sampled_from(["1", "44"])
)
SEP = st.sampled_from([" ", ", ", " and ", "/", "\n"])


@dataclass(frozen=True)
class Doc:
    title: str
    rows: tuple[str, ...]
    extra: dict[str, list[str]]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(st.lists(NUMBERS, min_size=1, max_size=12), st.data())
def test_no_two_numbers_print_alike_and_no_recipient_prints_in_full(
    numbers: list[str], data: st.DataObject
) -> None:
    keep = set(data.draw(st.lists(st.sampled_from(numbers), max_size=3)))
    words = [
        data.draw(SEP).join(data.draw(st.lists(st.sampled_from(numbers), min_size=1, max_size=3)))
        for _ in range(4)
    ]
    doc = Doc(words[0], (words[1], words[2]), {"k": [words[3]]})
    masked = mask_deep(doc, keep=keep)
    printed: dict[str, set[str]] = {}
    for original, shown in zip(_numbers_of(doc), _shown_of(masked), strict=True):
        printed.setdefault(shown, set()).add(original)
        if original in keep:
            assert shown == original
        else:
            assert shown != original and "****" in shown
    assert all(len(originals) == 1 for originals in printed.values()), printed


def test_mask_text_labels_collisions_within_one_text() -> None:
    text = mask_text("+12065550100 and +12065550199 and again +12065550100")
    assert text == "+1206555****~1 and +1206555****~2 and again +1206555****~1"
    assert mask_text("only +12065550100") == "only +1206555****"


def _numbers_of(doc: Doc) -> list[str]:
    return re.findall(r"\+\d{7,15}(?!\d)", "\x00".join([doc.title, *doc.rows, *doc.extra["k"]]))


def _shown_of(doc: Doc) -> list[str]:
    return re.findall(r"\+\d+(?:\*{4}(?:~\d+)?)?", "\x00".join([doc.title, *doc.rows, *doc.extra["k"]]))
