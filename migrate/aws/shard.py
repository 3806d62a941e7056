"""`--shard K/N`: a stable share of the accounts, the same on every machine (scan, plan, apply, verify...)."""

from __future__ import annotations

import hashlib

from migrate.aws.errors import SessionError


def in_shard(account_id: str, k: int, n: int) -> bool:
    """Account `account_id` belongs to shard `k` (1-based) of `n`: by sha256 of the id, so any job runner
    on any machine gives each account to the same shard, whatever else the Organization holds."""
    return int(hashlib.sha256(account_id.encode()).hexdigest(), 16) % n == k - 1


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 <= K <= N) as given to --shard."""
    k, sep, n = text.partition("/")
    try:
        pair = (int(k), int(n)) if sep else None
    except ValueError:
        pair = None
    if pair is None or not 1 <= pair[0] <= pair[1]:
        raise SessionError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/8")
    return pair
