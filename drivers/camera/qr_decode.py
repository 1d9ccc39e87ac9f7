"""QR decoding of camera frames: several engines and pre-processings, cheapest first.

`QrDecoder(config).decode(frame)` runs the configuration's attempts in order and stops at the
first that reads a QR code. Each result carries the RAW bytes of the code; `text` is those bytes
as strict UTF-8 or None. We never take a library's text: zbar guesses Shift-JIS before UTF-8 for
payloads without an ECI header and garbles ~2% of Vietnamese names (zbar issues 212/244).

Engines are in qr_engines.py (zxing, zbar, opencv, opencv_aruco), pre-processings in qr_prep.py.

The configuration that ships (DEFAULT_DECODER_CONFIG) was chosen with benchmarks/qr_decode.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.camera.qr_engines import Found, Zbar, opencv, zxing
from drivers.camera.qr_prep import AFTER_SCALE, prep

__all__ = ["Attempt", "DecoderConfig", "DecodedCode", "QrDecoder", "CONFIGS",
           "DEFAULT_DECODER_CONFIG", "to_gray", "bytes_to_text"]


@dataclass(frozen=True)
class DecodedCode:
    raw: bytes
    text: str | None  # raw as strict UTF-8, else None
    decoder: str  # which attempt read it, e.g. "zxing/gray"
    ms: float  # time spent on this frame until the code was read
    position: tuple[tuple[int, int], ...] = ()  # corners in frame pixels, when known


@dataclass(frozen=True)
class Attempt:
    """One try: an engine on a pre-processed image.

    prep: a name from qr_prep.py: "gray" (as is), "sharpen", "clahe", "equalize", "otsu",
    "adaptive", "flatten", "blur", "median", "invert", "denoise_adaptive".
    scale: resize factor applied after cropping (>1 helps 2-3 px modules).
    roi: only around where an earlier attempt on this frame (or the previous frame) saw a
    code-like pattern; skipped when there is no such place.
    binarizer: zxing's own binariser ("local", "global", "fixed").
    """

    engine: str
    prep: str = "gray"
    scale: float = 1.0
    roi: bool = False
    binarizer: str = "local"

    @property
    def label(self) -> str:
        parts = [self.engine, self.prep]
        if self.binarizer != "local" and self.engine == "zxing":
            parts.append(self.binarizer)
        if self.scale != 1.0:
            parts.append(f"x{self.scale:g}")
        if self.roi:
            parts.append("roi")
        return "/".join(parts)


@dataclass(frozen=True)
class DecoderConfig:
    name: str
    attempts: tuple[Attempt, ...]
    # Stop trying further attempts on one frame after this many ms of CPU time: the next frame
    # comes soon and keeps the median low; the ROI memory carries the hint over to it.
    budget_ms: float = 60.0
    doc: str = ""


def to_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def bytes_to_text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


# --- the decoder -------------------------------------------------------------------------------
@dataclass
class _Roi:
    x: int
    y: int
    w: int
    h: int


def _roi_from(corners: np.ndarray, shape: tuple[int, ...], margin: float = 0.35) -> _Roi:
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    size = max(x1 - x0, y1 - y0, 40)
    m = size * margin
    h, w = shape[:2]
    xa, ya = int(max(0, x0 - m)), int(max(0, y0 - m))
    xb, yb = int(min(w, x1 + m)), int(min(h, y1 + m))
    return _Roi(xa, ya, max(1, xb - xa), max(1, yb - ya))


# Measured on generated frames: below ~3 px per module reading fails often (cccd.md section 1).
# A card QR has 53-61 modules across (versions 9-11) plus a 4-module quiet zone each side.
_MIN_MODULE_PX = 2.8
_MIN_SIDE = 21  # a version-1 QR code without its quiet zone, at 1 px per module
_CARD_QR_MODULES = 65


def _diagnose(gray: np.ndarray, roi: _Roi) -> str:
    """Why a located QR code was not read: a glare spot (many saturated pixels), too small in
    the frame (card too far), or something else (blur, a damaged print)."""
    patch = gray[roi.y:roi.y + roi.h, roi.x:roi.x + roi.w]
    if patch.size and float((patch >= 250).mean()) > 0.03:
        return "glare"
    # the ROI has a 35% margin each side around the located symbol
    if min(roi.w, roi.h) / 1.7 / _CARD_QR_MODULES < _MIN_MODULE_PX:
        return "too_far"
    return "unreadable"


@dataclass
class QrDecoder:
    """Decodes frames with one configuration. Not thread-safe: one per worker thread.

    Keeps one piece of state between frames: where a code-like pattern was last seen, so that
    the next frame's ROI attempts start there (the card barely moves between frames).
    """

    config: DecoderConfig = field(default_factory=lambda: DEFAULT_DECODER_CONFIG)
    remember_roi: bool = True
    _last_roi: _Roi | None = field(default=None, init=False, repr=False)
    # After a frame where a QR code was located but not read: why, as far as we can tell
    # ("glare", "too_far" or "unreadable"); None when a code was read or none was seen. The UI
    # turns a lasting hint into advice (tilt the card, bring it closer).
    last_hint: str | None = field(default=None, init=False)
    _zbar: Zbar | None = field(default=None, init=False, repr=False)
    _cv: dict = field(default_factory=dict, init=False, repr=False)

    def reset(self) -> None:
        self._last_roi = None
        self.last_hint = None

    def decode(self, frame: np.ndarray) -> list[DecodedCode]:
        t0 = time.perf_counter()
        gray = to_gray(frame)
        if min(gray.shape[:2]) < _MIN_SIDE:
            return []  # nothing a QR code fits in (and some pre-processings need room)
        hint = self._last_roi if self.remember_roi else None
        new_hint: _Roi | None = None
        preps: dict[tuple, np.ndarray] = {}
        # The budget counts this thread's CPU time, not wall time: on a machine busy with other
        # work the same attempts run (same decode rate), they only take longer.
        cpu0 = time.thread_time()
        for attempt in self.config.attempts:
            if (time.thread_time() - cpu0) * 1000 > self.config.budget_ms:
                break
            roi = new_hint or hint
            if attempt.roi and (roi is None or roi.x + _MIN_SIDE > gray.shape[1]
                                or roi.y + _MIN_SIDE > gray.shape[0]):
                continue  # no hint, or one from a bigger frame than this one
            # keyed by the ROI itself: a hint found mid-cascade moves the ROI
            key = (attempt.prep, (roi.x, roi.y, roi.w, roi.h) if attempt.roi else None)
            after = attempt.prep in AFTER_SCALE
            img = preps.get(key) if not after else None
            if img is None:
                base = gray[roi.y:roi.y + roi.h, roi.x:roi.x + roi.w] if attempt.roi else gray
                img = base if after else preps.setdefault(key, prep(base, attempt.prep))
            if attempt.scale != 1.0:
                img = cv2.resize(img, None, fx=attempt.scale, fy=attempt.scale,
                                 interpolation=cv2.INTER_CUBIC if attempt.scale > 1
                                 else cv2.INTER_AREA)
            if after:
                img = prep(img, attempt.prep)
            found, hints = self._run(attempt, img)
            if hints and new_hint is None:
                # the largest located region: the whole symbol rather than a finder fragment
                h = max(hints, key=lambda c: float(np.ptp(c[:, 0]) * np.ptp(c[:, 1])))
                h = h / attempt.scale
                if attempt.roi:
                    h = h + [roi.x, roi.y]
                new_hint = _roi_from(h, gray.shape)
            if found:
                ms = (time.perf_counter() - t0) * 1000
                off = (roi.x, roi.y) if attempt.roi else (0, 0)
                codes = []
                for raw, pts in found:
                    pos = tuple((int(x / attempt.scale + off[0]), int(y / attempt.scale + off[1]))
                                for x, y in pts)
                    codes.append(DecodedCode(raw, bytes_to_text(raw), attempt.label, ms, pos))
                if pos := codes[0].position:
                    self._last_roi = _roi_from(np.array(pos, np.float32), gray.shape)
                self.last_hint = None
                return codes
        self._last_roi = new_hint or None
        self.last_hint = _diagnose(gray, new_hint) if new_hint else None
        return []

    def _run(self, attempt: Attempt, img: np.ndarray) -> tuple[list[Found], list[np.ndarray]]:
        if attempt.engine == "zxing":
            return zxing(img, attempt.binarizer)
        if attempt.engine == "zbar":
            if self._zbar is None:
                self._zbar = Zbar()
            return self._zbar(img), []
        if attempt.engine in ("opencv", "opencv_aruco"):
            det = self._cv.get(attempt.engine)
            if det is None:
                det = self._cv[attempt.engine] = (cv2.QRCodeDetector() if attempt.engine == "opencv"
                                                  else cv2.QRCodeDetectorAruco())
            return opencv(det, img), []
        raise ValueError(f"unknown engine {attempt.engine!r}")


def _cfg(name: str, *attempts: Attempt, budget_ms: float = 60.0, doc: str = "") -> DecoderConfig:
    return DecoderConfig(name, tuple(attempts), budget_ms, doc)


A = Attempt
# Every configuration the benchmark compares. Single-engine baselines first.
CONFIGS: dict[str, DecoderConfig] = {c.name: c for c in (
    _cfg("zbar", A("zbar")),
    _cfg("zxing", A("zxing")),
    _cfg("opencv", A("opencv")),
    _cfg("opencv_aruco", A("opencv_aruco")),
    _cfg("zxing+sharpen", A("zxing"), A("zxing", "sharpen")),
    # Order: what rescues generated card frames first (blur, glare, small modules), then what
    # rescues the odd photographs (artistic and inverted codes), zbar last: it alone reads one
    # of the wrinkled-cloth photos, and costs 15-45 ms on a full frame.
    _cfg("zxing+cascade",
         A("zxing"),
         A("zxing", "sharpen"),
         A("zxing", "adaptive", binarizer="global"),
         A("zxing", "gray", binarizer="global"),
         A("zxing", "sharpen", scale=1.5),
         A("zxing", "sharpen", roi=True, scale=3.0),
         A("zxing", "denoise_adaptive", roi=True, scale=3.0),
         A("zxing", "flatten", roi=True, scale=2.0),
         A("zxing", "gray", scale=0.5, binarizer="global"),
         A("zxing", "invert"),
         A("zbar"),
         # No new attempt after 25 ms: zbar alone can take 15-45 ms on a full frame, and a
         # frame that has failed this far is usually one with heavy glare; the next frame is
         # 67 ms away.
         budget_ms=25.0),
    _cfg("zxing+cascade-no-zbar",
         A("zxing"),
         A("zxing", "sharpen"),
         A("zxing", "adaptive", binarizer="global"),
         A("zxing", "gray", binarizer="global"),
         A("zxing", "sharpen", scale=1.5),
         A("zxing", "sharpen", roi=True, scale=3.0),
         A("zxing", "denoise_adaptive", roi=True, scale=3.0),
         A("zxing", "flatten", roi=True, scale=2.0),
         A("zxing", "gray", scale=0.5, binarizer="global"),
         A("zxing", "invert"),
         budget_ms=40.0),
)}

# Chosen with benchmarks/qr_decode.py: 400 generated 1280x720 card frames (seeds 7 and 11) and
# 137 photographs, one thread; ms = CPU time per frame (median / p95), 2026-11-23:
#   config            generated/frame  within 3 frames  ms generated   photos  ms photos
#   zbar (pyzbar)     73.0-79.8%       77.5-84.3%       13 / 22        75.9%   1.4 / 3.3
#   opencv            49.5-58.3%       66.5-70.8%       36 / 39        36.5%   6.3 / 11.5
#   opencv_aruco      69.0-70.3%       76.3-77.0%       25 / 26        35.8%   3.6 / 12
#   zxing (QR only)   90.3-91.0%       91.3-93.0%       1.5 / 1.8      89.1%   0.2 / 0.9
#   zxing+cascade     96.8-97.0%       98.0-98.3%       1.5 / 6-10     95.6%   0.2 / 5.5
# The cascade costs nothing on the median (its first attempt reads 90% of frames) and lifts
# both sets; zbar as the last attempt adds one photograph (a wrinkled print) and nothing on the
# generated set. Generated frames without glare: 99.6-100%; with glare >= 0.6 (saturated
# modules): 86-89%, most of the remaining misses (the kiosk asks to tilt the card:
# QrDecoder.last_hint -> CameraWorker.qr_hint).
DEFAULT_DECODER_CONFIG = CONFIGS["zxing+cascade"]
