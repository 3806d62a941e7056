"""Phone number validation as Pinpoint's PhoneNumberValidate answers it, from libphonenumber's data.

AWS looks numbers up in carrier databases; libphonenumber knows number plans instead. Where a plan
cannot tell mobile from landline (all of NANP: `FIXED_LINE_OR_MOBILE`) the number is reported `MOBILE`,
because that is what SMS readiness cares about and what AWS answers for most such numbers.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, geocoder, timezone

# PhoneType and PhoneTypeCode as the NumberValidateResponse documents them.
PHONE_TYPE_CODES = {"MOBILE": 0, "LANDLINE": 1, "VOIP": 2, "INVALID": 3, "OTHER": 4, "PREPAID": 5}
_TYPES = {
    PhoneNumberType.MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE: "LANDLINE",
    PhoneNumberType.VOIP: "VOIP",
}


def _typed(response: dict[str, Any], phone_type: str) -> dict[str, Any]:
    response["PhoneType"] = phone_type
    response["PhoneTypeCode"] = PHONE_TYPE_CODES[phone_type]
    return response


def validate_number(number: str, iso_country_code: str | None = None) -> dict[str, Any]:
    """A NumberValidateResponse for `number` (E.164, or national with `iso_country_code`)."""
    response: dict[str, Any] = {"OriginalPhoneNumber": number}
    region = (iso_country_code or "").upper() or None
    if region:
        response["OriginalCountryCodeIso2"] = region
    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return _typed(response, "INVALID")
    response["CleansedPhoneNumberE164"] = phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164
    )
    response["CleansedPhoneNumberNational"] = phonenumbers.national_significant_number(parsed)
    response["CountryCodeNumeric"] = str(parsed.country_code)
    country_iso = phonenumbers.region_code_for_number(parsed)
    if country_iso and country_iso != "ZZ":
        response["CountryCodeIso2"] = country_iso
        response["Country"] = geocoder.country_name_for_number(parsed, "en") or country_iso
    if not phonenumbers.is_valid_number(parsed):
        return _typed(response, "INVALID")
    place = geocoder.description_for_number(parsed, "en")
    if place and place != response.get("Country"):
        response["City"] = place
    zones = [z for z in timezone.time_zones_for_number(parsed) if z != "Etc/Unknown"]
    if zones:
        response["Timezone"] = zones[0]
    name = carrier.name_for_number(parsed, "en")
    if name:
        response["Carrier"] = name
    return _typed(response, _TYPES.get(phonenumbers.number_type(parsed), "OTHER"))
