"""What a handler sees of the emulator for one call: who calls, where, and the state to act on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.emulator.errors import ApiError
from migrate.emulator.store import Table, World

if TYPE_CHECKING:
    from migrate.emulator.quotas import Quotas

# Short table prefixes and ARN service names per botocore service name.
TABLE_PREFIX = {
    "pinpoint-sms-voice-v2": "v2",
    "pinpoint-sms-voice": "v1",
    "pinpoint": "pinpoint",
    "cloudtrail": "cloudtrail",
    "service-quotas": "servicequotas",
    "account": "account",
}
ARN_SERVICE = {
    "account": "account",
    "cloudtrail": "cloudtrail",
    "service-quotas": "servicequotas",
    "pinpoint-sms-voice-v2": "sms-voice",
    "pinpoint-sms-voice": "sms-voice",
    "pinpoint": "mobiletargeting",
}


QUOTA_REASON = {
    "PHONE_NUMBERS": "PHONE_NUMBERS_PER_ACCOUNT",
    "POOLS": "POOLS_PER_ACCOUNT",
    "CONFIGURATION_SETS": "CONFIGURATION_SETS_PER_ACCOUNT",
    "OPT_OUT_LISTS": "OPT_OUT_LISTS_PER_ACCOUNT",
    "SENDER_IDS": "SENDER_IDS_PER_ACCOUNT",
    "REGISTRATIONS": "REGISTRATIONS_PER_ACCOUNT",
    "REGISTRATION_ATTACHMENTS": "REGISTRATION_ATTACHMENTS_PER_ACCOUNT",
    "VERIFIED_DESTINATION_NUMBERS": "VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT",
    "PROTECT_CONFIGURATIONS": "PROTECT_CONFIGURATIONS_PER_ACCOUNT",
    "EVENT_DESTINATIONS": "EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
}


@dataclass
class Context:
    world: World
    service: str
    operation: str
    account: str
    region: str
    quotas: Quotas
    clock: Callable[[], float]
    end_of_support: bool = False  # whether Pinpoint's end of support is in effect for this call
    partition: str = "aws"
    retired_answer: int = 403  # the HTTP status a retired Pinpoint operation answers (a world setting)

    def table(self, name: str, *, service: str | None = None, region: str | None = None) -> Table:
        """A table of this account in this region (or another region/service of the same account)."""
        prefix = TABLE_PREFIX[service or self.service]
        return self.world.table(f"{prefix}:{self.account}:{region or self.region}:{name}")

    def arn(self, resource: str, *, service: str | None = None) -> str:
        arn_service = ARN_SERVICE[service or self.service]
        return f"arn:{self.partition}:{arn_service}:{self.region}:{self.account}:{resource}"

    def new_id(self, prefix: str = "", length: int = 32) -> str:
        """A fresh id, deterministic for a given world (so demo worlds and golden files are stable)."""
        counter = self.world.next_counter()
        digest = hashlib.sha256(f"{self.account}:{self.region}:{counter}".encode()).hexdigest()[:length]
        return f"{prefix}{digest}"

    def now(self) -> float:
        return round(self.clock(), 3)

    def check_resource_quota(self, limit_name: str, used: int) -> None:
        """Refuse a create that would go over a resource quota, as AWS does."""
        if self.quotas.resource_enforced and used >= self.quotas.limit(limit_name):
            raise ApiError(
                "ServiceQuotaExceededException",
                f"You have reached the maximum of {self.quotas.limit(limit_name)} for {limit_name}.",
                Reason=QUOTA_REASON.get(limit_name, limit_name),
            )

    def meta_flag(self, key: str, default: Any = None) -> Any:
        return self.world.meta.get(key, default)
