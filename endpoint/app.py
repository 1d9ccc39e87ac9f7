"""The reference endpoint's ASGI app (Starlette). See endpoint/openapi.json for the contract.

Kiosk routes (signed, see signing.py):   POST /v1/dossiers          one submission, Idempotency-Key header
                                         POST /v1/dossiers/batch    up to MAX_BATCH submissions
                                         POST /v1/dossiers/status   agency statuses by idempotency key
                                         POST /v1/kiosks/heartbeat  the kiosk's health (heartbeat.py)
Agency routes (Authorization: Bearer):   GET  /v1/dossiers          list with idempotency keys
                                         GET  /v1/dossiers/{id}     one dossier with its payload
                                         POST /v1/dossiers/{id}/status  move it through its statuses
                                         GET  /v1/stats
                                         GET  /v1/kiosks            every kiosk, its last heartbeat
Open:                                    GET  /healthz, GET /openapi.json
                                         GET  /v1/lookup/{code}  a dossier's status by the
                                              receipt's QR code (no personal data)
Errors are JSON: {"error": {"code": "...", "message": "..."}} with a 4xx/5xx status.
Logs name kiosks, dossier ids and counts only: payloads hold personal data.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from endpoint import signing
from endpoint.store import STATUSES, Store, StoreError

log = logging.getLogger("endpoint")

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_ITEM_BYTES = 256 * 1024
MAX_BATCH = 200
SPEC_PATH = Path(__file__).with_name("openapi.json")
IDEM_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,31}$")
PROC_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict | None = None
                   ) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


class Endpoint:
    """Routes bound to one store; `agency_tokens` guard the agency API (empty: it answers 503)."""

    def __init__(self, store: Store, agency_tokens: list[str] | None = None, *,
                 clock=time.time, window: int = signing.WINDOW_SECONDS) -> None:
        self.store = store
        self.agency_tokens = [t for t in (agency_tokens or []) if t]
        self.clock = clock
        self.window = window
        self._requests = 0

    # -- plumbing --------------------------------------------------------------------------------
    async def _body(self, request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise ApiError(400, "bad_content_length", "Content-Length is not a number")
            if int(length) > MAX_BODY_BYTES:
                raise ApiError(413, "too_large", f"body over {MAX_BODY_BYTES} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ApiError(413, "too_large", f"body over {MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def authenticate(self, request: Request, body: bytes) -> str:
        h = request.headers
        kiosk_id, ts, nonce = h.get(signing.H_KIOSK), h.get(signing.H_TS), h.get(signing.H_NONCE)
        digest, sig = h.get(signing.H_DIGEST), h.get(signing.H_SIG)
        if not all((kiosk_id, ts, nonce, digest, sig)):
            raise ApiError(401, "unsigned", "request is not signed (X-Kiosk-Id, "
                           "X-Kiosk-Timestamp, X-Kiosk-Nonce, X-Content-SHA256, "
                           "X-Kiosk-Signature required)")
        if not signing.KIOSK_ID_RE.match(kiosk_id) or not signing.NONCE_RE.match(nonce):
            raise ApiError(401, "bad_signature_headers", "malformed kiosk id or nonce")
        if not ts.isdigit():
            raise ApiError(401, "bad_timestamp", "X-Kiosk-Timestamp must be Unix seconds")
        now = self.clock()
        if abs(now - int(ts)) > self.window:
            raise ApiError(401, "stale_timestamp",
                           f"timestamp outside ±{self.window}s of the endpoint's clock; "
                           "check the kiosk's clock", {"X-Endpoint-Time": str(int(now))})
        if not hmac.compare_digest(digest, signing.body_digest(body)):
            raise ApiError(401, "bad_digest", "X-Content-SHA256 does not match the body")
        # Read on every request, not cached: re-keying or disabling a kiosk (a stolen one)
        # takes effect at once on every worker. One primary-key lookup per batch is cheap.
        secret = await run_in_threadpool(self.store.kiosk_secret, kiosk_id)
        expected = self._expected(request, secret or b"\0", ts, nonce, digest, kiosk_id)
        if secret is None or not hmac.compare_digest(sig, expected):
            raise ApiError(401, "bad_signature", "signature does not verify for this kiosk")
        # Nonces are checked after the signature, so strangers cannot fill the nonce table.
        fresh = await run_in_threadpool(self.store.use_nonce, kiosk_id, nonce,
                                        now + 2 * self.window)
        if not fresh:
            raise ApiError(401, "replayed", "this nonce was already used")
        self._requests += 1
        if self._requests % 500 == 0:
            await run_in_threadpool(self.store.purge_nonces, now)
        return kiosk_id

    @staticmethod
    def _expected(request: Request, secret: bytes, ts: str, nonce: str, digest: str,
                  kiosk_id: str) -> str:
        # The raw path as sent (percent-encoding intact) is what the kiosk signed.
        raw = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string", b"")
        path = raw.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")
        return signing.signature(secret, request.method, path, ts, nonce, digest, kiosk_id)

    def agency(self, request: Request) -> None:
        if not self.agency_tokens:
            raise ApiError(503, "agency_api_disabled", "no agency token is configured")
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        if not token or not any(hmac.compare_digest(token, t) for t in self.agency_tokens):
            raise ApiError(401, "bad_agency_token", "Authorization: Bearer <agency token> "
                           "required", {"WWW-Authenticate": "Bearer"})

    @staticmethod
    def _json(body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "malformed_json", "body is not valid UTF-8 JSON") from None

    @staticmethod
    def check_item(item: Any) -> str | None:
        """Why an item is unacceptable (a reason code), or None."""
        if not isinstance(item, dict):
            return "not_an_object"
        if not isinstance(item.get("idempotency_key"), str) or \
                not IDEM_RE.match(item["idempotency_key"]):
            return "bad_idempotency_key"
        if not isinstance(item.get("dossier_code"), str) or \
                not CODE_RE.match(item["dossier_code"]):
            return "bad_dossier_code"
        if not isinstance(item.get("procedure_id"), str) or \
                not PROC_RE.match(item["procedure_id"]):
            return "bad_procedure_id"
        if not isinstance(item.get("payload"), dict) or not item["payload"]:
            return "bad_payload"
        for k in ("created_at", "deadline"):
            if item.get(k) is not None and not isinstance(item[k], str):
                return f"bad_{k}"
        if not isinstance(item.get("priority", 0), int):
            return "bad_priority"
        if len(json.dumps(item["payload"], ensure_ascii=False).encode()) > MAX_ITEM_BYTES:
            return "payload_too_large"
        return None

    # -- kiosk routes ----------------------------------------------------------------------------
    async def submit_one(self, request: Request) -> Response:
        body = await self._body(request)
        kiosk_id = await self.authenticate(request, body)
        item = self._json(body)
        key = request.headers.get("idempotency-key")
        if not key:
            raise ApiError(400, "missing_idempotency_key", "Idempotency-Key header required")
        if isinstance(item, dict):
            if item.setdefault("idempotency_key", key) != key:
                raise ApiError(400, "idempotency_key_mismatch",
                               "Idempotency-Key header and body disagree")
        reason = self.check_item(item)
        if reason:
            raise ApiError(422, reason, "the submission is not acceptable")
        [res] = await run_in_threadpool(self.store.receive, kiosk_id, [item])
        if res["outcome"] == "rejected":
            raise ApiError(409, res["reason"], res["message"])
        log.info("endpoint: kiosk %s dossier %s %s", kiosk_id, res["id"], res["outcome"])
        return JSONResponse(res, status_code=201 if res["outcome"] == "accepted" else 200)

    async def submit_batch(self, request: Request) -> Response:
        body = await self._body(request)
        kiosk_id = await self.authenticate(request, body)
        data = self._json(body)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            raise ApiError(400, "bad_batch", 'body must be {"items": [ ... ]} with items')
        if len(items) > MAX_BATCH:
            raise ApiError(413, "batch_too_large", f"at most {MAX_BATCH} items per batch")
        results: list[dict | None] = [None] * len(items)
        good, seen = [], set()
        for i, item in enumerate(items):
            reason = self.check_item(item)
            if reason is None and item["idempotency_key"] in seen:
                reason = "duplicate_in_batch"
            if reason:
                results[i] = {"idempotency_key": item.get("idempotency_key")
                              if isinstance(item, dict) else None,
                              "dossier_code": item.get("dossier_code")
                              if isinstance(item, dict) else None,
                              "outcome": "rejected", "reason": reason,
                              "message": "the submission is not acceptable"}
            else:
                seen.add(item["idempotency_key"])
                good.append((i, item))
        stored = await run_in_threadpool(self.store.receive, kiosk_id, [it for _, it in good])
        for (i, _), res in zip(good, stored):
            results[i] = res
        counts: dict[str, int] = {}
        for r in results:
            counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1  # type: ignore[index]
        log.info("endpoint: kiosk %s batch of %d: %s", kiosk_id, len(items), counts)
        return JSONResponse({"results": results})

    async def kiosk_statuses(self, request: Request) -> Response:
        body = await self._body(request)
        kiosk_id = await self.authenticate(request, body)
        data = self._json(body)
        keys = data.get("idempotency_keys") if isinstance(data, dict) else None
        if not isinstance(keys, list) or len(keys) > 1000 or \
                not all(isinstance(k, str) and IDEM_RE.match(k) for k in keys):
            raise ApiError(400, "bad_status_query",
                           'body must be {"idempotency_keys": [up to 1000 keys]}')
        rows = await run_in_threadpool(self.store.statuses, kiosk_id, keys)
        return JSONResponse({"statuses": rows})

    # -- agency routes ---------------------------------------------------------------------------
    async def list_dossiers(self, request: Request) -> Response:
        self.agency(request)
        q = request.query_params
        try:
            after = int(q.get("after", "0"))
            limit = int(q.get("limit", "1000"))
        except ValueError:
            raise ApiError(400, "bad_query", "after and limit must be integers") from None
        if not 1 <= limit <= 10000 or after < 0:
            raise ApiError(400, "bad_query", "limit must be 1..10000, after >= 0")
        status = q.get("status")
        if status is not None and status not in STATUSES:
            raise ApiError(400, "bad_query", f"status must be one of {', '.join(STATUSES)}")
        rows = await run_in_threadpool(lambda: self.store.list_dossiers(
            kiosk_id=q.get("kiosk_id"), status=status, after=after, limit=limit))
        return JSONResponse({"dossiers": rows,
                             "next_after": rows[-1]["id"] if len(rows) == limit else None})

    async def get_dossier(self, request: Request) -> Response:
        self.agency(request)
        return JSONResponse(await run_in_threadpool(self.store.get_dossier,
                                                    request.path_params["id"]))

    async def set_status(self, request: Request) -> Response:
        self.agency(request)
        data = self._json(await self._body(request))
        if not isinstance(data, dict) or not isinstance(data.get("status"), str) or \
                not isinstance(data.get("note", ""), (str, type(None))):
            raise ApiError(400, "bad_status_change", 'body must be {"status": "...", '
                           '"note": "..." (optional)}')
        out = await run_in_threadpool(self.store.set_status, request.path_params["id"],
                                      data["status"], data.get("note"))
        log.info("endpoint: dossier %s -> %s", out["id"], out["status"])
        return JSONResponse(out)

    async def stats(self, request: Request) -> Response:
        self.agency(request)
        return JSONResponse(await run_in_threadpool(self.store.stats))

    # -- open routes -----------------------------------------------------------------------------
    async def lookup(self, request: Request) -> Response:
        """Public: the receipt's QR code leads here. Status only, no personal data; the code
        must look like a dossier code so the route cannot be used to probe anything else."""
        code = request.path_params["code"]
        if not CODE_RE.fullmatch(code):
            raise ApiError(404, "not_found", "no dossier with this code")
        return JSONResponse(await run_in_threadpool(self.store.lookup, code))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "time": int(self.clock()), "db": self.store.dialect})

    async def openapi(self, request: Request) -> Response:
        return Response(SPEC_PATH.read_bytes(), media_type="application/json")


def _wrap(fn):
    async def handler(request: Request) -> Response:
        try:
            return await fn(request)
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.headers)
        except StoreError as exc:
            return error_response(exc.status, exc.code, exc.message)
        except ClientDisconnect:
            # The kiosk went away mid-request (killed, network cut): nobody to answer, nothing
            # stored (the body was never complete). Not an error of ours: no traceback.
            log.info("endpoint: client disconnected on %s", request.url.path)
            return Response(status_code=499)
    return handler


def create_app(store: Store, agency_tokens: list[str] | None = None, **kw: Any) -> Starlette:
    ep = Endpoint(store, agency_tokens, **kw)
    routes = [
        Route("/healthz", _wrap(ep.health), methods=["GET"]),
        Route("/openapi.json", _wrap(ep.openapi), methods=["GET"]),
        Route("/v1/dossiers", _wrap(ep.submit_one), methods=["POST"]),
        Route("/v1/dossiers", _wrap(ep.list_dossiers), methods=["GET"]),
        Route("/v1/dossiers/batch", _wrap(ep.submit_batch), methods=["POST"]),
        Route("/v1/dossiers/status", _wrap(ep.kiosk_statuses), methods=["POST"]),
        Route("/v1/dossiers/{id:int}", _wrap(ep.get_dossier), methods=["GET"]),
        Route("/v1/dossiers/{id:int}/status", _wrap(ep.set_status), methods=["POST"]),
        Route("/v1/stats", _wrap(ep.stats), methods=["GET"]),
        Route("/v1/lookup/{code}", _wrap(ep.lookup), methods=["GET"]),
    ]
    from endpoint import heartbeat

    routes += heartbeat.routes(ep, _wrap)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(404, "not_found", "no such route")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error_response(405, "method_not_allowed", "method not allowed on this route")

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("endpoint: internal error on %s", request.url.path)
        return error_response(500, "internal_error", "internal error; retry later")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        store.close()

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_allowed,
                                                       500: crashed}, lifespan=lifespan)
    app.state.endpoint = ep
    return app
