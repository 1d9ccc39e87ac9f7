"""A simulated serial device on a real pseudo-terminal: the kiosk opens the slave side with
pyserial exactly like /dev/ttyUSB0; the simulator owns the master side.

Plug/unplug: `unplug()` closes both sides, so the kiosk's next read or write fails with EIO and
the /dev/pts/N node disappears, as when a USB cable is pulled; `plug()` makes a new pty (often with
another number). `link`, when given, is a symlink kept pointing at the current pty — the
simulator's stand-in for udev's /dev/serial/by-id/ links — so the kiosk can be configured with
one stable path.
"""

from __future__ import annotations

import fcntl
import os
import select
import sys
import termios
import threading
import tty
from pathlib import Path


class PtyDevice:
    def __init__(self, link: str | os.PathLike | None = None) -> None:
        self.link = Path(link) if link else None
        self.master: int | None = None
        self._slave: int | None = None
        self.path: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self.plug_count = 0
        self.errors: list[str] = []  # exceptions raised while handling received bytes

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> str:
        """What the kiosk should be configured with: the link when there is one."""
        if self.link is not None:
            return str(self.link)
        if self.path is None:
            raise RuntimeError("not plugged in")
        return self.path

    @property
    def plugged(self) -> bool:
        return self.master is not None

    def plug(self) -> str:
        if self.plugged:
            return self.path  # type: ignore[return-value]
        master, slave = os.openpty()
        # Raw from the start: bytes written before the kiosk opens the port must not be cooked
        # (echoed, CR->LF translated). The simulator keeps its own slave fd open for the pty's
        # lifetime, so the master never sees a hang-up while the kiosk closes and reopens.
        tty.setraw(slave)
        self.master, self._slave = master, slave
        self.path = os.ttyname(slave)
        self.plug_count += 1
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".tmp")
            tmp.unlink(missing_ok=True)
            os.symlink(self.path, tmp)
            os.replace(tmp, self.link)  # atomic: a reader never sees the link missing mid-swap
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"pty-{self.path}", daemon=True)
        self._thread.start()
        return self.path

    def unplug(self) -> None:
        if not self.plugged:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self.link is not None and self.link.is_symlink():
            self.link.unlink(missing_ok=True)
        with self._write_lock:
            for fd in (self.master, self._slave):
                if fd is not None:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            self.master = self._slave = None

    def replug(self) -> str:
        self.unplug()
        return self.plug()

    close = unplug

    def __enter__(self):
        self.plug()
        return self

    def __exit__(self, *exc) -> None:
        self.unplug()

    # -- I/O ---------------------------------------------------------------------------------

    def write(self, data: bytes, timeout: float = 2.0) -> None:
        """Send bytes to the kiosk. Raises TimeoutError when the line stays full (nobody reads
        the port) instead of blocking the simulator for ever."""
        with self._write_lock:
            if self.master is None:
                raise OSError("unplugged")
            view = memoryview(data)
            while view:
                _, ready, _ = select.select([], [self.master], [], timeout)
                if not ready:
                    raise TimeoutError("nobody reads the port")
                n = os.write(self.master, view)
                view = view[n:]

    def unread(self) -> int:
        """Bytes written to the kiosk that it has not read yet."""
        if self._slave is None:
            return 0
        buf = fcntl.ioctl(self._slave, termios.FIONREAD, b"\0\0\0\0")
        return int.from_bytes(buf, sys.byteorder)

    def discard_unread(self) -> None:
        """Drop what the kiosk has not read (a scan nobody listened to is lost on a real line)."""
        if self._slave is not None:
            termios.tcflush(self._slave, termios.TCIFLUSH)

    def _loop(self) -> None:
        master = self.master
        while not self._stop.is_set():
            if self.paused():
                self._stop.wait(0.02)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(master, 65536)
            except (OSError, ValueError):
                return
            if data:
                try:
                    self.received(data)
                except Exception as exc:  # noqa: BLE001 - a simulator bug must not end the thread
                    self.errors.append(f"{type(exc).__name__}: {exc}")

    # -- for subclasses ----------------------------------------------------------------------

    def paused(self) -> bool:
        """True stops reading (the bytes pile up in the pty as in a jammed device)."""
        return False

    def received(self, data: bytes) -> None:
        """Bytes the kiosk wrote."""
