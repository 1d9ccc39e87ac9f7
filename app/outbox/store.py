"""The durable outbox: a SQLite file (WAL, synchronous FULL) of submissions waiting to go out.

States: queued → sending → delivered (then agency status updates) | rejected (the endpoint's
reason) | held (the retry policy gave up; an operator decides). `sending` goes back to `queued`
on a retryable failure and when a claim is stale (its process died). Every transition is an
UPDATE guarded by the state it leaves and, for a claim, by its claim token: a worker whose claim
was recovered cannot overwrite the new owner's outcome.

Payloads are AES-GCM sealed (crypto.py); everything else is non-personal metadata that may be
shown in the admin view and logged.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import sqlite_utils

from app.outbox import schema
from app.outbox.codes import VN_TZ, new_dossier_code
from app.outbox.crypto import KeyRing
from app.outbox.errors import (OutboxCorruptError, OutboxDiskFullError, OutboxError,
                               OutboxInvalidError, OutboxKeyError, OutboxNotFoundError,
                               OutboxStateError)
from app.outbox.policy import RetryPolicy

log = logging.getLogger("kiosk.outbox")

Clock = Callable[[], datetime]
PROCEDURE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAX_PAYLOAD_BYTES = 256 * 1024
FINAL_AGENCY_STATUSES = frozenset({"completed", "returned"})
PENDING_STATES = ("queued", "sending", "held")
SQLITE_MAGIC = b"SQLite format 3\x00"
_COLUMNS = ("dossier_code, procedure_id, state, agency_status, agency_status_at, created_at, "
            "updated_at, attempts, failures, deadline, last_error, priority, next_attempt_at, "
            "delivered_at, payload_purged_at")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ts(dt: datetime | None) -> float | None:
    return None if dt is None else dt.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, timezone.utc)


@dataclass(frozen=True)
class SubmissionReceipt:
    dossier_code: str
    idempotency_key: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxItem:
    """Metadata only: what the admin view, the receipt lookup and the logs may show."""

    dossier_code: str
    procedure_id: str
    state: str
    agency_status: str | None
    created_at: datetime
    updated_at: datetime
    attempts: int
    deadline: datetime | None
    last_error: str | None
    priority: int = 0
    failures: int = 0
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    agency_status_at: datetime | None = None
    payload_purged: bool = False

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, datetime):
                out[k] = v.isoformat()
        return out


@dataclass(frozen=True)
class Claim:
    """One row taken by a worker: the only object that carries a decrypted payload."""

    dossier_code: str
    idempotency_key: str
    procedure_id: str
    payload: dict[str, Any]
    created_at: datetime
    deadline: datetime | None
    priority: int
    attempts: int
    failures: int
    token: str


def _row_item(r: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        dossier_code=r["dossier_code"], procedure_id=r["procedure_id"], state=r["state"],
        agency_status=r["agency_status"], created_at=_dt(r["created_at"]),
        updated_at=_dt(r["updated_at"]), attempts=r["attempts"], deadline=_dt(r["deadline"]),
        last_error=r["last_error"], priority=r["priority"], failures=r["failures"],
        next_attempt_at=_dt(r["next_attempt_at"]), delivered_at=_dt(r["delivered_at"]),
        agency_status_at=_dt(r["agency_status_at"]),
        payload_purged=r["payload_purged_at"] is not None)


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
            or "malformed" in text or "not a database" in text)


def _is_full(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_FULL") or "disk is full" in str(exc).lower()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_submission(procedure_id: str, payload: Any, deadline: datetime | None,
                      priority: int) -> bytes:
    if not isinstance(procedure_id, str) or not PROCEDURE_ID.match(procedure_id):
        raise OutboxInvalidError("mã thủ tục phải gồm chữ thường, số, '.', '_' hoặc '-'",
                                 "procedure id must be lower-case letters, digits, '.', '_', '-'")
    if not isinstance(payload, dict) or not payload:
        raise OutboxInvalidError("dữ liệu phải là một đối tượng JSON không rỗng",
                                 "payload must be a non-empty JSON object")
    if not isinstance(priority, int) or isinstance(priority, bool) or not -100 <= priority <= 100:
        raise OutboxInvalidError("độ ưu tiên phải là số nguyên từ -100 đến 100",
                                 "priority must be an integer from -100 to 100")
    if deadline is not None and not isinstance(deadline, datetime):
        raise OutboxInvalidError("hạn phải là thời điểm", "deadline must be a datetime")
    try:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True,
                          allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):
        raise OutboxInvalidError("dữ liệu chứa giá trị không phải JSON",
                                 "payload holds values that are not JSON") from None
    if len(body) > MAX_PAYLOAD_BYTES:
        raise OutboxInvalidError(f"dữ liệu quá lớn (tối đa {MAX_PAYLOAD_BYTES} byte)",
                                 f"payload too large (at most {MAX_PAYLOAD_BYTES} bytes)")
    return body


def _payload_deadline(payload: dict) -> datetime | None:
    """A payload built by app.procedures carries its legal deadline (the lodging 23:00 / 08:00
    rule) as ISO text: the queue orders by it even when the caller passed none."""
    text = payload.get("deadline")
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class Outbox:
    """One connection to the outbox file. Thread-safe (one lock); open one per thread anyway
    when the work is long (the sync worker does), so the UI never waits behind the network."""

    def __init__(self, db: sqlite_utils.Database, path: Path, ring: KeyRing, clock: Clock,
                 retention_days: float, policy: RetryPolicy, lease_seconds: float) -> None:
        self.db = db
        self.path = path
        self.ring = ring
        self.clock = clock
        self.retention = timedelta(days=retention_days)
        self.policy = policy
        self.lease_seconds = lease_seconds
        self._lock = threading.RLock()
        self._closed = False

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, key_file: Path, *, clock: Clock | None = None,
             retention_days: float = 30, policy: RetryPolicy | None = None,
             lease_seconds: float = 120.0) -> "Outbox":
        """Open (creating when absent) and migrate. Raises OutboxCorruptError, keeping the file,
        when it is not a sound SQLite database: the kiosk must not start on an empty queue."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise OutboxCorruptError(path, "not a SQLite file")
        elif Path(str(path) + "-wal").exists() and path.exists():
            pass  # an empty main file with a WAL is a fresh database mid-creation: fine
        conn = None
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   timeout=10.0)
            conn.row_factory = sqlite3.Row
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise OutboxError("no_wal", "Không bật được WAL cho hàng đợi.",
                                  f"could not switch the outbox to WAL (got {mode})")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA secure_delete=ON")  # purged payload bytes are zeroed on disk
            conn.execute("PRAGMA foreign_keys=ON")
            check = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            if check != ["ok"]:
                raise OutboxCorruptError(path, "integrity check failed")
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found > schema.CURRENT_VERSION:
                raise OutboxError(
                    "newer_schema",
                    "Hàng đợi do phiên bản ki-ốt mới hơn tạo; hãy cập nhật phần mềm.",
                    f"the outbox was written by a newer kiosk (schema {found}); update the "
                    "software instead of opening it with this one")
            db = sqlite_utils.Database(conn)
            if found < schema.CURRENT_VERSION:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    schema.migrate(db)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            if _is_corruption(exc):
                raise OutboxCorruptError(path, "database is malformed") from None
            if _is_full(exc):
                raise OutboxDiskFullError(path, submitting=False) from None
            raise OutboxError("unavailable", f"Không mở được hàng đợi hồ sơ ({exc}).",
                              f"cannot open the outbox ({exc})") from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        try:
            ring = cls._keyring_for(db, Path(key_file))
        except BaseException:
            conn.close()
            raise
        box = cls(db, path, ring, clock or utcnow, retention_days, policy or RetryPolicy(),
                  lease_seconds)
        reset = box.reset_stale()
        if reset:
            log.info("outbox: %d stale sending row(s) back to queued at start", reset)
        return box

    @staticmethod
    def _keyring_for(db: sqlite_utils.Database, key_file: Path) -> KeyRing:
        sealed = [r[0] for r in db.execute(
            "SELECT DISTINCT key_id FROM outbox WHERE payload IS NOT NULL").fetchall()]
        if not key_file.exists() and sealed:
            # Creating a fresh key here would strand every queued payload: refuse instead.
            raise OutboxKeyError("key_missing", f"the key file {key_file} is missing while "
                                 f"{len(sealed)} key id(s) seal queued payloads")
        ring = KeyRing.load_or_create(key_file)
        missing = sorted(set(sealed) - set(ring.keys))
        if missing:
            raise OutboxKeyError("key_missing", f"key id(s) {', '.join(missing)} are not in "
                                 f"{key_file}")
        return ring

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self.db.conn.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------
    @contextmanager
    def _tx(self, submitting: bool = False) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the lock; SQLite errors become typed outbox errors."""
        with self._lock:
            if self._closed:
                raise OutboxError("closed", "Hàng đợi đã đóng.", "the outbox is closed")
            conn = self.db.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        try:
                            conn.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass  # SQLite may have rolled back itself (disk full); nothing to do
                    raise
            except sqlite3.DatabaseError as exc:
                raise self._map_error(exc, submitting) from None

    def _read(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        with self._lock:
            if self._closed:
                raise OutboxError("closed", "Hàng đợi đã đóng.", "the outbox is closed")
            try:
                return self.db.conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._map_error(exc) from None

    def _map_error(self, exc: sqlite3.DatabaseError, submitting: bool = False) -> OutboxError:
        if _is_full(exc):
            return OutboxDiskFullError(self.path, submitting=submitting)
        if _is_corruption(exc):
            return OutboxCorruptError(self.path, "database is malformed")
        return OutboxError("db_error", f"Lỗi cơ sở dữ liệu hàng đợi: {exc}.",
                           f"outbox database error: {exc}")

    def _now(self) -> datetime:
        now = self.clock()
        return now if now.tzinfo else now.replace(tzinfo=timezone.utc)

    # -- submitting ------------------------------------------------------------------------------
    def submit(self, procedure_id: str, payload: dict, *, deadline: datetime | None = None,
               priority: int = 0) -> SubmissionReceipt:
        """Queue one submission. Returns only once the row is durable (WAL fsynced)."""
        return self.submit_many([(procedure_id, payload, deadline, priority)])[0]

    def submit_many(self, entries: list[tuple[str, dict, datetime | None, int]]
                    ) -> list[SubmissionReceipt]:
        """Queue several submissions in one transaction: all durable, or none (a group of
        guests checking in together is acknowledged as one)."""
        prepared = []
        for procedure_id, payload, deadline, priority in entries:
            body = _check_submission(procedure_id, payload, deadline, priority)
            if deadline is None:
                deadline = _payload_deadline(payload)
            if deadline is not None and deadline.tzinfo is None:
                deadline = deadline.replace(tzinfo=VN_TZ)  # naive deadlines are Vietnam time
            prepared.append((procedure_id, body, deadline, priority))
        now = self._now()
        receipts: list[SubmissionReceipt] = []
        with self._tx(submitting=True) as conn:
            for procedure_id, body, deadline, priority in prepared:
                idem = str(uuid.uuid4())
                for _ in range(8):
                    code = new_dossier_code(now)
                    if not conn.execute("SELECT 1 FROM outbox WHERE dossier_code=?",
                                        (code,)).fetchone():
                        break
                key_id, nonce, sealed = self.ring.seal(body, code, idem, procedure_id)
                conn.execute(
                    "INSERT INTO outbox (dossier_code, idempotency_key, procedure_id, state, "
                    "priority, deadline, created_at, updated_at, next_attempt_at, key_id, nonce, "
                    "payload) VALUES (?,?,?,'queued',?,?,?,?,?,?,?,?)",
                    (code, idem, procedure_id, priority, _ts(deadline), now.timestamp(),
                     now.timestamp(), now.timestamp(), key_id, nonce, sealed))
                receipts.append(SubmissionReceipt(code, idem, now))
        for r in receipts:
            log.info("outbox: queued %s", r.dossier_code)
        return receipts

    # -- reading ---------------------------------------------------------------------------------
    def items(self, limit: int = 100, state: str | None = None) -> list[OutboxItem]:
        if state is not None and state not in schema.STATES:
            raise OutboxInvalidError(f"trạng thái {state} không tồn tại",
                                     f"unknown state {state}")
        where, params = ("WHERE state=?", [state]) if state else ("", [])
        rows = self._read(f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY id DESC LIMIT ?",
                          [*params, int(limit)])
        return [_row_item(r) for r in rows]

    def item(self, dossier_code: str) -> OutboxItem | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM outbox WHERE dossier_code=?",
                          (dossier_code.strip().upper(),))
        return _row_item(rows[0]) if rows else None

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in schema.STATES}
        for r in self._read("SELECT state, count(*) FROM outbox GROUP BY state"):
            out[r[0]] = r[1]
        return out

    def oldest_pending_age_seconds(self) -> float | None:
        marks = ",".join("?" * len(PENDING_STATES))
        r = self._read(f"SELECT min(created_at) FROM outbox WHERE state IN ({marks})",
                       PENDING_STATES)[0][0]
        return None if r is None else max(0.0, self._now().timestamp() - r)

    def deadline_warnings(self, within_seconds: float = 3600) -> list[OutboxItem]:
        """Undelivered items whose legal deadline falls within `within_seconds` (or has passed):
        what staff must be warned about before a lodging notification is late."""
        limit = self._now().timestamp() + within_seconds
        marks = ",".join("?" * len(PENDING_STATES))
        rows = self._read(f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({marks}) AND "
                          "deadline IS NOT NULL AND deadline <= ? ORDER BY deadline",
                          [*PENDING_STATES, limit])
        return [_row_item(r) for r in rows]

    def due_count(self) -> int:
        return self._read("SELECT count(*) FROM outbox WHERE state='queued' AND "
                          "next_attempt_at <= ?", (self._now().timestamp(),))[0][0]

    def seconds_until_due(self) -> float | None:
        r = self._read("SELECT min(next_attempt_at) FROM outbox WHERE state='queued'")[0][0]
        return None if r is None else max(0.0, r - self._now().timestamp())

    # -- the operator ----------------------------------------------------------------------------
    def retry(self, dossier_code: str) -> OutboxItem:
        """An operator sends a held or rejected item again, now, with a fresh failure count."""
        code = dossier_code.strip().upper()
        now = self._now().timestamp()
        with self._tx() as conn:
            row = conn.execute("SELECT state, payload IS NULL AS purged FROM outbox "
                               "WHERE dossier_code=?", (code,)).fetchone()
            if row is None:
                raise OutboxNotFoundError(code)
            if row["state"] not in ("held", "rejected"):
                raise OutboxStateError(code, "held|rejected", "queued", row["state"])
            if row["purged"]:
                raise OutboxError("payload_purged",
                                  f"Dữ liệu hồ sơ {code} đã bị xóa theo hạn lưu giữ.",
                                  f"the payload of {code} was purged after its retention")
            conn.execute("UPDATE outbox SET state='queued', failures=0, next_attempt_at=?, "
                         "updated_at=?, last_error=NULL WHERE dossier_code=? AND state=?",
                         (now, now, code, row["state"]))
        log.info("outbox: %s %s -> queued by operator", code, row["state"])
        return self.item(code)  # type: ignore[return-value]

    def purge(self, now: datetime | None = None) -> int:
        """Drop payloads of delivered and rejected items older than the retention, keeping the
        metadata. Returns how many payloads went. The WAL is checkpointed and truncated so the
        old pages do not linger there either (secure_delete zeroes them in the main file)."""
        now = now or self._now()
        cutoff = (now - self.retention).timestamp()
        with self._tx() as conn:
            n = conn.execute(
                "UPDATE outbox SET payload=NULL, nonce=NULL, key_id=NULL, payload_purged_at=?, "
                "updated_at=? WHERE payload IS NOT NULL AND state IN ('delivered','rejected') "
                "AND coalesce(delivered_at, updated_at) <= ?",
                (now.timestamp(), now.timestamp(), cutoff)).rowcount
        if n:
            self._read("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("outbox: purged %d payload(s)", n)
        return n

    def rotate_key(self) -> str:
        """New active key; every stored payload re-sealed under it; old keys dropped."""
        old = dict(self.ring.keys)
        new_id = self.ring.add_key()
        self.ring.save()  # both keys on disk before any row changes: a crash loses nothing
        with self._tx() as conn:
            rows = conn.execute("SELECT id, dossier_code, idempotency_key, procedure_id, key_id, "
                                "nonce, payload FROM outbox WHERE payload IS NOT NULL").fetchall()
            for r in rows:
                plain = self.ring.open(r["key_id"], r["nonce"], r["payload"], r["dossier_code"],
                                       r["idempotency_key"], r["procedure_id"])
                kid, nonce, sealed = self.ring.seal(plain, r["dossier_code"],
                                                    r["idempotency_key"], r["procedure_id"])
                conn.execute("UPDATE outbox SET key_id=?, nonce=?, payload=? WHERE id=?",
                             (kid, nonce, sealed, r["id"]))
        self.ring.keys = {new_id: self.ring.keys[new_id]}
        self.ring.save()
        self._read("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("outbox: key rotated to %s (%d payload(s) re-sealed, %d old key(s) dropped)",
                 new_id, len(rows), len(old))
        return new_id

    # -- the sync worker -------------------------------------------------------------------------
    def reset_stale(self) -> int:
        """`sending` rows whose claiming process is gone, or whose lease ran out, go back to
        `queued`. The endpoint's idempotency makes a second send of a row that did arrive
        harmless, so recovering too eagerly costs a duplicate answer, never a duplicate dossier."""
        now = self._now().timestamp()
        with self._tx() as conn:
            rows = conn.execute("SELECT id, claim_pid, claimed_at FROM outbox "
                                "WHERE state='sending'").fetchall()
            stale = [r["id"] for r in rows
                     if not _pid_alive(r["claim_pid"])
                     or (r["claimed_at"] or 0) < now - self.lease_seconds]
            for rid in stale:
                conn.execute("UPDATE outbox SET state='queued', claim_token=NULL, claim_pid=NULL,"
                             " claimed_at=NULL, next_attempt_at=?, updated_at=? "
                             "WHERE id=? AND state='sending'", (now, now, rid))
        return len(stale)

    def claim(self, limit: int = 50) -> list[Claim]:
        """Atomically take up to `limit` due rows (deadline first, then priority, then age)."""
        now = self._now().timestamp()
        token = secrets.token_hex(8)
        with self._tx() as conn:
            rows = conn.execute(
                "UPDATE outbox SET state='sending', claim_token=?, claim_pid=?, claimed_at=?, "
                "updated_at=? WHERE id IN (SELECT id FROM outbox WHERE state='queued' AND "
                "next_attempt_at <= ? ORDER BY deadline IS NULL, deadline, priority DESC, id "
                "LIMIT ?) RETURNING id, dossier_code, idempotency_key, procedure_id, created_at, "
                "deadline, priority, attempts, failures, key_id, nonce, payload",
                (token, os.getpid(), now, now, now, int(limit))).fetchall()
        # RETURNING order is unspecified: restore the queue order.
        rows.sort(key=lambda r: (r["deadline"] is None, r["deadline"] or 0, -r["priority"],
                                 r["id"]))
        claims = []
        for r in rows:
            try:
                plain = self.ring.open(r["key_id"], r["nonce"], r["payload"], r["dossier_code"],
                                       r["idempotency_key"], r["procedure_id"])
            except OutboxKeyError as exc:
                self._finish(r["dossier_code"], token, "held", error=exc.reason, count=False)
                continue
            claims.append(Claim(r["dossier_code"], r["idempotency_key"], r["procedure_id"],
                                json.loads(plain), _dt(r["created_at"]), _dt(r["deadline"]),
                                r["priority"], r["attempts"], r["failures"], token))
        return claims

    def _finish(self, code: str, token: str, target: str, *, error: str | None = None,
                delay: float = 0.0, count: bool = True, failed: bool = False,
                received_at: str | None = None, agency_status: str | None = None) -> str:
        now = self._now().timestamp()
        with self._tx() as conn:
            row = conn.execute("SELECT state, claim_token, failures FROM outbox "
                               "WHERE dossier_code=?", (code,)).fetchone()
            if row is None:
                raise OutboxNotFoundError(code)
            if row["state"] != "sending" or row["claim_token"] != token:
                raise OutboxStateError(code, "sending", target, row["state"])
            failures = row["failures"] + (1 if failed else 0)
            if target == "queued" and failed and self.policy.should_hold(failures):
                target = "held"
            conn.execute(
                "UPDATE outbox SET state=?, claim_token=NULL, claim_pid=NULL, claimed_at=NULL, "
                "attempts=attempts+?, failures=?, last_error=?, next_attempt_at=?, updated_at=?, "
                "delivered_at=CASE WHEN ?='delivered' THEN ? ELSE delivered_at END, "
                "remote_received_at=coalesce(?, remote_received_at), "
                "agency_status=coalesce(?, agency_status), "
                "agency_status_at=CASE WHEN ? IS NOT NULL THEN ? ELSE agency_status_at END "
                "WHERE dossier_code=? AND state='sending' AND claim_token=?",
                (target, 1 if count else 0, failures, error, now + delay, now, target, now,
                 received_at, agency_status, agency_status, now, code, token))
        log.info("outbox: %s sending -> %s%s", code, target, f" ({error})" if error else "")
        return target

    def mark_delivered(self, claim: Claim, *, received_at: str | None = None,
                       agency_status: str | None = None) -> str:
        return self._finish(claim.dossier_code, claim.token, "delivered",
                            received_at=received_at, agency_status=agency_status)

    def mark_rejected(self, claim: Claim, reason: str) -> str:
        return self._finish(claim.dossier_code, claim.token, "rejected", error=reason[:200])

    def mark_retry(self, claim: Claim, error: str, *, offline: bool = False,
                   retry_after: float | None = None) -> str:
        """Back to `queued`. Offline: a short fixed delay and no failure counted. An answered
        failure: exponential backoff with jitter (or the endpoint's Retry-After), and `held`
        once the policy's failure budget is spent. Returns the state the row went to."""
        if offline:
            delay = self.policy.offline_delay_seconds
        else:
            delay = self.policy.delay(claim.failures + 1)
            if retry_after is not None:
                delay = max(delay, min(retry_after, self.policy.cap_seconds))
        return self._finish(claim.dossier_code, claim.token, "queued", error=error[:200],
                            delay=delay, failed=not offline)

    def status_checks(self, limit: int = 1000) -> list[tuple[str, str]]:
        """Delivered dossiers whose agency status may still change, least recently checked
        first: (dossier_code, idempotency_key)."""
        marks = ",".join("?" * len(FINAL_AGENCY_STATUSES))
        rows = self._read(
            "SELECT dossier_code, idempotency_key FROM outbox WHERE state='delivered' AND "
            f"(agency_status IS NULL OR agency_status NOT IN ({marks})) "
            "ORDER BY coalesce(status_checked_at, 0), id LIMIT ?",
            [*sorted(FINAL_AGENCY_STATUSES), int(limit)])
        return [(r[0], r[1]) for r in rows]

    def set_agency_statuses(self, updates: dict[str, tuple[str, float | None]],
                            checked: list[str]) -> int:
        """Record agency statuses {dossier_code: (status, at)}; stamp `checked` as looked at.
        Returns how many statuses changed."""
        now = self._now().timestamp()
        changed = 0
        with self._tx() as conn:
            for code in checked:
                conn.execute("UPDATE outbox SET status_checked_at=? WHERE dossier_code=?",
                             (now, code))
            for code, (status, at) in updates.items():
                changed += conn.execute(
                    "UPDATE outbox SET agency_status=?, agency_status_at=?, updated_at=? "
                    "WHERE dossier_code=? AND state='delivered' AND "
                    "coalesce(agency_status,'') != ?",
                    (status, at or now, now, code, status)).rowcount
        return changed

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                         "SET value=excluded.value", (key, value))
