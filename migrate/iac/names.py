"""Names in templates: CloudFormation logical ids (alphanumeric) and Terraform identifiers (snake_case).

Both are derived from the resource's key so that the same plan always gives the same names; two keys
that derive the same name (`a-b` and `a_b`) get a short digest of the key appended, never a counter that
would shift when a resource is added elsewhere.
"""

from __future__ import annotations

import hashlib
import re

_WORDS = re.compile(r"[A-Za-z0-9]+")


def camel(text: str) -> str:
    """`opt_out_list/pinpoint-acme` → `OptOutListPinpointAcme` (CloudFormation: ^[A-Za-z0-9]+$)."""
    name = "".join(w[:1].upper() + w[1:] for w in _WORDS.findall(text))
    return name if name[:1].isalpha() else "R" + name


def snake(text: str) -> str:
    """`pinpoint-acme/phone-1f` → `pinpoint_acme_phone_1f` (Terraform: starts with a letter or `_`)."""
    name = "_".join(w.lower() for w in _WORDS.findall(text))
    return name if name[:1].isalpha() else "r_" + name


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]


class Namer:
    """Gives each key one name; a name already given to another key gets the key's digest appended."""

    def __init__(self, style: str) -> None:
        self.style = style
        self.names: dict[str, str] = {}

    def __call__(self, key: str, text: str | None = None) -> str:
        if key not in self.names:
            shape = camel if self.style == "camel" else snake
            name = shape(text if text is not None else key)
            if name in self.names.values():
                name = shape(f"{name} {digest(key)}")
            self.names[key] = name
        return self.names[key]
