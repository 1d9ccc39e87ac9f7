"""Workers for the serial devices: the hand-held scanner's reading loop and the printer's jobs.

The scanner loop reads codes with a short timeout so it can stop quickly, and when the device
goes away it keeps looking for it (the driver's locator finds it again, under the same or a
new port name) without restarting the kiosk. Printing goes through the print journal, so a
receipt that failed to print stays available for a reprint from the admin view.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from drivers.serial.interface import SerialDeviceError

log = logging.getLogger(__name__)

READ_SLICE = 0.2  # seconds a read waits before checking whether to stop
RETRY_MAX = 5.0  # seconds between attempts to find an unplugged scanner, at most


class ScannerWorker(QThread):
    code_read = Signal(bytes, str)  # raw bytes, best-effort text
    state_changed = Signal(str)  # "ready" / "unavailable"

    def __init__(self, scanner: Any) -> None:
        super().__init__()
        self.setObjectName("scanner-worker")
        self.scanner = scanner
        self._stop = threading.Event()
        self.state = "starting"

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                scan = self.scanner.read_scan(READ_SLICE)
            except SerialDeviceError as exc:
                self._set_state("unavailable")
                log.info("scanner unavailable (%s); looking for it again", exc.reason)
                self._stop.wait(backoff)
                backoff = min(RETRY_MAX, backoff * 2)
                continue
            backoff = 0.2
            self._set_state("ready")
            if scan is not None:
                self.code_read.emit(scan.raw, scan.text or "")
        self.scanner.close()

    def stop(self) -> None:
        self._stop.set()
        self.wait(2000)


class PrinterWorker(QObject):
    printed = Signal(str)  # journal entry id
    print_failed = Signal(str, str)  # journal entry id, message for the screen (vi/en by lang)
    _job = Signal(object, str)  # document or None, entry id to reprint

    def __init__(self, printer: Any, journal: Any) -> None:
        super().__init__()
        self.printer = printer
        self.journal = journal
        self.lang = "vi"
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
            self.print_failed.emit(exc.entry_id, exc.message(self.lang))
        else:
            self.printed.emit(entry.id)
