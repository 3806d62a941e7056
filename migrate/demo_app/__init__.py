"""The demo's sample application: a notification service that still sends through Pinpoint's v1-era APIs.

`pinpoint-migrate demo` copies it into the folder its scan reads (`--code`), and `rewrite` turns it into
v2 code; the tests run it before and after against the emulator.
"""
