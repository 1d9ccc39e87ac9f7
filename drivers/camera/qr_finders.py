"""A whole QR symbol found from one finder pattern, when zxing locates nothing more.

Under a glare spot zxing often finds a single finder pattern of a card's code and reports it as
a fragment (a Micro QR candidate: a square of 11, 13, 15 or 17 modules with the finder in one
corner, no version; the size is the one that draws that finder best). The card is flat and
the symbol small in the frame, so the other two finders look like that one: the fragment's
module vectors draw a finder template, normalised correlation finds the finder-like places
around it, and three of them at the corners of a right isosceles triangle are the symbol's
finders. The version is the one whose timing patterns (row and column 6, alternating between
the finders) stay in step with the module grid it implies. When the spot also hides one of the
other two finders, the third is placed where the two seen put it, at places the frame is
saturated (_third_finder).

Measured on the 47 hard frames of 1,600 generated ones (seeds 7, 11, 13, 17; those the
cascade with qr_soft misses): 20 have fragments and no whole symbol; it grows 10 of them,
each at the right version (the grid within 0.04 module where checked), and the kiosk's
decoder then reads 2 more of the 47 (13). 5-15 ms per fragment. Taking the square as 17
modules always (as first written) put the version 2-4 off on two frames of those seeds
(zxing's squares there fit 13 and 15 modules); both are read now.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from drivers.camera.qr_soft import FINDER_MODULES, module_values, refine

__all__ = ["symbol_from_finder"]

_PEAKS = 6
_MIN_PEAK = 0.35  # normalised correlation: a finder under a moderate glare still reaches it
# A card's payload (90-250 bytes at level M) takes versions 6-11; one more each side.
_VERSIONS = range(5, 13)
# Normalised correlation of the timing patterns with the alternation: measured 0.47-0.70 at the
# right version on glared cards, below 0.15 one version off.
_MIN_TIMING = 0.3
# Modules across the Micro QR square zxing reports around a lone finder (M4 to M1); it does
# not say which: on glared cards 17, 15 and 13 were seen.
_MICRO_SIDES = (17, 15, 13, 11)
# A third finder inferred from two is tried where at least this share of the frame around it
# is saturated (a glare spot hid it), the most saturated first, at most this many places.
_GLARED = 0.5
_GLARED_TRIES = 3


def _finder_template(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """A finder with its light ring (9 x 9 modules), drawn with module vectors u, v (px)."""
    ring = FINDER_MODULES.astype(np.float32)
    half = (np.abs(u) + np.abs(v)) * 4.5 + 2
    w, h = 2 * int(np.ceil(half[0])) + 1, 2 * int(np.ceil(half[1])) + 1
    centre = np.array([w / 2, h / 2]) - 4.5 * (u + v)
    affine = np.float32([[u[0], v[0], centre[0]], [u[1], v[1], centre[1]]])
    return cv2.warpAffine(ring, affine, (w, h), flags=cv2.INTER_AREA, borderValue=255)


def _peaks(score: np.ndarray, apart: int) -> list[tuple[float, float, float]]:
    """The best-scoring places (score, x, y), at least `apart` pixels from each other."""
    score = score.copy()
    out = []
    for _ in range(_PEAKS):
        _, best, _, (x, y) = cv2.minMaxLoc(score)
        if best < _MIN_PEAK:
            break
        out.append((best, float(x), float(y)))
        score[max(0, y - apart):y + apart + 1, max(0, x - apart):x + apart + 1] = -1
    return out


def _triangles(peaks: list[tuple[float, np.ndarray]], module: float):
    """(score, top-left, top-right, bottom-left) for each three places that could be a
    symbol's finders of a card-sized version, best first."""
    out = []
    for a, b, c in itertools.permutations(range(len(peaks)), 3):
        if b > c:
            continue
        tl, p, q = peaks[a][1], peaks[b][1], peaks[c][1]
        d1, d2 = p - tl, q - tl
        n1, n2 = np.linalg.norm(d1), np.linalg.norm(d2)
        if not (0.75 < n1 / n2 < 1.33) or abs(d1 @ d2) > 0.3 * n1 * n2:
            continue
        span = (n1 + n2) / 2 / module + 7  # modules across
        if not (17 + 4 * _VERSIONS[0] - 8 < span < 17 + 4 * _VERSIONS[-1] + 8):
            continue
        out.append((peaks[a][0] + peaks[b][0] + peaks[c][0], tl, *_clockwise(tl, p, q)))
    return sorted(out, key=lambda t: -t[0])


def symbol_from_finder(gray: np.ndarray, fragment: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(outer corners TL, TR, BR, BL in `gray`, version) of the QR symbol one of whose finder
    patterns zxing reported as `fragment` (4 corners, the finder at the first); None when no
    symbol of a card-sized version fits around it."""
    f = np.float64(fragment)
    u, v = _fragment_vectors(gray, f)
    module = float(np.sqrt(abs(u[0] * v[1] - u[1] * v[0])))
    if not 1.5 < module < 12:
        return None
    tpl = _finder_template(u, v)
    centre = f[0] + 3.5 * (u + v)
    reach = module * (17 + 4 * _VERSIONS[-1])
    h, w = gray.shape[:2]
    x0, y0 = int(max(0, centre[0] - reach)), int(max(0, centre[1] - reach))
    x1, y1 = int(min(w, centre[0] + reach)), int(min(h, centre[1] + reach))
    if x1 - x0 <= tpl.shape[1] or y1 - y0 <= tpl.shape[0]:
        return None
    score = cv2.matchTemplate(gray[y0:y1, x0:x1].astype(np.float32), tpl, cv2.TM_CCOEFF_NORMED)
    mid = np.array([(tpl.shape[1] - 1) / 2 + x0, (tpl.shape[0] - 1) / 2 + y0])
    peaks = [(s, np.array([x, y]) + mid) for s, x, y in _peaks(score, int(5 * module))]
    for _, tl, tr, bl in _triangles(peaks, module)[:2]:
        found = _fit(gray, tl, tr, bl, module)
        if found:
            return found
    # A glare spot over one of the other two finders: the third finder is where a right
    # isosceles triangle on the two seen puts it, if the frame is saturated there.
    for tl, tr, bl in _third_finder(gray, peaks, centre, module)[:_GLARED_TRIES]:
        found = _fit(gray, tl, tr, bl, module)
        if found:
            return found
    return None


def _clockwise(tl: np.ndarray, p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(top-right, bottom-left) of the two other finders p and q of the symbol whose top-left
    finder is at tl: y grows downwards, so the top-right one is clockwise from the other."""
    d1, d2 = p - tl, q - tl
    return (p, q) if d1[0] * d2[1] - d1[1] * d2[0] > 0 else (q, p)


def _span(tl: np.ndarray, tr: np.ndarray, bl: np.ndarray, module: float) -> int:
    """The modules across of the version nearest the finders' spacing."""
    span = (np.linalg.norm(tr - tl) + np.linalg.norm(bl - tl)) / 2 / module + 7
    return 17 + 4 * int(round((span - 17) / 4))


def _affine(tl: np.ndarray, tr: np.ndarray, bl: np.ndarray, n: int) -> np.ndarray:
    """Module coordinates -> pixels for a symbol n modules across with its finders there."""
    src = np.float32([[3.5, 3.5], [n - 3.5, 3.5], [3.5, n - 3.5]])
    return np.vstack([cv2.getAffineTransform(src, np.float32([tl, tr, bl])),
                      [0, 0, 1]]).astype(np.float64)


def _fit(gray: np.ndarray, tl: np.ndarray, tr: np.ndarray, bl: np.ndarray,
         module: float) -> tuple[np.ndarray, int] | None:
    """(outer corners, version) of the symbol with its finders at these places, of the version
    (of the one their spacing gives and its neighbours) whose timing patterns fit best; None
    when none fits."""
    guess = (_span(tl, tr, bl, module) - 17) // 4
    best = None
    for version in (guess - 1, guess, guess + 1):
        if version not in _VERSIONS:
            continue
        n = 17 + 4 * version
        # the peaks are a module or so off (the fragment's size is a guess): the finders
        # matched again on the upright symbol place them to a tenth of one
        to_image = refine(gray, _affine(tl, tr, bl, n), n, subpixel=True)
        timing = _timing_score(gray, to_image, n)
        if best is None or timing > best[0]:
            best = (timing, version, to_image)
    if best is None or best[0] <= _MIN_TIMING:
        return None
    _, version, to_image = best
    n = 17 + 4 * version
    square = np.float64([[[0, 0], [n, 0], [n, n], [0, n]]])
    return cv2.perspectiveTransform(square, to_image)[0].astype(np.float32), version


def _third_finder(gray: np.ndarray, peaks: list[tuple[float, np.ndarray]], centre: np.ndarray,
                  module: float) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(top-left, top-right, bottom-left) for the fragment's finder (the peak at `centre`) and
    one of the two best other peaks as two finders of a card-sized symbol, the third where the
    right isosceles triangle puts it (next to each other: on either side of either end;
    across: the top-left on either side of the middle) and where a glare spot saturates most
    of the frame; the most saturated first."""
    own = [p for _, p in peaks if np.linalg.norm(p - centre) < 3 * module]
    if not own:
        return []
    a = own[0]
    places = []  # (a corner, the next clockwise or anticlockwise, the other; the inferred one)
    for b in [p for _, p in peaks if np.linalg.norm(p - a) >= 3 * module][:2]:
        for end, other in ((a, b), (b, a)):  # next to each other, `end` the top-left
            for turn in (1, -1):
                third = end + turn * _perpendicular(other - end)
                places.append((end, other, third, third))
        for turn in (1, -1):  # across: the top-left off the middle
            third = (a + b) / 2 + turn * _perpendicular(b - (a + b) / 2)
            places.append((third, a, b, third))
    out = []
    for tl, p, q, third in places:
        tr, bl = _clockwise(tl, p, q)
        n = _span(tl, tr, bl, module)
        glared = _saturated_share(gray, third, 3.5 * module)
        if 17 + 4 * _VERSIONS[0] <= n <= 17 + 4 * _VERSIONS[-1] and glared >= _GLARED:
            out.append((glared, tl, tr, bl))
    return [(tl, tr, bl) for _, tl, tr, bl in sorted(out, key=lambda t: -t[0])]


def _saturated_share(gray: np.ndarray, at: np.ndarray, half: float) -> float:
    """The share of saturated pixels (>= 250) within `half` pixels of `at` (0 outside)."""
    x, y, r = int(round(at[0])), int(round(at[1])), int(round(half))
    window = gray[max(0, y - r):max(0, y + r + 1), max(0, x - r):max(0, x + r + 1)]
    return float((window >= 250).mean()) if window.size else 0.0


def _perpendicular(v: np.ndarray) -> np.ndarray:
    return np.array([-v[1], v[0]])


def _fragment_vectors(gray: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The module vectors of a fragment: its side is that of a Micro QR symbol, 11, 13, 15 or
    17 modules (zxing does not say which), whichever draws the finder at its corner best."""
    best = (-np.inf, (f[1] - f[0]) / _MICRO_SIDES[0], (f[3] - f[0]) / _MICRO_SIDES[0])
    h, w = gray.shape[:2]
    for side in _MICRO_SIDES:
        u, v = (f[1] - f[0]) / side, (f[3] - f[0]) / side
        tpl = _finder_template(u, v)
        th, tw = tpl.shape
        c = f[0] + 3.5 * (u + v)
        r = int(np.ceil(np.linalg.norm(u + v)))
        x0, y0 = int(round(c[0])) - tw // 2 - r, int(round(c[1])) - th // 2 - r
        x1, y1 = x0 + tw + 2 * r, y0 + th + 2 * r
        if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
            continue
        score = float(cv2.matchTemplate(gray[y0:y1, x0:x1].astype(np.float32), tpl,
                                        cv2.TM_CCOEFF_NORMED).max())
        best = max(best, (score, u, v), key=lambda b: b[0])
    return best[1], best[2]


def _timing_score(gray: np.ndarray, to_image: np.ndarray, n: int) -> float:
    """How well row 6 and column 6 between the finders alternate dark and light, as a symbol
    of n modules across would have them there (normalised correlation; the finders fix both
    ends, so only the right module count keeps the alternation in step all along)."""
    values = module_values(gray, to_image, n)
    line = np.concatenate([values[6, 8:n - 8], values[8:n - 8, 6]])
    line = line - line.mean()
    step = np.tile([-1.0, 1.0], n)[:n - 16]  # dark (low) at even module indexes
    step = np.concatenate([step, step])
    return float(line @ step / (np.linalg.norm(line) * np.linalg.norm(step) + 1e-6))
