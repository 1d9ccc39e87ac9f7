"""Cutting a hand-held scanner's byte stream into codes, and a best-effort text for each.

Scanners in serial (CDC-ACM / RS-232) mode send each code followed by CR, LF or CRLF, depending
on their configuration; some add a prefix, a suffix or an AIM symbology identifier ("]Q1" for
QR). Line noise at plug-in, a code cut off by a pulled cable and a dropped terminator all happen.
Rules here:
- "auto" ends a code at CR or LF; the LF of a CRLF then ends an empty line, which is skipped.
- A partial line followed by silence longer than `partial_timeout` is discarded and counted
  (`partial_discarded`): merging it with the next code would make one wrong code out of two.
- A line longer than `max_line` is discarded whole (`too_long`), up to its terminator.
- A line holding control bytes that no scanner sends in a code is discarded (`garbage`).
The bytes are returned untouched otherwise; text decisions belong to the payload parser.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

LINE_ENDINGS = ("auto", "cr", "lf", "crlf")
# Control bytes a code may legitimately hold: TAB, and GS/RS/EOT used by GS1 and ISO 15434.
_ALLOWED_CONTROLS = {0x09, 0x1D, 0x1E, 0x04}
# Bytes stripped around a line: noise seen at power-up (NUL, 0xFF) and stray CR/LF.
_EDGE_NOISE = b"\x00\xff\r\n"


@dataclass
class FramingStats:
    codes: int = 0
    partial_discarded: int = 0
    too_long: int = 0
    garbage: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(codes=self.codes, partial_discarded=self.partial_discarded,
                    too_long=self.too_long, garbage=self.garbage)


@dataclass
class LineFramer:
    line_ending: str = "auto"
    partial_timeout: float = 0.5  # seconds of silence after which a partial line is dropped
    max_line: int = 4096
    stats: FramingStats = field(default_factory=FramingStats)

    def __post_init__(self) -> None:
        if self.line_ending not in LINE_ENDINGS:
            raise ValueError(f"line_ending must be one of {LINE_ENDINGS}")
        self._buf = bytearray()
        self._last = 0.0
        self._overflow = False  # inside a too-long line: drop up to its terminator

    def _split(self) -> tuple[bytes, int] | None:
        """(line, bytes consumed) for the first complete line in the buffer."""
        buf = self._buf
        if self.line_ending == "crlf":
            i = buf.find(b"\r\n")
            return (bytes(buf[:i]), i + 2) if i >= 0 else None
        if self.line_ending == "cr":
            i = buf.find(b"\r")
            return (bytes(buf[:i]), i + 1) if i >= 0 else None
        if self.line_ending == "lf":
            i = buf.find(b"\n")
            return (bytes(buf[:i]), i + 1) if i >= 0 else None
        ends = [i for i in (buf.find(b"\r"), buf.find(b"\n")) if i >= 0]
        if not ends:
            return None
        i = min(ends)
        return bytes(buf[:i]), i + 1

    def feed(self, data: bytes, now: float) -> list[bytes]:
        """Complete codes in `data` (plus what was buffered). `now`: a monotonic clock."""
        self.expire(now)
        if data:
            self._last = now
            self._buf += data
        out: list[bytes] = []
        while True:
            split = self._split()
            if split is None:
                break
            line, used = split
            del self._buf[:used]
            if self._overflow:
                self._overflow = False
                continue
            line = line.strip(_EDGE_NOISE)
            if not line:
                continue
            if len(line) > self.max_line:
                self.stats.too_long += 1
                continue
            if any(b < 0x20 and b not in _ALLOWED_CONTROLS for b in line) or b"\x7f" in line:
                self.stats.garbage += 1
                continue
            self.stats.codes += 1
            out.append(line)
        if len(self._buf) > self.max_line:
            # Never grow without bound on a stream with no terminator.
            if not self._overflow:
                self.stats.too_long += 1
            self._overflow = True
            self._buf.clear()
        return out

    def expire(self, now: float) -> None:
        """Drop a partial line that has been waiting longer than partial_timeout."""
        if self._buf and now - self._last > self.partial_timeout:
            if self._buf.strip(_EDGE_NOISE):
                self.stats.partial_discarded += 1
            self._buf.clear()
            self._overflow = False

    def reset(self) -> None:
        """Forget buffered bytes (the port was reopened)."""
        self._buf.clear()
        self._overflow = False

    @property
    def pending(self) -> int:
        return len(self._buf)


@dataclass(frozen=True)
class ScannedText:
    raw: bytes  # exactly what the scanner sent between two line endings
    text: str  # best-effort text: BOM, AIM identifier, prefix/suffix removed
    encoding: str  # how `text` was decoded: utf-8, utf-8-double-encoded, cp1258, latin-1
    aim_id: str = ""  # e.g. "]Q1" for QR; empty when the scanner sent none


def decode_scan(raw: bytes, *, prefix: bytes = b"", suffix: bytes = b"") -> ScannedText:
    """Best-effort text of one code. Never raises: the QR payload parser judges the text."""
    body = raw
    if prefix and body.startswith(prefix):
        body = body[len(prefix):]
    if suffix and body.endswith(suffix):
        body = body[:-len(suffix)]
    aim = ""
    # AIM identifier: "]" + symbology letter + modifier digit (e.g. "]Q1", "]d2"), before the BOM.
    if len(body) >= 3 and body[0:1] == b"]" and chr(body[1]).isalpha() and chr(body[2]).isalnum():
        aim, body = body[:3].decode("ascii"), body[3:]
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    try:
        text = body.decode("utf-8")
        encoding = "utf-8"
        fixed = _undo_double_encoding(text)
        if fixed is not None:
            text, encoding = fixed, "utf-8-double-encoded"
    except UnicodeDecodeError:
        # Not UTF-8: scanners set to a Windows keyboard/code page send CP1258 (Vietnamese) or
        # Latin-1. CP1258 first (its Vietnamese letters), Latin-1 accepts any byte.
        try:
            text, encoding = body.decode("cp1258"), "cp1258"
        except UnicodeDecodeError:
            text, encoding = body.decode("latin-1"), "latin-1"
    return ScannedText(raw=raw, text=text, encoding=encoding, aim_id=aim)


def _undo_double_encoding(text: str) -> str | None:
    """Some scanners re-encode each UTF-8 byte as a Latin-1 character ("Ã¡" for "á")."""
    if text.isascii() or not any("\u00c0" <= ch <= "\u00ff" for ch in text):
        return None
    for codec in ("latin-1", "cp1252"):
        try:
            candidate = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if candidate != text:
            return candidate
    return None
