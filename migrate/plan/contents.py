"""What a tenant list's fill reads and its check compares: the `fill_opt_out_list` parameters (pure).

Kept on the plan's change of a list found filled too (`contents`), so that verify reads every source of
that list whole and finds drift (see `migrate.apply.drift`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from migrate.mapping.desired import DEFAULT_OPT_OUT_LIST, DesiredState, OptOutListSpec


def fill_contents(desired: DesiredState, spec: OptOutListSpec) -> dict[str, Any]:
    # Default gains the lists of tenants with sender IDs (their copy onto Default): those numbers are not this
    # list's to hold (their lists, and the files they were filled from, which still say so once an entry is
    # lost there). What Default held at the scan is a file source of this list, so never exempt.
    senders = sorted(
        (o for o in desired.opt_out_lists
         if o.senders and o.name != spec.name and (o.account, o.region) == (spec.account, spec.region)),
        key=lambda o: o.name,
    )  # fmt: skip
    others = [o.name for o in senders]
    files = sorted({(s.file, s.sha256) for o in senders for s in o.sources})
    exempt = {"except_lists": others, "except_files": [{"file": f, "sha256": h} for f, h in files]}
    return {
        "OptOutListName": spec.name,
        "sources": [dataclasses.asdict(s) for s in spec.sources],
        "copy_from": [
            {**c, **exempt} if c["OptOutListName"] == DEFAULT_OPT_OUT_LIST and others else c
            for c in spec.copy_from
        ],
        "expected_minimum": spec.expected_minimum,
        "contents_sha256": spec.contents_sha256,
    }
