"""How long the emulator's asynchronous states last: the timing profiles.

AWS answers a create or a delete at once and finishes the work behind it: a pool is CREATING, then
ACTIVE; a requested number PENDING (ASSOCIATING when it joins a pool), then ACTIVE; a deleted pool
DELETING until it is gone and only then are its numbers free; a deleted keyword is still listed for a
while; an IAM role created moments ago cannot be assumed yet. terraform-provider-aws waits for each
(`internal/service/pinpointsmsvoicev2/pool.go` waitPoolActive / waitPoolDeleted, `phone_number.go`
waitPhoneNumberActive with Pending PENDING+ASSOCIATING, its ReleasePhoneNumber retry on
PHONE_NUMBER_ASSOCIATED_TO_POOL for 2 minutes, `keyword.go`'s 30 s wait for a deleted keyword,
`iamPropagationTimeout = 2 * time.Minute` for RESOURCE_NOT_ACCESSIBLE). How long each takes is the
world's profile:

| profile     | for                                  | delays                                     |
|-------------|--------------------------------------|--------------------------------------------|
| `instant`   | unit tests                           | none: every state is final at once         |
| `default`   | the demo, `emulator serve`, users    | short, not zero (a fraction of a second)   |
| `realistic` | end-to-end tests on an emulated clock| what terraform's waits imply: seconds to minutes |

Each delay is drawn from the profile's (low, high) range by a hash of the world's seed, the transition
and the resource, so the same world and calls give the same delays. Delays are in the emulator's clock
(`Emulator(clock=...)`): a test advances an emulated clock instead of sleeping.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from typing import Any

PROFILES = ("instant", "default", "realistic")
# The profile of an emulator whose world names none: PINPOINT_MIGRATE_EMULATOR_PROFILE, else `default`.
PROFILE_ENV = "PINPOINT_MIGRATE_EMULATOR_PROFILE"

# (low, high) seconds per transition and profile.
_DELAYS: dict[str, dict[str, tuple[float, float]]] = {
    "default": {
        "pool_active": (0.05, 0.2),
        "pool_deleted": (0.05, 0.3),
        "number_active": (0.1, 0.3),
        "number_associated": (0.05, 0.2),
        "keyword_deleted": (0.05, 0.2),
        "iam_propagation": (0.2, 0.5),
    },
    # Pools: seconds (terraform's create timeout is 10 min, its poll ~5-10 s, tests pass in one poll or two);
    # numbers: up to a minute or two; a pool's delete frees its numbers within terraform's 2-minute
    # ReleasePhoneNumber retry; keyword deletes show within terraform's 30 s wait; IAM: AWS says changes
    # "may take time to propagate" and terraform retries for 2 minutes (IAM user guide,
    # troubleshoot_general.html#troubleshoot_general_eventual-consistency).
    "realistic": {
        "pool_active": (3.0, 15.0),
        "pool_deleted": (10.0, 60.0),
        "number_active": (20.0, 90.0),
        "number_associated": (5.0, 20.0),
        "keyword_deleted": (5.0, 25.0),
        "iam_propagation": (5.0, 12.0),
    },
}


def profile_of(meta: Mapping[str, Any]) -> str:
    name = str(meta.get("profile") or os.environ.get(PROFILE_ENV) or "default")
    return name if name in PROFILES else "default"


def delay(meta: Mapping[str, Any], transition: str, resource: str) -> float:
    """Seconds `transition` of `resource` takes in the world's profile (0 in `instant`)."""
    ranges = _DELAYS.get(profile_of(meta))
    if not ranges:
        return 0.0
    low, high = ranges[transition]
    seed = str(meta.get("seed", "pinpoint-migrate"))
    digest = hashlib.sha256(f"{seed}|{transition}|{resource}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return round(low + (high - low) * fraction, 3)


class EmulatedClock:
    """A clock that moves only when told: `Emulator(clock=EmulatedClock())`, then `clock.advance(s)`.

    `sleep` advances it, so code that waits on the emulator (apply's waiters) costs no real time.
    """

    def __init__(self, start: float | None = None) -> None:
        self.now = float(time.time() if start is None else start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += max(0.0, float(seconds))

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)
