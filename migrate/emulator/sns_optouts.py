"""The account's SNS opted-out phone numbers (`ListPhoneNumbersOptedOut`), which moto serves.

On AWS a number lands on this list when its owner replies STOP to an SMS sent through SNS; no API adds
one (SNS API reference: `ListPhoneNumbersOptedOut`, `OptInPhoneNumber`). moto keeps the list per account
and region in its SNS backend and seeds every region with a few made-up UK numbers. A new AWS account has
none, so the emulator gives every (account, region) the world's own list instead, the first time a
client reaches moto's SNS there: empty unless the world set one (`set_sns_opted_out`) or a saved world
held one. The only way in is moto's backend (`opt_out_numbers`); reading and saving use the public API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator


def _backend_numbers(account: str, region: str) -> list[str]:
    from moto.sns.models import sns_backends

    numbers: list[str] = sns_backends[account][region].opt_out_numbers
    return numbers


def prepare(emu: Emulator, account: str, region: str) -> None:
    """Before moto serves SNS in (account, region) for the first time: put the world's list there."""
    key = (account, region)
    if key in emu._sns_prepared:
        return
    emu._sns_prepared.add(key)
    _backend_numbers(account, region)[:] = list(emu._sns_opted_out.get(key, ()))


def set_sns_opted_out(emu: Emulator, region: str, numbers: list[str], account: str | None = None) -> None:
    """Make `numbers` the SNS opted-out list of `account` (default: the emulator's) in `region`."""
    key = (account or emu.account_id, region)
    emu._sns_opted_out[key] = sorted(set(numbers))
    emu._sns_prepared.discard(key)
    if emu.running:
        prepare(emu, *key)
