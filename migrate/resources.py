"""Locate the data folders (`templates/`, `runbooks/`) shipped with the package.

In a wheel they live inside the package as `migrate/_data/<name>` (hatchling's force-include puts them
there); in a source checkout or an editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FOLDERS = ("templates", "runbooks")


class MissingDataFolder(RuntimeError):
    """The installation is incomplete: a data folder that ships with the package is absent."""


def data_dir(name: str) -> Path:
    """Return the folder holding the package's `templates` or `runbooks`."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {DATA_FOLDERS}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise MissingDataFolder(
        f"the {name}/ folder that ships with pinpoint-migrate was not found "
        f"(looked in {_PACKAGE_DIR / '_data'} and {_PACKAGE_DIR.parent}); reinstall the package"
    )
