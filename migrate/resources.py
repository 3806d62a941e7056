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


class UnknownRunbook(LookupError):
    """No runbook of that code ships with the package."""


def runbook_codes() -> list[str]:
    return sorted(p.stem for p in data_dir("runbooks").glob("*.md"))


def runbook_text(code: str) -> str:
    """The runbook of a finding code (`pinpoint-migrate runbook CODE`), from wherever the package is
    installed, so a printed pointer works after `pip install` as in a checkout."""
    name = code.strip().upper().removesuffix(".MD")
    if name in runbook_codes():
        return (data_dir("runbooks") / f"{name}.md").read_text(encoding="utf-8")
    import difflib

    close = difflib.get_close_matches(name, runbook_codes(), n=3)
    hint = (
        f"; did you mean {', '.join(close)}?" if close else "; `pinpoint-migrate runbook --list` lists them"
    )
    raise UnknownRunbook(f"no runbook named {code!r}{hint}")


def runbook_pointer(code_or_file: str) -> str:
    """How output points a person at a runbook: the command that prints it wherever the tool is installed."""
    return f"pinpoint-migrate runbook {code_or_file.removesuffix('.md')}"
