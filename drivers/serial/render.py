"""Rasterising a ReceiptDocument: Vietnamese text drawn with a TTF font into 1-bit images.

Why raster: most cheap ESC/POS printers have no Vietnamese code page (CP1258 / TCVN3 / VISCII are
missing or differ between models), and the combining tone marks break even where one exists.
Printing text as an image (GS v 0) looks the same on every printer. The QR code stays a native
GS ( k command by default (sharper, far fewer bytes) with a raster fallback for printers without.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont

from drivers.serial.interface import PrinterError, ReceiptDocument

# Shipped with the project (DejaVu Sans, free licence) so the output does not depend on what the
# system has; system fonts are the fallback for a stripped-down install.
_ASSET_FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_CANDIDATES = {
    False: [_ASSET_FONTS / "DejaVuSans.ttf",
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")],
    True: [_ASSET_FONTS / "DejaVuSans-Bold.ttf",
           Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
           Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")],
}


class FontMissingError(PrinterError):
    """No font to draw the receipt with: an installation fault, reported like a printer one."""

    reason = "font_missing"
    vi = "Thiếu phông chữ để in biên nhận. Hãy cài lại phần mềm kiosk."
    en = "The receipt font is missing. Reinstall the kiosk software."


def font_path(bold: bool = False, override: str | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("KIOSK_RECEIPT_FONT_BOLD" if bold else "KIOSK_RECEIPT_FONT")
    if env:
        return Path(env)
    for p in FONT_CANDIDATES[bold]:
        if p.is_file():
            return p
    raise FontMissingError("no TTF font with Vietnamese glyphs found (assets/fonts/)")


@lru_cache(maxsize=32)
def _font(size: int, bold: bool, override: str | None) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold, override)), size)


@dataclass(frozen=True)
class Raster:
    image: Image.Image  # mode "1", width == width_dots, 0 = black


@dataclass(frozen=True)
class QrBlock:
    data: str
    module: int  # dots per module


Block = Raster | QrBlock


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word longer than the line is cut by characters."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            while font.getlength(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and font.getlength(word[:cut]) > width:
                    cut -= 1
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return out


class TextLayout:
    """Draws rows of text top to bottom on a canvas as wide as the paper."""

    def __init__(self, width: int, font_override: str | None = None) -> None:
        self.width = width
        self.scale = width / 576
        self.margin = max(4, int(8 * self.scale))
        self.font_override = font_override
        self.rows: list[tuple[str, ImageFont.FreeTypeFont, str, int]] = []  # text, font, align, x

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(max(10, int(size * self.scale)), bold, self.font_override)

    def add(self, text: str, size: int = 24, *, bold: bool = False, align: str = "left",
            indent: int = 0) -> None:
        # NFC: decomposed input (a combining tone mark after its vowel) would otherwise be drawn
        # as two glyphs, the mark floating over the wrong letter with some fonts.
        text = unicodedata.normalize("NFC", text)
        font = self.font(size, bold)
        usable = self.width - 2 * self.margin - indent
        for line in _wrap(text, font, usable):
            self.rows.append((line, font, align, indent))

    def gap(self, size: int = 12) -> None:
        self.rows.append(("", self.font(size), "left", 0))

    def render(self) -> Image.Image | None:
        if not self.rows:
            return None
        heights, offsets = [], []
        for text, font, _, _ in self.rows:
            ascent, descent = font.getmetrics()
            # Stacked Vietnamese marks on capitals (Ử, Ẫ) rise above the font's ascent: without
            # room above the first row their tops were cut off and a hook read as an acute.
            top, bottom = font.getbbox(text)[1::2] if text else (0, 0)
            offset = max(0, -top) + 2  # + a guard: anti-aliased edges reach past the bbox
            offsets.append(offset)
            heights.append(offset + max(ascent + descent, bottom) + max(2, int(4 * self.scale)))
        img = Image.new("L", (self.width, sum(heights)), 255)
        draw = ImageDraw.Draw(img)
        y = 0
        for (text, font, align, indent), h, offset in zip(self.rows, heights, offsets):
            w = font.getlength(text)
            if align == "center":
                x = (self.width - w) / 2
            elif align == "right":
                x = self.width - self.margin - w
            else:
                x = self.margin + indent
            draw.text((x, y + offset), text, font=font, fill=0)
            y += h
        # Anti-aliased, then a threshold that keeps light edge pixels: thin tone marks (the hook
        # above, the tilde) stay whole and thermal dots are bold enough. No dithering (grey fuzz).
        return img.point(lambda v: 0 if v < 160 else 255, mode="1")


def qr_image(data: str, module: int, width: int) -> Image.Image:
    """The QR code as a raster (fallback for printers without GS ( k), centred on the paper."""
    qr = segno.make(data, error="m", micro=False)
    matrix = np.array([list(row) for row in qr.matrix], dtype=bool)
    border = 4
    matrix = np.pad(matrix, border, constant_values=False)
    pixels = np.where(np.kron(matrix, np.ones((module, module), dtype=bool)), 0, 255)
    code = Image.fromarray(pixels.astype(np.uint8), mode="L")
    canvas = Image.new("L", (width, code.height), 255)
    canvas.paste(code, ((width - code.width) // 2, 0))
    return canvas.convert("1")


def qr_module(width_dots: int) -> int:
    return 6 if width_dots >= 512 else 4


def layout_document(doc: ReceiptDocument, width_dots: int, *, qr_mode: str = "native",
                    font_override: str | None = None) -> list[Block]:
    """The document as blocks, top to bottom."""
    blocks: list[Block] = []
    head = TextLayout(width_dots, font_override)
    head.add(doc.title, 30, bold=True, align="center")
    if doc.big_number:
        head.gap(8)
        head.add(doc.big_number, 150, bold=True, align="center")
    head.gap(10)
    for label, value in doc.lines:
        if label:
            head.add(label, 22, bold=True)
        if value:
            head.add(value, 24, indent=int(16 * head.scale) if label else 0)
    img = head.render()
    if img is not None:
        blocks.append(Raster(img))
    if doc.qr_data:
        module = qr_module(width_dots)
        blocks.append(QrBlock(doc.qr_data, module) if qr_mode == "native"
                      else Raster(qr_image(doc.qr_data, module, width_dots)))
    if doc.footer:
        foot = TextLayout(width_dots, font_override)
        foot.gap(6)
        foot.add(doc.footer, 20, align="center")
        img = foot.render()
        if img is not None:
            blocks.append(Raster(img))
    return blocks


def raster_bytes(image: Image.Image, max_rows: int = 255) -> bytes:
    """GS v 0 commands for a 1-bit image, in bands: cheap printers choke on tall images."""
    width_bytes = (image.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, image.height), 1)
    padded.paste(image.convert("1"), (0, 0))
    # PIL packs "1" images MSB first with 1 = white; ESC/POS wants 1 = black.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    out = bytearray()
    for top in range(0, image.height, max_rows):
        rows = min(max_rows, image.height - top)
        band = data[top * width_bytes:(top + rows) * width_bytes]
        out += b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        out += band
    return bytes(out)
