"""Receipts and queue tickets from app data, and the print journal that makes reprint possible.

The documents are device-neutral (drivers.serial.interface.ReceiptDocument) and hold no personal
data: a dossier code, a procedure, a time, agencies, a lookup URL — never a name or an ID number.
That is what lets the PrintJournal keep them (in memory and, when given a path, in a small JSON
file) so a print that failed (paper out, cover open, cable pulled) is reprinted from the admin
view instead of being lost.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.procedures.vntime import local_text, now_vn

from app.errors import KioskError
from drivers.serial.interface import (PrinterError, ReceiptDocument, ReceiptPrinter,
                                      SerialDeviceError)

log = logging.getLogger(__name__)

JOURNAL_KINDS = ("receipt", "ticket", "test")


def _when(value: datetime | str | None) -> str:
    """Local Vietnam time, dd/mm/yyyy HH:MM (aware times are converted; naive ones kept)."""
    return local_text(now_vn() if value is None else value)


def receipt_for_submission(dossier_code: str, procedure_title_vi: str, procedure_title_en: str,
                           submitted_at: datetime | str | None, agencies: list[str],
                           lookup_url: str) -> ReceiptDocument:
    """The receipt a citizen takes home after submitting a dossier."""
    procedure = procedure_title_vi
    if procedure_title_en and procedure_title_en != procedure_title_vi:
        procedure += f"\n({procedure_title_en})"
    lines = [
        ("Mã hồ sơ / Dossier code", dossier_code),
        ("Thủ tục / Procedure", procedure),
        ("Thời gian nộp / Submitted", _when(submitted_at)),
    ]
    if agencies:
        lines.append(("Cơ quan tiếp nhận / Receiving agencies",
                      "\n".join(f"- {a}" for a in agencies)))
    return ReceiptDocument(
        title="BIÊN NHẬN HỒ SƠ\nDOSSIER RECEIPT",
        lines=lines,
        qr_data=lookup_url or None,
        footer="Quét mã QR để tra cứu tình trạng hồ sơ.\nScan the QR code to check your dossier.",
        kind="receipt",
    )


def queue_ticket(number: str | int, department: str, time: datetime | str | None,
                 visit_url: str | None = None) -> ReceiptDocument:
    """A hospital queue ticket: the number, big, and the department."""
    return ReceiptDocument(
        title="SỐ THỨ TỰ / QUEUE NUMBER",
        big_number=str(number),
        lines=[("Khoa / Department", department), ("Thời gian / Time", _when(time))],
        qr_data=visit_url or None,
        footer="Vui lòng chờ đến lượt.\nPlease wait until your number is called.",
        kind="ticket",
    )


def sample_receipt(lookup_url: str = "https://dichvucong.gov.vn/tra-cuu?ma=TEST-0001"
                 ) -> ReceiptDocument:
    """What `kiosk printer test` prints: every Vietnamese tone mark and a QR code."""
    return ReceiptDocument(
        title="IN THỬ / TEST PRINT",
        lines=[("Tiếng Việt / Vietnamese", "Ấ Ầ Ẩ Ẫ Ậ ắ ằ ẳ ẵ ặ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ "
                                            "ứ ừ ử ữ ự ý ỳ ỷ ỹ ỵ Đ đ"),
               ("Câu mẫu / Sample", "Thủ tục đăng ký thường trú — Ủy ban nhân dân phường"),
               ("Thời gian / Time", _when(None))],
        qr_data=lookup_url,
        footer="Máy in hoạt động tốt.\nThe printer works.",
        kind="test",
    )


class PrintFailedError(KioskError):
    """A print failed; the document stays in the journal (`entry_id`) for a reprint."""

    code = "print_failed"

    def __init__(self, exc: SerialDeviceError, entry_id: str) -> None:
        vi = getattr(exc, "vi", PrinterError.vi)
        en = getattr(exc, "en", PrinterError.en)
        if not isinstance(exc, PrinterError):  # unplugged: DeviceUnavailableError
            vi = "Không kết nối được máy in. Hãy kiểm tra cáp, rồi in lại từ trang quản trị."
            en = "The printer is not connected. Check its cable, then reprint from the admin view."
        super().__init__(vi, en)
        self.reason = exc.reason
        self.entry_id = entry_id


@dataclass
class JournalEntry:
    id: str
    document: ReceiptDocument
    created_at: str
    state: str = "pending"  # pending -> printed | failed (failed -> printed on a reprint)
    reason: str = ""  # the last failure's stable reason
    attempts: int = 0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["document"]["lines"] = [list(p) for p in self.document.lines]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "JournalEntry":
        doc = dict(d["document"])
        doc["lines"] = [tuple(p) for p in doc.get("lines", [])]
        return cls(d["id"], ReceiptDocument(**doc), d["created_at"], d.get("state", "pending"),
                   d.get("reason", ""), d.get("attempts", 0))


class PrintJournal:
    """The last `size` documents printed or attempted, newest first, for the admin view."""

    def __init__(self, size: int = 50, path: str | os.PathLike | None = None) -> None:
        self.size = size
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._entries: list[JournalEntry] = []
        if self.path is not None and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._entries = [JournalEntry.from_dict(d) for d in data][: self.size]
            except (ValueError, KeyError, TypeError):
                log.warning("print journal unreadable, starting empty")

    def add(self, document: ReceiptDocument) -> JournalEntry:
        if document.kind not in JOURNAL_KINDS:
            raise ValueError(f"the journal keeps only {JOURNAL_KINDS} documents")
        entry = JournalEntry(uuid.uuid4().hex[:12], document,
                             datetime.now(timezone.utc).isoformat(timespec="seconds"))
        with self._lock:
            self._entries.insert(0, entry)
            del self._entries[self.size:]
            self._save()
        return entry

    def get(self, entry_id: str) -> JournalEntry:
        with self._lock:
            for e in self._entries:
                if e.id == entry_id:
                    return e
        raise KeyError(entry_id)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def failed(self) -> list[JournalEntry]:
        return [e for e in self.entries() if e.state == "failed"]

    def _mark(self, entry: JournalEntry, state: str, reason: str = "") -> None:
        with self._lock:
            entry.state = state
            entry.reason = reason
            entry.attempts += 1
            self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps([e.as_dict() for e in self._entries], ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    # -- printing through the journal --------------------------------------------------------

    def print_document(self, printer: ReceiptPrinter, document: ReceiptDocument,
                       timeout: float = 20.0) -> JournalEntry:
        """Record, then print. Raises PrintFailedError (the entry stays, state "failed")."""
        return self._attempt(printer, self.add(document), timeout)

    def reprint(self, printer: ReceiptPrinter, entry_id: str,
                timeout: float = 20.0) -> JournalEntry:
        return self._attempt(printer, self.get(entry_id), timeout)

    def _attempt(self, printer: ReceiptPrinter, entry: JournalEntry,
                 timeout: float) -> JournalEntry:
        try:
            printer.print_document(entry.document, timeout=timeout)
        except SerialDeviceError as exc:
            self._mark(entry, "failed", exc.reason)
            log.warning("print failed: %s (journal entry %s)", exc.reason, entry.id)
            raise PrintFailedError(exc, entry.id) from None
        self._mark(entry, "printed")
        return entry
