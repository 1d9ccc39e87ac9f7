"""An incremental parser of the ESC/POS byte stream a receipt printer receives (simulator side).

It knows the commands this project sends plus the common text commands; anything else is
recorded in `unknown` so tests fail on an unexpected command instead of silently accepting it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Command:
    name: str  # init, align, bold, mode, size, feed, lf, text, cut, raster, qr, status, ...
    args: tuple = ()
    data: bytes = b""


class NeedMore(Exception):
    pass


_ONE_ARG_ESC = {ord("a"): "align", ord("E"): "bold", ord("!"): "mode", ord("d"): "feed",
                ord("t"): "codepage", ord("M"): "font", ord("-"): "underline",
                ord("G"): "double_strike", ord("3"): "line_spacing", ord("J"): "feed_dots",
                ord("R"): "charset", ord("V"): "rotate", ord("{"): "upside_down",
                ord("c"): "panel", ord("p"): "pulse"}


class EscposParser:
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.unknown: list[bytes] = []

    def feed(self, data: bytes) -> list[Command]:
        self.buffer += data
        out: list[Command] = []
        while self.buffer:
            try:
                cmd, used = self._one(self.buffer)
            except NeedMore:
                break
            del self.buffer[:used]
            if cmd is not None:
                out.append(cmd)
        return out

    def _need(self, buf: bytearray, n: int) -> None:
        if len(buf) < n:
            raise NeedMore

    def _one(self, buf: bytearray) -> tuple[Command | None, int]:
        b = buf[0]
        if b == 0x0A:
            return Command("lf"), 1
        if b == 0x0D:
            return None, 1
        if b >= 0x20:
            end = 1
            while end < len(buf) and buf[end] >= 0x20:
                end += 1
            return Command("text", data=bytes(buf[:end])), end
        if b == 0x10:  # DLE
            self._need(buf, 3)
            if buf[1] == 0x04:
                return Command("status", (buf[2],)), 3
        if b == 0x1B:  # ESC
            self._need(buf, 2)
            c = buf[1]
            if c == ord("@"):
                return Command("init"), 2
            if c in (ord("2"),):
                return Command("line_spacing_default"), 2
            if c in _ONE_ARG_ESC:
                self._need(buf, 3)
                return Command(_ONE_ARG_ESC[c], (buf[2],)), 3
        if b == 0x1D:  # GS
            self._need(buf, 2)
            c = buf[1]
            if c == ord("!"):
                self._need(buf, 3)
                return Command("size", (buf[2],)), 3
            if c == ord("V"):
                self._need(buf, 3)
                m = buf[2]
                if m in (0, 1, 48, 49):
                    return Command("cut", (m,)), 3
                if m in (65, 66, 97, 98, 103, 104):
                    self._need(buf, 4)
                    return Command("cut", (m, buf[3])), 4
            if c == ord("v"):
                self._need(buf, 8)
                if buf[2] == 0x30:
                    m = buf[3]
                    width_bytes = buf[4] | buf[5] << 8
                    rows = buf[6] | buf[7] << 8
                    total = 8 + width_bytes * rows
                    self._need(buf, total)
                    return Command("raster", (m, width_bytes, rows), bytes(buf[8:total])), total
            if c == ord("("):
                self._need(buf, 5)
                fn_kind = buf[2]
                length = buf[3] | buf[4] << 8
                total = 5 + length
                self._need(buf, total)
                body = bytes(buf[5:total])
                if fn_kind == ord("k") and length >= 2:
                    return Command("qr", (body[0], body[1]), body[2:]), total
                return Command(f"gs({chr(fn_kind)}", (), body), total
        # Unknown: skip one byte and remember it, so the stream resynchronises.
        self.unknown.append(bytes(buf[:4]))
        return None, 1
