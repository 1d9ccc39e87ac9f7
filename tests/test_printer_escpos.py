"""The ESC/POS printer driver through pyserial on a real pty, against the VirtualPrinter."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import numpy as np
import pytest
import zxingcpp

from app.printing import queue_ticket, receipt_for_submission
from drivers.serial.escpos_printer import EscposSerialPrinter
from drivers.serial.interface import (DeviceUnavailableError, PrinterNotReadyError,
                                      PrinterTimeoutError, ReceiptDocument)
from drivers.serial.ports import PortLocator
from drivers.serial.render import Raster, layout_document
from tests.fixtures.serial_pty import wait_until

URL = "https://dichvucong.example.vn/v1/lookup/HS-2026-000123"


def _receipt() -> ReceiptDocument:
    return receipt_for_submission(
        "HS-2026-000123", "Đăng ký thường trú", "Permanent residence registration",
        datetime(2026, 11, 23, 6, 5, tzinfo=timezone.utc),
        ["Công an phường Hoàn Kiếm", "Ủy ban nhân dân phường"], URL)


def _decoded(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def _ink(image) -> float:
    return float((np.asarray(image.convert("L")) < 128).mean())


@pytest.fixture
def printer(virtual_printer):
    p = EscposSerialPrinter(virtual_printer.port, width_dots=576)
    yield p
    p.close()


def test_receipt_prints_qr_and_vietnamese_raster(printer, virtual_printer):
    doc = _receipt()
    printer.print_document(doc, timeout=10)
    [got] = virtual_printer.wait_for_receipts(1)
    assert got.cut
    assert virtual_printer.unknown_commands == []
    assert virtual_printer.errors == []
    # The native QR command carried the lookup URL, and the rendered paper decodes to it.
    assert got.qr_payloads == [URL]
    assert _decoded(got.image) == [URL]
    # Text arrived as raster (GS v 0), not as code-page text, and it is what the renderer drew.
    assert got.text == ""
    expected = [b.image for b in layout_document(doc, 576) if isinstance(b, Raster)]
    assert got.raster_rows == sum(img.height for img in expected)
    header = np.asarray(got.image)[: expected[0].height] < 128
    assert np.array_equal(header, ~np.asarray(expected[0]))
    assert 0.02 < _ink(expected[0]) < 0.5


def test_diacritics_are_drawn_not_dropped():
    """The raster of a Vietnamese line differs from its unaccented spelling (marks are inked)."""
    def first(title: str):
        return np.asarray(layout_document(ReceiptDocument(title), 576)[0].image)

    accented, plain = first("Biên nhận hồ sơ"), first("Bien nhan ho so")
    assert accented.shape == plain.shape
    assert (accented != plain).sum() > 100
    assert _ink(layout_document(ReceiptDocument("Nguyễn"), 576)[0].image) > 0.01


def test_decomposed_text_renders_like_precomposed():
    import unicodedata
    nfd = unicodedata.normalize("NFD", "Thủ tục hành chính")
    a = layout_document(ReceiptDocument(nfd), 576)[0].image
    b = layout_document(ReceiptDocument("Thủ tục hành chính"), 576)[0].image
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_raster_qr_fallback_and_58mm_paper(virtual_printer):
    p = EscposSerialPrinter(virtual_printer.port, width_dots=384, qr_mode="raster")
    virtual_printer.width_dots = 384
    try:
        p.print_document(_receipt(), timeout=10)
    finally:
        p.close()
    [got] = virtual_printer.wait_for_receipts(1)
    assert got.qr_payloads == []  # no GS ( k sent
    assert got.image.width == 384
    assert _decoded(got.image) == [URL]
    assert virtual_printer.unknown_commands == []


def test_queue_ticket_has_big_number_and_visit_qr(printer, virtual_printer):
    doc = queue_ticket("A042", "Khoa Nội tổng hợp", "2026-11-23T08:30:00+07:00",
                       "https://benhvien.example.vn/visit/abc")
    printer.print_document(doc, timeout=10)
    [got] = virtual_printer.wait_for_receipts(1)
    assert got.qr_payloads == ["https://benhvien.example.vn/visit/abc"]
    plain = layout_document(ReceiptDocument(doc.title, doc.lines), 576)[0].image
    # The big number takes far more paper than the same ticket without it.
    assert got.raster_rows > plain.height + 120


@pytest.mark.parametrize("faults, problems, warnings", [
    ({}, [], []),
    ({"paper_out": True}, ["paper_out"], []),
    ({"paper_near_end": True}, [], ["paper_near_end"]),
    ({"cover_open": True}, ["cover_open"], []),
    ({"offline": True}, ["offline"], []),
    ({"cutter_error": True}, ["printer_fault"], []),
])
def test_status(printer, virtual_printer, faults, problems, warnings):
    virtual_printer.set_status(**faults)
    st = printer.status(timeout=2)
    assert st.problems() == problems
    assert st.warnings() == warnings
    assert st.ok == (not problems)
    for name, value in faults.items():
        assert getattr(st, name) is value
    assert virtual_printer.status_queries == 4


@pytest.mark.parametrize("fault", ["paper_out", "cover_open", "offline"])
def test_print_refused_when_not_ready(printer, virtual_printer, fault):
    virtual_printer.set_status(**{fault: True})
    with pytest.raises(PrinterNotReadyError) as info:
        printer.print_document(_receipt(), timeout=5)
    assert info.value.reason == fault
    assert info.value.vi and info.value.en
    assert info.value.status.problems() == [fault]
    time.sleep(0.1)
    assert virtual_printer.receipts == []
    assert virtual_printer.bytes_received == 4 * 3  # only the four DLE EOT n queries


def test_status_without_reply_times_out(printer, virtual_printer):
    virtual_printer.answer_status = False
    t0 = time.monotonic()
    with pytest.raises(PrinterTimeoutError) as info:
        printer.status(timeout=0.5)
    assert info.value.reason == "printer_timeout"
    assert time.monotonic() - t0 < 1.5


def test_printer_without_status_support_still_prints(virtual_printer):
    virtual_printer.answer_status = False
    p = EscposSerialPrinter(virtual_printer.port, check_status=False)
    try:
        p.print_document(_receipt(), timeout=10)
    finally:
        p.close()
    assert virtual_printer.wait_for_receipts(1)[0].qr_payloads == [URL]


def test_jammed_printer_times_out_instead_of_blocking(printer, virtual_printer):
    virtual_printer.answer_status = True
    printer.check_status = False
    virtual_printer.jammed = True  # stops reading: the pty buffer fills up
    doc = ReceiptDocument("Dài", [("x", "Dòng chữ " * 40)] * 40, qr_data=URL)
    t0 = time.monotonic()
    with pytest.raises(PrinterTimeoutError):
        printer.print_document(doc, timeout=1.0)
    assert time.monotonic() - t0 < 3.0


def test_unplugged_printer_raises_and_is_found_again_after_replug(printer, virtual_printer):
    assert printer.status().ok
    first_path = virtual_printer.path
    virtual_printer.unplug()
    with pytest.raises(DeviceUnavailableError) as info:
        printer.print_document(_receipt(), timeout=3)
    assert info.value.reason == "device_unavailable"
    with pytest.raises(DeviceUnavailableError):
        printer.status(timeout=1)
    # Plugged back (a new pty, maybe another number): the same printer object finds it through
    # the configured link, without a restart.
    virtual_printer.plug()
    assert virtual_printer.plug_count == 2
    printer.print_document(_receipt(), timeout=10)
    assert virtual_printer.wait_for_receipts(1)[0].qr_payloads == [URL]
    assert printer.port_name == virtual_printer.port
    del first_path


def test_search_glob_finds_a_printer_under_another_name(tmp_path):
    from drivers.serial.virtual_printer import VirtualPrinter

    a = VirtualPrinter(link=tmp_path / "printer-usb0")
    a.plug()
    p = EscposSerialPrinter(PortLocator(search=(str(tmp_path / "printer-usb*"),)))
    try:
        assert p.status().ok
        a.unplug()
        b = VirtualPrinter(link=tmp_path / "printer-usb1")  # replugged under another name
        b.plug()
        try:
            with pytest.raises(DeviceUnavailableError):
                p.status(timeout=1)  # the failed call drops the dead port...
            assert wait_until(lambda: p.status(timeout=1).ok)  # ...the next one finds b
            assert p.port_name == str(tmp_path / "printer-usb1")
        finally:
            b.unplug()
    finally:
        p.close()
        a.unplug()


def test_status_reply_noise_is_skipped(printer, virtual_printer):
    """A stray byte without the status bit pattern in front of the reply does not fool us."""
    original = virtual_printer.received

    def noisy(data: bytes) -> None:
        if data == b"\x10\x04\x01":
            virtual_printer.write(b"\xff")
        original(data)

    virtual_printer.received = noisy
    virtual_printer.set_status(paper_out=True)
    assert printer.status(timeout=2).problems() == ["paper_out"]


@pytest.mark.parametrize("size_doc", [
    lambda t: ReceiptDocument(t),  # title: bold, large
    lambda t: ReceiptDocument("x", [("", t)]),  # value: regular
])
def test_every_tone_mark_is_distinguishable(size_doc):
    """The five tone marks (and none) on the same letters give six different rasters: a hook
    above must not come out as an acute, a tilde must not vanish."""
    for base in ("A", "U", "Ơ", "a", "ư", "ê"):
        variants = [base + mark for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")]
        rasters = [np.asarray(layout_document(size_doc(v), 576)[-1].image).tobytes()
                   for v in variants]
        assert len(set(rasters)) == 6, base


@pytest.mark.parametrize("text", ["Ử", "ẪẬ Ỹ", "Ủy ban nhân dân", "Quyển sổ"])
@pytest.mark.parametrize("width", [576, 384])
def test_stacked_marks_are_not_clipped(text, width):
    """Marks above capitals rise over the font's ascent: the raster leaves room for them (a cut
    hook above reads as an acute: 'THỬ' printed as 'THỨ')."""
    for doc in (ReceiptDocument(text), ReceiptDocument("x", [(text, text)])):
        for block in layout_document(doc, width):
            ink = np.asarray(block.image) == 0
            assert not ink[0].any() and not ink[-1].any()
