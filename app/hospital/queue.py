"""Queue numbers per department, kept in a small SQLite file so they survive a restart and start
again at 1 each day (Vietnam time)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.procedures.vntime import now_vn, to_vn

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_numbers (
    day TEXT NOT NULL,
    department TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (day, department)
)
"""


@dataclass(frozen=True)
class QueueTicket:
    number: int
    department: str
    issued_at: datetime

    @property
    def label(self) -> str:
        """What the ticket prints in large type, e.g. "NOI-007"."""
        prefix = "".join(ch for ch in self.department.upper() if ch.isalnum())[:4] or "Q"
        return f"{prefix}-{self.number:03d}"

    def as_dict(self) -> dict:
        return {"number": self.number, "label": self.label, "department": self.department,
                "issued_at": self.issued_at.isoformat()}


class QueueNumbers:
    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = now_vn) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        with closing(self._connect()) as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so two kiosk processes
        # sharing the file can never hand out the same number.
        return sqlite3.connect(self.path, isolation_level=None, timeout=5)

    def next(self, department: str) -> QueueTicket:
        now = to_vn(self._clock())
        day = now.date().isoformat()
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO queue_numbers (day, department, last_number) VALUES (?, ?, 1) "
                       "ON CONFLICT (day, department) DO UPDATE SET last_number = last_number + 1",
                       (day, department))
            (number,) = db.execute("SELECT last_number FROM queue_numbers WHERE day = ? AND "
                                   "department = ?", (day, department)).fetchone()
            db.execute("DELETE FROM queue_numbers WHERE day < ?", (day,))  # yesterday's are done
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()
        return QueueTicket(number, department, now)

    def current(self, department: str) -> int:
        """The last number handed out today (0 when none)."""
        day = to_vn(self._clock()).date().isoformat()
        with closing(self._connect()) as db:
            row = db.execute("SELECT last_number FROM queue_numbers WHERE day = ? AND "
                             "department = ?", (day, department)).fetchone()
        return row[0] if row else 0


def queue_from_config(config) -> QueueNumbers:
    """The queue file the configuration names ([hospital] queue_path, default in the data dir)."""
    return QueueNumbers(config.path("hospital.queue_path", "queue.sqlite3"))
