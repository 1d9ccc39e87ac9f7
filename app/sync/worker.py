"""The sync worker: moves claimed outbox rows through a DeliveryAdapter and brings agency
statuses back. `sync_once` is one round; SyncService runs rounds on its own thread (never the
Qt main thread; it opens its own Outbox connection and never touches Qt: the UI hands
`on_report` to a queued signal)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.outbox.errors import OutboxError, OutboxStateError
from app.outbox.store import Outbox
from app.sync.adapters import (DELIVERED, OFFLINE, REJECTED, DeliveryAdapter, OfflineError,
                               StatusFetchError)

log = logging.getLogger("kiosk.sync")


@dataclass(frozen=True)
class SyncReport:
    delivered: int = 0
    rejected: int = 0
    retried: int = 0
    status_updates: int = 0
    offline: bool = False
    held: int = 0
    error: str | None = None


def _parse_iso(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def sync_once(ob: Outbox, client: DeliveryAdapter, *, batch_size: int = 50,
              max_batches: int = 1000, statuses: bool = True) -> SyncReport:
    """Deliver every due item (in batches, deadline first), then refresh agency statuses."""
    delivered = rejected = retried = held = updates = 0
    offline = False
    error: str | None = None
    ob.reset_stale()
    for _ in range(max_batches):
        claims = ob.claim(batch_size)
        if not claims:
            break
        outcomes = client.deliver(claims)
        if len(outcomes) != len(claims):  # an adapter bug must not lose or confuse items
            raise RuntimeError("adapter returned a wrong number of outcomes")
        for claim, o in zip(claims, outcomes):
            try:
                if o.kind == DELIVERED:
                    ob.mark_delivered(claim, received_at=o.received_at,
                                      agency_status=o.agency_status)
                    delivered += 1
                elif o.kind == REJECTED:
                    ob.mark_rejected(claim, o.reason)
                    rejected += 1
                else:
                    to = ob.mark_retry(claim, o.reason, offline=o.kind == OFFLINE,
                                       retry_after=o.retry_after)
                    retried += 1
                    held += to == "held"
                    offline = offline or o.kind == OFFLINE
            except OutboxStateError as exc:
                # Our claim was recovered meanwhile (lease ran out): the new owner decides.
                log.warning("sync: %s claim lost (%s)", claim.dossier_code, exc.actual)
        if offline:
            break
    if statuses and not offline:
        checks = ob.status_checks()
        if checks:
            try:
                got = client.fetch_statuses([k for _, k in checks])
            except OfflineError as exc:
                log.info("sync: status refresh failed (%s)", exc)
                offline = True
            except StatusFetchError as exc:
                log.warning("sync: status refresh refused (%s)", exc)
                error = str(exc)
            else:
                by_key = {k: code for code, k in checks}
                updates = ob.set_agency_statuses(
                    {by_key[k]: (s, _parse_iso(at)) for k, (s, at) in got.items() if k in by_key},
                    [code for code, _ in checks])
    report = SyncReport(delivered, rejected, retried, updates, offline, held, error)
    if delivered or rejected or retried or updates:
        log.info("sync: delivered=%d rejected=%d retried=%d held=%d status_updates=%d "
                 "offline=%s", delivered, rejected, retried, held, updates, offline)
    return report


class SyncService:
    """Runs `sync_once` every `interval` seconds (sooner on `wake()`) on a daemon thread."""

    def __init__(self, outbox_path: Path, key_file: Path,
                 client_factory: Callable[[], DeliveryAdapter], interval: float,
                 on_report: Callable[[SyncReport], None], *,
                 on_error: Callable[[Exception], None] | None = None, clock=None,
                 retention_days: float = 30, purge_every: float = 3600.0,
                 batch_size: int = 50) -> None:
        self.outbox_path = Path(outbox_path)
        self.key_file = Path(key_file)
        self.client_factory = client_factory
        self.interval = interval
        self.on_report = on_report
        self.on_error = on_error
        self.clock = clock
        self.retention_days = retention_days
        self.purge_every = purge_every
        self.batch_size = batch_size
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_report: SyncReport | None = None

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Sync now (after a submission, or when the operator presses "send now")."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def _emit(self, fn: Callable | None, value: object) -> None:
        if fn is None or self._stop.is_set():
            return  # stopping: whoever listened (a closing window) may already be gone
        try:
            fn(value)
        except Exception:  # a broken callback must not stop deliveries
            log.exception("sync: callback failed")

    def _run(self) -> None:
        ob = client = None
        purged_at = 0.0
        import time
        try:
            ob = Outbox.open(self.outbox_path, self.key_file, clock=self.clock,
                             retention_days=self.retention_days)
            while not self._stop.is_set():
                self._wake.clear()
                if client is None:
                    try:  # a missing CA file or secret is fixable: keep trying, say why
                        client = self.client_factory()
                    except Exception as exc:
                        log.warning("sync: cannot build the client (%s)", type(exc).__name__)
                        self._emit(self.on_error, exc)
                        self._wake.wait(self.interval)
                        continue
                try:
                    report = sync_once(ob, client, batch_size=self.batch_size)
                except OutboxError as exc:
                    report = SyncReport(error=exc.reason)
                    self._emit(self.on_error, exc)
                self.last_report = report
                self._emit(self.on_report, report)
                if time.monotonic() - purged_at > self.purge_every:
                    purged_at = time.monotonic()
                    try:
                        ob.purge()
                    except OutboxError as exc:
                        self._emit(self.on_error, exc)
                wait = self.interval
                due = ob.seconds_until_due()
                if due is not None and not report.offline:
                    wait = min(wait, max(0.2, due))
                self._wake.wait(wait)
        except Exception as exc:
            log.exception("sync: worker stopped")
            self._emit(self.on_error, exc)
        finally:
            if client is not None:
                client.close()
            if ob is not None:
                ob.close()
