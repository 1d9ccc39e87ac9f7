"""VirtualPrinter: an ESC/POS receipt printer on a pty that renders what it receives to an image.

It answers DLE EOT status queries with configurable status bytes, and can be jammed (stops
reading, so the kiosk's write times out) or unplugged and replugged. Each cut finishes one
`PrintedReceipt` (image, QR payloads, raster row count); `on_receipt` is called with it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont

from drivers.serial import status as escpos_status
from drivers.serial.escpos_parser import Command, EscposParser
from drivers.serial.pty_device import PtyDevice

_QR_ERROR = {48: "l", 49: "m", 50: "q", 51: "h"}


@dataclass
class PrintedReceipt:
    image: Image.Image  # mode "L", paper white, ink black
    qr_payloads: list[str] = field(default_factory=list)  # from GS ( k (native codes)
    raster_rows: int = 0  # rows of GS v 0 raster received
    raster_blocks: int = 0
    text: str = ""  # plain text bytes (code page text, not rasters)
    cut: bool = False


class VirtualPrinter(PtyDevice):
    def __init__(self, width_dots: int = 576, *, link: str | os.PathLike | None = None,
                 on_receipt: Callable[[PrintedReceipt], None] | None = None) -> None:
        super().__init__(link)
        self.width_dots = width_dots
        self.on_receipt = on_receipt
        self.receipts: list[PrintedReceipt] = []
        self.status_flags: dict[str, bool] = {}
        self.answer_status = True
        self.jammed = False
        self.status_queries = 0
        self.bytes_received = 0
        self._cond = threading.Condition()
        self._reset_stream()

    def _reset_stream(self) -> None:
        self.parser = EscposParser()
        self._new_page()

    def plug(self) -> str:
        # A replugged printer has forgotten any half-received job.
        self._reset_stream()
        return super().plug()

    # -- faults ------------------------------------------------------------------------------

    def set_status(self, *, paper_out: bool = False, paper_near_end: bool = False,
                   cover_open: bool = False, offline: bool = False,
                   cutter_error: bool = False) -> None:
        self.status_flags = dict(paper_out=paper_out, paper_near_end=paper_near_end,
                                 cover_open=cover_open, offline=offline,
                                 cutter_error=cutter_error)

    def paused(self) -> bool:
        return self.jammed

    @property
    def unknown_commands(self) -> list[bytes]:
        return self.parser.unknown

    def wait_for_receipts(self, count: int = 1, timeout: float = 10.0) -> list[PrintedReceipt]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.receipts) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.receipts)} of {count} receipts printed")
                self._cond.wait(remaining)
            return list(self.receipts)

    # -- the byte stream ---------------------------------------------------------------------

    def received(self, data: bytes) -> None:
        self.bytes_received += len(data)
        for cmd in self.parser.feed(data):
            self._apply(cmd)

    def _apply(self, cmd: Command) -> None:
        name = cmd.name
        if name == "status":
            self.status_queries += 1
            if self.answer_status and cmd.args[0] in escpos_status.QUERIES:
                self.write(bytes([escpos_status.encode(cmd.args[0], **self.status_flags)]))
        elif name == "init":
            self._flush_text()
            self.align = 0
            self.bold = False
        elif name == "align":
            self._flush_text()
            self.align = cmd.args[0] % 48
        elif name == "bold":
            self.bold = bool(cmd.args[0] & 1)
        elif name == "text":
            self.text_line += cmd.data.decode("cp437", errors="replace")
        elif name == "lf":
            self._flush_text(force=True)
        elif name == "feed":
            self._flush_text()
            self._paste(Image.new("L", (self.width_dots, 24 * cmd.args[0]), 255))
        elif name == "raster":
            self._flush_text()
            self._raster(cmd)
        elif name == "qr":
            self._flush_text()
            self._qr(cmd)
        elif name == "cut":
            self._flush_text()
            self._finish()

    def _new_page(self) -> None:
        self.parts: list[Image.Image] = []
        self.qr_payloads: list[str] = []
        self.qr_size = 3
        self.qr_error = "m"
        self.qr_pending: bytes | None = None
        self.raster_rows = 0
        self.raster_blocks = 0
        self.text_line = ""
        self.texts: list[str] = []
        self.align = 0
        self.bold = False

    def _paste(self, img: Image.Image) -> None:
        canvas = Image.new("L", (self.width_dots, img.height), 255)
        if self.align == 1:
            x = (self.width_dots - img.width) // 2
        elif self.align == 2:
            x = self.width_dots - img.width
        else:
            x = 0
        canvas.paste(img.crop((0, 0, min(img.width, self.width_dots), img.height)), (max(0, x), 0))
        self.parts.append(canvas)

    def _flush_text(self, force: bool = False) -> None:
        if not self.text_line and not force:
            return
        font = ImageFont.load_default()
        img = Image.new("L", (self.width_dots, 24), 255)
        ImageDraw.Draw(img).text((0, 4), self.text_line, font=font, fill=0)
        self.parts.append(img)
        if self.text_line:
            self.texts.append(self.text_line)
        self.text_line = ""

    def _raster(self, cmd: Command) -> None:
        m, width_bytes, rows = cmd.args
        bits = np.unpackbits(np.frombuffer(cmd.data, dtype=np.uint8)).reshape(rows, width_bytes * 8)
        img = Image.fromarray(np.where(bits, 0, 255).astype(np.uint8), mode="L")
        if m in (1, 3, 49, 51):
            img = img.resize((img.width * 2, img.height), Image.NEAREST)
        if m in (2, 3, 50, 51):
            img = img.resize((img.width, img.height * 2), Image.NEAREST)
        self.raster_rows += rows
        self.raster_blocks += 1
        self._paste(img)

    def _qr(self, cmd: Command) -> None:
        cn, fn = cmd.args
        if cn != 0x31:
            return
        if fn == 67 and cmd.data:  # module size
            self.qr_size = cmd.data[0]
        elif fn == 69 and cmd.data:  # error correction
            self.qr_error = _QR_ERROR.get(cmd.data[0], "m")
        elif fn == 80:  # store: m (=0x30) then the data
            self.qr_pending = cmd.data[1:]
        elif fn == 81 and self.qr_pending is not None:  # print the stored code
            text = self.qr_pending.decode("utf-8", errors="replace")
            self.qr_payloads.append(text)
            qr = segno.make(text, error=self.qr_error, micro=False)
            matrix = np.pad(np.array([list(r) for r in qr.matrix], dtype=bool), 4)
            module = max(1, self.qr_size)
            pixels = np.kron(matrix, np.ones((module, module), dtype=bool))
            self._paste(Image.fromarray(np.where(pixels, 0, 255).astype(np.uint8), mode="L"))

    def _finish(self) -> None:
        height = sum(p.height for p in self.parts) or 1
        page = Image.new("L", (self.width_dots, height), 255)
        y = 0
        for part in self.parts:
            page.paste(part, (0, y))
            y += part.height
        receipt = PrintedReceipt(page, list(self.qr_payloads), self.raster_rows,
                                 self.raster_blocks, "\n".join(self.texts), cut=True)
        self._new_page()
        with self._cond:
            self.receipts.append(receipt)
            self._cond.notify_all()
        if self.on_receipt is not None:
            self.on_receipt(receipt)
