"""Vietnam's civil time (Asia/Ho_Chi_Minh), for deadlines and the daily reset of queue numbers.

Vietnam has kept UTC+7 without daylight saving since 1975, so when the system has no tz database
(a slim container) a fixed offset gives the same answers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        VN_TZ: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the machine
        VN_TZ = timezone(timedelta(hours=7), "ICT")
except ImportError:  # pragma: no cover
    VN_TZ = timezone(timedelta(hours=7), "ICT")


def to_vn(moment: datetime) -> datetime:
    """An aware datetime in Vietnam time. A naive datetime is taken to be Vietnam time already
    (that is what a desk clerk types)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def now_vn() -> datetime:
    return datetime.now(VN_TZ)


def today_vn() -> date:
    return now_vn().date()
