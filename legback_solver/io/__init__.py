"""Reading and writing files: clients, plans (JSON, CSV, xlsx), rosters and exports.

``safe`` bounds every read (regular files of bounded size, strict YAML/JSON), ``files``
reads clients and writes atomically, ``plan`` is the one plan loader, ``export`` writes
the formats a coach hands out and ``text`` neutralises text for each medium.
"""

from __future__ import annotations

from .files import (
    check_target,
    check_writable,
    load_client,
    parse_client,
    read_mapping,
    write_atomic,
)
from .plan import load_plan

__all__ = [
    "check_target",
    "check_writable",
    "load_client",
    "load_plan",
    "parse_client",
    "read_mapping",
    "write_atomic",
]
