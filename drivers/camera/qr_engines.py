"""QR engines over a grey image, each giving the RAW bytes of what it read.

  zxing   zxing-cpp restricted to QR codes; `bytes` is the raw content. Also reports where it
          located a code it could not read (a hint for a closer look) and, when it got as far
          as the symbol's version, that version (for qr_soft's own reading).
  zbar    libzbar through pyzbar's ctypes wrapper, with ZBAR_CFG_BINARY so that zbar hands back
          the raw bytes instead of its encoding guess.
  opencv  cv2.QRCodeDetector / QRCodeDetectorAruco. The binding returns text only; its bytes are
          that text re-encoded, and a non-UTF-8 payload is lost (never shipped).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

_ZX_BINARIZERS = {"local": zxingcpp.Binarizer.LocalAverage,
                  "global": zxingcpp.Binarizer.GlobalHistogram,
                  "fixed": zxingcpp.Binarizer.FixedThreshold}

Found = tuple[bytes, tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class Located:
    """A QR code zxing found but could not read."""

    corners: np.ndarray  # 4 x 2 float32: top-left, top-right, bottom-right, bottom-left
    version: int | None  # of a whole QR Code Model 2 symbol; None for a fragment or Micro QR


def _version(extra: dict | None) -> int | None:
    v = str((extra or {}).get("Version", ""))
    return int(v) if v.isdigit() and 1 <= int(v) <= 40 else None


def zxing(img: np.ndarray, binarizer: str) -> tuple[list[Found], list[Located]]:
    """Codes read, plus the QR codes zxing found but could not read (ROI hints)."""
    results = zxingcpp.read_barcodes(
        img, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True, try_downscale=True,
        try_invert=False, binarizer=_ZX_BINARIZERS[binarizer], return_errors=True,
        text_mode=zxingcpp.TextMode.Plain)
    found: list[Found] = []
    hints: list[Located] = []
    for r in results:
        p = r.position
        corners = ((p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y),
                   (p.bottom_right.x, p.bottom_right.y), (p.bottom_left.x, p.bottom_left.y))
        if r.valid:
            found.append((bytes(r.bytes), corners))
        else:
            hints.append(Located(np.array(corners, np.float32), _version(r.extra)))
    return found, hints


class Zbar:
    """libzbar with raw-bytes output. pyzbar's own decode() cannot switch ZBAR_CFG_BINARY on."""

    ZBAR_QRCODE = 64
    ZBAR_CFG_ENABLE = 0
    ZBAR_CFG_BINARY = 4  # zbar >= 0.23: return the QR's bytes without iconv'ing a guess

    def __init__(self) -> None:
        from pyzbar import wrapper as w  # imported here: libzbar is loaded on first use

        self.w = w
        self.scanner = w.zbar_image_scanner_create()
        w.zbar_image_scanner_set_config(self.scanner, 0, self.ZBAR_CFG_ENABLE, 0)
        w.zbar_image_scanner_set_config(self.scanner, self.ZBAR_QRCODE, self.ZBAR_CFG_ENABLE, 1)
        w.zbar_image_scanner_set_config(self.scanner, self.ZBAR_QRCODE, self.ZBAR_CFG_BINARY, 1)

    def __call__(self, img: np.ndarray) -> list[Found]:
        w = self.w
        img = np.ascontiguousarray(img)
        h, wd = img.shape[:2]
        image = w.zbar_image_create()
        try:
            w.zbar_image_set_format(image, 0x30303859)  # fourcc "Y800": 8-bit grey
            w.zbar_image_set_size(image, wd, h)
            data = img.tobytes()
            w.zbar_image_set_data(image, data, len(data), None)
            out: list[Found] = []
            if w.zbar_scan_image(self.scanner, image) > 0:
                sym = w.zbar_image_first_symbol(image)
                while sym:
                    n = w.zbar_symbol_get_data_length(sym)
                    raw = ctypes.string_at(w.zbar_symbol_get_data(sym), n)
                    pts = tuple((w.zbar_symbol_get_loc_x(sym, i), w.zbar_symbol_get_loc_y(sym, i))
                                for i in range(w.zbar_symbol_get_loc_size(sym)))
                    out.append((raw, pts))
                    sym = w.zbar_symbol_next(sym)
            return out
        finally:
            w.zbar_image_destroy(image)


def opencv(detector, img: np.ndarray) -> list[Found]:
    try:
        text, points, _ = detector.detectAndDecode(img)
    except cv2.error:
        return []  # e.g. "mode 13 not implemented" on some ECI/structured codes
    except UnicodeDecodeError:
        # OpenCV's binding turns the bytes into str itself and fails on non-UTF-8 payloads:
        # the raw bytes are lost, so this engine reports nothing.
        return []
    if not text:
        return []
    corners = tuple((int(x), int(y)) for x, y in points.reshape(-1, 2)) if points is not None \
        else ()
    # OpenCV returns text only; for UTF-8 payloads re-encoding gives the original bytes back.
    return [(text.encode("utf-8", errors="surrogateescape"), corners)]
