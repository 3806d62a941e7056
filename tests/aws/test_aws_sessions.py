from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from migrate.aws.sessions import (
    AccountSession,
    ClientFactory,
    SessionError,
    SessionOptions,
    client_config,
    open_sessions,
)
from migrate.emulator import Emulator

ACCOUNT = "123456789012"


def _capture_assume_role(session: boto3.Session) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def grab(params: dict[str, Any], **_kwargs: Any) -> None:
        seen.append(dict(params))

    session.events.register("provide-client-params.sts.AssumeRole", grab)
    return seen


def _deny_role(session: boto3.Session, role_arn: str) -> None:
    """Answer AssumeRole of one role with AccessDenied, as IAM would for a role that does not trust us."""

    def deny(params: dict[str, Any], **_kwargs: Any) -> Any:
        if (params.get("body") or {}).get("RoleArn") != role_arn:
            return None
        error = {"Code": "AccessDenied", "Message": f"not authorized to perform sts:AssumeRole on {role_arn}"}
        http = AWSResponse("https://sts.amazonaws.com/", 403, {}, None)
        return http, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 403}}

    session.events.register("before-call.sts.AssumeRole", deny)


def test_default_chain_reads_account_from_sts(emu: Emulator) -> None:
    found = open_sessions(SessionOptions(), base_session=emu.session())
    assert [(a.account_id, a.label) for a in found.accounts] == [(ACCOUNT, "default")]
    assert not found.failures


def test_profiles_each_become_an_account(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile prod]\naws_access_key_id = AKIAPROD0000000000\naws_secret_access_key = s1\nregion = eu-west-1\n"
        "[profile staging]\naws_access_key_id = AKIASTAGING0000000\naws_secret_access_key = s2\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    emu.register_access_key("AKIAPROD0000000000", ACCOUNT)
    found = open_sessions(SessionOptions(profiles=("prod", "staging", "missing")))
    # moto answers GetCallerIdentity of plain keys with its one account: the second profile is a duplicate
    assert [(a.account_id, a.label) for a in found.accounts] == [(ACCOUNT, "profile:prod")]
    assert found.notes == (f"profile:staging is account {ACCOUNT}, already reached as profile:prod",)
    [failure] = found.failures
    assert failure.label == "profile:missing" and failure.status == "error"
    assert "missing" in failure.reason and "Traceback" not in failure.reason
    assert found.accounts[0].session.profile_name == "prod"


def test_role_arns_with_external_id(emu: Emulator) -> None:
    base = emu.session()
    calls = _capture_assume_role(base)
    arns = ("arn:aws:iam::111111111111:role/Scanner", "arn:aws:iam::222222222222:role/Scanner")
    found = open_sessions(
        SessionOptions(role_arns=arns, external_id="tenant-ext-42", role_session_name="scan-test"),
        base_session=base,
    )
    assert [(a.account_id, a.label) for a in found.accounts] == [
        ("111111111111", f"role:{arns[0]}"),
        ("222222222222", f"role:{arns[1]}"),
    ]
    assert [(c["RoleArn"], c["ExternalId"], c["RoleSessionName"]) for c in calls] == [
        (arns[0], "tenant-ext-42", "scan-test"),
        (arns[1], "tenant-ext-42", "scan-test"),
    ]
    # The assumed credentials really act in the target account (the emulator attributes the call to it).
    s3 = ClientFactory().client(found.accounts[1], "s3", "us-east-1")
    s3.list_buckets()
    assert emu.calls[-1].operation == "ListBuckets" and emu.calls[-1].account == "222222222222"


def test_a_role_that_cannot_be_assumed_is_a_failure_not_a_crash(emu: Emulator) -> None:
    base = emu.session()
    good, bad = "arn:aws:iam::111111111111:role/Scanner", "arn:aws:iam::333333333333:role/Scanner"
    _deny_role(base, bad)
    found = open_sessions(SessionOptions(role_arns=(bad, good)), base_session=base)
    assert [a.account_id for a in found.accounts] == ["111111111111"]
    [failure] = found.failures
    assert (failure.label, failure.account_id, failure.status) == (f"role:{bad}", "333333333333", "denied")
    assert failure.reason.startswith("AccessDenied on AssumeRole")


def test_org_role_assumes_into_every_active_account(emu: Emulator) -> None:
    base = emu.session()
    org = base.client("organizations")
    org.create_organization(FeatureSet="ALL")
    created = [
        org.create_account(AccountName=f"tenant-{i}", Email=f"t{i}@example.com")["CreateAccountStatus"][
            "AccountId"
        ]
        for i in range(4)
    ]
    org.close_account(AccountId=created[3])
    calls = _capture_assume_role(base)
    found = open_sessions(SessionOptions(org_role="OrganizationAccountAccessRole"), base_session=base)
    members = sorted(created[:3])
    assert [a.account_id for a in found.accounts] == sorted([ACCOUNT, *members])
    labels = {a.account_id: a.label for a in found.accounts}
    assert labels[ACCOUNT] == f"org:{ACCOUNT} (caller)"
    assert sorted(c["RoleArn"] for c in calls) == [
        f"arn:aws:iam::{m}:role/OrganizationAccountAccessRole" for m in members
    ]
    assert created[3] not in labels
    assert not found.failures


def test_org_role_without_an_organization_is_a_clear_error(emu: Emulator) -> None:
    with pytest.raises(SessionError, match="lists no ACTIVE account"):
        open_sessions(SessionOptions(org_role="Scan"), base_session=emu.session())


def test_bad_option_combinations() -> None:
    with pytest.raises(SessionError, match="at most one --profile"):
        open_sessions(SessionOptions(profiles=("a", "b"), role_arns=("arn:aws:iam::111111111111:role/x",)))
    with pytest.raises(SessionError, match="retry mode"):
        client_config("fast")  # type: ignore[arg-type]


def test_credentials_never_show_in_a_repr(emu: Emulator) -> None:
    found = open_sessions(
        SessionOptions(role_arns=("arn:aws:iam::111111111111:role/Scanner",)), base_session=emu.session()
    )
    account = found.accounts[0]
    secret = account.session.get_credentials().get_frozen_credentials().secret_key
    assert secret and secret not in repr(account) and secret not in repr(found)


def test_client_factory_caches_per_account_region_service_across_threads(emu: Emulator) -> None:
    created: list[tuple[str, str, str]] = []
    factory = ClientFactory(retry_mode="adaptive", max_attempts=7, on_create=created.append)
    account = AccountSession(ACCOUNT, "default", emu.session())
    results: list[Any] = []

    def grab() -> None:
        results.append(factory.client(account, "pinpoint-sms-voice-v2", "eu-west-1"))

    threads = [threading.Thread(target=grab) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in results}) == 1
    other = factory.client(account, "pinpoint-sms-voice-v2", "us-east-1")
    assert other is not results[0] and other.meta.region_name == "us-east-1"
    assert created == [
        (ACCOUNT, "eu-west-1", "pinpoint-sms-voice-v2"),
        (ACCOUNT, "us-east-1", "pinpoint-sms-voice-v2"),
    ]
    assert results[0].meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    assert "pinpoint-migrate/" in results[0].meta.config.user_agent_extra
