"""The outbox's worker thread: owns one SQLite connection (connections stay on their thread),
takes submissions and listing requests from the screens, answers with signals."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class OutboxWorker(QObject):
    submitted = Signal(object)  # SubmissionReceipt
    submit_failed = Signal(object)  # Exception
    snapshot = Signal(object, object)  # list[OutboxItem], dict counts
    opened = Signal(bool, str)  # ok, error text
    retried = Signal(str, object)  # dossier code, None or the OutboxError (admin view)
    health = Signal(object)  # {"oldest_pending_age_seconds", "deadline_warnings"} (admin view)
    _submit = Signal(str, object, object)
    _retry = Signal(str)
    _refresh = Signal()
    _open = Signal()

    def __init__(self, path: Path, key_file: Path) -> None:
        super().__init__()
        self.path, self.key_file = path, key_file
        self.outbox: Any = None
        self.error: Exception | None = None
        self._thread = QThread()
        self._thread.setObjectName("outbox-worker")
        self.moveToThread(self._thread)
        self._submit.connect(self._do_submit)
        self._refresh.connect(self._do_refresh)
        self._open.connect(self._do_open)
        self._retry.connect(self._do_retry)
        self.warn_within_seconds = 3600.0

    def start(self) -> None:
        self._thread.start()
        self._open.emit()

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait(3000)

    def submit(self, procedure_id: str, payload: dict, deadline: Any = None) -> None:
        self._submit.emit(procedure_id, payload, deadline)

    def refresh(self) -> None:
        self._refresh.emit()

    def retry(self, dossier_code: str) -> None:
        """An operator sends a held or rejected item again (answers with `retried`)."""
        self._retry.emit(dossier_code)

    @Slot(str)
    def _do_retry(self, dossier_code: str) -> None:
        try:
            if self.outbox is None:
                raise self.error or RuntimeError("outbox not open")
            self.outbox.retry(dossier_code)
        except Exception as exc:  # noqa: BLE001 - the admin view shows why
            self.retried.emit(dossier_code, exc)
        else:
            self.retried.emit(dossier_code, None)
            self._do_refresh()

    @Slot()
    def _do_open(self) -> None:
        from app.outbox import Outbox

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.outbox = Outbox.open(self.path, self.key_file)
        except Exception as exc:  # noqa: BLE001 - shown in the admin view; submissions refused
            self.error = exc
            log.error("outbox unavailable: %s", type(exc).__name__, exc_info=True)
            self.opened.emit(False, getattr(exc, "en", str(exc)))
        else:
            self.opened.emit(True, "")
            self._do_refresh()

    @Slot(str, object, object)
    def _do_submit(self, procedure_id: str, payload: dict, deadline: Any) -> None:
        try:
            if self.outbox is None:
                raise self.error or RuntimeError("outbox not open")
            receipt = self.outbox.submit(procedure_id, payload, deadline=deadline)
        except Exception as exc:  # noqa: BLE001 - the screen says the submission was not taken
            self.submit_failed.emit(exc)
        else:
            self.submitted.emit(receipt)
            self._do_refresh()

    @Slot()
    def _do_refresh(self) -> None:
        if self.outbox is None:
            return
        try:
            self.snapshot.emit(self.outbox.items(limit=200), self.outbox.counts())
            self.health.emit({
                "oldest_pending_age_seconds": self.outbox.oldest_pending_age_seconds(),
                "deadline_warnings": self.outbox.deadline_warnings(self.warn_within_seconds)})
        except Exception:  # noqa: BLE001 - the admin view keeps its last snapshot
            log.exception("outbox listing failed")

    def close_outbox(self) -> None:
        if self.outbox is not None:
            self.outbox.close()
