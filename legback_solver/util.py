"""Small helpers used across the package: merging overrides, file-name slugs, blank cells."""

from __future__ import annotations

import math
import re
from typing import Any


def deep_merge(base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """BASE with NEW laid over it; nested dicts merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def slug(text: object, limit: int | None = None) -> str:
    """TEXT as a file-name-safe slug ('Alex Example' -> 'alex-example'), 'client' if empty."""
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return (s[:limit] if limit is not None else s) or "client"


def is_blank(value: Any) -> bool:
    """An empty cell: None, NaN, pandas' NA/NaT, or a string of white space."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if hasattr(value, "__len__"):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
