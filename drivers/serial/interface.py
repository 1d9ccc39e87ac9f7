"""Serial devices: the receipt/ticket printer and the hand-held QR scanner.

Both real implementations and their simulators talk bytes over a real serial port (a pty for the
simulators) through pyserial. Calls are made on the app's device worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class SerialDeviceError(Exception):
    reason = "serial_error"
    vi = "Thiết bị nối tiếp gặp lỗi. Vui lòng nhờ cán bộ hỗ trợ."
    en = "A serial device failed. Please ask a member of staff."


class DeviceUnavailableError(SerialDeviceError):
    """The port is missing, or the device was unplugged. The worker looks for it again."""

    reason = "device_unavailable"
    vi = "Không kết nối được thiết bị. Hãy kiểm tra cáp và nguồn."
    en = "The device is not connected. Check its cable and power."


class ScannerSource(Protocol):
    """Yields each code the scanner reads, as the raw bytes between two line endings."""

    name: str

    def open(self) -> None: ...

    def read_code(self, timeout: float) -> bytes | None:
        """The next complete code, or None when nothing arrived within `timeout` seconds."""

    def close(self) -> None: ...


# --- printer --------------------------------------------------------------------------------------

class PrinterError(SerialDeviceError):
    """A print or a status query failed. `vi`/`en` are shown to staff; never personal data."""

    reason = "printer_error"
    vi = "Máy in gặp lỗi. Hãy kiểm tra máy in rồi in lại từ trang quản trị."
    en = "The printer reported an error. Check it, then reprint from the admin view."

    def __init__(self, detail: str = "", *, reason: str | None = None) -> None:
        super().__init__(detail or self.en)
        if reason:
            self.reason = reason


class PrinterNotReadyError(PrinterError):
    """The printer answered its status query with a problem (`reason` names the first one)."""

    reason = "printer_not_ready"
    MESSAGES = {
        "paper_out": ("Máy in hết giấy. Hãy thay cuộn giấy rồi in lại.",
                      "The printer is out of paper. Load a new roll, then reprint."),
        "cover_open": ("Nắp máy in đang mở. Hãy đóng nắp rồi in lại.",
                       "The printer cover is open. Close it, then reprint."),
        "offline": ("Máy in đang ngoại tuyến. Hãy kiểm tra máy in rồi in lại.",
                    "The printer is offline. Check it, then reprint."),
        "printer_fault": ("Máy in báo lỗi (dao cắt hoặc cơ khí). Hãy kiểm tra máy in.",
                          "The printer reports a fault (cutter or mechanism). Check it."),
    }

    def __init__(self, status: "PrinterStatus") -> None:
        problems = status.problems()
        reason = problems[0] if problems else "printer_not_ready"
        super().__init__(f"printer not ready: {', '.join(problems)}", reason=reason)
        self.status = status
        self.vi, self.en = self.MESSAGES.get(reason, (PrinterError.vi, PrinterError.en))


class PrinterTimeoutError(PrinterError):
    """The printer did not take the data or answer the status query in time."""

    reason = "printer_timeout"
    vi = "Máy in không phản hồi. Hãy kiểm tra cáp và nguồn, rồi in lại."
    en = "The printer does not respond. Check its cable and power, then reprint."


@dataclass(frozen=True)
class PrinterStatus:
    """What the four ESC/POS real-time status queries (DLE EOT 1..4) said."""

    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    raw: bytes = b""

    @property
    def ok(self) -> bool:
        """Ready to print (a near-end roll still prints: it is a warning)."""
        return not self.problems()

    def problems(self) -> list[str]:
        """Stable reasons, most actionable first (the cause before the resulting 'offline')."""
        out = []
        if self.paper_out:
            out.append("paper_out")
        if self.cover_open:
            out.append("cover_open")
        if self.cutter_error or self.unrecoverable_error or self.recoverable_error:
            out.append("printer_fault")
        if self.offline and not out:
            out.append("offline")
        return out

    def warnings(self) -> list[str]:
        return ["paper_near_end"] if self.paper_near_end and not self.paper_out else []

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": self.problems(), "warnings": self.warnings(),
                "offline": self.offline, "cover_open": self.cover_open,
                "paper_out": self.paper_out, "paper_near_end": self.paper_near_end,
                "cutter_error": self.cutter_error,
                "unrecoverable_error": self.unrecoverable_error,
                "recoverable_error": self.recoverable_error, "raw": self.raw.hex()}


@dataclass(frozen=True)
class ReceiptDocument:
    """A device-neutral receipt or ticket: what to print, not how. Text may be Vietnamese.

    Printed top to bottom: title, big_number (a queue number), the label/value lines, the QR
    code, the footer. `kind` is free text for the journal ("receipt", "ticket", "test").
    """

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    qr_data: str | None = None
    footer: str = ""
    big_number: str | None = None
    kind: str = "receipt"


class ReceiptPrinter(Protocol):
    """A receipt/ticket printer. Calls block for at most their timeout: run them on a worker."""

    name: str

    def status(self, timeout: float = 2.0) -> PrinterStatus: ...

    def print_document(self, document: ReceiptDocument, timeout: float = 20.0) -> None:
        """Print and cut. Raises PrinterNotReadyError, PrinterTimeoutError or
        DeviceUnavailableError; the caller keeps the document to reprint it."""

    def close(self) -> None: ...
