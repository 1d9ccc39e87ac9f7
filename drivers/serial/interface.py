"""Serial devices: the receipt/ticket printer and the hand-held QR scanner.

Both real implementations and their simulators talk bytes over a real serial port (a pty for the
simulators) through pyserial. Calls are made on the app's device worker threads.
"""

from __future__ import annotations

from typing import Protocol


class SerialDeviceError(Exception):
    reason = "serial_error"


class DeviceUnavailableError(SerialDeviceError):
    """The port is missing, or the device was unplugged. The worker looks for it again."""

    reason = "device_unavailable"


class ScannerSource(Protocol):
    """Yields each code the scanner reads, as the raw bytes between two line endings."""

    name: str

    def open(self) -> None: ...

    def read_code(self, timeout: float) -> bytes | None:
        """The next complete code, or None when nothing arrived within `timeout` seconds."""

    def close(self) -> None: ...
