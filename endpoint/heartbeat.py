"""Kiosk heartbeats: the latest health report per kiosk, and the fleet list for agencies.

    POST /v1/kiosks/heartbeat   kiosk route, signed like the others (endpoint/signing.py)
    GET  /v1/kiosks             agency route (Authorization: Bearer): every registered kiosk
                                with its last heartbeat, its age and whether it is stale

A heartbeat carries codes, counts, states and times only. The endpoint keeps known keys and
drops the rest, caps sizes, and never stores a second copy: one row per kiosk, overwritten.
Works on SQLite and PostgreSQL through the store's own transactions (INSERT … ON CONFLICT).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger("endpoint")

MAX_HEARTBEAT_BYTES = 16 * 1024
STALE_AFTER_SECONDS = 300
TOP_KEYS = ("kiosk_id", "version", "profile", "simulator", "sent_at", "devices", "outbox",
            "sync", "speech", "accessibility")


def _clean(value: Any, depth: int = 0) -> Any:
    """Only plain small values: numbers, booleans, short strings, small lists and objects."""
    if depth > 4:
        return None
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value[:20]]
    if isinstance(value, dict):
        return {str(k)[:40]: _clean(v, depth + 1) for k, v in list(value.items())[:40]}
    return None


def save_heartbeat(store: Any, kiosk_id: str, heartbeat: dict[str, Any], now: float) -> None:
    body = json.dumps(heartbeat, ensure_ascii=False, sort_keys=True)
    with store.tx() as cur:
        cur.execute(store._q(
            "INSERT INTO kiosk_heartbeats (kiosk_id, received_at, heartbeat) VALUES (%s, %s, %s) "
            "ON CONFLICT (kiosk_id) DO UPDATE SET received_at=excluded.received_at, "
            "heartbeat=excluded.heartbeat"), (kiosk_id, now, body))


def list_kiosks(store: Any, now: float) -> list[dict[str, Any]]:
    with store.tx() as cur:
        cur.execute("SELECT k.kiosk_id, k.disabled, h.received_at, h.heartbeat FROM kiosks k "
                    "LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.kiosk_id "
                    "ORDER BY k.kiosk_id")
        rows = cur.fetchall()
    out = []
    for kiosk_id, disabled, received_at, heartbeat in rows:
        age = None if received_at is None else max(0.0, now - received_at)
        out.append({"kiosk_id": kiosk_id, "disabled": bool(disabled),
                    "last_seen_at": None if received_at is None else time.strftime(
                        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(received_at)),
                    "age_seconds": None if age is None else round(age, 1),
                    "stale": age is None or age > STALE_AFTER_SECONDS,
                    "heartbeat": json.loads(heartbeat) if heartbeat else None})
    return out


def routes(ep: Any, wrap: Any) -> list[Route]:
    """The two routes, bound to the endpoint `ep` (endpoint.app.Endpoint)."""
    from endpoint.app import ApiError

    async def heartbeat(request: Request) -> Response:
        body = await ep._body(request)
        if len(body) > MAX_HEARTBEAT_BYTES:
            raise ApiError(413, "too_large", f"heartbeat over {MAX_HEARTBEAT_BYTES} bytes")
        kiosk_id = await ep.authenticate(request, body)
        data = ep._json(body)
        if not isinstance(data, dict):
            raise ApiError(400, "bad_heartbeat", "body must be a JSON object")
        if data.get("kiosk_id", kiosk_id) != kiosk_id:
            raise ApiError(400, "kiosk_id_mismatch", "kiosk_id differs from X-Kiosk-Id")
        clean = {k: _clean(data[k]) for k in TOP_KEYS if k in data}
        clean["kiosk_id"] = kiosk_id
        now = ep.clock()
        await run_in_threadpool(save_heartbeat, ep.store, kiosk_id, clean, now)
        return JSONResponse({"ok": True, "received_at": int(now)})

    async def kiosks(request: Request) -> Response:
        ep.agency(request)
        rows = await run_in_threadpool(list_kiosks, ep.store, ep.clock())
        return JSONResponse({"kiosks": rows, "stale_after_seconds": STALE_AFTER_SECONDS})

    return [Route("/v1/kiosks/heartbeat", wrap(heartbeat), methods=["POST"]),
            Route("/v1/kiosks", wrap(kiosks), methods=["GET"])]
