"""Workers for the serial devices: the hand-held scanner's reading loop and the printer's jobs.

The scanner's reading loop is the driver's ScannerWatcher: it reads with a short timeout so it
can stop quickly, and when the device goes away it keeps looking for it (under the same or a new
port name) without restarting the kiosk. Printing goes through the print journal, so a
receipt that failed to print stays available for a reprint from the admin view.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app import messages

log = logging.getLogger(__name__)


class ScannerWorker(QObject):
    """Qt face of the driver's ScannerWatcher (its own thread: reads, and finds an unplugged
    scanner again): codes and states arrive here as queued signals."""

    code_read = Signal(bytes, str)  # raw bytes, best-effort text
    state_changed = Signal(str)  # "ready" / "unavailable"

    def __init__(self, scanner: Any) -> None:
        super().__init__()
        from drivers.serial.hotplug import ScannerWatcher

        self.state = "starting"
        self.watcher = ScannerWatcher(
            scanner, lambda scan: self.code_read.emit(scan.raw, scan.text or ""),
            self._on_state)

    def _on_state(self, connected: bool, _port: str | None) -> None:
        self.state = "ready" if connected else "unavailable"
        self.state_changed.emit(self.state)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()


class PrinterWorker(QObject):
    printed = Signal(str)  # journal entry id
    # journal entry id, and the reason as words(lang) -> text: the screen shows it in the
    # language on show, also after a switch
    print_failed = Signal(str, object)
    _job = Signal(object, str)  # document or None, entry id to reprint

    def __init__(self, printer: Any, journal: Any) -> None:
        super().__init__()
        self.printer = printer
        self.journal = journal
        self._thread = QThread()
        self._thread.setObjectName("printer-worker")
        self.moveToThread(self._thread)
        self._job.connect(self._run)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait(3000)
        self.printer.close()

    def print_document(self, document: Any) -> None:
        self._job.emit(document, "")

    def reprint(self, entry_id: str) -> None:
        self._job.emit(None, entry_id)

    @Slot(object, str)
    def _run(self, document: Any, entry_id: str) -> None:
        from app.printing import PrintFailedError

        try:
            entry = (self.journal.print_document(self.printer, document) if document is not None
                     else self.journal.reprint(self.printer, entry_id))
        except PrintFailedError as exc:
            self.print_failed.emit(exc.entry_id, messages.words_of(exc))
        else:
            self.printed.emit(entry.id)
