"""ScannerWatcher: one worker thread that keeps a serial scanner open across unplug and replug.

The thread reads codes with a short timeout and hands each to `on_code` (on the worker thread:
a Qt caller forwards it through a queued signal). When the device goes away it reports
`on_state(False, None)`, then tries to locate and open it again every `retry_interval` seconds
(by configured path/link, glob or USB id — see ports.py), reporting `on_state(True, port)` when
it is back. stop() ends the loop within one read slice and joins with a timeout.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.serial.framing import ScannedText
from drivers.serial.interface import DeviceUnavailableError
from drivers.serial.scanner import SerialScanner

log = logging.getLogger(__name__)


class ScannerWatcher:
    def __init__(self, scanner: SerialScanner, on_code: Callable[[ScannedText], None],
                 on_state: Callable[[bool, str | None], None] | None = None, *,
                 retry_interval: float = 1.0, read_slice: float = 0.2) -> None:
        self.scanner = scanner
        self.on_code = on_code
        self.on_state = on_state or (lambda connected, port: None)
        self.retry_interval = retry_interval
        self.read_slice = read_slice
        self.connected = False
        self.reconnects = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Once: a second start while the thread runs does nothing."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="scanner-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Ends the loop and joins with a timeout: an unresponsive scanner never blocks
        shutdown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.scanner.close()

    def _set(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            port = self.scanner.port_name if connected else None
            log.info("scanner %s", "connected" if connected else "disconnected")
            try:
                self.on_state(connected, port)
            except Exception:  # a consumer bug must not kill the device thread
                log.exception("scanner state consumer failed")

    def _run(self) -> None:
        ever_connected = False
        while not self._stop.is_set():
            if not self.scanner.is_open:
                try:
                    self.scanner.open()
                except DeviceUnavailableError:
                    self._set(False)
                    self._stop.wait(self.retry_interval)
                    continue
                if ever_connected:
                    self.reconnects += 1
                ever_connected = True
                self._set(True)
            try:
                scan = self.scanner.read_scan(self.read_slice)
            except DeviceUnavailableError:
                self._set(False)
                continue
            if scan is not None:
                try:
                    self.on_code(scan)
                except Exception:  # a consumer bug must not kill the device thread
                    log.exception("scanner consumer failed")
