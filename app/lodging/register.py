"""The guest register of a lodging establishment: check-in, check-out, several guests per room,
groups, and each stay's notification deadline.

One row per guest's stay (each guest is notified to the police individually, even in a group or
a shared room). The register holds personal data by law (the establishment must keep it), so the
file is created readable by its owner only. Times are stored as ISO text in Vietnam time.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app.errors import KioskError
from app.lodging.deadline import (DEFAULT_NEAR, MISSED, NEAR, DeadlineWarning, deadline_state,
                                  notification_deadline)
from app.procedures.validation import parse_date, parse_datetime
from app.procedures.vntime import now_vn, to_vn

if TYPE_CHECKING:
    from app.procedures.draft import FormDraft

CITIZEN = "citizen"
FOREIGNER = "foreigner"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    full_name TEXT NOT NULL,
    birth_date TEXT,
    sex TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    passport_number TEXT NOT NULL DEFAULT '',
    nationality TEXT NOT NULL DEFAULT '',
    residence TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    arrival TEXT NOT NULL,
    expected_departure TEXT,
    departure TEXT,
    deadline TEXT NOT NULL,
    notified_at TEXT,
    notification_ref TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS stays_open ON stays (departure, room);
CREATE INDEX IF NOT EXISTS stays_pending ON stays (notified_at, deadline);
"""


class RegisterError(KioskError):
    code = "lodging_register"

    def __init__(self, reason: str, vi: str, en: str) -> None:
        super().__init__(vi, en)
        self.reason = reason


@dataclass(frozen=True)
class Guest:
    full_name: str
    kind: str = CITIZEN  # citizen (ID card) or foreigner (passport)
    birth_date: date | None = None
    sex: str = ""
    id_number: str = ""
    passport_number: str = ""
    nationality: str = ""
    residence: str = ""
    phone: str = ""

    def problem(self) -> str | None:
        """What makes this guest unregistrable (a stable reason), else None."""
        if not self.full_name.strip():
            return "guest_name_missing"
        if self.kind == CITIZEN and not self.id_number:
            return "guest_id_missing"
        if self.kind == FOREIGNER and not (self.passport_number and self.nationality):
            return "guest_passport_missing"
        if self.kind not in (CITIZEN, FOREIGNER):
            return "guest_kind_unknown"
        return None


@dataclass(frozen=True)
class Stay:
    id: int
    room: str
    group_name: str
    guest: Guest
    reason: str
    arrival: datetime
    expected_departure: date | None
    departure: datetime | None
    deadline: datetime
    notified_at: datetime | None
    notification_ref: str

    @property
    def checked_out(self) -> bool:
        return self.departure is not None


_GUEST_FIELDS = [f.name for f in fields(Guest)]


class GuestRegister:
    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = now_vn) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        new = not self.path.exists()
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)
        if new:
            os.chmod(self.path, 0o600)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        db.row_factory = sqlite3.Row
        return db

    # --- writing ----------------------------------------------------------------------------

    def check_in(self, room: str, guests: list[Guest], *, arrival: datetime | None = None,
                 expected_departure: date | None = None, reason: str = "",
                 group_name: str = "", notification_ref: str = "") -> list[Stay]:
        """Check one or more guests into a room together (all or none are registered).
        notification_ref: the dossier code of the notification that covers them, written with
        the stays, so that no stay can exist without it (mark_notified_by_reference)."""
        if not room.strip():
            raise RegisterError("room_missing", "Chưa nhập số phòng.", "The room is missing.")
        if not guests:
            raise RegisterError("no_guests", "Chưa có khách nào.", "There are no guests.")
        for g in guests:
            problem = g.problem()
            if problem:
                raise RegisterError(problem, "Thông tin khách chưa đủ để đăng ký.",
                                    "A guest's details are not enough to register.")
        when = to_vn(arrival or self._clock())
        deadline = notification_deadline(when)
        ids = []
        with closing(self._connect()) as db, db:
            for g in guests:
                row = {k: getattr(g, k) for k in _GUEST_FIELDS}
                row["birth_date"] = g.birth_date.isoformat() if g.birth_date else None
                cur = db.execute(
                    "INSERT INTO stays (room, group_name, reason, arrival, expected_departure, "
                    "deadline, notification_ref, " + ", ".join(_GUEST_FIELDS) + ") VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, " + ", ".join("?" for _ in _GUEST_FIELDS) + ")",
                    (room.strip(), group_name, reason, when.isoformat(),
                     expected_departure.isoformat() if expected_departure else None,
                     deadline.isoformat(), notification_ref, *row.values()))
                ids.append(cur.lastrowid)
        return [self.get(i) for i in ids]

    def check_in_group(self, rooms: dict[str, list[Guest]], *, group_name: str,
                       arrival: datetime | None = None, expected_departure: date | None = None,
                       reason: str = "") -> list[Stay]:
        """A group arriving together, spread over several rooms; one arrival time for all."""
        when = arrival or self._clock()
        out: list[Stay] = []
        for room, guests in rooms.items():
            out += self.check_in(room, guests, arrival=when, expected_departure=expected_departure,
                                 reason=reason, group_name=group_name)
        return out

    def check_in_from_draft(self, draft: FormDraft, *, reference: str = "") -> list[Stay]:
        """Register the guests of a completed lodging notification draft; reference: the
        notification's dossier code."""
        guests = []
        for i in range(draft.people("guest")):
            def val(name: str, i: int = i) -> Any:
                return draft.raw(f"guests[{i}].{name}")
            guests.append(Guest(
                full_name=val("full_name") or "", kind=val("kind") or CITIZEN,
                birth_date=parse_date(val("birth_date")), sex=val("sex") or "",
                id_number=val("id_number") or "", passport_number=val("passport_number") or "",
                nationality=val("nationality") or "", residence=val("residence") or "",
                phone=val("phone") or ""))
        arrival = parse_datetime(draft.raw("stay.arrival"))
        return self.check_in(draft.raw("stay.room") or "", guests, arrival=arrival,
                             expected_departure=parse_date(draft.raw("stay.expected_departure")),
                             reason=draft.raw("stay.reason") or "",
                             group_name=draft.raw("stay.group_name") or "",
                             notification_ref=reference)

    def mark_notified_by_reference(self, reference: str, *, at: datetime | None = None) -> int:
        """The notification `reference` was delivered: its stays not yet marked are notified
        now (safe to call again). Returns how many stays it covers: 0 means none is registered
        under it (its check-in failed, or is still being written)."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE stays SET notified_at = ? WHERE notification_ref = ? AND "
                       "notified_at IS NULL", (to_vn(at or self._clock()).isoformat(), reference))
            return db.execute("SELECT COUNT(*) FROM stays WHERE notification_ref = ?",
                              (reference,)).fetchone()[0]

    def check_out(self, stay_id: int, *, at: datetime | None = None) -> Stay:
        stay = self.get(stay_id)
        if stay.checked_out:
            raise RegisterError("already_checked_out", "Khách đã trả phòng.",
                                "The guest has already checked out.")
        when = to_vn(at or self._clock())
        if when < stay.arrival:
            raise RegisterError("departure_before_arrival", "Giờ trả phòng trước giờ đến.",
                                "The check-out time is before the arrival.")
        with closing(self._connect()) as db, db:
            db.execute("UPDATE stays SET departure = ? WHERE id = ?", (when.isoformat(), stay_id))
        return self.get(stay_id)

    def check_out_room(self, room: str, *, at: datetime | None = None) -> list[Stay]:
        """Everyone still in the room leaves."""
        return [self.check_out(s.id, at=at) for s in self.in_house(room)]

    # --- reading ----------------------------------------------------------------------------

    @staticmethod
    def _stay(row: sqlite3.Row) -> Stay:
        def dt(key: str) -> datetime | None:
            return datetime.fromisoformat(row[key]) if row[key] else None
        guest = Guest(**{k: row[k] for k in _GUEST_FIELDS if k != "birth_date"},
                      birth_date=date.fromisoformat(row["birth_date"]) if row["birth_date"]
                      else None)
        return Stay(row["id"], row["room"], row["group_name"], guest, row["reason"],
                    dt("arrival"),  # type: ignore[arg-type]
                    date.fromisoformat(row["expected_departure"]) if row["expected_departure"]
                    else None, dt("departure"), dt("deadline"),  # type: ignore[arg-type]
                    dt("notified_at"), row["notification_ref"])

    def _select(self, where: str = "1", params: tuple = (), order: str = "id") -> list[Stay]:
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT * FROM stays WHERE {where} ORDER BY {order}",
                              params).fetchall()
        return [self._stay(r) for r in rows]

    def get(self, stay_id: int) -> Stay:
        found = self._select("id = ?", (stay_id,))
        if not found:
            raise RegisterError("stay_not_found", "Không tìm thấy lượt lưu trú.",
                                "No such stay.")
        return found[0]

    def in_house(self, room: str | None = None) -> list[Stay]:
        if room is None:
            return self._select("departure IS NULL", order="room, id")
        return self._select("departure IS NULL AND room = ?", (room,))

    def group(self, group_name: str) -> list[Stay]:
        return self._select("group_name = ?", (group_name,), order="room, id")

    def pending_notifications(self) -> list[Stay]:
        """Stays not yet notified, the most urgent deadline first (the order to send them in)."""
        return self._select("notified_at IS NULL", order="deadline, id")

    def deadline_warnings(self, *, now: datetime | None = None,
                          near: timedelta = DEFAULT_NEAR) -> list[DeadlineWarning]:
        """Unnotified stays whose deadline is less than `near` away or already passed."""
        moment = now or self._clock()
        out = []
        for stay in self.pending_notifications():
            state = deadline_state(stay.deadline, moment, near=near)
            if state in (NEAR, MISSED):
                out.append(DeadlineWarning(stay.id, stay.room, stay.deadline, state))
        return out


def register_from_config(config: Any) -> GuestRegister:
    """The register file the configuration names ([lodging] register_path)."""
    return GuestRegister(config.path("lodging.register_path", "guests.sqlite3"))


def warning_window(config: Any) -> timedelta:
    return timedelta(minutes=config["lodging.warn_minutes_before_deadline"])
