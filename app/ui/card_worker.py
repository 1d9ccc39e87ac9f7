"""The card reader's worker: one QThread that owns every exchange with the card.

The backend reports reader and card events on its own monitoring thread; they are re-emitted as
Qt signals (queued to the main thread). A read runs on this worker's thread and stops within one
APDU when the card leaves: the removal event sets the read's cancel flag.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from drivers.card.interface import CardEvent, CardEventKind

log = logging.getLogger(__name__)


class CardWorker(QObject):
    readers_changed = Signal(list)  # reader names
    card_inserted = Signal(str)
    card_removed = Signal(str)
    progress = Signal(str, int, int)  # step, done bytes, total bytes
    read_finished = Signal(object)  # CardReadResult
    read_failed = Signal(object)  # Exception (a CardError, or a bug)
    _start_read = Signal(object, object, int)  # keys, options, read number

    def __init__(self, backend: Any) -> None:
        super().__init__()
        self.backend = backend
        self._readers: list[str] = []
        self._card_reader: str | None = None
        self._cancel = threading.Event()
        self._read_no = 0  # the latest read asked for; older reads' outcomes are dropped
        self._thread = QThread()
        self._thread.setObjectName("card-worker")
        self.moveToThread(self._thread)
        self._start_read.connect(self._read)

    # --- lifecycle (main thread) ---
    def start(self) -> None:
        self._thread.start()
        self.backend.start(self._on_event)

    def stop(self) -> None:
        self._cancel.set()
        try:
            self.backend.stop()
        except Exception:  # noqa: BLE001 - shutting down; nothing to tell the citizen
            log.exception("card backend did not stop cleanly")
        self._thread.quit()
        self._thread.wait(3000)

    @property
    def card_present(self) -> bool:
        return self._card_reader is not None

    @property
    def backend_ready(self) -> bool:
        """At least one reader is attached."""
        return bool(self._readers)

    @property
    def reader_count(self) -> int:
        """Readers attached now (a plain read: the heartbeat thread asks too)."""
        return len(self._readers)

    def read(self, keys: list, options: Any) -> None:
        """Start a read on the worker thread; the outcome arrives as read_finished/read_failed."""
        self._cancel.set()  # a read still winding down stops at its next APDU
        self._cancel = threading.Event()
        self._read_no += 1
        self._start_read.emit(keys, options, self._read_no)

    def cancel(self) -> None:
        """Stop the read in progress; its outcome is no longer anyone's (the session ended)."""
        self._cancel.set()
        self._read_no += 1

    # --- backend thread ---
    def _on_event(self, event: CardEvent) -> None:
        if event.kind is CardEventKind.READER_ATTACHED:
            if event.reader not in self._readers:
                self._readers.append(event.reader)
            self.readers_changed.emit(list(self._readers))
        elif event.kind is CardEventKind.READER_DETACHED:
            self._readers = [r for r in self._readers if r != event.reader]
            self.readers_changed.emit(list(self._readers))
            if self._card_reader == event.reader:
                self._card_gone(event.reader)
        elif event.kind is CardEventKind.CARD_INSERTED:
            self._card_reader = event.reader
            self.card_inserted.emit(event.reader)
        elif event.kind is CardEventKind.CARD_REMOVED:
            self._card_gone(event.reader)

    def _card_gone(self, reader: str) -> None:
        self._card_reader = None
        self._cancel.set()  # a read in progress stops at its next APDU
        self.card_removed.emit(reader)

    # --- worker thread ---
    @Slot(object, object, int)
    def _read(self, keys: list, options: Any, read_no: int) -> None:
        from drivers.card.interface import CardRemovedError
        from drivers.card.reading import read_document

        reader = self._card_reader
        cancel = self._cancel
        if reader is None:
            self.read_failed.emit(CardRemovedError("no card on the reader"))
            return
        connection = None
        try:
            connection = self.backend.connect(reader)
            result = read_document(
                connection, keys, options,
                progress=lambda p: self.progress.emit(p.step, p.done_bytes, p.total_bytes),
                cancel=cancel)
        except Exception as exc:  # noqa: BLE001 - reported to the screen, typed or not
            if read_no == self._read_no:
                self.read_failed.emit(exc)
            else:
                log.info("outcome of a superseded read dropped (%s)", type(exc).__name__)
        else:
            if read_no == self._read_no:
                self.read_finished.emit(result)
        finally:
            if connection is not None:
                connection.close()
