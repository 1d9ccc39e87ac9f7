"""The same checks against a REAL printer / scanner, when one is attached and named.

  KIOSK_TEST_PRINTER_PORT=/dev/ttyUSB0 pytest tests/test_serial_real_devices.py   # prints 1 receipt
  KIOSK_TEST_SCANNER_PORT=/dev/ttyACM0 pytest tests/test_serial_real_devices.py   # scan within 20 s
Skipped otherwise (CI has only the simulators, which every other serial test uses).
"""

from __future__ import annotations

import os

import pytest

from app.printing import sample_receipt
from drivers.serial.escpos_printer import EscposSerialPrinter
from drivers.serial.scanner import SerialScanner

PRINTER = os.environ.get("KIOSK_TEST_PRINTER_PORT", "")
SCANNER = os.environ.get("KIOSK_TEST_SCANNER_PORT", "")


@pytest.mark.skipif(not PRINTER, reason="no real printer: set KIOSK_TEST_PRINTER_PORT")
def test_real_printer_status_and_test_print():
    printer = EscposSerialPrinter(PRINTER,
                                  baudrate=int(os.environ.get("KIOSK_TEST_PRINTER_BAUD", 19200)),
                                  width_dots=int(os.environ.get("KIOSK_TEST_PRINTER_DOTS", 576)))
    try:
        assert printer.status(timeout=3).ok
        printer.print_document(sample_receipt(), timeout=30)
    finally:
        printer.close()


@pytest.mark.skipif(not SCANNER, reason="no real scanner: set KIOSK_TEST_SCANNER_PORT")
def test_real_scanner_reads_one_code():
    scanner = SerialScanner(SCANNER,
                            baudrate=int(os.environ.get("KIOSK_TEST_SCANNER_BAUD", 9600)))
    try:
        scanner.open()
        scan = scanner.read_scan(20)
        assert scan is not None, "scan a QR code within 20 seconds"
        assert scan.text
    finally:
        scanner.close()
