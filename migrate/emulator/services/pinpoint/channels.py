"""Pinpoint channels: SMS, voice, email and the push channels (APNs and its variants, GCM/FCM, Baidu, ADM).

Credentials (certificates, private keys, token keys, API keys, client secrets) are write-only, as on AWS:
responses only say that one is present (`HasCredential`, `HasTokenKey`, `HasFcmServiceCredentials`), so
the emulator does not keep them at all. Baidu's response `Credential` is its API key (not the secret).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    iso_now,
    pinpoint_not_found,
    public,
)

# AWS's default SMS throughput figures shown on a new SMS channel.
SMS_MESSAGES_PER_SECOND = 20
EMAIL_MESSAGES_PER_SECOND = 1
_APNS_FIELDS = ("BundleId", "TeamId", "TokenKeyId", "DefaultAuthenticationMethod")

Apply = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class Channel:
    key: str  # the ChannelType (the key of GetChannels' map, and of the channels table)
    api: str  # the operation-name stem: GetSmsChannel, UpdateSmsChannel, DeleteSmsChannel
    shape: str  # the request and response shape stem: SMSChannelRequest / SMSChannelResponse
    apply: Apply  # copies the request's settings into the stored record and checks them


def _sms(record: dict[str, Any], request: dict[str, Any]) -> None:
    for name in ("SenderId", "ShortCode"):
        if name in request:
            record[name] = request[name]
    record.setdefault("PromotionalMessagesPerSecond", SMS_MESSAGES_PER_SECOND)
    record.setdefault("TransactionalMessagesPerSecond", SMS_MESSAGES_PER_SECOND)


def _voice(record: dict[str, Any], request: dict[str, Any]) -> None:
    return None


def _email(record: dict[str, Any], request: dict[str, Any]) -> None:
    for name in ("FromAddress", "Identity"):
        if not request.get(name):
            raise bad_request(f"{name} is required for the email channel.")
    if not str(request["Identity"]).startswith("arn:") or ":ses:" not in str(request["Identity"]):
        raise bad_request("Identity must be the ARN of an Amazon SES identity.")
    if "@" not in str(request["FromAddress"]):
        raise bad_request("FromAddress must be an email address.")
    for name in ("FromAddress", "Identity", "RoleArn", "ConfigurationSet", "OrchestrationSendingRoleArn"):
        if name in request:
            record[name] = request[name]
    record.setdefault("MessagesPerSecond", EMAIL_MESSAGES_PER_SECOND)


def _apns(record: dict[str, Any], request: dict[str, Any]) -> None:
    has_cert = bool(request.get("Certificate")) or record.get("HasCredential", False)
    has_token = bool(request.get("TokenKey")) or record.get("HasTokenKey", False)
    if request.get("Certificate") and not request.get("PrivateKey"):
        raise bad_request("An APNs certificate needs its PrivateKey.")
    if request.get("TokenKey") and not all(request.get(n) for n in ("TokenKeyId", "BundleId", "TeamId")):
        raise bad_request("An APNs token key needs TokenKeyId, BundleId and TeamId.")
    if not (has_cert or has_token):
        raise bad_request("Missing credentials: give a Certificate and PrivateKey, or a TokenKey.")
    method = request.get("DefaultAuthenticationMethod") or record.get("DefaultAuthenticationMethod")
    if method is None:
        method = "CERTIFICATE" if has_cert else "TOKEN"
    if method.upper() not in ("CERTIFICATE", "TOKEN"):
        raise bad_request("DefaultAuthenticationMethod must be CERTIFICATE or TOKEN.")
    record["DefaultAuthenticationMethod"] = method.upper()
    record["HasCredential"] = has_cert
    record["HasTokenKey"] = has_token


def _gcm(record: dict[str, Any], request: dict[str, Any]) -> None:
    has_key = bool(request.get("ApiKey")) or record.get("_HasApiKey", False)
    has_json = bool(request.get("ServiceJson")) or record.get("HasFcmServiceCredentials", False)
    if not (has_key or has_json):
        raise bad_request("Missing credentials: give an ApiKey or a ServiceJson.")
    method = request.get("DefaultAuthenticationMethod") or record.get("DefaultAuthenticationMethod")
    record["DefaultAuthenticationMethod"] = (method or ("TOKEN" if has_json else "KEY")).upper()
    record["HasCredential"] = True
    record["HasFcmServiceCredentials"] = has_json
    record["_HasApiKey"] = has_key


def _baidu(record: dict[str, Any], request: dict[str, Any]) -> None:
    if not request.get("ApiKey") or not request.get("SecretKey"):
        raise bad_request("ApiKey and SecretKey are required for the Baidu channel.")
    record["Credential"] = request["ApiKey"]
    record["HasCredential"] = True


def _adm(record: dict[str, Any], request: dict[str, Any]) -> None:
    if not request.get("ClientId") or not request.get("ClientSecret"):
        raise bad_request("ClientId and ClientSecret are required for the ADM channel.")
    record["HasCredential"] = True


CHANNELS: tuple[Channel, ...] = (
    Channel("SMS", "Sms", "SMS", _sms),
    Channel("VOICE", "Voice", "Voice", _voice),
    Channel("EMAIL", "Email", "Email", _email),
    Channel("APNS", "Apns", "APNS", _apns),
    Channel("APNS_SANDBOX", "ApnsSandbox", "APNSSandbox", _apns),
    Channel("APNS_VOIP", "ApnsVoip", "APNSVoip", _apns),
    Channel("APNS_VOIP_SANDBOX", "ApnsVoipSandbox", "APNSVoipSandbox", _apns),
    Channel("GCM", "Gcm", "GCM", _gcm),
    Channel("BAIDU", "Baidu", "Baidu", _baidu),
    Channel("ADM", "Adm", "ADM", _adm),
)
# The members every channel response shares (ChannelResponse, what GetChannels lists).
_COMMON = (
    "ApplicationId",
    "CreationDate",
    "Enabled",
    "HasCredential",
    "Id",
    "IsArchived",
    "LastModifiedBy",
    "LastModifiedDate",
    "Version",
)


def channel(ctx: Context, application_id: str, channel_type: str) -> dict[str, Any] | None:
    """The app's channel of that type (`SMS`, `VOICE`, ...) as stored, or None when never configured."""
    found = app_table(ctx, "channels", application_id).get(channel_type)
    return dict(found) if found is not None else None


def channel_enabled(ctx: Context, application_id: str, channel_type: str) -> bool:
    found = channel(ctx, application_id, channel_type)
    return bool(found and found.get("Enabled"))


def _get(spec: Channel) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        app(ctx, params["ApplicationId"])
        found = channel(ctx, params["ApplicationId"], spec.key)
        if found is None:
            raise pinpoint_not_found()
        return {f"{spec.shape}ChannelResponse": public(found)}

    return handler


def _update(spec: Channel) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        application_id = params["ApplicationId"]
        app(ctx, application_id)
        request = params[f"{spec.shape}ChannelRequest"]
        table = app_table(ctx, "channels", application_id)
        now = iso_now(ctx)
        previous = table.get(spec.key)
        record = (
            dict(previous)
            if previous is not None
            else {
                "ApplicationId": application_id,
                "CreationDate": now,
                "Enabled": False,
                "HasCredential": False,
                "Id": spec.key.lower(),
                "IsArchived": False,
                "Platform": spec.key,
                "Version": 0,
            }
        )
        spec.apply(record, request)
        if "Enabled" in request:
            record["Enabled"] = bool(request["Enabled"])
        record["LastModifiedDate"] = now
        record["LastModifiedBy"] = ctx.account
        record["Version"] = int(record.get("Version", 0)) + 1
        table.put(spec.key, record)
        return {f"{spec.shape}ChannelResponse": public(record)}

    return handler


def _delete(spec: Channel) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        app(ctx, params["ApplicationId"])
        table = app_table(ctx, "channels", params["ApplicationId"])
        found = table.get(spec.key)
        if found is None:
            raise pinpoint_not_found()
        table.delete(spec.key)
        return {f"{spec.shape}ChannelResponse": public(found)}

    return handler


for _spec in CHANNELS:
    operation(SERVICE, f"Get{_spec.api}Channel")(_get(_spec))
    operation(SERVICE, f"Update{_spec.api}Channel")(_update(_spec))
    operation(SERVICE, f"Delete{_spec.api}Channel")(_delete(_spec))


@operation(SERVICE, "GetChannels")
def get_channels(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    table = app_table(ctx, "channels", application_id)
    channels = {key: {k: v for k, v in record.items() if k in _COMMON} for key, record in table.items()}
    return {"ChannelsResponse": {"Channels": channels}}
