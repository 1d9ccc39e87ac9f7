"""The residence-notification deadline (Law on Residence 2020, Circular 55/2021/TT-BCA).

A guest must be notified before 23:00 of the day the stay starts; a guest arriving at or after
23:00 before 08:00 the next day. All in Vietnam time. (app/outbox/deadlines.py applies the same
rule to order the outbox; tests check the two agree.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.procedures.vntime import VN_TZ, to_vn

CUTOFF = time(23, 0)
NEXT_MORNING = time(8, 0)
DEFAULT_NEAR = timedelta(hours=1)

OK = "ok"
NEAR = "near"
MISSED = "missed"


def notification_deadline(arrival: datetime) -> datetime:
    """The deadline, aware, in Vietnam time. A naive arrival is read as Vietnam time."""
    local = to_vn(arrival)
    if local.time() < CUTOFF:
        return datetime.combine(local.date(), CUTOFF, tzinfo=VN_TZ)
    return datetime.combine(local.date() + timedelta(days=1), NEXT_MORNING, tzinfo=VN_TZ)


def deadline_state(deadline: datetime, now: datetime, *, near: timedelta = DEFAULT_NEAR) -> str:
    """ok, near (less than `near` left) or missed."""
    left = to_vn(deadline) - to_vn(now)
    if left <= timedelta(0):
        return MISSED
    return NEAR if left <= near else OK


@dataclass(frozen=True)
class DeadlineWarning:
    """A stay whose notification is due soon or overdue. No personal data: room and stay id."""

    stay_id: int
    room: str
    deadline: datetime
    state: str  # near | missed

    @property
    def message_vi(self) -> str:
        when = to_vn(self.deadline).strftime("%H:%M %d/%m/%Y")
        if self.state == MISSED:
            return f"Phòng {self.room}: đã quá hạn thông báo lưu trú ({when})."
        return f"Phòng {self.room}: sắp đến hạn thông báo lưu trú ({when})."

    @property
    def message_en(self) -> str:
        when = to_vn(self.deadline).strftime("%H:%M %d/%m/%Y")
        if self.state == MISSED:
            return f"Room {self.room}: the residence notification is overdue (due {when})."
        return f"Room {self.room}: the residence notification is due soon ({when})."

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en
