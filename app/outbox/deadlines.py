"""Legal deadlines the outbox orders by (procedures.md, lodging notification).

A guest arriving before 23:00 must be notified before 23:00 the same day; one arriving at or
after 23:00 before 08:00 the next day. Times are Vietnam local time (UTC+7, no DST).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app.outbox.codes import VN_TZ


def lodging_deadline(arrival: datetime) -> datetime:
    """The notification deadline for a guest arriving at `arrival` (naive = Vietnam time)."""
    local = arrival.replace(tzinfo=VN_TZ) if arrival.tzinfo is None else arrival.astimezone(VN_TZ)
    if local.time() < time(23, 0):
        return local.replace(hour=23, minute=0, second=0, microsecond=0)
    nxt = (local + timedelta(days=1)).date()
    return datetime.combine(nxt, time(8, 0), tzinfo=VN_TZ)
