"""The fleet heartbeat: this kiosk's health, sent to the endpoint now and then. No Qt.

    payload = build_heartbeat(cfg, device_states(devices), counts, oldest_age, last_sync)
    svc = HeartbeatService(client_factory, interval=60, collect=lambda: payload)
    svc.start(); ...; svc.stop()

POST /v1/kiosks/heartbeat, signed like every kiosk request (app/sync/signing.py, the same
per-kiosk secret); the endpoint keeps the latest per kiosk and lists them at GET /v1/kiosks.
A heartbeat holds codes, counts, states and times only: no dossier codes, no personal data.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable

from app import __version__

log = logging.getLogger("kiosk.heartbeat")

PATH = "/v1/kiosks/heartbeat"


def device_states(devices: Any, printer_status: Any = None,
                  live: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """{kind: {driver, simulated, state, error, live}} from app.devices.Devices and what the
    workers see now (no personal data: driver errors name ports and exception types)."""
    out: dict[str, dict[str, Any]] = {}
    for dev in devices.all():
        out[dev.kind] = {"driver": dev.driver, "simulated": dev.simulated,
                         "state": "ready" if dev.available else "unavailable",
                         "error": (dev.error or "")[:200]}
        if live and live.get(dev.kind):
            out[dev.kind]["live"] = live[dev.kind][:40]
    if printer_status is not None and "printer" in out:
        out["printer"]["problems"] = list(printer_status.problems())
        out["printer"]["warnings"] = list(printer_status.warnings())
        if printer_status.problems():
            out["printer"]["state"] = "not_ready"
    return out


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat(
        timespec="seconds")


def build_heartbeat(cfg: Any, devices: dict[str, dict[str, Any]], counts: dict[str, int] | None,
                    oldest_pending_age: float | None, last_sync_at: float | None,
                    last_report: Any = None, deadline_warnings: int = 0,
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
    counts = dict(counts or {})
    pending = sum(counts.get(s, 0) for s in ("queued", "sending", "held"))
    sync = {"last_at": _iso(last_sync_at)}
    if last_report is not None:
        sync.update(offline=bool(last_report.offline), error=last_report.error,
                    delivered=last_report.delivered, retried=last_report.retried,
                    held=last_report.held)
    return {
        "kiosk_id": cfg["kiosk.id"], "version": __version__, "profile": cfg["kiosk.profile"],
        "simulator": bool(cfg.simulate), "sent_at": _iso(time.time()),
        "devices": devices,
        "outbox": {"counts": counts, "pending": pending,
                   "oldest_pending_age_seconds": oldest_pending_age,
                   "deadline_warnings": deadline_warnings},
        "sync": sync, **(extra or {}),
    }


def send_heartbeat(client: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """One POST through a signed httpx.Client; returns the endpoint's answer, raises
    HeartbeatError on a refusal or when the endpoint cannot be reached."""
    import httpx

    try:
        resp = client.post(PATH, json=payload)
    except httpx.HTTPError as exc:
        raise HeartbeatError("offline", type(exc).__name__) from None
    if resp.status_code >= 300:
        try:
            code = str(resp.json()["error"]["code"])
        except (ValueError, KeyError, TypeError):
            code = f"http_{resp.status_code}"
        raise HeartbeatError("refused", code)
    return resp.json()


class HeartbeatError(Exception):
    def __init__(self, kind: str, code: str) -> None:
        super().__init__(f"{kind}: {code}")
        self.kind, self.code = kind, code


class HeartbeatService:
    """Sends `collect()` every `interval` seconds on a daemon thread (the first one at once)."""

    def __init__(self, client_factory: Callable[[], Any], interval: float,
                 collect: Callable[[], dict[str, Any]],
                 on_result: Callable[[str], None] | None = None) -> None:
        self.client_factory = client_factory
        self.interval = interval
        self.collect = collect
        self.on_result = on_result
        self.last_sent_at: float | None = None
        self.last_error: str | None = None
        self.sent = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        client = None
        try:
            client = self.client_factory()
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    send_heartbeat(client, self.collect())
                except HeartbeatError as exc:
                    self.last_error = str(exc)
                    log.info("heartbeat not delivered (%s)", exc)
                except Exception:  # noqa: BLE001 - a bug in collect must not stop the thread
                    self.last_error = "internal"
                    log.exception("heartbeat: collecting failed")
                else:
                    self.last_sent_at, self.last_error = time.time(), None
                    self.sent += 1
                if self.on_result is not None:
                    try:
                        self.on_result(self.last_error or "ok")
                    except Exception:  # noqa: BLE001
                        log.exception("heartbeat: callback failed")
                self._wake.wait(self.interval)
        finally:
            if client is not None:
                client.close()


def make_http_client(endpoint_url: str, kiosk_id: str, secret: bytes, ca_file: str | None = None
                     ) -> Any:
    """The sync client's httpx.Client: same signing, TLS verification and timeouts."""
    from app.sync.client import make_client

    return make_client(endpoint_url, kiosk_id, secret, ca_file=ca_file, timeout=10.0).client
