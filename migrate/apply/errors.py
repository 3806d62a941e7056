"""Errors of apply, verify and rollback, each with a message a person can act on (the CLI exits 1)."""

from __future__ import annotations


class ApplyError(Exception):
    """Base: the command cannot go on (the message says why and what to do)."""


class JournalError(ApplyError):
    """The journal is damaged (not just a torn last line) or cannot be written."""


class LockError(ApplyError):
    """Another apply or rollback holds the journal."""


class StalePlanError(ApplyError):
    """The live state is no longer the one the plan was made against."""


class AccountMismatchError(ApplyError):
    """The credentials do not reach the accounts the plan is for."""


class StepError(Exception):
    """A permanent failure of one step (its dependants are not run; independent steps go on)."""
