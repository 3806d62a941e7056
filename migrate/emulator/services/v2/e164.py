"""Realistic, deterministic E.164 numbers for requested phone numbers, per country and number type.

`phonenumbers` (libphonenumber's metadata) knows each country's numbering plan: we start from its example
number of the right type, keep the leading digits (area code or mobile prefix) and vary the rest with a
seed drawn from the world's counter, so the same world always hands out the same numbers.
"""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberType

from migrate.emulator.services.v2.origination import invalid_parameter

# Libphonenumber types a number AWS sells under each NumberType may have.
_TYPES = {
    "LONG_CODE": (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE),
    "TEN_DLC": (PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE),
    "TOLL_FREE": (PhoneNumberType.TOLL_FREE,),
    "SIMULATOR": (PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE),
}
# NANP toll-free prefixes AWS hands out (800 is scarce; new toll-free numbers come from 833-888).
_NANP_TOLL_FREE = ("833", "844", "855", "866", "877", "888")
# Area codes new 10DLC and Canadian long codes come from (libphonenumber's example has one area code only).
_AREA_CODES = {
    "US": ("206", "212", "312", "415", "512", "617", "646", "702", "720", "919"),
    "CA": ("403", "416", "514", "604", "613"),
    "PR": ("787", "939"),
}
_NANP = frozenset(_AREA_CODES)
_ATTEMPTS = 400


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_number(iso_country_code: str, number_type: str, seed: int, taken: set[str]) -> str:
    """A valid E.164 number of `number_type` in the country, not in `taken`, chosen by `seed`."""
    example = None
    for kind in _TYPES[number_type]:
        example = phonenumbers.example_number_for_type(iso_country_code, kind)
        if example is not None:
            break
    if example is None:
        raise invalid_parameter(
            f"{number_type} phone numbers are not available in {iso_country_code}.", "IsoCountryCode"
        )
    rng = random.Random(seed)
    national = str(example.national_number)
    if number_type == "SIMULATOR":
        # Simulator numbers sit in the numbering plan's fictional range (NANP 555-01XX): they reach nobody.
        return _vary(example, national, len(national) - 2, rng, taken, check=False)
    if iso_country_code in _NANP:
        prefix_len = 3  # keep the area code; for toll-free pick a current prefix
        if number_type == "TOLL_FREE":
            national = rng.choice(_NANP_TOLL_FREE) + national[3:]
        else:
            national = rng.choice(_AREA_CODES[iso_country_code]) + national[3:]
        return _vary(example, national, prefix_len, rng, taken, check=True, nanp=True)
    keep = max(1, min(len(national) - 6, 4))
    return _vary(example, national, keep, rng, taken, check=True)


def _vary(
    example: phonenumbers.PhoneNumber,
    national: str,
    keep: int,
    rng: random.Random,
    taken: set[str],
    *,
    check: bool,
    nanp: bool = False,
) -> str:
    wanted = phonenumbers.number_type(example)
    for _ in range(_ATTEMPTS):
        tail = [str(rng.randrange(10)) for _ in range(len(national) - keep)]
        if nanp and tail:
            tail[0] = str(rng.randrange(2, 10))  # an exchange code never starts with 0 or 1
            if "".join(tail[:3]) == "555" or tail[1:3] == ["1", "1"]:
                continue
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code, national_number=int(national[:keep] + "".join(tail))
        )
        text = _e164(candidate)
        if text in taken:
            continue
        if not check:
            return text
        if phonenumbers.is_valid_number(candidate) and phonenumbers.number_type(candidate) in (
            wanted,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return text
    raise invalid_parameter("No phone numbers of that type are left in this country.", "IsoCountryCode")
