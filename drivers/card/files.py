"""SELECT and READ BINARY with the block-size strategy the issue asks for.

Block size: probe extended length first (when allowed), then 256, then 223 and smaller on errors
(many chips and readers choke on big responses); a transient error retries from the last good
offset. Every file has a size cap: a hostile chip cannot make us read 4 GB.
"""

from __future__ import annotations

import logging
from typing import Callable

from drivers.card import apdu, tlv
from drivers.card.errors import (CardProtocolError, NotSupportedError, StatusWordError,
                                 WrongLengthError)
from drivers.card.interface import Transceiver, TransportError

log = logging.getLogger(__name__)

EMRTD_AID = bytes.fromhex("A0000002471001")
EXTENDED_BLOCK = 4096  # large enough to make DG2 a handful of APDUs, small for reader buffers
FALLBACK_BLOCKS = (256, 223, 160, 112, 64, 32)
MAX_RETRIES = 4  # transient errors per file


def select_aid(t: Transceiver, aid: bytes = EMRTD_AID) -> None:
    apdu.check(t.transmit(apdu.command(0x00, 0xA4, 0x04, 0x0C, aid)), "SELECT application")


def select_ef(t: Transceiver, fid: int) -> None:
    apdu.check(t.transmit(apdu.command(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))),
               f"SELECT {fid:04X}")


class BinaryReader:
    """Remembers the block size that works across files of one session."""

    def __init__(self, *, allow_extended: bool = True) -> None:
        self.extended = allow_extended
        self.block = EXTENDED_BLOCK if allow_extended else FALLBACK_BLOCKS[0]

    def _shrink(self) -> bool:
        if self.extended:
            self.extended = False
            self.block = FALLBACK_BLOCKS[0]
            return True
        smaller = [b for b in FALLBACK_BLOCKS if b < self.block]
        if not smaller:
            return False
        self.block = smaller[0]
        return True

    def _read(self, t: Transceiver, offset: int, length: int) -> bytes:
        if offset > 0x7FFF:  # odd INS with an offset data object (ISO 7816-4)
            # The answer wraps the data in tag 53: leave room for its header in Le.
            le = min(length + 4, 65536 if self.extended else 256)
            cmd = apdu.command(0x00, 0xB1, 0, 0, tlv.encode(0x54, offset.to_bytes(3, "big")),
                               le, extended=self.extended and le > 256)
            data = apdu.check(t.transmit(cmd), "READ BINARY")
            return tlv.parse_one(data, 0x53, recurse=False).value
        cmd = apdu.command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length,
                           extended=self.extended and length > 256)
        resp = t.transmit(cmd)
        data, sw = apdu.split(resp)
        if sw >> 8 == 0x6C and 0 < (sw & 0xFF) < length:  # wrong Le: the card tells the right one
            return apdu.check(t.transmit(apdu.command(0x00, 0xB0, offset >> 8, offset & 0xFF,
                                                      le=sw & 0xFF)), "READ BINARY")
        return apdu.check(resp, "READ BINARY")

    def _select(self, t: Transceiver, fid: int) -> None:
        for attempt in range(3):
            try:
                select_ef(t, fid)
                return
            except (TransportError, StatusWordError) as exc:
                if not is_transient(exc) or attempt == 2:
                    raise
                log.info("SELECT %04X: transient %s, retrying", fid, exc.reason)

    def read_file(self, t: Transceiver, fid: int, max_size: int,
                  progress: Callable[[int, int], None] | None = None) -> bytes:
        self._select(t, fid)
        buf = bytearray()
        total: int | None = None
        transient = 0
        probe_header = False
        while total is None or len(buf) < total:
            want = self.block if total is None else min(self.block, total - len(buf))
            if total is None and len(buf) < 6:
                want = 4 if probe_header else max(want, 6)
            try:
                chunk = self._read(t, len(buf), want)
            except (WrongLengthError, NotSupportedError) as exc:
                if total is None and not self.extended and not probe_header:
                    # Strict cards refuse an Le beyond the end of a short file: learn the size
                    # from the first bytes, then read exactly what is left.
                    probe_header = True
                    continue
                # The card (or reader) does not take this block size: go smaller.
                if not self._shrink():
                    raise
                log.info("READ BINARY %04X: %s, block now %d (extended=%s)", fid, exc.reason,
                         self.block, self.extended)
                continue
            except (TransportError, StatusWordError) as exc:
                if not is_transient(exc):
                    raise
                transient += 1
                if transient > MAX_RETRIES:
                    raise
                if transient > 1:
                    self._shrink()  # repeated trouble: maybe the block is too big for the link
                log.info("READ BINARY %04X at %d: transient %s, resuming", fid, len(buf), exc.reason)
                continue
            if not chunk:
                raise CardProtocolError(f"file {fid:04X}: empty read before the end")
            buf += chunk
            if total is None and len(buf) >= 2:
                try:
                    _tag, length, hlen = tlv.read_header(bytes(buf[:6]))
                except CardProtocolError:
                    if len(buf) < 6 and len(chunk) >= want:
                        continue
                    raise
                total = hlen + length
                if total > max_size:
                    raise CardProtocolError(f"file {fid:04X} claims {total} bytes, cap {max_size}")
            if total is not None and len(buf) > total:
                del buf[total:]
            if progress and total:
                progress(len(buf), total)
        return bytes(buf)


def is_transient(exc: Exception) -> bool:
    """Worth retrying at the same offset: the link failed, or the card said "no diagnosis"
    (6F00) or "memory/state" trouble (64xx, 65xx). Never for access or file errors."""
    if isinstance(exc, TransportError):
        return True
    sw = getattr(exc, "sw", 0)
    return type(exc) is StatusWordError and (sw >> 8) in (0x6F, 0x64, 0x65)
