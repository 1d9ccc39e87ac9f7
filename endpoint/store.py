"""The endpoint's storage: SQLite (a path) by default, PostgreSQL by URL.

One code path for both: SQL is written with %s placeholders (psycopg's) and rewritten to ? for
sqlite3; only the DDL differs. Exactly-once receipt rests on one UNIQUE (kiosk_id,
idempotency_key) constraint and INSERT … ON CONFLICT DO NOTHING: two workers racing on the same
key both end up reading the one row that won, so they give the same answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

STATUSES = ("received", "processing", "needs_info", "completed", "returned")
TRANSITIONS = {
    "received": {"processing", "returned"},
    "processing": {"needs_info", "completed", "returned"},
    "needs_info": {"processing", "returned"},
    "completed": set(),
    "returned": set(),
}
SCHEMA_VERSION = 1

_DDL_COMMON = [
    "CREATE TABLE IF NOT EXISTS kiosks (kiosk_id TEXT PRIMARY KEY, secret TEXT NOT NULL, "
    "created_at {real} NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS nonces (kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, "
    "expires_at {real} NOT NULL, PRIMARY KEY (kiosk_id, nonce))",
    "CREATE TABLE IF NOT EXISTS dossiers (id {serial}, kiosk_id TEXT NOT NULL, "
    "idempotency_key TEXT NOT NULL, dossier_code TEXT NOT NULL, procedure_id TEXT NOT NULL, "
    "payload TEXT NOT NULL, body_sha256 TEXT NOT NULL, kiosk_created_at TEXT, deadline TEXT, "
    "priority INTEGER NOT NULL DEFAULT 0, received_at {real} NOT NULL, status TEXT NOT NULL, "
    "status_at {real} NOT NULL, CONSTRAINT dossiers_once UNIQUE (kiosk_id, idempotency_key))",
    "CREATE INDEX IF NOT EXISTS dossiers_code ON dossiers (dossier_code)",
    "CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at)",
    "CREATE TABLE IF NOT EXISTS status_history (id {serial}, dossier_id BIGINT NOT NULL, "
    "status TEXT NOT NULL, at {real} NOT NULL, note TEXT)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # the latest heartbeat per kiosk (endpoint/heartbeat.py)
    "CREATE TABLE IF NOT EXISTS kiosk_heartbeats (kiosk_id TEXT PRIMARY KEY, "
    "received_at {real} NOT NULL, heartbeat TEXT NOT NULL)",
]
DOSSIER_COLS = ("id, kiosk_id, idempotency_key, dossier_code, procedure_id, status, "
                "received_at, status_at, deadline, priority")


class StoreError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def body_hash(item: dict[str, Any]) -> str:
    """What makes two sends "the same submission": the same code, procedure and payload."""
    canon = json.dumps({"d": item["dossier_code"], "p": item["procedure_id"],
                        "x": item["payload"]}, sort_keys=True, ensure_ascii=False,
                       separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


def _row_dict(cols: str, row: tuple) -> dict[str, Any]:
    return dict(zip([c.strip() for c in cols.split(",")], row))


class Store:
    """Base: the operations. Subclasses provide `_conn()` (a transaction context) and DDL."""

    dialect = ""

    def _conn(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _q(self, sql: str) -> str:
        return sql

    def close(self) -> None:
        pass

    @contextmanager
    def tx(self) -> Iterator[Any]:
        with self._conn() as cur:
            yield cur

    def migrate(self) -> None:
        serial = ("BIGSERIAL PRIMARY KEY" if self.dialect == "postgres"
                  else "INTEGER PRIMARY KEY AUTOINCREMENT")
        real = "DOUBLE PRECISION" if self.dialect == "postgres" else "REAL"
        with self.tx() as cur:
            for ddl in _DDL_COMMON:
                cur.execute(ddl.format(serial=serial, real=real))
            cur.execute(self._q("INSERT INTO meta (key, value) VALUES (%s, %s) "
                                "ON CONFLICT (key) DO NOTHING"),
                        ("schema_version", str(SCHEMA_VERSION)))

    # -- kiosks and nonces -----------------------------------------------------------------------
    def register_kiosk(self, kiosk_id: str, secret: bytes) -> None:
        with self.tx() as cur:
            cur.execute(self._q(
                "INSERT INTO kiosks (kiosk_id, secret, created_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (kiosk_id) DO UPDATE SET secret=excluded.secret, disabled=0"),
                (kiosk_id, secret.hex(), time.time()))

    def disable_kiosk(self, kiosk_id: str) -> bool:
        """A stolen or retired kiosk: its signature stops verifying at once (every worker)."""
        with self.tx() as cur:
            cur.execute(self._q("UPDATE kiosks SET disabled=1 WHERE kiosk_id=%s"), (kiosk_id,))
            return cur.rowcount == 1

    def kiosk_secret(self, kiosk_id: str) -> bytes | None:
        with self.tx() as cur:
            cur.execute(self._q("SELECT secret FROM kiosks WHERE kiosk_id=%s AND disabled=0"),
                        (kiosk_id,))
            row = cur.fetchone()
        return bytes.fromhex(row[0]) if row else None

    def use_nonce(self, kiosk_id: str, nonce: str, expires_at: float) -> bool:
        """True the first time a kiosk uses a nonce, False on a replay (any worker)."""
        with self.tx() as cur:
            cur.execute(self._q("INSERT INTO nonces (kiosk_id, nonce, expires_at) VALUES "
                                "(%s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1"),
                        (kiosk_id, nonce, expires_at))
            return cur.fetchone() is not None

    def purge_nonces(self, now: float) -> None:
        with self.tx() as cur:
            cur.execute(self._q("DELETE FROM nonces WHERE expires_at < %s"), (now,))

    # -- receiving -------------------------------------------------------------------------------
    def receive(self, kiosk_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store valid items once each; answer each the same way however often it is sent."""
        now = time.time()
        # Insert in key order: two transactions holding overlapping keys then lock them in the
        # same order, so PostgreSQL never has to break a deadlock between them.
        order = sorted(range(len(items)), key=lambda i: items[i]["idempotency_key"])
        answers: dict[int, dict[str, Any]] = {}
        with self.tx() as cur:
            for idx in order:
                item = items[idx]
                digest = body_hash(item)
                cur.execute(self._q(
                    "INSERT INTO dossiers (kiosk_id, idempotency_key, dossier_code, procedure_id,"
                    " payload, body_sha256, kiosk_created_at, deadline, priority, received_at, "
                    "status, status_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'received',%s) "
                    "ON CONFLICT (kiosk_id, idempotency_key) DO NOTHING RETURNING id"),
                    (kiosk_id, item["idempotency_key"], item["dossier_code"],
                     item["procedure_id"], json.dumps(item["payload"], ensure_ascii=False),
                     digest, item.get("created_at"), item.get("deadline"),
                     int(item.get("priority") or 0), now, now))
                row = cur.fetchone()
                if row is not None:
                    cur.execute(self._q("INSERT INTO status_history (dossier_id, status, at) "
                                        "VALUES (%s, 'received', %s)"), (row[0], now))
                    answers[idx] = self._answer(item, row[0], now, "received", "accepted")
                    continue
                cur.execute(self._q("SELECT id, body_sha256, received_at, status, dossier_code "
                                    "FROM dossiers WHERE kiosk_id=%s AND idempotency_key=%s"),
                            (kiosk_id, item["idempotency_key"]))
                rid, old_digest, received_at, status, code = cur.fetchone()
                if old_digest != digest:
                    answers[idx] = {"idempotency_key": item["idempotency_key"],
                                     "dossier_code": item["dossier_code"], "outcome": "rejected",
                                     "reason": "idempotency_conflict",
                                     "message": "this idempotency key was used for a different "
                                                "submission"}
                else:
                    answers[idx] = self._answer(item, rid, received_at, status, "duplicate")
        return [answers[i] for i in range(len(items))]

    @staticmethod
    def _answer(item: dict, rid: int, received_at: float, status: str, outcome: str) -> dict:
        return {"idempotency_key": item["idempotency_key"], "dossier_code": item["dossier_code"],
                "outcome": outcome, "id": rid, "received_at": _iso(received_at),
                "status": status}

    def statuses(self, kiosk_id: str, keys: list[str]) -> list[dict[str, Any]]:
        if not keys:
            return []
        marks = ",".join(["%s"] * len(keys))
        with self.tx() as cur:
            cur.execute(self._q(f"SELECT idempotency_key, dossier_code, status, status_at FROM "
                                f"dossiers WHERE kiosk_id=%s AND idempotency_key IN ({marks})"),
                        (kiosk_id, *keys))
            rows = cur.fetchall()
        return [{"idempotency_key": r[0], "dossier_code": r[1], "status": r[2],
                 "status_at": _iso(r[3])} for r in rows]

    def lookup(self, dossier_code: str) -> dict[str, Any]:
        """What anyone holding a receipt may see: the status, never the content."""
        with self.tx() as cur:
            cur.execute(self._q("SELECT dossier_code, procedure_id, status, status_at FROM "
                                "dossiers WHERE dossier_code=%s ORDER BY id DESC LIMIT 1"),
                        (dossier_code,))
            row = cur.fetchone()
        if row is None:
            raise StoreError(404, "not_found", "no dossier with this code")
        return {"dossier_code": row[0], "procedure_id": row[1], "status": row[2],
                "status_at": _iso(row[3])}

    # -- agencies --------------------------------------------------------------------------------
    def list_dossiers(self, *, kiosk_id: str | None = None, status: str | None = None,
                      after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        where, params = ["id > %s"], [after]
        if kiosk_id:
            where.append("kiosk_id = %s")
            params.append(kiosk_id)
        if status:
            where.append("status = %s")
            params.append(status)
        with self.tx() as cur:
            cur.execute(self._q(f"SELECT {DOSSIER_COLS} FROM dossiers WHERE "
                                f"{' AND '.join(where)} ORDER BY id LIMIT %s"), (*params, limit))
            rows = cur.fetchall()
        return [_public(_row_dict(DOSSIER_COLS, r)) for r in rows]

    def get_dossier(self, dossier_id: int) -> dict[str, Any]:
        with self.tx() as cur:
            cur.execute(self._q(f"SELECT {DOSSIER_COLS}, payload FROM dossiers WHERE id=%s"),
                        (dossier_id,))
            row = cur.fetchone()
            if row is None:
                raise StoreError(404, "not_found", f"no dossier {dossier_id}")
            cur.execute(self._q("SELECT status, at, note FROM status_history WHERE "
                                "dossier_id=%s ORDER BY id"), (dossier_id,))
            history = [{"status": s, "at": _iso(a), "note": n} for s, a, n in cur.fetchall()]
        out = _public(_row_dict(DOSSIER_COLS + ", payload", row))
        out["payload"] = json.loads(out["payload"])
        out["history"] = history
        return out

    def set_status(self, dossier_id: int, status: str, note: str | None) -> dict[str, Any]:
        if status not in STATUSES:
            raise StoreError(422, "unknown_status", f"status must be one of {', '.join(STATUSES)}")
        now = time.time()
        with self.tx() as cur:
            cur.execute(self._q("SELECT status FROM dossiers WHERE id=%s"), (dossier_id,))
            row = cur.fetchone()
            if row is None:
                raise StoreError(404, "not_found", f"no dossier {dossier_id}")
            if status not in TRANSITIONS[row[0]]:
                raise StoreError(409, "bad_transition",
                                 f"a dossier that is {row[0]} cannot become {status}")
            cur.execute(self._q("UPDATE dossiers SET status=%s, status_at=%s WHERE id=%s AND "
                                "status=%s"), (status, now, dossier_id, row[0]))
            if cur.rowcount != 1:
                raise StoreError(409, "concurrent_update", "the dossier changed meanwhile; retry")
            cur.execute(self._q("INSERT INTO status_history (dossier_id, status, at, note) "
                                "VALUES (%s, %s, %s, %s)"), (dossier_id, status, now, note))
        return self.get_dossier(dossier_id)

    def stats(self) -> dict[str, Any]:
        with self.tx() as cur:
            cur.execute("SELECT count(*), count(DISTINCT kiosk_id) FROM dossiers")
            total, kiosks = cur.fetchone()
            cur.execute("SELECT status, count(*) FROM dossiers GROUP BY status")
            by_status = {s: n for s, n in cur.fetchall()}
        return {"dossiers": total, "kiosks_with_dossiers": kiosks, "by_status": by_status}


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1e6):06d}Z"


def _public(d: dict[str, Any]) -> dict[str, Any]:
    d["received_at"] = _iso(d["received_at"])
    d["status_at"] = _iso(d["status_at"])
    return d


class SqliteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _q(self, sql: str) -> str:
        return sql.replace("%s", "?")

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        cur = conn.cursor()
        # IMMEDIATE: take the write lock up front so two writers never deadlock on upgrade.
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                cur.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            for c in self._all:
                c.close()
            self._all.clear()


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10) -> None:
        from psycopg_pool import ConnectionPool

        self.url = url
        self.pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=True,
                                   kwargs={"autocommit": False})
        self.pool.wait(timeout=30)

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        with self.pool.connection() as conn:  # commits on success, rolls back on error
            with conn.cursor() as cur:
                yield cur

    def close(self) -> None:
        self.pool.close()


def open_store(db: str, **kw: Any) -> Store:
    if db.startswith(("postgresql://", "postgres://")):
        return PostgresStore(db, **kw)
    return SqliteStore(db)
