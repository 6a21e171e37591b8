"""Reading client and plan files; writing outputs atomically."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import InputError, from_validation
from .models import Client, Plan


def read_mapping(path: str | Path) -> dict[str, Any]:
    """Parse a YAML, JSON or TOML file into a dict (by suffix; YAML otherwise)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), ["file not found (check the path)"]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            str(path), [f"cannot be read as UTF-8 text ({e.__class__.__name__})"]
        ) from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as e:
        kind = {".json": "JSON", ".toml": "TOML"}.get(suffix, "YAML")
        where = str(e).splitlines()[0] if str(e) else e.__class__.__name__
        raise InputError(str(path), [f"is not valid {kind} ({where}); fix the syntax"]) from None
    if not isinstance(data, dict):
        raise InputError(
            str(path),
            ["must hold a mapping of fields (name, availability, ...), not a list or a scalar"],
        )
    return data


def parse_client(data: dict[str, Any], source: str = "client") -> Client:
    try:
        return Client.model_validate(data)
    except ValidationError as e:
        raise from_validation(source, e, fields=Client.model_fields) from None


def load_client(path: str | Path) -> Client:
    """Read and validate a client file (YAML, JSON or TOML)."""
    return parse_client(read_mapping(path), str(path))


def load_plan(path: str | Path, client: Client | None = None) -> Plan:
    """A plan from JSON (or YAML/TOML), or from a CSV/xlsx export a coach may have edited
    (CLIENT is needed only for a spreadsheet without its metadata)."""
    if Path(path).suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        from .frame import load_plan_any

        return load_plan_any(path, client)
    data = read_mapping(path)
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        raise from_validation(str(path), e, fields=Plan.model_fields) from None


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write to a temporary file beside PATH, then rename: never a half-written file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise InputError(
            str(path), [f"cannot be written ({e.strerror or e}); choose another --out"]
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: str | Path) -> None:
    """Fail before any work if PATH's folder cannot take a new file."""
    folder = Path(path).parent
    if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK)):
        raise InputError(
            str(path), ["cannot be written here (the folder is not writable); choose another --out"]
        )
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
            raise InputError(
                str(path), ["cannot be written here (no such folder); choose another --out"]
            )
