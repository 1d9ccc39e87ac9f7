"""Outbox schema and its migrations, versioned by SQLite's `user_version`.

Add a migration by appending a function; never edit one that shipped. Each runs inside the
caller's BEGIN IMMEDIATE, so a kiosk killed mid-migration restarts on the previous version.
"""

from __future__ import annotations

import sqlite_utils

STATES = ("queued", "sending", "delivered", "rejected", "held")


def _v1(db: sqlite_utils.Database) -> None:
    states = ", ".join(f"'{s}'" for s in STATES)
    # CHECK constraints are written out: sqlite-utils' create() cannot express them, and the
    # state column is the one place a bad write must be impossible rather than unlikely.
    db.execute(f"""
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            dossier_code TEXT NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL UNIQUE,
            procedure_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ({states})),
            priority INTEGER NOT NULL DEFAULT 0,
            deadline REAL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            next_attempt_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            claim_token TEXT,
            claim_pid INTEGER,
            claimed_at REAL,
            delivered_at REAL,
            remote_received_at TEXT,
            agency_status TEXT,
            agency_status_at REAL,
            status_checked_at REAL,
            key_id TEXT,
            nonce BLOB,
            payload BLOB,
            payload_purged_at REAL,
            CHECK ((payload IS NULL) = (payload_purged_at IS NOT NULL))
        )""")
    db["outbox"].create_index(["state", "deadline", "priority", "id"], index_name="outbox_due")
    db["outbox"].create_index(["state", "agency_status", "status_checked_at"],
                              index_name="outbox_status_checks")
    db["meta"].create({"key": str, "value": str}, pk="key")


MIGRATIONS = [_v1]
CURRENT_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the schema to CURRENT_VERSION; returns the version found. Caller holds the lock."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    for version in range(found, CURRENT_VERSION):
        MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {version + 1}")
    return found
