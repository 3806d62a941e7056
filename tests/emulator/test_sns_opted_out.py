"""SNS opted-out numbers: empty in a new account (not moto's made-up ones), settable, saved with the world."""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from migrate.emulator import Emulator


def _listed(region: str) -> list[str]:
    return list(boto3.client("sns", region_name=region).list_phone_numbers_opted_out()["phoneNumbers"])


def test_sns_opted_out_numbers_are_the_worlds_and_survive_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    with Emulator() as emu:
        assert _listed("us-east-1") == []  # a new account has none
        emu.set_sns_opted_out("us-east-1", ["+12065550199", "+12065550142", "+12065550142"])
        assert _listed("us-east-1") == ["+12065550142", "+12065550199"]
        assert _listed("eu-west-1") == []
        emu.save(path)
    saved = json.loads(path.read_text())["moto"]["regions"]["us-east-1"]["sns_opted_out"]
    assert saved == ["+12065550142", "+12065550199"]
    with Emulator.load(path) as emu:
        assert _listed("us-east-1") == ["+12065550142", "+12065550199"]
        boto3.client("sns", region_name="us-east-1").opt_in_phone_number(phoneNumber="+12065550199")
        assert _listed("us-east-1") == ["+12065550142"]
        emu.save(path)
    with Emulator.load(path):
        assert _listed("us-east-1") == ["+12065550142"]
