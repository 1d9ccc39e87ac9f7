"""QR decoding of camera frames: several engines and pre-processings, cheapest first.

`QrDecoder(config).decode(frame)` runs the configuration's attempts in order and stops at the
first that reads a QR code. Each result carries the RAW bytes of the code; `text` is those bytes
as strict UTF-8 or None. We never take a library's text: zbar guesses Shift-JIS before UTF-8 for
payloads without an ECI header and garbles ~2% of Vietnamese names (zbar issues 212/244).

Engines are in qr_engines.py (zxing, zbar, opencv, opencv_aruco), pre-processings in qr_prep.py.
The "soft" attempt is our own reading (qr_soft.py) of a symbol zxing located but could not read:
module by module, with the glared modules as Reed-Solomon erasures.

Across frames (a card held in front of the camera): when the cascade fails on a frame where a
code was located, the region is aligned with the previous failed frames' and fused, taking
each pixel from the frame least lit by the glare spot there (which moves as the hand moves);
the fused region is tried too (_Fusion; DecoderConfig.fuse_frames; only with remember_roi).

The configuration that ships (DEFAULT_DECODER_CONFIG) was chosen with benchmarks/qr_decode.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from drivers.camera.qr_engines import Found, Located, Zbar, opencv, zxing
from drivers.camera.qr_finders import symbol_from_finder
from drivers.camera.qr_prep import AFTER_SCALE, prep
from drivers.camera.qr_soft import read_located

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
    engine "soft": no image of its own; qr_soft reads the whole symbols that earlier attempts
    on this frame located but could not read (glared modules as erasures). engine "deblur":
    the same, its modules decided by deconvolution (qr_deblur.py; slower, reads more).
    """

    engine: str
    prep: str = "gray"
    scale: float = 1.0
    roi: bool = False
    binarizer: str = "local"

    @property
    def label(self) -> str:
        if self.engine in _SYMBOL_READERS:
            return self.engine
        parts = [self.engine, self.prep]
        if self.binarizer != "local" and self.engine == "zxing":
            parts.append(self.binarizer)
        if self.scale != 1.0:
            parts.append(f"x{self.scale:g}")
        if self.roi:
            parts.append("roi")
        return "/".join(parts)


# CPU milliseconds the cascade leaves for the fused-region attempts on a held card's frames.
FUSION_RESERVE_MS = 18.0


@dataclass(frozen=True)
class DecoderConfig:
    name: str
    attempts: tuple[Attempt, ...]
    # Stop trying further attempts on one frame after this many ms of CPU time: the next frame
    # comes soon and keeps the median low; the ROI memory carries the hint over to it.
    budget_ms: float = 60.0
    doc: str = ""
    # Frames fused when the cascade fails on a located code (0: never); see _Fusion.
    fuse_frames: int = 0


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


def _inside(a: _Roi, b: _Roi) -> bool:
    """Whether b's centre lies in a (the same card, moved a little)."""
    cx, cy = b.x + b.w / 2, b.y + b.h / 2
    return a.x <= cx < a.x + a.w and a.y <= cy < a.y + a.h


# The fused region: at least this many pixels square around a located code. zxing often
# locates only a finder pattern of a glared code; a card QR at 3 px per module is ~200 px wide.
_FUSE_SIDE = 440


def _grown(roi: _Roi, shape: tuple[int, ...], side: int = _FUSE_SIDE) -> _Roi:
    h, w = shape[:2]
    sw, sh = min(w, max(roi.w, side)), min(h, max(roi.h, side))
    x = int(min(max(0, roi.x + roi.w / 2 - sw / 2), w - sw))
    y = int(min(max(0, roi.y + roi.h / 2 - sh / 2), h - sh))
    return _Roi(x, y, sw, sh)


# Measured on generated frames: below ~3 px per module reading fails often (cccd.md section 1).
# Modules across a card QR with its 4-module quiet zones, for the "too far" hint: a version-10
# symbol (57 + 8). Card payloads of 90-250 bytes at level M take versions 6-11 (the generated
# ones, 97-159 bytes, 6-9); taking the larger size errs towards asking for the card closer.
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


def _attempt_image(base: np.ndarray, attempt: Attempt,
                   prepped: np.ndarray | None = None) -> np.ndarray:
    """What the attempt's engine sees: `base` pre-processed and scaled, the pre-processing
    after the scaling for those tuned on upscaled images (AFTER_SCALE). `prepped`: `base`
    already pre-processed (the cascade shares one pre-processing among attempts)."""
    after = attempt.prep in AFTER_SCALE
    img = base if after else prepped if prepped is not None else prep(base, attempt.prep)
    if attempt.scale != 1.0:
        img = cv2.resize(img, None, fx=attempt.scale, fy=attempt.scale,
                         interpolation=cv2.INTER_CUBIC if attempt.scale > 1 else cv2.INTER_AREA)
    return prep(img, attempt.prep) if after else img


# Engines that read the symbols earlier attempts located, with no image of their own.
_SYMBOL_READERS = ("soft", "deblur")


def _grow(gray: np.ndarray, fragments: list[np.ndarray]) -> list[tuple[np.ndarray, int]]:
    """The whole symbol around the first lone finder zxing located (qr_finders), if any:
    5-15 ms, so one finder per frame."""
    found = symbol_from_finder(gray, fragments[0])
    return [found] if found else []


# Attempts on a fused region (scale: upscaling of the fused crop).
# Measured on held-card sequences: the upscaled adaptive threshold reads 4 in 5 of the fused
# regions that get read, a sharpened x2 most of the rest. x2.5 rather than the cascade's x3:
# as many reads, 6 ms less on a 440 px region.
# Then qr_soft on the symbols these locate, in configurations that have it in their cascade.
_FUSED_ATTEMPTS = (Attempt("zxing", "denoise_adaptive", roi=True, scale=2.5),
                   Attempt("zxing", "sharpen", roi=True, scale=2.0))
_ECC = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 30, 1e-4)


def _glow(gray: np.ndarray) -> np.ndarray:
    """The local brightness (a wide blur, computed at quarter size): high under a glare spot."""
    h, w = gray.shape[:2]
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), 2), (w, h), interpolation=cv2.INTER_LINEAR)


class _Fusion:
    """The located code's region over consecutive failed frames, aligned and fused.

    A glare spot is the lamp's reflection: it moves across the card as the hand moves, while the
    printed modules stay put on the card. Each failed frame's crop of the region (the same frame
    rectangle as the first) is aligned to the fused image (ECC, rotation + shift, at half size),
    and the fused image takes each pixel from the one of the last few aligned crops whose
    local brightness is lowest there: a module saturated in one frame comes from a frame where
    the spot had moved away. (A plain per-pixel minimum read as many; picking keeps one frame's
    sharpness and noise instead of darkening and thickening the modules.)"""

    def __init__(self, roi: _Roi, crop: np.ndarray, keep: int) -> None:
        self.roi = roi
        self.crops: list[np.ndarray] = [crop]
        self.glow: list[np.ndarray] = [_glow(crop)]
        self.keep = keep
        self.warp = np.eye(2, 3, dtype=np.float32)  # fused coords -> this frame's crop coords
        self.fused = crop

    def add(self, gray: np.ndarray) -> bool:
        r = self.roi
        crop = gray[r.y:r.y + r.h, r.x:r.x + r.w]
        if crop.shape != self.fused.shape:
            return False
        half = lambda im: cv2.resize(im, None, fx=0.5, fy=0.5,  # noqa: E731
                                     interpolation=cv2.INTER_AREA).astype(np.float32)
        w = self.warp.copy()
        w[:, 2] /= 2
        try:
            _, w = cv2.findTransformECC(half(self.fused), half(crop), w, cv2.MOTION_EUCLIDEAN,
                                        _ECC, None, 3)
        except cv2.error:
            return False  # no convergence: the card moved too much or is gone
        w[:, 2] *= 2
        self.warp = w
        aligned = cv2.warpAffine(crop, w, (r.w, r.h), flags=cv2.INTER_LINEAR |
                                 cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=255)
        self.crops = (self.crops + [aligned])[-self.keep:]
        glow = _glow(aligned)
        glow[aligned == 255] = 255  # outside this frame's crop: never pick it
        self.glow = (self.glow + [glow])[-self.keep:]
        pick = np.argmin(np.stack(self.glow), axis=0)
        self.fused = np.take_along_axis(np.stack(self.crops), pick[None], axis=0)[0]
        return True

    def to_frame(self, pts) -> tuple[tuple[int, int], ...]:
        """Points in the fused crop -> the latest frame's pixels."""
        p = np.array(pts, np.float32).reshape(-1, 2)
        q = p @ self.warp[:, :2].T + self.warp[:, 2] + [self.roi.x, self.roi.y]
        return tuple((int(x), int(y)) for x, y in q)


@dataclass
class QrDecoder:
    """Decodes frames with one configuration. Not thread-safe: one per worker thread.

    Keeps state between frames: where a code-like pattern was last seen, so that the next
    frame's ROI attempts start there (the card barely moves between frames), and, while the
    cascade keeps failing on a located code, the last frames' aligned crops of it (_Fusion).
    remember_roi=False judges every frame alone (neither is kept).
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

    _fusion: _Fusion | None = field(default=None, init=False, repr=False)

    def reset(self) -> None:
        self._last_roi = None
        self.last_hint = None
        self._fusion = None

    def decode(self, frame: np.ndarray) -> list[DecodedCode]:
        t0 = time.perf_counter()
        gray = to_gray(frame)
        if min(gray.shape[:2]) < _MIN_SIDE:
            return []  # nothing a QR code fits in (and some pre-processings need room)
        hint = self._last_roi if self.remember_roi else None
        new_hint: _Roi | None = None
        preps: dict[tuple, np.ndarray] = {}
        # whole symbols located (frame corners, version)
        symbols: list[tuple[np.ndarray, int]] = []
        # lone finder patterns zxing located (fragments, no version): grown into a symbol by
        # qr_finders when no attempt located a whole one, once per frame
        fragments: list[np.ndarray] = []
        grown = False
        read_upto: dict[str, int] = {}  # per symbol reader: the symbols it has had
        # The budget counts this thread's CPU time, not wall time: on a machine busy with other
        # work the same attempts run (same decode rate), they only take longer.
        cpu0 = time.thread_time()
        budget = self.config.budget_ms
        if self._fusion is not None:
            # A held card that earlier frames could not read: the fused region is the better
            # bet now, so the cascade leaves it part of the frame's time (p95 per frame).
            budget -= FUSION_RESERVE_MS
        for attempt in self.config.attempts:
            if (time.thread_time() - cpu0) * 1000 > budget:
                break
            if attempt.engine in _SYMBOL_READERS:
                if not symbols and fragments and not grown:
                    grown = True
                    symbols += _grow(gray, fragments)
                # a reader placed again later in the cascade reads what was located since
                untried = symbols[read_upto.get(attempt.engine, 0):]
                read_upto[attempt.engine] = len(symbols)
                found = self._soft(gray, untried, deblur=attempt.engine == "deblur")
                if found:
                    return self._read(found, attempt.label, (0, 0), 1.0, t0, gray)
                continue
            roi = new_hint or hint
            if attempt.roi and (roi is None or roi.x + _MIN_SIDE > gray.shape[1]
                                or roi.y + _MIN_SIDE > gray.shape[0]):
                continue  # no hint, or one from a bigger frame than this one
            base = gray[roi.y:roi.y + roi.h, roi.x:roi.x + roi.w] if attempt.roi else gray
            # keyed by the ROI itself: a hint found mid-cascade moves the ROI
            key = (attempt.prep, (roi.x, roi.y, roi.w, roi.h) if attempt.roi else None)
            if attempt.prep not in AFTER_SCALE and key not in preps:
                preps[key] = prep(base, attempt.prep)
            found, hints = self._run(attempt, _attempt_image(base, attempt, preps.get(key)))
            located = [h.corners / attempt.scale + ([roi.x, roi.y] if attempt.roi else [0, 0])
                       for h in hints]
            symbols += [(c, h.version) for c, h in zip(located, hints) if h.version]
            fragments += [c for c, h in zip(located, hints) if not h.version]
            if located and new_hint is None:
                # the largest located region: the whole symbol rather than a finder fragment
                h = max(located, key=lambda c: float(np.ptp(c[:, 0]) * np.ptp(c[:, 1])))
                new_hint = _roi_from(h, gray.shape)
            if found:
                return self._read(found, attempt.label, (roi.x, roi.y) if attempt.roi else (0, 0),
                                  attempt.scale, t0, gray)
        if self.remember_roi and self.config.fuse_frames > 1 and (new_hint or hint) is not None:
            codes = self._fuse(gray, new_hint or hint, t0, cpu0)
            if codes:
                return codes
        elif self._fusion is not None:
            self._fusion = None
        self._last_roi = new_hint or None
        self.last_hint = _diagnose(gray, new_hint) if new_hint else None
        return []

    def _read(self, found: list[Found], label: str, off: tuple[int, int], scale: float,
              t0: float, gray: np.ndarray) -> list[DecodedCode]:
        """The codes an attempt read, with positions in frame pixels; remembers where."""
        ms = (time.perf_counter() - t0) * 1000
        codes = []
        for raw, pts in found:
            pos = tuple((int(x / scale + off[0]), int(y / scale + off[1])) for x, y in pts)
            codes.append(DecodedCode(raw, bytes_to_text(raw), label, ms, pos))
        if pos := codes[0].position:
            self._last_roi = _roi_from(np.array(pos, np.float32), gray.shape)
        self.last_hint = None
        self._fusion = None
        return codes

    @staticmethod
    def _soft(gray: np.ndarray, symbols: list[tuple[np.ndarray, int]],
              deblur: bool = False) -> list[Found]:
        """qr_soft's reading (deblur: qr_deblur's, 10-50 ms more) of the first of `symbols`,
        1-15 ms. The readers get the first symbol located since they last ran: the attempts
        right after them mostly locate the same symbol again, a pixel or a few off (over 2,800
        generated frames and the photographs reading a second place read nothing more, and its
        time kept the deblur attempt out of the budget on 2), so the shipped cascade has them
        again only after the upscaled attempt, which finds some symbols the others do not."""
        if not symbols:
            return []
        corners, version = symbols[0]
        raw = read_located(gray, corners, version, deblur=deblur)
        return [] if raw is None else [(raw, tuple((int(x), int(y)) for x, y in corners))]

    def _fuse(self, gray: np.ndarray, roi: _Roi, t0: float, cpu0: float) -> list[DecodedCode]:
        """After a failed cascade on a located code: fuse this frame's region with the previous
        failed frames' (see _Fusion) and try the fused region. qr_soft's (and qr_deblur's) reading
        of it only within the frame's budget (it would take the p95 past 40 ms)."""
        f = self._fusion
        if f is None or not _inside(f.roi, roi) or not f.add(gray):
            r = _grown(roi, gray.shape)
            if r.x + _MIN_SIDE > gray.shape[1] or r.y + _MIN_SIDE > gray.shape[0]:
                self._fusion = None
                return []
            self._fusion = _Fusion(r, gray[r.y:r.y + r.h, r.x:r.x + r.w].copy(),
                                   self.config.fuse_frames)
            return []
        symbols: list[tuple[np.ndarray, int]] = []
        engines = {a.engine for a in self.config.attempts}
        readers = tuple(Attempt(e) for e in _SYMBOL_READERS if e in engines)
        for attempt in _FUSED_ATTEMPTS + readers:
            if attempt.engine in _SYMBOL_READERS:
                if (time.thread_time() - cpu0) * 1000 > self.config.budget_ms:
                    break
                found = self._soft(f.fused, symbols, deblur=attempt.engine == "deblur")
                if found:
                    return self._fused_read(found, attempt, f, t0)
                continue
            found, hints = self._run(attempt, _attempt_image(f.fused, attempt))
            symbols += [(h.corners / attempt.scale, h.version) for h in hints if h.version]
            if found:
                return self._fused_read(found, attempt, f, t0)
        return []

    def _fused_read(self, found: list[Found], attempt: Attempt, f: _Fusion,
                    t0: float) -> list[DecodedCode]:
        """The codes read on the fused region, with positions in the latest frame's pixels."""
        ms = (time.perf_counter() - t0) * 1000
        label = f"fused{len(f.crops)}/{attempt.label}"
        codes = [DecodedCode(raw, bytes_to_text(raw), label, ms,
                             f.to_frame([(x / attempt.scale, y / attempt.scale)
                                         for x, y in pts]) if pts else ())
                 for raw, pts in found]
        self._last_roi = f.roi
        self.last_hint = None
        self._fusion = None
        return codes

    def _run(self, attempt: Attempt, img: np.ndarray) -> tuple[list[Found], list[Located]]:
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


def _cfg(name: str, *attempts: Attempt, budget_ms: float = 60.0, doc: str = "",
         fuse_frames: int = 0) -> DecoderConfig:
    return DecoderConfig(name, tuple(attempts), budget_ms, doc, fuse_frames)


A = Attempt
# Order: what rescues generated card frames first (blur, glare, small modules), then what
# rescues the odd photographs (artistic and inverted codes); zbar goes after these (below): it
# alone reads one of the wrinkled-cloth photos, and costs 15-45 ms on a full frame.
_CASCADE = (
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
)
# Every configuration the benchmark compares. Single-engine baselines first.
CONFIGS: dict[str, DecoderConfig] = {c.name: c for c in (
    _cfg("zbar", A("zbar")),
    _cfg("zxing", A("zxing")),
    _cfg("opencv", A("opencv")),
    _cfg("opencv_aruco", A("opencv_aruco")),
    _cfg("zxing+sharpen", A("zxing"), A("zxing", "sharpen")),
    # No new attempt after 25 ms: zbar alone can take 15-45 ms on a full frame, and a frame
    # that has failed this far is usually one with heavy glare; the next frame is 67 ms away.
    _cfg("zxing+cascade", *_CASCADE, A("zbar"), budget_ms=25.0),
    _cfg("zxing+cascade-no-zbar", *_CASCADE, budget_ms=40.0),
    # qr_soft after the four whole-frame zxing attempts, which locate a glared symbol when
    # any attempt does (last in the cascade, it was rarely reached within the budget).
    _cfg("zxing+cascade+soft", *_CASCADE[:4], A("soft"), *_CASCADE[4:], A("zbar"),
         budget_ms=25.0),
    # qr_deblur right after qr_soft, on the one symbol located: later in the cascade it was
    # seldom reached within the budget (5 of the 47 frames it reads there, 12 here).
    _cfg("zxing+cascade+soft+deblur", *_CASCADE[:4], A("soft"), A("deblur"), *_CASCADE[4:],
         A("zbar"), budget_ms=25.0),
    # and both again after the upscaled attempt, on the first symbol it located (or grown from
    # the first finder it found) when the earlier attempts located none: 3-4 more of 2,800.
    _cfg("zxing+cascade+soft+deblur+late", *_CASCADE[:4], A("soft"), A("deblur"), _CASCADE[4],
         A("soft"), A("deblur"), *_CASCADE[5:], A("zbar"), budget_ms=25.0),
)}
# The same cascade, and when it fails on a located code, the last frames' regions fused.
for _name in ("zxing+cascade", "zxing+cascade+soft", "zxing+cascade+soft+deblur",
              "zxing+cascade+soft+deblur+late"):
    CONFIGS[_name + "+fusion"] = replace(CONFIGS[_name], name=_name + "+fusion", fuse_frames=8)

# Chosen with benchmarks/qr_decode.py: 400 generated 1280x720 card frames (seeds 7 and 11) and
# 137 photographs, one thread; ms = CPU time per frame (median / p95), 2026-11-23. "old 3":
# a missed card re-rendered twice from scratch; "held 3/5/10": the card held in front of the
# camera, consecutive frames (small motion, glare spot moving, new noise; see the benchmark),
# read within 3 / 5 / 10 frames by one decoder:
#   config          per frame  old 3      held 3 / 5 / 10 frames         ms (gen.)   photos
#   zbar (pyzbar)   73.0-79.8  77.5-84.3  75.8-81.8/77.8-83.5/81.3-86.0  13 / 22     75.9%
#   opencv          49.5-58.3  66.5-70.8  66.0-70.3/69.5-74.8/75.5-78.3  35 / 39     36.5%
#   opencv_aruco    69.0-70.3  76.3-77.0  74.3-77.5/76.8-79.8/79.5-83.5  25 / 27     35.8%
#   zxing (QR only) 90.3-91.0  91.3-93.0  90.8-92.0/91.8-93.0/94.5-95.0  1.5 / 2     89.1%
#   zxing+cascade   96.8-97.0  98.0-98.3  97.0-97.8/97.5-97.8/99.0-99.3  1.4 / 7-10  95.6%
#   ...+fusion      96.8-97.0  97.5-97.8  98.0-98.3/98.3-99.0/99.0-99.3  1.4 / 7-11  95.6%
#   ...+soft        96.8-97.8  98.0-98.5  97.5-97.8/97.8    /99.0-99.3  1.4 / 6-12  96.4%
#   ...+soft+fusion 96.5-97.8  97.3-98.3  98.3     /98.5-99.0/99.3-99.5  1.4 / 7-12  96.4%
# and over four seeds (7, 11, 13, 17), 2026-12-05:
#   ...+soft+fusion 95.0-98.8  97.8-99.3  96.0-99.5/97.0-99.8/98.8-99.8  1.4 / 6-20  96.4%
#   +deblur         97.0-98.8  98.0-99.3  97.0-99.5/97.5-99.8/99.0-99.8  1.3 / 5-18  96.4%
#   +2nd look       97.5-99.0  98.0-99.5  97.5-99.5/98.0-99.8/99.0-99.8  1.3 / 5-18  96.4%
# and 2026-12-06, qr_symbol erasing single bits and the readers again after x1.5:
#   four seeds      98.0-99.5  98.8-99.8  98.0-99.8/98.5-99.8/99.3-100   1.1 / 5-14  95.6%
#   seeds 19/23/29  98.5-99.0  99.5-99.8  99.3     /99.3-99.8/99.8-100   1.1 / 3-10  95.6%
# then searching for wrong bits past the erased ones, faster Reed-Solomon (ships):
#   four seeds      98.8-99.5  99.3-99.8  99.0-99.8/99.0-99.8/99.3-100   1.1 / 5-12  95.6%
#   seeds 19/23/29  99.0-99.3  99.8       99.3-99.5/99.3-99.8/99.8-100   1.1 / 3-9   95.6%
# The cascade costs nothing on the median (its first attempt reads 90% of frames) and lifts
# both sets; zbar as the last attempt adds one photograph (a wrinkled print) and nothing on the
# generated set. Generated frames without glare: 99.6-100%; with glare >= 0.6 (saturated
# modules): 86-90%, most of the remaining misses. Fusion works only across frames, so single
# frames read the same; on a held card it reads glared codes sooner. Its cost falls on failed
# frames only, and while a fusion stack is active the cascade leaves it FUSION_RESERVE_MS of
# the frame's budget. qr_soft ("soft", shipped) reads 7-9 of the 12-13 frames per 400 that
# zxing locates but cannot read, of which about half the rest of the cascade would also read;
# it adds one photograph and, with fusion, a card or two per 400 held. qr_deblur ("deblur",
# shipped) reads what qr_soft could not of the same located symbol, by deconvolution: 12 of the
# 47 frames per 1,600 the soft configuration missed; symbols of which zxing found only one
# finder are grown from it (_grow, qr_finders): 2 more. qr_deblur's second look (the blocks
# that corrected held, the rest solved again) reads the same 1,566 of these 1,600 and 4 more
# of 1,200 frames on seeds 19, 23 and 29, not used while building it; reading only the first
# symbol located (QrDecoder._soft) 2 more of the 2,800, and qr_finders fitting the fragment's
# Micro QR size 2 more (98.1% of single frames over four seeds). Then qr_symbol erasing
# single bits, the readers again after the x1.5 attempt and the symbol turned by all its
# function patterns (qr_soft._turned): 2,766 of the seven seeds' 2,800 frames against 2,746,
# 98.75% over four seeds, 99.6% of held cards within 10 frames (seeds 99.25-100%) and 99.9%
# within 30 (2 s), CPU p95 over the held frames 11-36 ms. 7 of those 1,600 frames are beyond
# any single-frame reader erasing codewords (benchmark: generated_beyond_repair), and of the
# 20 single frames missed, qr_soft and qr_deblur read 5 at the renderer's exact geometry
# (missed_read_at_true_geometry); the rest are glare plus blur at 2.5-3.5 px per module.
# Then qr_symbol searching for one or two wrong bits just past the erased ones
# (_Elimination.search), module_levels' reading of the deconvolution's sub-pixel grid first
# (qr_soft.read_at) and Reed-Solomon twice as fast: 2,775 of the 2,800 (99.1%; four seeds
# 1,586 of 1,600, validation seeds 1,189 of 1,200), held cards within 10 frames 99.25-100%.
# Cards still missed after 10 frames: a glare spot that moves slowly (read at frames 11-18) or
# 2.6 px modules with heavy blur (the kiosk asks to tilt the card or bring it closer:
# QrDecoder.last_hint -> CameraWorker.qr_hint).
DEFAULT_DECODER_CONFIG = CONFIGS["zxing+cascade+soft+deblur+late+fusion"]
