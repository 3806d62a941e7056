"""Pinpoint's one-time passwords: SendOTPMessage and VerifyOTPMessage. They live on after end of support.

From the Pinpoint developer guide, "Generate one-time passwords (OTPs)" (send-validate-otp) and the API
reference of SendOTPMessageRequestParameters:
- the only channel is `SMS`; the SMS channel must be enabled; the destination is an E.164 number;
- `BrandName` (at most 20 characters) goes into the message "This is your One Time Password: {otp} from
  {brand}";
- `CodeLength` is 5 to 8 digits, `ValidityPeriod` 5 to 60 minutes, `AllowedAttempts` at most 5 (defaults
  here: 6 digits, 15 minutes, 3 attempts — the guide gives the ranges, the defaults are ours);
- `VerifyOTPMessage` answers `Valid` true for the code sent for that (`ReferenceId`,
  `DestinationIdentity`) while it is valid; a wrong code uses up an attempt; once verified, expired or out
  of attempts the code no longer verifies (`Valid` false, not an error).
The message is recorded in the `messages` table like any send (tests read the code there); a number in
the account's `Default` opt-out list gets the `OPT_OUT` result SendMessages gives, and no code is kept.
"""

from __future__ import annotations

import hashlib
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.channels import channel_enabled
from migrate.emulator.services.pinpoint.messaging import send_one
from migrate.emulator.services.pinpoint.model import SERVICE, app, app_table, request_id

MAX_BRAND = 20
CODE_LENGTHS = range(5, 9)
VALIDITY_MINUTES = range(5, 61)
MAX_ATTEMPTS = 5
DEFAULTS = {"CodeLength": 6, "ValidityPeriod": 15, "AllowedAttempts": 3}


def _key(reference: str, destination: str) -> str:
    return f"{reference}/{destination}"


def _setting(request: dict[str, Any], name: str, allowed: range) -> int:
    value = request.get(name)
    value = DEFAULTS[name] if value is None else int(value)
    if value not in allowed:
        raise bad_request(f"{name} must be from {allowed.start} to {allowed.stop - 1}, got {value}.")
    return value


@operation(SERVICE, "SendOTPMessage")
def send_otp_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["SendOTPMessageRequestParameters"]
    if request["Channel"] != "SMS":
        raise bad_request(
            f"Channel {request['Channel']} is not supported for OTP; the supported value is SMS."
        )
    brand = str(request["BrandName"])
    if not brand or len(brand) > MAX_BRAND:
        raise bad_request(f"BrandName must be 1 to {MAX_BRAND} characters.")
    if not str(request["ReferenceId"]):
        raise bad_request("ReferenceId must not be empty.")
    length = _setting(request, "CodeLength", CODE_LENGTHS)
    minutes = _setting(request, "ValidityPeriod", VALIDITY_MINUTES)
    attempts = _setting(request, "AllowedAttempts", range(1, MAX_ATTEMPTS + 1))
    if not channel_enabled(ctx, application_id, "SMS"):
        raise bad_request("The SMS channel is not enabled for this application.")
    destination = str(request["DestinationIdentity"])
    digest = hashlib.sha256(f"otp:{ctx.new_id()}".encode()).hexdigest()
    code = str(int(digest, 16))[-length:].rjust(length, "0")
    message = {
        "MessageConfiguration": {
            "SMSMessage": {
                "Body": f"This is your One Time Password: {code} from {brand}",
                "OriginationNumber": request["OriginationIdentity"],
                "MessageType": "TRANSACTIONAL",
            }
        }
    }
    outcome = send_one(ctx, application_id, message, "SMS", destination, {})
    if outcome["DeliveryStatus"] == "SUCCESSFUL":
        app_table(ctx, "otp", application_id).put(
            _key(str(request["ReferenceId"]), destination),
            {"Code": code, "Expires": ctx.now() + 60 * minutes, "AttemptsLeft": attempts},
        )
    response = {
        "ApplicationId": application_id,
        "RequestId": request_id(ctx),
        "Result": {destination: outcome},
    }
    return {"MessageResponse": response}


@operation(SERVICE, "VerifyOTPMessage")
def verify_otp_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["VerifyOTPMessageRequestParameters"]
    key = _key(str(request["ReferenceId"]), str(request["DestinationIdentity"]))
    table = app_table(ctx, "otp", application_id)
    found = table.get(key)
    if found is None or found["Expires"] < ctx.now() or found["AttemptsLeft"] <= 0:
        return {"VerificationResponse": {"Valid": False}}
    if str(request["Otp"]) == found["Code"]:
        table.delete(key)  # a code verifies once
        return {"VerificationResponse": {"Valid": True}}
    table.put(key, {**found, "AttemptsLeft": found["AttemptsLeft"] - 1})
    return {"VerificationResponse": {"Valid": False}}
