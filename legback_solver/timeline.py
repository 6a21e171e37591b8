"""Clock arithmetic shared by the model and the checker (no other imports)."""

from __future__ import annotations

WEEK_HOURS = 168.0


def hours_between(a: float, b: float, cyclic: bool) -> float:
    """Hours between two session starts; in a repeating week the shorter way round."""
    d = abs(a - b)
    return min(d, WEEK_HOURS - d) if cyclic else d


def forward_days(a_hour: float, b_hour: float, same: bool, cyclic: bool) -> list[int]:
    """Calendar days strictly between two starts, going forward from a to b.

    Cyclic (a repeating week): weekday numbers 0..6, and ``same`` means a full turn
    from a session to its own repeat next week. Otherwise absolute day numbers.
    """
    if cyclic:
        span = WEEK_HOURS if same else (b_hour - a_hour) % WEEK_HOURS
        a_day = int(a_hour // 24)
        b_day = int((a_hour + span) // 24)
        return [d % 7 for d in range(a_day + 1, b_day)]
    return list(range(int(a_hour // 24) + 1, int(b_hour // 24)))
