"""app/printing.py: receipt and ticket documents, and the journal that keeps them for reprint."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from app.errors import KioskError
from app.printing import (PrintFailedError, PrintJournal, queue_ticket, receipt_for_submission,
                          sample_receipt)
from drivers.serial.escpos_printer import EscposSerialPrinter
from drivers.serial.interface import ReceiptDocument

URL = "https://dvc.example.vn/v1/lookup/HS-1"


def _doc() -> ReceiptDocument:
    return receipt_for_submission("HS-1", "Đăng ký khai sinh", "Birth registration",
                                  datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc),
                                  ["UBND phường Bến Nghé"], URL)


def test_receipt_content():
    doc = _doc()
    values = dict(doc.lines)
    assert values["Mã hồ sơ / Dossier code"] == "HS-1"
    assert "Đăng ký khai sinh" in values["Thủ tục / Procedure"]
    assert "Birth registration" in values["Thủ tục / Procedure"]
    # Shown in Vietnam time (UTC+7), the way the citizen read the clock.
    assert values["Thời gian nộp / Submitted"] == "23/11/2026 08:30"
    assert "UBND phường Bến Nghé" in values["Cơ quan tiếp nhận / Receiving agencies"]
    assert doc.qr_data == URL and doc.kind == "receipt"


def test_queue_ticket_content():
    doc = queue_ticket(7, "Khoa Nhi", datetime(2026, 11, 23, 9, 0), None)
    assert doc.big_number == "7" and doc.qr_data is None and doc.kind == "ticket"
    assert dict(doc.lines)["Khoa / Department"] == "Khoa Nhi"
    assert dict(doc.lines)["Thời gian / Time"] == "23/11/2026 09:00"


def test_sample_receipt_has_every_tone_mark_and_a_qr():
    doc = sample_receipt()
    text = " ".join(v for _, v in doc.lines)
    for ch in "ẤẦẨẪẬắằẳẵặếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵĐđ":
        assert ch in text
    assert doc.qr_data


def test_journal_keeps_the_last_n_newest_first(tmp_path):
    journal = PrintJournal(size=3)
    ids = [journal.add(_doc()).id for _ in range(5)]
    assert [e.id for e in journal.entries()] == ids[::-1][:3]
    with pytest.raises(KeyError):
        journal.get(ids[0])
    with pytest.raises(ValueError):
        journal.add(ReceiptDocument("x", kind="identity"))


def test_failed_print_is_kept_and_reprinted(virtual_printer, tmp_path):
    path = tmp_path / "journal.json"
    journal = PrintJournal(path=path)
    printer = EscposSerialPrinter(virtual_printer.port)
    try:
        virtual_printer.set_status(paper_out=True)
        with pytest.raises(PrintFailedError) as info:
            journal.print_document(printer, _doc(), timeout=5)
        err = info.value
        assert isinstance(err, KioskError)
        assert err.reason == "paper_out" and "giấy" in err.vi and "paper" in err.en
        [entry] = journal.failed()
        assert entry.id == err.entry_id and entry.reason == "paper_out" and entry.attempts == 1
        assert virtual_printer.receipts == []

        # The journal survives a restart of the kiosk.
        journal = PrintJournal(path=path)
        assert [e.id for e in journal.failed()] == [err.entry_id]

        virtual_printer.set_status()  # paper loaded
        journal.reprint(printer, err.entry_id, timeout=10)
        assert virtual_printer.wait_for_receipts(1)[0].qr_payloads == [URL]
        assert journal.get(err.entry_id).state == "printed"
        assert journal.failed() == []
    finally:
        printer.close()


def test_unplugged_printer_failure_is_typed(virtual_printer):
    journal = PrintJournal()
    printer = EscposSerialPrinter(virtual_printer.port)
    virtual_printer.unplug()
    with pytest.raises(PrintFailedError) as info:
        journal.print_document(printer, _doc(), timeout=2)
    assert info.value.reason == "device_unavailable"
    assert "cáp" in info.value.vi
    assert journal.entries()[0].state == "failed"


def test_journal_file_holds_only_document_content(tmp_path):
    path = tmp_path / "j.json"
    PrintJournal(path=path).add(_doc())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data[0]) == {"id", "document", "created_at", "state", "reason", "attempts"}
    assert data[0]["document"]["lines"][0] == ["Mã hồ sơ / Dossier code", "HS-1"]


def test_simulated_devices_from_configuration(tmp_path, monkeypatch):
    """`kiosk --simulate`: the printer and the scanner are pty simulators inside the process."""
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    from app import config
    from app.serial_devices import open_from_config

    cfg = config.load(None, simulate=True,
                      overrides=[f"kiosk.data_dir={tmp_path}"])
    printer = open_from_config("printer", cfg)
    scanner = open_from_config("scanner", cfg)
    try:
        assert printer.status().ok
        printer.print_document(sample_receipt(), timeout=10)
        printer.simulator.wait_for_receipts(1)
        assert [p.name for p in (tmp_path / "printed").glob("*.png")] == ["receipt-0001.png"]
        scanner.open()
        scanner.simulator.scan("Xin chào")
        assert scanner.read_scan(2).text == "Xin chào"
    finally:
        printer.close()
        scanner.close()
        printer.simulator.unplug()
        scanner.simulator.unplug()


def test_missing_font_is_a_typed_print_failure(virtual_printer, monkeypatch, tmp_path):
    from drivers.serial import render

    monkeypatch.setattr(render, "FONT_CANDIDATES", {False: [tmp_path / "no.ttf"],
                                                    True: [tmp_path / "no.ttf"]})
    monkeypatch.delenv("KIOSK_RECEIPT_FONT", raising=False)
    render._font.cache_clear()
    journal = PrintJournal()
    printer = EscposSerialPrinter(virtual_printer.port)
    try:
        with pytest.raises(PrintFailedError) as info:
            journal.print_document(printer, _doc(), timeout=5)
    finally:
        printer.close()
        render._font.cache_clear()
    assert info.value.reason == "font_missing"
    assert journal.entries()[0].state == "failed"


def test_real_driver_without_a_port_is_a_configuration_error(tmp_path, monkeypatch):
    from app import config
    from app.errors import ConfigError
    from app.serial_devices import open_from_config

    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = config.load(None, overrides=["printer.driver=escpos-serial", "scanner.driver=serial"])
    for kind in ("printer", "scanner"):
        with pytest.raises(ConfigError) as info:
            open_from_config(kind, cfg)
        assert info.value.key == f"{kind}.port"
    cfg = config.load(None, overrides=["printer.driver=escpos-serial",
                                       "printer.search=/dev/ttyUSB*"])
    assert open_from_config("printer", cfg).locator.search == ("/dev/ttyUSB*",)
