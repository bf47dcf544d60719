"""Integer UTC seconds → EPCIS time strings, and site-local UTC offsets."""
from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, timedelta

MINUTE = 60
HOUR = 3600
DAY = 86400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch(year: int, month: int, day: int, hour: int = 0) -> int:
    return int((datetime(year, month, day, hour, tzinfo=UTC) - EPOCH).total_seconds())


_days: dict[int, str] = {}


def day_string(t: int) -> str:
    """`YYYY-MM-DD` of a UTC instant (cached: only ~1000 distinct days occur)."""
    d = t // DAY
    s = _days.get(d)
    if s is None:
        s = _days[d] = (date(1970, 1, 1) + timedelta(days=d)).isoformat()
    return s


def iso(t: int) -> str:
    """`2025-03-04T10:15:30.000Z`; written by hand because strftime is the hot path."""
    s = t % DAY
    h, r = divmod(s, HOUR)
    m, sec = divmod(r, MINUTE)
    return f"{day_string(t)}T{h:02d}:{m:02d}:{sec:02d}.000Z"


def _sunday(year: int, month: int, nth: int) -> date:
    """nth Sunday of the month (nth=-1: the last one)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _at(d: date, utc_minutes: int) -> int:
    return epoch(d.year, d.month, d.day) + utc_minutes * 60


def _fmt_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


class Zone:
    """A fixed standard offset plus an optional DST rule (EU, US, AU).

    The rules are coded here rather than read from the tz database so the output
    does not depend on the machine's tzdata version.
    """

    __slots__ = ("std", "dst", "_edges", "_names")

    def __init__(self, std_minutes: int, dst: str | None = None):
        self.std = std_minutes
        self.dst = dst
        self._names = (_fmt_offset(std_minutes), _fmt_offset(std_minutes + 60))
        edges: list[int] = []  # sorted instants where the offset flips
        if dst is not None:
            for y in range(2020, 2031):
                if dst == "EU":
                    edges += [_at(_sunday(y, 3, -1), 60), _at(_sunday(y, 10, -1), 60)]
                elif dst == "US":
                    edges += [_at(_sunday(y, 3, 2), 120 - std_minutes),
                              _at(_sunday(y, 11, 1), 120 - std_minutes - 60)]
                elif dst == "AU":  # southern hemisphere: summer time spans the new year
                    edges += [_at(_sunday(y, 4, 1), 120 - std_minutes),
                              _at(_sunday(y, 10, 1), 120 - std_minutes)]
                else:
                    raise ValueError(f"unknown DST rule {dst!r}")
        self._edges = edges

    def offset(self, t: int) -> str:
        if not self._edges:
            return self._names[0]
        flips = bisect.bisect_right(self._edges, t)
        in_dst = (flips % 2 == 1) if self.dst != "AU" else (flips % 2 == 0)
        return self._names[in_dst]
