"""The readiness report: one model (`model.build_report`) read by the HTML, JSON and CSV writers."""

from __future__ import annotations

from migrate.report.commands import ReportError, ReportResult, run_report
from migrate.report.model import build_report
from migrate.report.parts import Report

__all__ = ["Report", "ReportError", "ReportResult", "build_report", "run_report"]
