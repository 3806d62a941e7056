"""The CLI's conventions (issue 13): every option has help, every command -q/-v, flow order, exit codes."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from migrate.cli import cli


def _walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _walk(sub, (*path, name))


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"{' '.join(path) or 'pinpoint-migrate'} {param.opts[0]}"
        for path, command in _walk(cli)
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert missing == []


def test_every_command_has_quiet_and_verbose() -> None:
    for path, command in _walk(cli):
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"-q", "--quiet", "-v", "--verbose"} <= opts, path


def test_profile_help_does_not_say_scan_on_commands_that_do_not_scan() -> None:
    for path, command in _walk(cli):
        for param in command.params:
            if "--profile" in getattr(param, "opts", []) and path and path[0] != "scan":
                assert "to scan" not in (param.help or ""), path


def test_out_is_a_folder_on_every_command() -> None:
    for path, command in _walk(cli):
        for param in command.params:
            if "--out" in getattr(param, "opts", []) and not getattr(param, "hidden", False):
                assert isinstance(param.type, click.Path) and param.type.dir_okay, path


def test_help_lists_commands_in_flow_order() -> None:
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    flow = ["demo", "scan", "plan", "apply", "verify", "rollback", "report"]
    assert [name for name in listed if name in flow] == flow


def test_usage_errors_exit_1_never_2() -> None:
    for args in (["scan", "--no-such-option"], ["no-such-command"], ["plan", "show", "--output", "yaml"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)


def test_runbook_command_prints_the_installed_runbook() -> None:
    result = CliRunner().invoke(cli, ["runbook", "ACCOUNT_IN_SANDBOX"])
    assert result.exit_code == 0 and result.output.startswith("# ")
    listed = CliRunner().invoke(cli, ["runbook", "--list"]).output.split()
    assert "ACCOUNT_IN_SANDBOX" in listed and len(listed) > 10
    bad = CliRunner().invoke(cli, ["runbook", "ACCOUNT_IN_SANBOX"])
    assert bad.exit_code == 1 and "ACCOUNT_IN_SANDBOX" in bad.output and "Traceback" not in bad.output
