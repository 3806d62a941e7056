"""Safety invariant 1, checked with DryRun sends on every send path of every tenant identity.

The send paths are v2's (migrate/apply/paths.py lists the same ones; this is an independent enumeration,
so a gap in the product's list cannot hide itself): a pool by id and ARN; a phone number by id, ARN and
E.164; a sender ID by name and ARN; a configuration set that has a default sender ID, with no identity.

A send is made through the emulator's own SendTextMessage handler with `DryRun=True` (the code a boto3
DryRun send reaches, without botocore's wire round trip, so a check of ~200 sends costs milliseconds;
`test_the_direct_send_answers_as_boto3_does` holds the two to the same answers). A number is *refused* on
a path when the answer is DESTINATION_PHONE_NUMBER_OPTED_OUT, *reached* when the send is accepted; any other
refusal (a UK number from a US number) reaches nobody and proves nothing.

What must hold after every step (the property test's docstring states it in words):

1. **Per path, never down.** A number of a tenant's universe that a path refused once is never reached on
   that path again (a pool that is deleted has no path; made again, it owes what it refused before).
2. **One rule across a tenant's migrated paths.** A number of the tenant's universe refused on one path of
   an identity the plan migrates (or its pool, or its configuration set's default sender) is refused on all
   of them; after an apply of a plan that finished every step, the tenant's whole universe is.
3. A number the test itself deleted from a tenant's list (drift) is exempt for that tenant until a repair
   puts it back on the list.

A tenant's universe: every opted-out number of its scanned sources (its suppression file or endpoint
export, the lists its identities answered to, `Default`, SNS) and every STOP a recipient sent to one of its
phone numbers (which AWS puts on the list that number answers to).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from apply.invariant import world as w
from migrate.emulator import Emulator
from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError
from migrate.emulator.registry import before_hooks, handler_for

OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT"
KEPT_STATES = 4096  # answers kept for this many states (a few hundred entries each), then forgotten


class Direct:
    """Call an emulated v2 operation as the emulator serves it (validation aside), then discard its writes.

    What a DryRun send answers, and which paths there are, depend only on the emulated state: its tables and
    its clock (which CREATING or DELETING resources are due to finish, the month of a spend limit). So they
    are kept per state, across examples: a check of a state seen before (most checks: the initial world of
    every example, a rule that changed nothing, the same run replayed up to a different fault) costs one
    hash of the tables. The first check of a state sends on every path of every identity.
    """

    _answers: ClassVar[dict[tuple[str, float], dict[Any, Any]]] = {}

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    def known(self) -> dict[Any, Any]:
        """What is known of the current state: 'paths', and (path params, number) -> answer."""
        tables = self.emu.world.snapshot()["tables"]
        digest = hashlib.blake2b(json.dumps(tables, sort_keys=True).encode(), digest_size=20).hexdigest()
        key = (digest, float(self.emu.clock()))
        found = Direct._answers.get(key)
        if found is None:
            if len(Direct._answers) >= KEPT_STATES:
                Direct._answers.clear()
            found = Direct._answers[key] = {}
        return found

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        emu = self.emu
        handler = handler_for(w.V2, operation)
        assert handler is not None, operation
        ctx = Context(
            emu.world, w.V2, operation, w.ACCOUNT, w.REGION, emu.quotas, emu.clock,
            emu.in_end_of_support(), retired_answer=emu.retired_answer,
        )  # fmt: skip
        with emu.world.lock:
            try:
                for hook in before_hooks(w.V2):
                    hook(ctx)
                return dict(handler(ctx, params))
            finally:
                emu.world.rollback()  # reads and DryRuns change nothing; make sure of it

    def send(self, number: str, params: dict[str, str]) -> str:
        """'refused' (opted out), 'reached', or 'other:<reason>'."""
        try:
            self.call(
                "SendTextMessage", DestinationPhoneNumber=number, MessageBody="x", DryRun=True, **params
            )
        except ApiError as exc:
            reason = str(exc.fields.get("Reason") or exc.code)
            return "refused" if reason == OPTED_OUT else f"other:{reason}"
        return "reached"

    def items(self, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.call(operation, **params, **({"NextToken": token} if token else {}))
            found.extend(page.get(key, ()))
            token = page.get("NextToken")
            if not token:
                return found


@dataclass(frozen=True)
class Path_:
    tenant: str
    label: str  # stable across pools made again: "pool (id)", "+12065550101 (ARN)", ...
    params: dict[str, str]
    migrated: bool  # a path of an identity the plan migrates, the tenant pool, or its configuration set
    guard: str  # the list AWS checks on this path (send_rules.py): said in a failure's message


def send_paths(api: Direct) -> list[Path_]:
    """Every send path of every tenant identity as the account is now."""
    numbers = {n["PhoneNumber"]: n for n in api.items("DescribePhoneNumbers", "PhoneNumbers")}
    senders = {
        f"{s['SenderId']}/{s['IsoCountryCode']}": s for s in api.items("DescribeSenderIds", "SenderIds")
    }
    members: dict[str, set[str]] = {}
    pools = api.items("DescribePools", "Pools")
    for pool in pools:
        ids = api.items("ListPoolOriginationIdentities", "OriginationIdentities", PoolId=pool["PoolId"])
        members[pool["PoolId"]] = {m["OriginationIdentityArn"] for m in ids}
    sets = {c["ConfigurationSetName"]: c for c in api.items("DescribeConfigurationSets", "ConfigurationSets")}
    pool_list = {p["PoolId"]: str(p.get("OptOutListName") or "Default") for p in pools}
    paths: list[Path_] = []
    for tenant in w.TENANTS:
        arns: dict[str, str] = {}  # ARN -> the identity as the tenant names it
        for identity in tenant.identities:
            migrated = identity in tenant.migrated
            if identity.startswith("+"):
                number = numbers[identity]
                arns[number["PhoneNumberArn"]] = identity
                guard = pool_list.get(number.get("PoolId") or "", number.get("OptOutListName") or "Default")
                for how, value in (
                    ("id", number["PhoneNumberId"]), ("ARN", number["PhoneNumberArn"]), ("E.164", identity),
                ):  # fmt: skip
                    params = {"OriginationIdentity": value}
                    label = f"{identity} ({how})"
                    paths.append(Path_(tenant.name, label, params, migrated, guard))
            else:
                sender = senders[identity]
                arns[sender["SenderIdArn"]] = identity
                for how, value in (("name", sender["SenderId"]), ("ARN", sender["SenderIdArn"])):
                    params = {"OriginationIdentity": value}
                    label = f"{identity} ({how})"
                    paths.append(Path_(tenant.name, label, params, migrated, "Default"))
        for pool in pools:
            held = sorted(arns[a] for a in members[pool["PoolId"]] if a in arns)
            if held and pool["Status"] != "DELETING":
                for how, key in (("id", "PoolId"), ("ARN", "PoolArn")):
                    label = f"pool {held[0]} ({how})"
                    params = {"OriginationIdentity": pool[key]}
                    paths.append(Path_(tenant.name, label, params, True, pool_list[pool["PoolId"]]))
        found = sets.get(tenant.configuration_set)
        if found and found.get("DefaultSenderId"):
            params = {"ConfigurationSetName": tenant.configuration_set}
            paths.append(Path_(tenant.name, "configuration set, no identity", params, True, "Default"))
    return paths


@dataclass
class Ledger:
    """What each tenant is owed, learnt as the example runs."""

    universe: dict[str, set[str]] = field(default_factory=dict)
    owed: dict[str, set[str]] = field(default_factory=dict)  # rule 2: on every migrated path
    refused_before: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # rule 1: per path
    # (tenant, number) the test deleted from the tenant's list: whatever is made from that list afterwards
    # (a rollback's copy back, a re-plan's fill of Default) lacks it too, until a repair refills it
    exempt: set[tuple[str, str]] = field(default_factory=set)
    sends: int = 0
    checks: int = 0

    @classmethod
    def start(cls) -> Ledger:
        ledger = cls()
        for tenant in w.TENANTS:
            ledger.universe[tenant.name] = set(tenant.scanned)
            ledger.owed[tenant.name] = set()
        return ledger

    def stopped(self, tenants: Iterable[str], number: str) -> None:
        for name in tenants:
            self.universe[name].add(number)

    def completed(self, tenants: Iterable[str]) -> None:
        """An apply finished every step of a plan: its tenants' whole scanned universe is owed everywhere."""
        for name in tenants:
            self.owed[name] |= {n for n in w.tenant(name).scanned}

    def check(self, api: Direct, after: str) -> None:
        known = api.known()
        if "paths" not in known:
            known["paths"] = send_paths(api)
        paths: list[Path_] = known["paths"]
        answers: dict[tuple[str, str], dict[str, str]] = {}
        self.checks += 1
        for path in paths:
            sent = tuple(sorted(path.params.items()))
            got = answers[(path.tenant, path.label)] = {}
            for number in sorted(self.universe[path.tenant]):
                if (sent, number) not in known:
                    known[(sent, number)] = api.send(number, path.params)
                    self.sends += 1
                got[number] = known[(sent, number)]
        problems: list[str] = []
        for path in paths:
            got = answers[(path.tenant, path.label)]
            refused = {n for n, a in got.items() if a == "refused"}
            owed = set(self.refused_before.get((path.tenant, path.label), set()))
            if path.migrated:
                owed |= self.owed[path.tenant]
            for number in sorted(owed):
                if got.get(number) == "reached" and (path.tenant, number) not in self.exempt:
                    problems.append(
                        f"{path.tenant}: {number} reached through {path.label} (guarded by {path.guard})"
                    )
            self.refused_before.setdefault((path.tenant, path.label), set()).update(refused)
            if path.migrated:
                self.owed[path.tenant] |= refused
        # rule 2 again for numbers learnt in this very check (refused on one migrated path, reached on another)
        for path in paths:
            if not path.migrated:
                continue
            got = answers[(path.tenant, path.label)]
            for number in sorted(self.owed[path.tenant]):
                if got.get(number) == "reached" and (path.tenant, number) not in self.exempt:
                    line = f"{path.tenant}: {number} reached through {path.label} (guarded by {path.guard})"
                    if line not in problems:
                        problems.append(line + " (refused on another of its paths)")
        assert not problems, f"after {after}: safety invariant 1 broken:\n  " + "\n  ".join(problems)
