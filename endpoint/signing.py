"""Request signing, endpoint side. The kiosk's copy is app/sync/signing.py (the endpoint is a
separate service and imports nothing from the kiosk); tests/test_endpoint_signing.py checks the
two agree on the same vectors.

Headers on every kiosk request:
    X-Kiosk-Id          the kiosk's registered id
    X-Kiosk-Timestamp   Unix seconds (integer); accepted within ±WINDOW seconds
    X-Kiosk-Nonce       16–64 characters [A-Za-z0-9_-], never reused by this kiosk
    X-Content-SHA256    hex SHA-256 of the exact body bytes (of b"" when there is no body)
    X-Kiosk-Signature   "v1=" + hex HMAC-SHA256(secret, canonical)
canonical = "v1\\n" METHOD "\\n" PATH[?QUERY] "\\n" TIMESTAMP "\\n" NONCE "\\n" BODY_SHA256 "\\n" KIOSK_ID
"""

from __future__ import annotations

import hashlib
import hmac
import re

WINDOW_SECONDS = 300
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
H_KIOSK, H_TS, H_NONCE, H_DIGEST, H_SIG = ("x-kiosk-id", "x-kiosk-timestamp", "x-kiosk-nonce",
                                           "x-content-sha256", "x-kiosk-signature")


def canonical(method: str, path: str, timestamp: str, nonce: str, body_sha256: str,
              kiosk_id: str) -> bytes:
    return "\n".join(("v1", method.upper(), path, timestamp, nonce, body_sha256,
                      kiosk_id)).encode("utf-8")


def signature(secret: bytes, method: str, path: str, timestamp: str, nonce: str,
              body_sha256: str, kiosk_id: str) -> str:
    mac = hmac.new(secret, canonical(method, path, timestamp, nonce, body_sha256, kiosk_id),
                   hashlib.sha256)
    return "v1=" + mac.hexdigest()


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
