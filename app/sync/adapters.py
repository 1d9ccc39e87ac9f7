"""The seam between the outbox and a wire protocol.

The outbox knows nothing of HTTP: `sync_once` hands a batch of claims to a DeliveryAdapter and
gets one Outcome per claim. A province's procedure system or the national lodging-notification
system is a new class here (or anywhere) with the same two methods; the outbox is untouched.

Classification (style.md "Outbox"): delivered; retry later (network, 5xx, 429, 408, and auth
failures, which are this kiosk's configuration or clock, never the dossier's fault); rejected
(other 4xx answers about the dossier itself: recorded with the endpoint's reason, the queue
moves on).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol, Sequence

import httpx

from app.outbox.store import Claim

log = logging.getLogger("kiosk.sync")

DELIVERED, REJECTED, RETRY, OFFLINE = "delivered", "rejected", "retry", "offline"
MAX_BATCH_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    kind: str                       # delivered | rejected | retry | offline
    reason: str = ""                # stable code: the endpoint's error code or ours
    received_at: str | None = None
    agency_status: str | None = None
    retry_after: float | None = None


class DeliveryAdapter(Protocol):
    def deliver(self, claims: Sequence[Claim]) -> list[Outcome]:
        """One Outcome per claim, same order. Must not raise for network or HTTP failures."""

    def fetch_statuses(self, idempotency_keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """{idempotency_key: (agency_status, status_at ISO or None)}; raises OfflineError
        when unreachable, StatusFetchError when the answer is an error."""

    def close(self) -> None: ...


class OfflineError(Exception):
    """The other side could not be reached (or did not answer in time)."""


class StatusFetchError(Exception):
    """The other side answered the status query with an error (auth, 5xx): not offline."""


def _wire_item(c: Claim) -> dict:
    return {"idempotency_key": c.idempotency_key, "dossier_code": c.dossier_code,
            "procedure_id": c.procedure_id, "payload": c.payload,
            "created_at": c.created_at.isoformat(),
            "deadline": c.deadline.isoformat() if c.deadline else None, "priority": c.priority}


def _error_code(resp: httpx.Response) -> str:
    try:
        return str(resp.json()["error"]["code"])[:80]
    except (ValueError, KeyError, TypeError):
        return f"http_{resp.status_code}"


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


def network_reason(exc: httpx.TransportError) -> str:
    """A stable reason for a transport failure. A certificate that does not verify is named as
    such: it means a wrong CA or an impostor, not a flaky network, and staff must see that."""
    if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
        return "tls:verify_failed"
    return "network:" + type(exc).__name__


def classify_failure(resp: httpx.Response) -> Outcome:
    """An HTTP answer that is not a success, mapped to retry or rejected."""
    code = resp.status_code
    if code >= 500 or code in (408, 425, 429):
        return Outcome(RETRY, f"http_{code}", retry_after=_retry_after(resp))
    if code in (401, 403):
        return Outcome(RETRY, "auth:" + _error_code(resp))
    return Outcome(REJECTED, _error_code(resp))


class ReferenceEndpointAdapter:
    """The reference endpoint (endpoint/): signed JSON over HTTPS, batches of submissions."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def close(self) -> None:
        self.client.close()

    def deliver(self, claims: Sequence[Claim]) -> list[Outcome]:
        out: list[Outcome] = []
        batch: list[Claim] = []
        size = 0
        for c in claims:  # split so no request exceeds the endpoint's body limit
            n = len(json.dumps(c.payload, ensure_ascii=False).encode()) + 400
            if batch and size + n > MAX_BATCH_BYTES:
                out += self._send(batch)
                batch, size = [], 0
            batch.append(c)
            size += n
        if batch:
            out += self._send(batch)
        return out

    def _send(self, claims: list[Claim]) -> list[Outcome]:
        if len(claims) == 1:
            return [self._send_one(claims[0])]
        try:
            resp = self.client.post("/v1/dossiers/batch",
                                    json={"items": [_wire_item(c) for c in claims]})
        except httpx.TransportError as exc:
            return [Outcome(OFFLINE, network_reason(exc))] * len(claims)
        if resp.status_code == 200:
            try:
                results = {r["idempotency_key"]: r for r in resp.json()["results"]
                           if isinstance(r, dict) and r.get("idempotency_key")}
            except (ValueError, KeyError, TypeError):
                return [Outcome(RETRY, "bad_response")] * len(claims)
            return [self._item_outcome(results.get(c.idempotency_key)) for c in claims]
        failure = classify_failure(resp)
        if failure.kind == REJECTED:
            # The batch as a whole was refused (a protocol-level 4xx): one bad item must not
            # reject its neighbours, so each goes alone and gets its own answer.
            return [self._send_one(c) for c in claims]
        return [failure] * len(claims)

    @staticmethod
    def _item_outcome(r: dict | None) -> Outcome:
        if r is None:
            return Outcome(RETRY, "missing_in_answer")
        if r.get("outcome") in ("accepted", "duplicate"):
            return Outcome(DELIVERED, r["outcome"], r.get("received_at"), r.get("status"))
        return Outcome(REJECTED, str(r.get("reason") or "rejected")[:80])

    def _send_one(self, c: Claim) -> Outcome:
        try:
            resp = self.client.post("/v1/dossiers", json=_wire_item(c),
                                    headers={"Idempotency-Key": c.idempotency_key})
        except httpx.TransportError as exc:
            return Outcome(OFFLINE, network_reason(exc))
        if resp.status_code in (200, 201):
            try:
                body = resp.json()
            except ValueError:
                return Outcome(RETRY, "bad_response")
            return Outcome(DELIVERED, body.get("outcome", "accepted"), body.get("received_at"),
                           body.get("status"))
        return classify_failure(resp)

    def fetch_statuses(self, idempotency_keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        out: dict[str, tuple[str, str | None]] = {}
        keys = list(idempotency_keys)
        for i in range(0, len(keys), 500):
            try:
                resp = self.client.post("/v1/dossiers/status",
                                        json={"idempotency_keys": keys[i:i + 500]})
            except httpx.TransportError as exc:
                raise OfflineError(network_reason(exc)) from None
            if resp.status_code != 200:
                raise StatusFetchError(f"status:{classify_failure(resp).reason}")
            for r in resp.json().get("statuses", []):
                out[r["idempotency_key"]] = (r["status"], r.get("status_at"))
        return out
