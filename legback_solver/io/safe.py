"""Bounded, strict reading of input files: clients, plans, rulebooks and rosters.

Every input goes through :func:`read_input` (a regular file of bounded size, never a
device, FIFO or folder) and every mapping through :func:`parse_mapping`:

* YAML is read by :class:`StrictLoader`, a ``yaml.SafeLoader`` that rejects aliases
  (no "billion laughs"), duplicate keys and nesting deeper than ``MAX_DEPTH``, and
  keeps dates as text;
* JSON rejects duplicate keys, ``NaN``/``Infinity`` and over-long numbers;
* TOML is ``tomllib`` (duplicate keys are already errors there);
* the parsed tree is then walked once: depth, whole numbers of at most ``MAX_INT_DIGITS``
  digits, finite floats, text keys only.

Limits (documented in the README): 1 MB for a client, plan or rulebook file
(``MAX_INPUT_BYTES``), 20 MB for a roster or spreadsheet plan (``MAX_TABLE_BYTES``).
"""

from __future__ import annotations

import json
import math
import os
import stat
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, shorten

MAX_INPUT_BYTES = 1_000_000
MAX_PLAN_BYTES = 1_000_000
MAX_TABLE_BYTES = 20_000_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 15


def read_input(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of PATH if it is a regular file of at most LIMIT bytes, else InputError.

    Opened without blocking, so a FIFO is refused rather than waited on, and read no
    further than LIMIT + 1 bytes, so /dev/zero or a growing file cannot exhaust memory."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(str(path), ["file not found (check the path)"]) from None
    except IsADirectoryError:
        raise InputError(str(path), ["is a folder, not a file (give a file)"]) from None
    except OSError as e:
        raise InputError(
            str(path), [f"cannot be read ({e.strerror or e.__class__.__name__})"]
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(str(path), ["is a folder, not a file (give a file)"])
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                str(path),
                ["is not a regular file (a device, FIFO or socket); give a file on disk"],
            )
        if st.st_size > limit:
            raise InputError(str(path), [_too_big(st.st_size, limit)])
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(str(path), [_too_big(size, limit)])
        return b"".join(chunks)
    except OSError as e:
        raise InputError(
            str(path), [f"cannot be read ({e.strerror or e.__class__.__name__})"]
        ) from None
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> str:
    return f"is larger than {limit // 1_000_000} MB ({size:,} bytes or more); give a smaller file"


def read_text(path: str | Path, limit: int = MAX_INPUT_BYTES) -> str:
    """READ_INPUT decoded as UTF-8 (a BOM is dropped); a NUL byte is refused."""
    raw = read_input(path, limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), ["is not UTF-8 text (save it as UTF-8)"]) from None
    if "\x00" in text:
        raise InputError(str(path), ["holds a NUL byte, so it is not a text file"])
    return text


# --------------------------------------------------------------------------- YAML


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys, deep nesting, huge integers or
    implicit dates (a date stays the text it was written as)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed: write the value out",
                event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nested deeper than {MAX_DEPTH} levels",
                self.peek_event().start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key: a list or mapping as a key
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be text", key_node.start_mark
                    ) from None
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {shorten(key)} (keep one)",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number with {digits} digits is too long", node.start_mark
            )
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp_text(self, node: Any) -> str:
        return str(self.construct_scalar(node))


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp_text
)


def load_yaml(text: str) -> Any:
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- JSON


class _JsonRefused(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _JsonRefused(f"duplicate key {shorten(k)} (keep one)")
        out[k] = v
    return out


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonRefused(f"a number with {len(text.lstrip('-'))} digits is too long")
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > 40:
        raise _JsonRefused(f"a number of {len(text)} characters is too long")
    return float(text)


def _json_constant(name: str) -> Any:
    raise _JsonRefused(f"{name} is not a number (give a finite number)")


def load_json(text: str) -> Any:
    return json.loads(
        text,
        object_pairs_hook=_pairs,
        parse_int=_json_int,
        parse_float=_json_float,
        parse_constant=_json_constant,
    )


# --------------------------------------------------------------------------- any


def parse_text(text: str, suffix: str, source: str) -> Any:
    """Parse TEXT as JSON, TOML or (any other suffix) YAML, then check the tree."""
    suffix = suffix.lower()
    kind = {".json": "JSON", ".toml": "TOML"}.get(suffix, "YAML")
    try:
        if suffix == ".json":
            data = load_json(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = load_yaml(text)
    except RecursionError:
        raise InputError(
            source, [f"is nested too deeply (more than {MAX_DEPTH} levels); flatten it"]
        ) from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as e:
        raise InputError(
            source, [f"is not valid {kind} ({shorten(_first_line(e), 160, quote=False)})"]
        ) from None
    return check_tree(data, source)


def _first_line(e: Exception) -> str:
    if isinstance(e, yaml.MarkedYAMLError):
        where = f" at line {e.problem_mark.line + 1}" if e.problem_mark else ""
        return f"{e.problem or e.context}{where}"
    text = str(e)
    return text.splitlines()[0] if text else e.__class__.__name__


def check_tree(data: Any, source: str) -> Any:
    """DATA with dates as ISO text; InputError for deep nesting, non-text keys,
    non-finite floats, over-long integers or values of other types (bytes, sets)."""

    def walk(node: Any, where: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise InputError(
                source, [f"{where or 'file'}: nested deeper than {MAX_DEPTH} levels; flatten it"]
            )
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if not isinstance(k, str):
                    raise InputError(
                        source, [f"{where or 'file'}: key {shorten(k)} is not text (quote it)"]
                    )
                out[k] = walk(v, f"{where}.{k}" if where else k, depth + 1)
            return out
        if isinstance(node, list):
            return [walk(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node)]
        if isinstance(node, bool) or node is None or isinstance(node, str):
            return node
        if isinstance(node, int):
            if abs(node) >= 10**MAX_INT_DIGITS:
                raise InputError(source, [f"{where or 'file'}: the number is too large"])
            return node
        if isinstance(node, float):
            if not math.isfinite(node):
                raise InputError(source, [f"{where or 'file'}: {node!r} is not a finite number"])
            return node
        if isinstance(node, datetime | date | time):
            return node.isoformat()
        raise InputError(
            source,
            [f"{where or 'file'}: a {type(node).__name__} value is not allowed (give text)"],
        )

    return walk(data, "", 0)
