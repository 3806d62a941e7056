"""Steps read as people read them: parameters without Python reprs, "depends on" naming the steps."""

from __future__ import annotations

import re

import pytest

from migrate.report.html import render_html
from migrate.report.model import build_report
from migrate.report.readable import readable, step_label
from tests.report import world

REPR = re.compile(r"[\[\{]'|'[\]\}]|': |\bTrue\b|\bFalse\b|\bNone\b")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ([{"OptOutListName": "Default", "count": 10}], "Default (10)"),
        (
            {"$step": "1/us-east-1/create_pool/pinpoint-acme", "field": "PoolId"},
            "PoolId made by step create pool pinpoint-acme",
        ),
        (True, "yes"),
        (None, "none"),
        (["TEXT_ALL", "VOICE_ALL"], "TEXT_ALL, VOICE_ALL"),
        (
            {"DeliveryStreamArn": "arn:x", "IamRoleArn": "arn:r"},
            "DeliveryStreamArn: arn:x; IamRoleArn: arn:r",
        ),
        (12345, "12,345"),
    ],
)
def test_values_read_as_words(value: object, text: str) -> None:
    assert readable(value) == text


def test_no_step_parameter_is_a_python_repr_and_depends_on_names_steps() -> None:
    inv = world.inventory(sandbox=True)
    report = build_report(inv, world.planned(inv), now="2026-12-04T00:00:00Z")
    numbers = {s.step_id: s.number for s in report.steps}
    assert [s.number for s in report.steps] == list(range(1, len(report.steps) + 1))
    for step in report.steps:
        for line in step.parameters:
            assert not REPR.search(line), line
        assert [n for n, _ in step.depends] == [numbers[d] for d in step.depends_on]
        for (_, label), dep in zip(step.depends, step.depends_on, strict=True):
            assert label == step_label(dep)
    html = render_html(report)
    dependent = next(s for s in report.steps if s.depends)
    n, label = dependent.depends[0]
    assert f'<a href="#step-{n}">{n}</a> {label}' in html and f'id="step-{n}"' in html
