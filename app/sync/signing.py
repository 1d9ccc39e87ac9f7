"""Request signing, kiosk side (the endpoint's copy is endpoint/signing.py; a test keeps the
two in step). HMAC-SHA256 with this kiosk's secret over:

    "v1\\n" METHOD "\\n" PATH[?QUERY] "\\n" TIMESTAMP "\\n" NONCE "\\n" BODY_SHA256 "\\n" KIOSK_ID

sent as X-Kiosk-Id, X-Kiosk-Timestamp (Unix seconds), X-Kiosk-Nonce (random, single use),
X-Content-SHA256 (hex digest of the body) and X-Kiosk-Signature ("v1=" + hex).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Callable, Generator

import httpx


def canonical(method: str, path: str, timestamp: str, nonce: str, body_sha256: str,
              kiosk_id: str) -> bytes:
    return "\n".join(("v1", method.upper(), path, timestamp, nonce, body_sha256,
                      kiosk_id)).encode("utf-8")


def sign_headers(secret: bytes, kiosk_id: str, method: str, path: str, body: bytes, *,
                 now: float | None = None, nonce: str | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_urlsafe(18)
    digest = hashlib.sha256(body).hexdigest()
    mac = hmac.new(secret, canonical(method, path, ts, nonce, digest, kiosk_id), hashlib.sha256)
    return {"X-Kiosk-Id": kiosk_id, "X-Kiosk-Timestamp": ts, "X-Kiosk-Nonce": nonce,
            "X-Content-SHA256": digest, "X-Kiosk-Signature": "v1=" + mac.hexdigest()}


class KioskAuth(httpx.Auth):
    """Signs every request httpx sends (retries included: each gets a fresh nonce)."""

    requires_request_body = True

    def __init__(self, kiosk_id: str, secret: bytes, clock: Callable[[], float] = time.time):
        self.kiosk_id = kiosk_id
        self.secret = secret
        self.clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        path = request.url.raw_path.decode("ascii")
        request.headers.update(sign_headers(self.secret, self.kiosk_id, request.method, path,
                                            request.content, now=self.clock()))
        yield request
