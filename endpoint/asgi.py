"""Entry point for `uvicorn --workers N`: each worker process builds its app from the
environment (uvicorn can only hand workers an import string, not objects).

    KIOSK_ENDPOINT_DB            SQLite path or postgresql:// URL (required)
    KIOSK_ENDPOINT_AGENCY_TOKENS agency bearer tokens, comma-separated (optional)
    KIOSK_ENDPOINT_POOL_SIZE     PostgreSQL connections per worker (default 8)
The schema is migrated once by the parent before the workers start, never by a worker: two
workers racing CREATE TABLE IF NOT EXISTS on PostgreSQL can fail.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from endpoint.app import create_app
from endpoint.store import open_store


def app_from_env() -> Starlette:
    db = os.environ["KIOSK_ENDPOINT_DB"]
    pool = int(os.environ.get("KIOSK_ENDPOINT_POOL_SIZE", "8"))
    store = open_store(db, max_size=pool) if db.startswith("postgres") else open_store(db)
    tokens = os.environ.get("KIOSK_ENDPOINT_AGENCY_TOKENS", "").split(",")
    return create_app(store, [t.strip() for t in tokens if t.strip()])
