"""Ctrl-C that works while CP-SAT runs: the solve runs in a worker thread, the main
thread waits and so receives KeyboardInterrupt at once (CP-SAT's own SIGINT catching is
off, see ``solver.make_solver``). The caller then exits 130 without writing anything."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_busy = threading.Event()


def busy() -> bool:
    """True while an abandoned solve may still be running in its thread."""
    return _busy.is_set()


def run_interruptible(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """FN(*ARGS, **KWARGS) in a daemon thread; KeyboardInterrupt reaches the caller at
    once (the thread is left to the process exit)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as e:  # handed to the caller below
            box["error"] = e

    thread = threading.Thread(target=target, name="legback-solve", daemon=True)
    _busy.set()
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        raise
    _busy.clear()
    if "error" in box:
        raise box["error"]
    return box["value"]
