"""Reading client files; writing outputs atomically, and only where it is safe."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, from_validation
from ..models import Client
from .safe import MAX_INPUT_BYTES, parse_text, read_text


def read_mapping(path: str | Path, limit: int = MAX_INPUT_BYTES) -> dict[str, Any]:
    """Parse a YAML, JSON or TOML file into a dict (by suffix; YAML otherwise).

    The file must be a regular file of at most LIMIT bytes; see :mod:`.safe` for the
    other limits (no YAML aliases, no duplicate keys, bounded depth and numbers)."""
    path = Path(path)
    data = parse_text(read_text(path, limit), path.suffix, str(path))
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


# --------------------------------------------------------------------------- writing


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def check_target(path: str | Path) -> None:
    """PATH may be written only if it is a regular file or does not exist yet: never a
    device, FIFO, folder or symbolic link (whose target would be replaced)."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise InputError(
            str(path), [f"cannot be checked ({e.strerror}); choose another --out"]
        ) from None
    kind = _kind(st.st_mode)
    if kind is not None:
        raise InputError(
            str(path),
            [f"is {kind}, not a regular file; give a regular file or a new path as --out"],
        )


def check_writable(path: str | Path) -> None:
    """Fail before any work if PATH is not a safe target or its folder cannot take it."""
    check_target(path)
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


def write_error(path: str | Path, e: OSError) -> InputError:
    """An OSError while writing PATH as advice: disk full, permission, read-only, ..."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full (no space left); free some space or choose another --out"
    elif e.errno in (errno.EACCES, errno.EPERM):
        why = "permission denied; choose another --out"
    elif e.errno == errno.EROFS:
        why = "the file system is read-only; choose another --out"
    else:
        why = f"{e.strerror or e.__class__.__name__}; choose another --out"
    return InputError(str(path), [f"cannot be written ({why})"])


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write to a temporary file beside PATH, then rename: never a half-written file.

    PATH must be a regular file or a new path (see :func:`check_target`). Any failure,
    an interrupt included, removes the temporary file and leaves PATH as it was; a full
    disk or a permission problem is an InputError with advice."""
    path = Path(path)
    check_target(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        check_target(path)  # again: nothing may have put a link or a device there meanwhile
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise write_error(path, e) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
