"""VirtualScanner: a hand-held QR scanner in serial mode, on a pty, with faults.

scan() writes one code as a real scanner would (optional AIM identifier, BOM, prefix/suffix,
encoding, line ending); garbage() writes line noise; partial() writes a code cut short (the cable
pulled mid-code); unplug()/replug() from PtyDevice.
"""

from __future__ import annotations

import os
import random

from drivers.serial.pty_device import PtyDevice

ENDINGS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}


class VirtualScanner(PtyDevice):
    def __init__(self, *, link: str | os.PathLike | None = None, line_ending: str = "crlf",
                 encoding: str = "utf-8") -> None:
        super().__init__(link)
        self.line_ending = line_ending
        self.encoding = encoding

    def encode(self, payload: str | bytes, *, line_ending: str | None = None,
               encoding: str | None = None, aim: str = "", bom: bool = False,
               prefix: bytes = b"", suffix: bytes = b"") -> bytes:
        body = payload if isinstance(payload, bytes) else payload.encode(
            encoding or self.encoding)
        return (prefix + aim.encode("ascii") + (b"\xef\xbb\xbf" if bom else b"") + body + suffix
                + ENDINGS[line_ending or self.line_ending])

    def scan(self, payload: str | bytes, **options) -> None:
        self.write(self.encode(payload, **options))

    def partial(self, payload: str | bytes, fraction: float = 0.5) -> None:
        data = self.encode(payload, line_ending="none")
        self.write(data[:max(1, int(len(data) * fraction))])

    def garbage(self, size: int = 24, seed: int | None = None, *, terminated: bool = True) -> None:
        rng = random.Random(seed)
        # Noise as seen on a line at plug-in: control bytes and high bytes, no terminators.
        noise = bytes(rng.choice([0x00, 0x01, 0x07, 0x13, 0x1B, 0x7F, 0xFE, 0xFF, 0x80, 0x9C])
                      for _ in range(size))
        self.write(noise + (ENDINGS[self.line_ending] if terminated else b""))
