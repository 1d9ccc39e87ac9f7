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


def local_text(value: object) -> str:
    """A moment as people here read it: dd/mm/yyyy HH:MM in Vietnam time. Aware datetimes are
    converted, naive ones taken as local; epoch seconds and ISO text are accepted; text that is
    not a time is returned as it is; None gives ""."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        value = datetime.fromtimestamp(value, timezone.utc)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return str(value)
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return value.strftime("%d/%m/%Y %H:%M")
