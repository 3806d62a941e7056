"""Errors of the plan commands, each with a message a person can act on (the CLI prints it, exits 1)."""

from __future__ import annotations


class PlanError(Exception):
    """Base: planning could not be done or a plan file cannot be used."""


class PlanInputError(PlanError):
    """The inventory, live state or overrides given to `plan` cannot be used."""


class PlanFileError(PlanError):
    """A plan file that is missing, damaged, tampered with, or of another schema version."""


class ExportError(PlanError):
    """The export folder cannot be written."""
