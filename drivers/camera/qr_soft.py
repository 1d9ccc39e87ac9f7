"""Reading a located QR code ourselves, with glared modules as Reed-Solomon erasures.

zxing locates a card's QR code under a glare spot (it reads the finder patterns and the format
and version information, which sit at the corners) and then gives up on the Reed-Solomon
check: the modules under the spot are washed out and it must treat them as errors, each
costing two check symbols. Here the symbol is sampled module by module from the grey frame,
each module is decided with its blurred neighbours' share taken out and gets a confidence
(module_levels), and the least confident codewords are handed to the decoder as erasures,
which cost one check symbol each (qr_symbol.decode_grid). On the card's version 6-9 codes at
level M that is the difference between ~15% and ~30% of the symbol lost to glare.

The geometry: a homography from zxing's corners, refitted on the finder and alignment
patterns (refine); the card is flat, so one homography fits the whole symbol.

Measured (benchmarks/qr_decode.py): it reads 1 to 3 in 10 of the located symbols the cascade
misses; the rest are beyond any codeword-erasing reader of one frame (glare saturating more
codewords than the code's check symbols) or too blurred at 2.5-2.7 px per module.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from drivers.camera.qr_deblur import read_deblurred
from drivers.camera.qr_symbol import SymbolError, alignment_positions, decode_grid

_PX = 5  # pixels per module in the rectified symbol
_MARGIN = 4  # modules around it (the quiet zone): room to look for the finders


def _homography(corners: np.ndarray, size: int) -> np.ndarray:
    """Module coordinates (0..size) -> frame pixels, from the symbol's outer corners."""
    src = np.float32([[0, 0], [size, 0], [size, size], [0, size]])
    return cv2.getPerspectiveTransform(src, np.float32(corners)).astype(np.float64)


# Rectified pixels -> module coordinates (the inverse of the scale to _PX per module + margin).
_FROM_RECT = np.linalg.inv(np.array([[_PX, 0, _MARGIN * _PX], [0, _PX, _MARGIN * _PX],
                                     [0, 0, 1]], np.float64))


def rectify(gray: np.ndarray, to_image: np.ndarray, size: int) -> np.ndarray:
    """The symbol (size modules across) warped upright to _PX pixels per module, with margin."""
    side = (size + 2 * _MARGIN) * _PX
    return cv2.warpPerspective(gray, to_image @ _FROM_RECT, (side, side),
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE)


def module_values(gray: np.ndarray, to_image: np.ndarray, size: int,
                  at: tuple[float, float] = (0.5, 0.5)) -> np.ndarray:
    """The grey level at each module's centre (bilinear), size x size float32; `at`: another
    point of the module, (0, 0) its top-left corner. (Averaging points around the centre read
    fewer symbols: it adds more of the neighbours' blur than it takes off the noise.)"""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    xs, ys = xs + at[0], ys + at[1]
    pts = cv2.perspectiveTransform(np.stack([xs, ys], -1).reshape(1, -1, 2).astype(np.float64),
                                   to_image)[0].astype(np.float32)
    return cv2.remap(gray, pts[:, 0].reshape(size, size), pts[:, 1].reshape(size, size),
                     cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)


_NEAR = np.float32([[0, 1, 0], [1, 0, 1], [0, 1, 0]])  # the 4 edge neighbours
_DIAGONAL = np.float32([[1, 0, 1], [0, 0, 0], [1, 0, 1]])
_ROUNDS = 2


def _spread(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return cv2.filter2D(x, -1, kernel, borderType=cv2.BORDER_CONSTANT)


def module_levels(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each module's darkness decision and confidence, from the module-centre grey levels.

    At 2.5-3 px per module a blurred camera spreads each module over its neighbours: an
    isolated dark module in light ones reads nearly light, and a plain threshold misreads it.
    So the decisions are fitted to a model of that spreading: a module's level (scaled between
    the local light and dark levels, which follow a glare spot's slope) is its own darkness
    plus a share of its 4 edge and 4 diagonal neighbours', the shares fitted by least squares
    to the current decisions; each module then takes the value that best explains its own and
    its neighbours' levels (iterated conditional modes, in nine interleaved passes so that no
    two modules updated together share a neighbour). The confidence is how much worse the
    other value would explain them, in grey levels: near 0 for a module washed out by glare.
    """
    kernel = np.ones((3, 3), np.uint8)
    light = cv2.GaussianBlur(cv2.dilate(values, kernel), (0, 0), 1.0)
    dark_level = cv2.GaussianBlur(cv2.erode(values, kernel), (0, 0), 1.0)
    contrast = np.maximum(light - dark_level, 1.0)
    u = (values - dark_level) / contrast  # ~1 light, ~0 dark
    x = (u < 0.5).astype(np.float32)  # 1 = dark
    n = u.shape[0]
    passes = [np.zeros((n, n), bool) for _ in range(9)]
    for k, m in enumerate(passes):
        m[k // 3::3, k % 3::3] = True

    for _ in range(_ROUNDS):
        design = np.stack([np.ones(n * n, np.float32), x.ravel(), _spread(x, _NEAR).ravel(),
                           _spread(x, _DIAGONAL).ravel()], 1)
        coef = np.linalg.lstsq(design, u.ravel(), rcond=None)[0]
        for m in passes:
            e = [_neighbourhood_misfit(u, np.where(m, value, x), coef) for value in (0.0, 1.0)]
            x = np.where(m, (e[1] < e[0]).astype(np.float32), x)
    gap = np.zeros((n, n), np.float32)
    for m in passes:
        e = [_neighbourhood_misfit(u, np.where(m, value, x), coef) for value in (0.0, 1.0)]
        gap[m] = np.abs(e[1] - e[0])[m]
    return x.astype(bool), gap * contrast


def _neighbourhood_misfit(u: np.ndarray, x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Squared misfit of the spreading model, summed over each module's 3x3 neighbourhood."""
    pred = coef[0] + coef[1] * x + coef[2] * _spread(x, _NEAR) + coef[3] * _spread(x, _DIAGONAL)
    # a clipped (saturated) level can be explained by anything brighter: do not over-penalise
    r = (u - np.minimum(pred, 1.2)) ** 2
    return cv2.boxFilter(r, -1, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT)


def _modules(rows: list[str]) -> np.ndarray:
    """A function pattern's modules as grey levels: dark ("#") 0, light 255."""
    return np.array([[0 if ch == "#" else 255 for ch in row] for row in rows], np.uint8)


def _pattern(grid: np.ndarray) -> np.ndarray:
    """A template image of a function pattern at _PX pixels per module."""
    img = cv2.resize(grid, None, fx=_PX, fy=_PX, interpolation=cv2.INTER_NEAREST)
    return cv2.GaussianBlur(img, (0, 0), _PX * 0.3)


# A finder with its light separator (9 x 9 modules; qr_finders draws it too), and an alignment
# pattern (whose surroundings are data).
FINDER_MODULES = _modules([".........", ".#######.", ".#.....#.", ".#.###.#.", ".#.###.#.",
                           ".#.###.#.", ".#.....#.", ".#######.", "........."])
_FINDER = _pattern(FINDER_MODULES)
_ALIGNMENT_MODULES = _modules(["#####", "#...#", "#.#.#", "#...#", "#####"])
_ALIGNMENT = _pattern(_ALIGNMENT_MODULES)
_MIN_MATCH = 0.5  # normalised correlation: below it a landmark is glared or not there


def _landmarks(size: int) -> list[tuple[float, float, np.ndarray]]:
    """Centres (module x, y) of the finder and alignment patterns, with their templates."""
    c = size - 3.5
    out = [(3.5, 3.5, _FINDER), (c, 3.5, _FINDER), (3.5, c, _FINDER)]
    pos = alignment_positions((size - 17) // 4)
    for y in pos:
        for x in pos:
            if (x, y) not in ((6, 6), (6, pos[-1]), (pos[-1], 6)):
                out.append((x + 0.5, y + 0.5, _ALIGNMENT))
    return out


def _peak_offset(score: np.ndarray, bx: int, by: int) -> tuple[float, float]:
    """Where between pixels the correlation peaks: a parabola through the best score and its
    neighbours on each axis. A pixel of the rectified symbol is 1/_PX module; the deconvolving
    reader (qr_deblur) loses symbols whose grid is off by that much: of 47 hard frames, the
    decoder read 12 with it (all that qr_deblur reads at their true geometry and zxing
    locates), 9 without.
    module_levels' reading does not need it: 59 and 60 of 83 located generated frames with
    and without, and it lost one photograph (qrcode-4/31), so only qr_deblur asks for it."""
    def vertex(a: float, b: float, c: float) -> float:
        d = a - 2 * b + c
        return 0.0 if d >= 0 else max(-0.5, min(0.5, 0.5 * (a - c) / d))
    h, w = score.shape
    dx = vertex(*score[by, bx - 1:bx + 2]) if 0 < bx < w - 1 else 0.0
    dy = vertex(*score[by - 1:by + 2, bx]) if 0 < by < h - 1 else 0.0
    return dx, dy


def refine(gray: np.ndarray, to_image: np.ndarray, size: int, reach: float = 2.0,
           rounds: int = 2, *, subpixel: bool = False) -> np.ndarray:
    """The homography refitted on the finder and alignment patterns found near where the
    current one puts them (within `reach` modules). zxing's bottom-right corner is
    extrapolated from the finders, and a module or two off there misreads a whole quarter of
    the symbol; the alignment patterns pin it down. Landmarks lost under the glare are left
    out; with fewer than four found, the homography is kept. subpixel: the patterns' places
    to a fraction of a pixel of the rectified symbol (_peak_offset), else to the pixel."""
    for _ in range(rounds):
        rect = rectify(gray, to_image, size)
        found_mod, found_px = [], []
        for mx, my, tpl in _landmarks(size):
            cx, cy = (mx + _MARGIN) * _PX, (my + _MARGIN) * _PX
            r = tpl.shape[0] / 2 + reach * _PX
            x0, y0 = int(round(cx - r)), int(round(cy - r))
            x1, y1 = int(round(cx + r)), int(round(cy + r))
            if x0 < 0 or y0 < 0 or x1 > rect.shape[1] or y1 > rect.shape[0]:
                continue
            score = cv2.matchTemplate(rect[y0:y1, x0:x1], tpl, cv2.TM_CCOEFF_NORMED)
            _, best, _, (bx, by) = cv2.minMaxLoc(score)
            if best >= _MIN_MATCH:
                found_mod.append((mx, my))
                # the template's middle pixel is the pattern's centre (pixels are samples)
                mid = (tpl.shape[0] - 1) / 2
                dx, dy = _peak_offset(score, bx, by) if subpixel else (0.0, 0.0)
                found_px.append((x0 + bx + dx + mid, y0 + by + dy + mid))
        if len(found_mod) < 4:
            return to_image
        px = cv2.perspectiveTransform(np.float64(found_px)[None], to_image @ _FROM_RECT)
        fitted, _ = cv2.findHomography(np.float64(found_mod), px[0], 0)
        if fitted is None:
            return to_image
        to_image = fitted
        reach = 1.0
    return to_image


@lru_cache(maxsize=None)
def _function_patterns(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The modules every symbol of this size has (finders with their separators, timing
    patterns, alignment patterns, the dark module): True = dark, and where they are."""
    dark, where = np.zeros((size, size), bool), np.zeros((size, size), bool)
    where[6, 8:size - 8] = where[8:size - 8, 6] = True  # timing
    dark[6, 8:size - 8:2] = dark[8:size - 8:2, 6] = True
    finder = FINDER_MODULES < 128
    for y, x in ((0, 0), (0, size - 8), (size - 8, 0)):  # with the separator, 8 x 8
        fy, fx = (0 if y else 1), (0 if x else 1)  # the light ring on the inner sides
        dark[y:y + 8, x:x + 8] = finder[fy:fy + 8, fx:fx + 8]
        where[y:y + 8, x:x + 8] = True
    for mx, my, _ in _landmarks(size)[3:]:  # alignment patterns: 5 x 5 centred there
        y, x = int(my) - 2, int(mx) - 2
        dark[y:y + 5, x:x + 5] = _ALIGNMENT_MODULES < 128
        where[y:y + 5, x:x + 5] = True
    dark[size - 8, 8] = where[size - 8, 8] = True
    return dark, where


def _turned(gray: np.ndarray, corners: np.ndarray, size: int) -> np.ndarray:
    """The corners turned so that the symbol's function patterns are where they belong:
    zxing's corner order follows the frame for some rotations, not the symbol. All four turns
    are scored on the finders, timing and alignment patterns together: a glare spot over one
    finder leaves it looking no more like one than the data in the corner without a finder."""
    dark, where = _function_patterns(size)
    values = module_values(gray, _homography(corners, size), size)
    kernel = np.ones((5, 5), np.uint8)
    rough = values < (cv2.dilate(values, kernel) + cv2.erode(values, kernel)) / 2
    # the corners rolled by one turn sample the same points, the grid turned a quarter back
    scores = [int((np.rot90(rough, -turn) == dark)[where].sum()) for turn in range(4)]
    return np.roll(corners, int(np.argmax(scores)), axis=0)


def read_located(gray: np.ndarray, corners: np.ndarray, version: int, *,
                 deblur: bool = False) -> bytes | None:
    """The raw bytes of the QR code of `version` whose outer corners (TL, TR, BR, BL as zxing
    gives them) lie at `corners` in `gray`; None when it cannot be read with confidence
    (qr_symbol's margins: never a wrong payload). deblur: as read_at's."""
    size = 17 + 4 * version
    corners = _turned(gray, np.float32(corners), size)
    to_image = refine(gray, _homography(corners, size), size, subpixel=deblur)
    return read_at(gray, to_image, size, deblur=deblur)


def read_at(gray: np.ndarray, to_image: np.ndarray, size: int, *,
            deblur: bool = False) -> bytes | None:
    """The raw bytes of the symbol (size modules across) that `to_image` (module coordinates
    -> pixels) maps onto `gray`; None when it cannot be read with confidence. The modules are
    decided by module_levels (~1 ms); deblur: when those do not read, by deconvolution too
    (qr_deblur.py, 10-20 ms; module_levels' decisions only seed its light and contrast levels).
    read_located's grid for deblur is placed between pixels, and module_levels' reading of it
    reads some symbols the deconvolution does not (2 of the 2,800 generated frames)."""
    dark, confidence = module_levels(module_values(gray, to_image, size))
    try:
        return decode_grid(dark, confidence)
    except SymbolError:
        pass
    return read_deblurred(gray, to_image, size, dark) if deblur else None
