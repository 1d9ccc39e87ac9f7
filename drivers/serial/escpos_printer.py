"""An ESC/POS receipt and ticket printer on a serial port (USB-serial, RS-232, or a pty).

python-escpos builds the commands it does well (native QR GS ( k, cut) into its Dummy printer,
which only collects bytes; text is rasterised here (drivers/serial/render.py) because python-escpos
would send it through a code page, and the printers have no Vietnamese one. pyserial is the
transport, opened anew after any failure so an unplugged printer is found again.
"""

from __future__ import annotations

import threading
import time

import serial
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from drivers.serial import status as escpos_status
from drivers.serial.interface import (DeviceUnavailableError, PrinterError,
                                      PrinterNotReadyError, PrinterStatus, PrinterTimeoutError,
                                      ReceiptDocument)
from drivers.serial.ports import PORT_ERRORS, PortLocator, close_quietly, open_port
from drivers.serial.render import QrBlock, Raster, layout_document, raster_bytes

ESC_INIT = b"\x1b@"
ESC_ALIGN = b"\x1ba"  # + 0 left, 1 centre, 2 right
CHUNK = 1024  # bytes per write: each one honours the remaining deadline


def document_bytes(doc: ReceiptDocument, width_dots: int, *, qr_mode: str = "native",
                   font: str | None = None) -> bytes:
    """The whole ESC/POS job for one document: init, rasters, QR, feed and cut."""
    out = Dummy()
    out._raw(ESC_INIT)
    for block in layout_document(doc, width_dots, qr_mode=qr_mode, font_override=font):
        if isinstance(block, Raster):
            out._raw(ESC_ALIGN + b"\x00")
            out._raw(raster_bytes(block.image))
        elif isinstance(block, QrBlock):
            out._raw(ESC_ALIGN + b"\x01")
            out.qr(block.data, ec=QR_ECLEVEL_M, size=block.module, native=True)
            out._raw(b"\n")
            out._raw(ESC_ALIGN + b"\x00")
    out.cut()
    return out.output


class EscposSerialPrinter:
    """Implements ReceiptPrinter. Thread-safe; every call has a deadline."""

    def __init__(self, port: PortLocator | str, *, baudrate: int = 19200, width_dots: int = 576,
                 qr_mode: str = "native", check_status: bool = True, font: str | None = None,
                 name: str = "escpos-serial") -> None:
        if qr_mode not in ("native", "raster"):
            raise ValueError("qr_mode must be native or raster")
        self.locator = port if isinstance(port, PortLocator) else PortLocator(port=port)
        self.baudrate = baudrate
        self.width_dots = width_dots
        self.qr_mode = qr_mode
        self.check_status = check_status
        self.font = font
        self.name = name
        self._ser: serial.SerialBase | None = None
        self._lock = threading.Lock()

    # -- connection --------------------------------------------------------------------------

    def _port(self) -> serial.SerialBase:
        if self._ser is None or not self._ser.is_open:
            self._ser = open_port(self.locator, self.baudrate)
        return self._ser

    def _drop(self) -> None:
        """Forget the port after an I/O failure: the next call locates the device again."""
        ser, self._ser = self._ser, None
        close_quietly(ser)

    def close(self) -> None:
        with self._lock:
            self._drop()

    @property
    def port_name(self) -> str | None:
        return self._ser.port if self._ser is not None else None

    # -- status ------------------------------------------------------------------------------

    def _acquire(self, deadline: float) -> None:
        """The port lock, within the deadline: a status poll never waits forever behind a job."""
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise PrinterTimeoutError("the printer is busy with another job",
                                      reason="printer_busy")

    def status(self, timeout: float = 2.0) -> PrinterStatus:
        deadline = time.monotonic() + timeout
        self._acquire(deadline)
        try:
            return self._status(deadline)
        finally:
            self._lock.release()

    def _status(self, deadline: float) -> PrinterStatus:
        ser = self._port()
        try:
            ser.reset_input_buffer()
            replies = bytearray()
            for n in escpos_status.QUERIES:
                self._write(ser, escpos_status.DLE_EOT + bytes([n]), deadline)
                replies.append(self._read_status_byte(ser, deadline))
            return escpos_status.decode(bytes(replies))
        except (serial.SerialTimeoutException, PrinterTimeoutError):
            raise PrinterTimeoutError("no status reply in time") from None
        except PORT_ERRORS as exc:
            self._drop()
            raise DeviceUnavailableError(f"printer port failed: {type(exc).__name__}") from None

    @staticmethod
    def _read_status_byte(ser: serial.SerialBase, deadline: float) -> int:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PrinterTimeoutError("no status reply in time")
            ser.timeout = min(remaining, 0.2)
            got = ser.read(1)
            # Bytes without the fixed status bits are noise (or a late reply to an earlier query
            # that the input reset missed): skip them, the deadline bounds the wait.
            if got and escpos_status.is_status_byte(got[0]):
                return got[0]

    @staticmethod
    def _write(ser: serial.SerialBase, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PrinterTimeoutError("the printer did not take the data in time")
            ser.write_timeout = remaining
            written = ser.write(view[:CHUNK])
            view = view[written or 0:]

    # -- printing ----------------------------------------------------------------------------

    def render(self, document: ReceiptDocument) -> bytes:
        return document_bytes(document, self.width_dots, qr_mode=self.qr_mode, font=self.font)

    def print_document(self, document: ReceiptDocument, timeout: float = 20.0) -> None:
        data = self.render(document)  # before the lock: rasterising takes a while
        deadline = time.monotonic() + timeout
        self._acquire(deadline)
        try:
            self._print(data, deadline)
        finally:
            self._lock.release()

    def _print(self, data: bytes, deadline: float) -> None:
        if self.check_status:
            before = self._status(deadline)
            if not before.ok:
                raise PrinterNotReadyError(before)
        ser = self._port()
        try:
            self._write(ser, data, deadline)
            self._wait_drained(ser, deadline)
        except serial.SerialTimeoutException:
            self._drop()
            raise PrinterTimeoutError("the printer did not take the data in time") from None
        except PrinterTimeoutError:
            self._drop()
            raise
        except PORT_ERRORS as exc:
            self._drop()
            raise DeviceUnavailableError(
                f"printer port failed while printing: {type(exc).__name__}") from None
        if self.check_status:
            # The paper can run out, or the cover open, in the middle of the receipt. Its own
            # small budget: a long job that used the deadline up must not fail (and be
            # reprinted, twice on paper) only because this check had no time left.
            after = self._status(max(deadline, time.monotonic() + 2.0))
            if not after.ok:
                raise PrinterNotReadyError(after)

    @staticmethod
    def _wait_drained(ser: serial.SerialBase, deadline: float) -> None:
        """Wait until the OS has handed every byte over (never tcdrain: it has no timeout)."""
        while True:
            try:
                pending = ser.out_waiting
            except (AttributeError, NotImplementedError):
                return
            if not pending:
                return
            if time.monotonic() >= deadline:
                raise PrinterTimeoutError("the printer did not take the data in time")
            time.sleep(0.01)


__all__ = ["EscposSerialPrinter", "document_bytes", "PrinterError"]
