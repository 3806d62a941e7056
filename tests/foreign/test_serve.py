"""`emulator serve` answers boto3 over real HTTP exactly as the in-process emulator does."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.foreign.conftest import start_server, stop_server


def _session() -> boto3.Session:
    return boto3.Session(aws_access_key_id="AKIDSERVE", aws_secret_access_key="x", region_name="us-east-1")


def test_v2_pinpoint_v1_and_moto_over_http(served: str) -> None:
    s = _session()
    v2 = s.client("pinpoint-sms-voice-v2", endpoint_url=served)
    v2.create_opt_out_list(OptOutListName="tenant-a")
    v2.put_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+12065550100")
    names = [o["OptOutListName"] for o in v2.describe_opt_out_lists()["OptOutLists"]]
    assert "tenant-a" in names
    with pytest.raises(ClientError) as err:
        v2.describe_pools(PoolIds=["pool-missing"])
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"

    pinpoint = s.client("pinpoint", endpoint_url=served)
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "demo"})["ApplicationResponse"]["Id"]
    assert pinpoint.get_app(ApplicationId=app)["ApplicationResponse"]["Name"] == "demo"
    assert [a["Id"] for a in pinpoint.get_apps()["ApplicationsResponse"]["Item"]] == [app]

    v1 = s.client("pinpoint-sms-voice", endpoint_url=served)
    v1.create_configuration_set(ConfigurationSetName="legacy")
    assert v1.list_configuration_sets()["ConfigurationSets"] == ["legacy"]

    iam = s.client("iam", endpoint_url=served)
    assert iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"].endswith(":role/r")
    assert s.client("sts", endpoint_url=served).get_caller_identity()["Account"] == "123456789012"


def test_serve_a_world_file_writes_changes_back(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    from migrate.emulator import Emulator

    with Emulator(account_id="210987654321") as emu:
        emu.save(world)
    proc, url = start_server("--world", str(world), "--profile", "instant")
    try:
        v2 = _session().client("pinpoint-sms-voice-v2", endpoint_url=url)
        arn = v2.create_opt_out_list(OptOutListName="kept")["OptOutListArn"]
        assert ":210987654321:" in arn
    finally:
        stop_server(proc)
    text = world.read_text()
    assert "kept" in text and json.loads(text)["account_id"] == "210987654321"
    assert (world.stat().st_mode & 0o777) == 0o600


def test_busy_port_is_a_clear_error() -> None:
    import socket
    import subprocess

    from tests.foreign.conftest import CLI

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        done = subprocess.run(
            [*CLI, "emulator", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_assumed_role_credentials_act_in_their_own_account_over_http(served: str) -> None:
    """The server learns the account of credentials moto issues for AssumeRole (as the in-process hook
    does), so a multi-account scan against `emulator serve` reads each account's own resources."""
    sts = _session().client("sts", endpoint_url=served)
    creds = sts.assume_role(RoleArn="arn:aws:iam::333333333333:role/Scanner", RoleSessionName="test")["Credentials"]
    member = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"], region_name="us-east-1",
    )  # fmt: skip
    v2 = member.client("pinpoint-sms-voice-v2", endpoint_url=served)
    arn = v2.create_opt_out_list(OptOutListName="member-only")["OptOutListArn"]
    assert ":333333333333:" in arn
    assert member.client("sts", endpoint_url=served).get_caller_identity()["Account"] == "333333333333"
    mine = _session().client("pinpoint-sms-voice-v2", endpoint_url=served)
    assert "member-only" not in [o["OptOutListName"] for o in mine.describe_opt_out_lists()["OptOutLists"]]


def test_account_list_regions_over_http(served: str, tmp_path: Path) -> None:
    """Account Management's ListRegions is the emulator's (moto lacks it): served over HTTP a page at a
    time, filtered by opt-in status, by boto3 and by the AWS CLI (its paginator follows NextToken)."""
    from migrate.emulator.services.account import DEFAULT_REGIONS, partition_regions
    from tests.foreign.test_awscli import _aws, _json

    account = _session().client("account", endpoint_url=served)
    names: list[str] = []
    pages = 0
    for page in account.get_paginator("list_regions").paginate(PaginationConfig={"PageSize": 7}):
        pages += 1
        assert len(page["Regions"]) <= 7
        names += [r["RegionName"] for r in page["Regions"]]
    assert names == sorted(partition_regions()) and pages == -(-len(names) // 7)
    default = account.list_regions(RegionOptStatusContains=["ENABLED_BY_DEFAULT"], MaxResults=50)
    assert {r["RegionName"] for r in default["Regions"]} == set(DEFAULT_REGIONS)
    try:
        import awscli  # noqa: F401
    except ImportError:
        return  # test_awscli.py fails in CI without it
    listed = _json(_aws(served, tmp_path, "account", "list-regions", "--page-size", "5"))
    assert [r["RegionName"] for r in listed["Regions"]] == names
    opt_in = _json(_aws(served, tmp_path, "account", "list-regions", "--region-opt-status-contains", "DISABLED"))
    assert {r["RegionName"] for r in opt_in["Regions"]} == set(names) - set(DEFAULT_REGIONS)


def test_answers_leave_without_waiting_for_delayed_acks() -> None:
    """Every connection the server accepts has Nagle's algorithm off: an answer goes out as two segments
    (headers, body) and the body must not wait for the client's delayed ACK of the headers (40 ms a call)."""
    import socket

    from migrate.emulator import Emulator
    from migrate.emulator.http_server import EmulatorServer

    seen: list[int] = []
    with Emulator() as emu:
        emu.quotas.request_enforced = False  # what is tested is the socket: three quick calls, none throttled
        server = EmulatorServer(emu).start()
        handler = server.httpd.RequestHandlerClass
        setup = handler.setup

        def recording(self: object) -> None:
            setup(self)  # type: ignore[arg-type]
            seen.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))  # type: ignore[attr-defined]

        handler.setup = recording  # type: ignore[method-assign]
        try:
            v2 = _session().client("pinpoint-sms-voice-v2", endpoint_url=server.url)
            for n in range(3):
                v2.create_opt_out_list(OptOutListName=f"list-{n}")
            sts = _session().client("sts", endpoint_url=server.url)  # moto's path too
            assert sts.get_caller_identity()["Account"]
        finally:
            server.stop()
    assert seen and all(seen), seen
