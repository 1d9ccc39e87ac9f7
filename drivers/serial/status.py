"""ESC/POS real-time status (DLE EOT n): decoding for the printer, encoding for the simulator.

Each query answers one byte whose fixed bits are 0xx1xx10 (bit 1 and bit 4 set, bits 0 and 7
clear): that pattern is how a reply is told apart from line noise.
  n=1 printer status: bit 3 offline
  n=2 offline cause:  bit 2 cover open, bit 5 printing stopped by paper end, bit 6 error
  n=3 error cause:    bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable
  n=4 paper sensor:   bits 2+3 roll near end, bits 5+6 roll end
"""

from __future__ import annotations

from drivers.serial.interface import PrinterStatus

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 3, 4)
FIXED_MASK = 0x93
FIXED_VALUE = 0x12


def is_status_byte(value: int) -> bool:
    return value & FIXED_MASK == FIXED_VALUE


def decode(replies: bytes) -> PrinterStatus:
    """Four reply bytes, in query order 1, 2, 3, 4."""
    if len(replies) != 4 or not all(is_status_byte(b) for b in replies):
        raise ValueError("not an ESC/POS status reply")
    printer, offline, error, paper = replies
    return PrinterStatus(
        offline=bool(printer & 0x08),
        cover_open=bool(offline & 0x04),
        paper_out=bool(offline & 0x20) or bool(paper & 0x60),
        paper_near_end=bool(paper & 0x0C),
        cutter_error=bool(error & 0x08),
        unrecoverable_error=bool(error & 0x20),
        recoverable_error=bool(error & 0x40),
        raw=bytes(replies),
    )


def encode(n: int, *, offline: bool = False, cover_open: bool = False, paper_out: bool = False,
           paper_near_end: bool = False, cutter_error: bool = False) -> int:
    """The byte a printer in this state answers to DLE EOT n (what the simulator sends)."""
    # A real printer goes offline while its cover is open or its paper is out.
    offline = offline or cover_open or paper_out
    error = cutter_error
    value = FIXED_VALUE
    if n == 1:
        value |= 0x08 if offline else 0
    elif n == 2:
        value |= (0x04 if cover_open else 0) | (0x20 if paper_out else 0) | (0x40 if error else 0)
    elif n == 3:
        value |= 0x08 if cutter_error else 0
    elif n == 4:
        value |= (0x0C if paper_near_end or paper_out else 0) | (0x60 if paper_out else 0)
    else:
        raise ValueError(f"DLE EOT {n} is not a status query")
    return value
