"""`pinpoint-migrate emulator ...`: the built-in AWS emulator as a command (serve it over HTTP)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click


@click.group("emulator")
def emulator_group() -> None:
    """The built-in AWS emulator (Pinpoint, SMS/Voice v1 and v2, moto for the rest)."""


@emulator_group.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=4599,
    show_default=True,
    help="TCP port on 127.0.0.1 (0 picks a free one; the line printed at start names it).",
)
@click.option(
    "--world",
    "world",
    metavar="FILE|demo",
    default=None,
    help="A world file (changes are journaled and written back at exit) or 'demo'; default an empty account.",
)
@click.option(
    "--account",
    default="123456789012",
    show_default=True,
    help="The account of an empty world (a world file names its own).",
)
@click.option(
    "--profile",
    type=click.Choice(["instant", "default", "realistic"]),
    default=None,
    help="How long asynchronous states last (see the emulator README); default the world's own.",
)
@click.option(
    "--request-quotas/--no-request-quotas",
    default=True,
    show_default=True,
    help="Throttle over AWS's request rates (ThrottlingException), as AWS does.",
)
def serve(port: int, world: str | None, account: str, profile: str | None, request_quotas: bool) -> None:
    """Answer AWS SDK calls over HTTP on 127.0.0.1:PORT until stopped (Ctrl-C or SIGTERM).

    Point any SDK at it: `aws --endpoint-url http://127.0.0.1:PORT pinpoint-sms-voice-v2 ...`, or
    `new PinpointSMSVoiceV2Client({endpoint: "http://127.0.0.1:PORT", region: "us-east-1", ...})`.
    Any credentials are accepted; they all belong to the world's account.
    """
    from migrate.cli_errors import friendly_errors
    from migrate.emulator import Emulator
    from migrate.emulator.http_server import EmulatorServer
    from migrate.runtime import aws_target

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    with friendly_errors():
        if world is None:
            target = None
            emu_cm = Emulator(account_id=account)
        else:
            target = world
        with aws_target(target) if target else emu_cm as emu:
            assert emu is not None
            emu.quotas.request_enforced = request_quotas
            if profile is not None:
                emu.set_profile(profile)
            try:
                server = EmulatorServer(emu, port=port)
            except OSError as exc:
                raise click.ClickException(
                    f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"
                ) from None
            signal.signal(signal.SIGTERM, _stop)
            source = "empty account " + emu.account_id if world is None else str(Path(world))
            click.echo(f"emulator serving on {server.url} ({source}; Ctrl-C stops)")
            sys.stdout.flush()
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                server.httpd.server_close()
                click.echo(f"emulator stopped after {len(emu.calls)} calls", err=True)
