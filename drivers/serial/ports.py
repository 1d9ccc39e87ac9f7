"""Finding and opening a serial port, so an unplugged device is found again (hot-plug).

Decision (README "Serial devices"): a device is located anew on every (re)open, never cached:
1. `port` — a path. Prefer a stable symlink (udev's /dev/serial/by-id/usb-..., or the link a
   simulator maintains with `--link`): it is resolved at each open, so a replug that changes
   /dev/ttyUSB0 into /dev/ttyUSB1 (or /dev/pts/3 into /dev/pts/7) is followed.
2. `search` — glob patterns (e.g. /dev/ttyACM*, /tmp/kiosk-scanner-*), first match in sorted
   order; for simulators and single-device kiosks.
3. `usb_ids` — "VID:PID" strings matched against pyserial's list_ports.
Ports are opened with pyserial's serial_for_url, so loop:// and spy:// work for diagnosis.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

import serial
from serial.tools import list_ports

from drivers.serial.interface import DeviceUnavailableError

try:
    import termios

    # termios.error is not an OSError: pyserial lets it escape from tcflush/tcsetattr when the
    # device behind an open port is gone (a pulled cable, a closed pty).
    PORT_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError,
                                                    termios.error)
except ImportError:  # not POSIX
    PORT_ERRORS = (serial.SerialException, OSError)


@dataclass(frozen=True)
class PortLocator:
    port: str = ""
    search: tuple[str, ...] = ()
    usb_ids: tuple[str, ...] = field(default_factory=tuple)

    def candidates(self) -> list[str]:
        """Ports to try, in order. Empty when the device is absent."""
        out: list[str] = []
        if self.port:
            if "://" in self.port or os.path.exists(self.port):
                out.append(self.port)
        for pattern in self.search:
            out.extend(p for p in sorted(glob.glob(os.path.expanduser(pattern))) if p not in out)
        if self.usb_ids:
            wanted = {_norm_usb_id(u) for u in self.usb_ids}
            for info in list_ports.comports():
                if info.vid is not None and f"{info.vid:04x}:{info.pid:04x}" in wanted:
                    if info.device not in out:
                        out.append(info.device)
        return out

    def describe(self) -> str:
        parts = [self.port] if self.port else []
        parts += list(self.search) + [f"usb {u}" for u in self.usb_ids]
        return ", ".join(parts) or "(no port configured)"


def _norm_usb_id(text: str) -> str:
    vid, _, pid = text.strip().lower().partition(":")
    return f"{int(vid, 16):04x}:{int(pid, 16):04x}"


def close_quietly(ser: serial.SerialBase | None) -> None:
    """Close a port that may already be dead (a pulled cable): nothing more to do then."""
    if ser is not None:
        try:
            ser.close()
        except PORT_ERRORS:
            pass


def open_port(locator: PortLocator, baudrate: int, *, read_timeout: float = 0.05,
              write_timeout: float = 5.0) -> serial.SerialBase:
    """Open the first candidate that opens. Raises DeviceUnavailableError when none does."""
    last = "not found"
    for candidate in locator.candidates():
        try:
            ser = serial.serial_for_url(candidate, baudrate=baudrate, timeout=read_timeout,
                                        write_timeout=write_timeout, do_not_open=True)
            # Exclusive: a second kiosk process (or a forgotten `kiosk scanner listen`) must not
            # silently share the port and steal half the bytes.
            if hasattr(ser, "exclusive"):
                try:
                    ser.exclusive = True
                except (ValueError, AttributeError):
                    pass
            ser.open()
            return ser
        except (*PORT_ERRORS, ValueError) as exc:
            last = type(exc).__name__
    raise DeviceUnavailableError(f"no serial device at {locator.describe()} ({last})")
