"""overrides.toml: what it accepts, and the file/line/key of every error it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan.factories import World, app_id

from migrate.mapping.overrides import OverridesError, load_overrides, parse_overrides
from migrate.mapping.rules import map_inventory
from migrate.mapping.toml_lines import key_lines

FULL = """\
prefix = "relay"
deletion_protection = true
exclude = ["Gamma Marketing"]

[tags]
cost-center = "messaging"

[tenants."Acme Clinics"]
name = "Acme"
slug = "acme"
strategy = "shared:health"
identities = ["+12065550100", "ACME/GB", "22233"]
event_destination = "arn:aws:firehose:us-east-1:111122223333:deliverystream/acme"
event_role = "arn:aws:iam::111122223333:role/acme-events"
deletion_protection = false
tags = { tier = "gold" }

[numbers."+12065550100"]
owner = "Acme Clinics"
"""


def test_a_full_file_is_read() -> None:
    overrides = parse_overrides(FULL)
    assert overrides.prefix == "relay" and overrides.deletion_protection is True
    assert overrides.exclude == ("Gamma Marketing",) and overrides.tags == {"cost-center": "messaging"}
    (acme,) = overrides.tenants
    assert (acme.key, acme.name, acme.slug, acme.strategy) == (
        "Acme Clinics",
        "Acme",
        "acme",
        "shared:health",
    )
    assert acme.identities == ("+12065550100", "ACME/GB", "22233")
    assert acme.destination_kind == "firehose" and acme.deletion_protection is False
    assert acme.tags == {"tier": "gold"} and acme.line == 8
    assert overrides.numbers[0].owner == "Acme Clinics" and overrides.numbers[0].line == 18
    assert len(overrides.sha256) == 64


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("prefix = 'x'\ncolour = 'blue'\n", 2, "colour", "unknown key"),
        (
            "[tenants.Acme]\nslug = 'acme'\nstrategi = 'dedicated'\n",
            3,
            "tenants.Acme.strategi",
            "unknown key",
        ),
        ("[tenants.Acme]\nstrategy = 'pooled'\n", 2, "tenants.Acme.strategy", "dedicated"),
        ("[tenants.Acme]\nslug = 'Not A Slug'\n", 2, "tenants.Acme.slug", "not a slug"),
        (
            "[tenants.Acme]\n\nevent_destination = 'arn:aws:kinesis:us-east-1:111122223333:stream/x'\n",
            3,
            "tenants.Acme.event_destination",
            "Firehose",
        ),
        (
            "[tenants.Acme]\nevent_role = 'arn:aws:iam::1:user/bob'\n",
            2,
            "tenants.Acme.event_role",
            "IAM role ARN",
        ),
        ("[tenants.Acme]\nidentities = ['12-34']\n", 2, "tenants.Acme.identities", "E.164"),
        ("[tenants.Acme]\nidentities = 'x'\n", 2, "tenants.Acme.identities", "list of strings"),
        ("deletion_protection = 'yes'\n", 1, "deletion_protection", "true or false"),
        ("prefix = 'has space'\n", 1, "prefix", "name prefix"),
        ("[tags]\nmanaged-by = 'me'\n", 2, "tags.managed-by", "reserved"),
        ("[tags]\n'aws:cost' = 'me'\n", 2, 'tags."aws:cost"', "reserved"),
        ("[numbers.'+1206']\nowner = 'x'\n", 1, 'numbers."+1206"', "E.164"),
        ("[numbers.'+12065550100']\n", 1, 'numbers."+12065550100"', "missing `owner`"),
        ("tenants = 3\n", 1, "tenants", "a table"),
        (
            "[v1_configuration_sets.ivr]\nevent_role = 'x'\n",
            2,
            "v1_configuration_sets.ivr.event_role",
            "IAM role",
        ),
        ("[v1_configuration_sets.ivr]\nrole = 'x'\n", 2, "v1_configuration_sets.ivr.role", "unknown key"),
        ("prefix = \n", 1, "", "not valid TOML"),
    ],
)
def test_errors_name_file_line_and_key(text: str, line: int, key: str, words: str) -> None:
    with pytest.raises(OverridesError) as caught:
        parse_overrides(text, "conf/overrides.toml")
    error = caught.value
    assert (error.file, error.line, error.key) == ("conf/overrides.toml", line, key)
    assert words in str(error)
    assert str(error).startswith(f"conf/overrides.toml:{line}: ")


def test_files_that_cannot_be_used(tmp_path: Path) -> None:
    with pytest.raises(OverridesError, match="no such overrides file"):
        load_overrides(tmp_path / "absent.toml")
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (1 << 20) + b"\n")
    with pytest.raises(OverridesError, match="at most"):
        load_overrides(huge)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"prefix = '\xff'\n")
    with pytest.raises(OverridesError, match="not UTF-8"):
        load_overrides(binary)
    assert load_overrides(None).prefix == "pinpoint"


def _world() -> World:
    world = World()
    world.tenant("Acme Clinics")
    world.tenant("Bluebird Retail")
    world.number("+12065550100")
    return world


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[tenants."Nobody"]\nslug = "x"\n', 1, "no Pinpoint project"),
        ('include = ["Acme Clinics", "Nobody"]\n', 1, "no Pinpoint project"),
        ('[numbers."+12065550199"]\nowner = "Acme Clinics"\n', 1, "no such phone number"),
        ('[numbers."+12065550100"]\nowner = "Nobody"\n', 2, "is not a tenant"),
        (
            '[tenants."Acme Clinics"]\nslug = "b"\n[tenants."Bluebird Retail"]\nslug = "b"\n',
            4,
            "already used",
        ),
        (
            '[tenants."Acme Clinics"]\nevent_destination = "arn:aws:sns:eu-west-1:111122223333:topic"\n',
            2,
            "is not in 111122223333/us-east-1",
        ),
        (
            '[tenants."Acme Clinics"]\nevent_destination = "arn:aws:logs:us-east-1:111122223333:log-group:g"\n',
            2,
            "needs `event_role`",
        ),
    ],
)
def test_overrides_that_contradict_the_inventory(text: str, line: int, words: str) -> None:
    with pytest.raises(OverridesError) as caught:
        map_inventory(_world().build(), parse_overrides(text, "o.toml"))
    assert caught.value.line == line and words in str(caught.value)


def test_a_project_name_used_twice_must_be_given_by_id() -> None:
    world = World(regions=("us-east-1", "eu-west-1"))
    world.tenant("Acme Clinics")
    world.tenant("Acme Clinics", "eu-west-1")
    with pytest.raises(OverridesError, match="use the id"):
        map_inventory(world.build(), parse_overrides('[tenants."Acme Clinics"]\nslug = "a"\n'))
    by_id = parse_overrides(f'[tenants."{app_id("Acme Clinics", "eu-west-1")}"]\nslug = "acme-eu"\n')
    slugs = {t.region: t.slug for t in map_inventory(world.build(), by_id).tenants}
    assert slugs == {"us-east-1": "acme-clinics", "eu-west-1": "acme-eu"}


def test_key_lines_follow_headers_dotted_keys_and_multiline_values() -> None:
    text = 'a = 1\nb = """\nx = 2\n"""\n[t."q q".r]\ns.u = [\n  1,\n]\nv = {w = 1}\n'
    lines = key_lines(text)
    assert lines[("a",)] == 1 and lines[("b",)] == 2 and ("x",) not in lines
    assert lines[("t", "q q", "r")] == 5 and lines[("t", "q q", "r", "s", "u")] == 6
    assert lines[("t", "q q", "r", "v")] == 9
