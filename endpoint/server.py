"""Running the endpoint: `serve` (one or several uvicorn workers) and kiosk registration.

Used by `kiosk endpoint serve|add-kiosk` (app/cli/endpoint.py) and by tests; imports nothing
from the kiosk.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from endpoint.store import open_store

log = logging.getLogger("endpoint")


def migrate(db: str) -> None:
    store = open_store(db) if not db.startswith("postgres") else open_store(db, max_size=1)
    try:
        store.migrate()
    finally:
        store.close()


def add_kiosk(db: str, kiosk_id: str, secret: bytes) -> None:
    store = open_store(db) if not db.startswith("postgres") else open_store(db, max_size=1)
    try:
        store.migrate()
        store.register_kiosk(kiosk_id, secret)
    finally:
        store.close()


def disable_kiosk(db: str, kiosk_id: str) -> bool:
    store = open_store(db) if not db.startswith("postgres") else open_store(db, max_size=1)
    try:
        store.migrate()
        return store.disable_kiosk(kiosk_id)
    finally:
        store.close()


def read_secret_file(path: Path) -> bytes:
    """A kiosk secret file holds the secret as hex (what load_or_create_secret writes)."""
    text = Path(path).read_text(encoding="ascii").strip()
    secret = bytes.fromhex(text)
    if len(secret) < 16:
        raise ValueError("secret shorter than 16 bytes")
    return secret


def serve(db: str, host: str = "127.0.0.1", port: int = 8765, workers: int = 1,
          agency_tokens: list[str] | None = None, log_level: str = "warning",
          ssl_certfile: str | None = None, ssl_keyfile: str | None = None) -> None:
    import uvicorn

    migrate(db)
    os.environ["KIOSK_ENDPOINT_DB"] = db
    os.environ["KIOSK_ENDPOINT_AGENCY_TOKENS"] = ",".join(agency_tokens or [])
    log.info("endpoint: serving on %s:%d with %d worker(s), db %s", host, port, workers,
             "postgresql" if db.startswith("postgres") else "sqlite")
    uvicorn.run("endpoint.asgi:app_from_env", factory=True, host=host, port=port,
                workers=workers if workers > 1 else None, log_level=log_level,
                access_log=False, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile,
                timeout_graceful_shutdown=5)
