"""Building the HTTP client for the reference endpoint: signed, TLS verified, with timeouts."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from app import __version__
from app.sync.adapters import ReferenceEndpointAdapter
from app.sync.signing import KioskAuth


def make_client(endpoint_url: str, kiosk_id: str, secret: bytes, *, ca_file: str | Path | None
                = None, timeout: float = 10.0) -> ReferenceEndpointAdapter:
    """A DeliveryAdapter for the reference endpoint. TLS verification is always on: `ca_file`
    adds a private CA (a province's own), it never turns checking off."""
    verify: ssl.SSLContext | bool = True
    if ca_file:
        verify = ssl.create_default_context(cafile=str(ca_file))
    client = httpx.Client(
        base_url=endpoint_url.rstrip("/"), auth=KioskAuth(kiosk_id, secret), verify=verify,
        # connect short: being offline should be noticed quickly; read long enough for a batch
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        headers={"User-Agent": f"vn-kiosk/{__version__}"},
        limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
        trust_env=False,
    )
    return ReferenceEndpointAdapter(client)
