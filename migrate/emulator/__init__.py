"""An in-process emulator of Amazon Pinpoint, Pinpoint SMS and Voice (v1) and End User Messaging SMS and
Voice v2, answering at botocore's HTTP layer; moto serves every other AWS service behind it.

    from migrate.emulator import Emulator

    with Emulator(account_id="123456789012") as emu:
        sms = emu.session(region_name="us-east-1").client("pinpoint-sms-voice-v2")
        sms.create_opt_out_list(OptOutListName="tenant-a")
"""

from __future__ import annotations

from migrate.emulator.emulator import Call, Emulator, WorldFileError
from migrate.emulator.errors import ApiError, EmulatorBug

__all__ = ["ApiError", "Call", "Emulator", "EmulatorBug", "WorldFileError"]
