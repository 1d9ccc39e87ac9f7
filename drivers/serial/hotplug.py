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


class _DeviceThread:
    """A device's own worker thread: start() once, stop() ends the loop (which waits on
    `self._stop`) and joins with a timeout, so an unresponsive device never blocks shutdown."""

    thread_name = "device-watcher"
    stop_timeout = 3.0

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.stop_timeout if timeout is None else timeout)

    def _run(self) -> None:
        raise NotImplementedError


class ScannerWatcher(_DeviceThread):
    thread_name = "scanner-watcher"
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
        super().__init__()

    def stop(self, timeout: float | None = None) -> None:
        super().stop(timeout)
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


class PrinterWatcher(_DeviceThread):
    """Polls a printer's status on its own thread for the admin view (and notices a printer
    that was unplugged or plugged back). `on_change(status, reason)` is called when the state
    changes: `status` is a PrinterStatus, or None when the printer cannot be reached, with
    `reason` "ok", the first problem ("paper_out", ...) or the error reason
    ("device_unavailable", "printer_timeout")."""

    thread_name = "printer-watcher"
    stop_timeout = 5.0

    def __init__(self, printer, on_change: Callable[[object, str], None], *,
                 interval: float = 5.0, timeout: float = 2.0) -> None:
        self.printer = printer
        self.on_change = on_change
        self.interval = interval
        self.timeout = timeout
        self.last: tuple[object, str] | None = None
        super().__init__()

    def poll(self) -> tuple[object, str] | None:
        """One status query; returns (status, reason), or None when the printer was busy."""
        from drivers.serial.interface import PrinterTimeoutError, SerialDeviceError

        try:
            status = self.printer.status(timeout=self.timeout)
        except PrinterTimeoutError as exc:
            if exc.reason == "printer_busy":
                return None  # printing right now: that job reports its own outcome
            return None, exc.reason
        except SerialDeviceError as exc:
            return None, exc.reason
        problems = status.problems()
        return status, problems[0] if problems else "ok"

    def _run(self) -> None:
        while not self._stop.is_set():
            result = self.poll()
            if result is not None:
                status, reason = result
                previous = self.last
                if previous is None or previous[1] != reason or (
                        status is not None and previous[0] is not None
                        and status.warnings() != previous[0].warnings()):
                    self.last = result
                    log.info("printer state: %s", reason)
                    try:
                        self.on_change(status, reason)
                    except Exception:
                        log.exception("printer status consumer failed")
                else:
                    self.last = result
            self._stop.wait(self.interval)
