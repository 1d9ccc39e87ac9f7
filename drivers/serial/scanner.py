"""SerialScanner: a hand-held QR scanner in serial mode (USB CDC-ACM, RS-232, or a pty).

Implements ScannerSource. read_code() waits at most `timeout`; it raises DeviceUnavailableError
when the port cannot be opened or fails (cable pulled) — the ScannerWatcher (hotplug.py) then
looks for the device again. The scanner never logs or keeps code contents: they are personal.
"""

from __future__ import annotations

import time

import serial

from drivers.serial.framing import LineFramer, ScannedText, decode_scan
from drivers.serial.interface import DeviceUnavailableError
from drivers.serial.ports import PORT_ERRORS, PortLocator, close_quietly, open_port

POLL = 0.05  # read slice: short enough to notice a stale partial line in time


class SerialScanner:
    def __init__(self, port: PortLocator | str, *, baudrate: int = 9600,
                 line_ending: str = "auto", partial_timeout: float = 0.5, max_line: int = 4096,
                 prefix: bytes = b"", suffix: bytes = b"", name: str = "serial-scanner") -> None:
        self.locator = port if isinstance(port, PortLocator) else PortLocator(port=port)
        self.baudrate = baudrate
        self.framer = LineFramer(line_ending, partial_timeout, max_line)
        self.prefix = prefix
        self.suffix = suffix
        self.name = name
        self._ser: serial.SerialBase | None = None
        self._ready: list[bytes] = []

    @property
    def stats(self):
        return self.framer.stats

    @property
    def is_open(self) -> bool:
        return self._ser is not None and self._ser.is_open

    @property
    def port_name(self) -> str | None:
        return self._ser.port if self._ser is not None else None

    def open(self) -> None:
        if self.is_open:
            return
        self._ser = open_port(self.locator, self.baudrate, read_timeout=POLL)
        self.framer.reset()
        self._ready.clear()

    def close(self) -> None:
        ser, self._ser = self._ser, None
        close_quietly(ser)

    def read_code(self, timeout: float) -> bytes | None:
        if self._ready:
            return self._ready.pop(0)
        if not self.is_open:
            self.open()
        ser = self._ser
        assert ser is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                waiting = ser.in_waiting
                data = ser.read(waiting or 1)
            except (*PORT_ERRORS, TypeError) as exc:
                # TypeError: pyserial on a closed fd. Either way the device is gone.
                self.close()
                raise DeviceUnavailableError(f"scanner port failed: {type(exc).__name__}") \
                    from None
            now = time.monotonic()
            self._ready.extend(self.framer.feed(data, now))
            if self._ready:
                return self._ready.pop(0)
            if now >= deadline:
                return None

    def read_scan(self, timeout: float) -> ScannedText | None:
        """The next code with its best-effort text (see framing.decode_scan)."""
        raw = self.read_code(timeout)
        return None if raw is None else decode_scan(raw, prefix=self.prefix, suffix=self.suffix)
