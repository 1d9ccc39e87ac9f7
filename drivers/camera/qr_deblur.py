"""Module decisions by deconvolution, for a located QR symbol qr_soft could not read.

At 2.5-3 px per module with a 1-1.4 px camera blur, a module's centre holds nearly as much of
its neighbours as of itself, and under a glare spot the light modules saturate while the dark
ones next to them are lifted towards white. qr_soft.module_levels decides each module from
one grey level at its centre. Here the symbol is sampled 2 x 2 times per module, and the
modules' darkness is solved for as a whole, with a model of how the frame was made:

    sample = L - C * (Gaussian blur of sigma modules)(darkness), clipped at 255

L is the light level: smooth over the symbol, raised by a glare spot. C is light minus dark:
nearly constant across a card. The darkness x of each module lies in [0, 1] and is found by
projected gradient descent (FISTA). A saturated sample (>= 252) only says the prediction is at
least that bright: a brighter prediction is not pulled down to it. A module under a saturating
spot gets no evidence and stays near 0.5; its confidence |x - 0.5| makes it an erasure for
qr_symbol.decode_grid, whose margins keep a wrong payload out.

sigma (blur, in modules) is not known: SIGMAS are tried in turn, each about 5 ms plus 3-6 ms
for the Reed-Solomon decoding. Measured on the 47 single frames of 1,600 generated ones (seeds
7, 11, 13, 17) that the cascade with qr_soft missed, at the renderer's true geometry:
module_levels reads 5. With deconvolution, 2 x 2 samples and 30 iterations: sigma 0.45 alone
reads 16, (0.4, 0.55) reads 19. 4 x 4 samples, 60 iterations and three sigmas read no more,
at 20 times the cost; without the censoring of saturated samples it reads 8; holding the
finder, timing and alignment modules at their known values read 17, so they are solved for
like the rest. The grid must be right to a tenth of a module (qr_soft.refine's subpixel).

A second look (read_deblurred): when some Reed-Solomon blocks correct and others do not, the
modules of those that did are held at their corrected values, the light level is estimated
again from them, and the rest are solved for again. Of the 49 frames of those 1,600 that
module_levels cannot read even at the true geometry, this reads 22 against 20 (in the tests'
stronger glare, 16 against 13 of 30 cards); finding the settled blocks costs 2-4 ms. Starting
from the blocks module_levels' own grid corrects read none more; solving for a smooth light
level together with the modules read at most the same 20 (11-20 over smoothness weights).
Holding the blocks that corrected under either sigma together, instead of per sigma, read none
more of the 49. Given the renderer's exact light level and contrast instead of _levels', it
reads 6 instead of 3 of the 23 frames of those seeds that the decoder misses and that are not
beyond repair, but 12 instead of 22 of the 49: under the spot the true light level is far above
white, so the modules there get no evidence and become erasures, where _levels' lower estimate
has them decided light, which most of them are. Choosing the erasures better could win a few, no
more: erasing exactly the wrong codewords would read 8 of the 23 at the first solve, and ranking
codewords by this confidence reads 2, and ranking them by how near their light level is to
saturation or by their share of saturated samples no more. At sigma 0.4, 14% of the modules with
most of their samples saturated are decided wrong and 5% of the others, and nearly every wrong
one near the spot is a dark module decided light (94% of the dark modules mostly saturated, 40%
of those partly saturated, 0.1% of the light ones). Deciding dark from 0.4 instead of 0.5 near
saturated samples removes 28% of the errors there but reads 19 instead of 22 of the 49 (0.35
also 19).
Since qr_symbol also erases single bits, ranking dark decisions as the safer ones (2026-12-06),
the first look reads more and the second adds less: 19 against 18 of the tests' 30 cards.
"""

from __future__ import annotations

import cv2
import numpy as np

from drivers.camera.qr_symbol import read_grid

__all__ = ["SIGMAS", "deblurred_modules", "read_deblurred"]

SIGMAS = (0.4, 0.55)  # blur in modules: 1-1.4 px at 2.5-3 px per module, plus the lens
_S = 2  # samples per module along each axis
_PAD = 2  # modules of quiet zone around the symbol: light, not solved for
_ITERATIONS = 30
_FEEDBACK_ROUNDS = 3
_SATURATED = 252
_LEVEL_CELL = 4.0  # modules: how fast the light level may change (a glare spot's flank)
_CONTRAST_CELL = 16.0  # modules: contrast changes over the card, not within the code


def _samples(gray: np.ndarray, to_image: np.ndarray, size: int) -> np.ndarray:
    """The frame at _S x _S points per module, symbol and _PAD modules around it."""
    n = (size + 2 * _PAD) * _S
    c = (np.arange(n, dtype=np.float64) + 0.5) / _S - _PAD
    xs, ys = np.meshgrid(c, c)
    pts = cv2.perspectiveTransform(np.stack([xs, ys], -1).reshape(1, -1, 2), to_image)[0]
    pts = pts.astype(np.float32)
    return cv2.remap(gray, pts[:, 0].reshape(n, n), pts[:, 1].reshape(n, n), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE).astype(np.float32)


# Each module's value over its _S x _S samples, and the samples' sum per module (cv2's
# resizes by an integer factor do exactly that, 10-20 times faster than numpy's kron / sum).
def _up(x: np.ndarray) -> np.ndarray:
    return cv2.resize(x, None, fx=_S, fy=_S, interpolation=cv2.INTER_NEAREST)


def _down(img: np.ndarray) -> np.ndarray:
    m = img.shape[0] // _S
    return cv2.resize(img, (m, m), interpolation=cv2.INTER_AREA) * (_S * _S)


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)


def _local_mean(values: np.ndarray, weight: np.ndarray, cell: float) -> np.ndarray:
    """The weighted mean of the samples within about `cell` modules of each sample. Worked
    out at one value per module (the fields are smooth; 8 times cheaper than per sample) and
    mirrored at the symbol's edges (cv2's default border: replicating the edge read 3 fewer
    of the 47 frames in the measurement above)."""
    m = values.shape[0] // _S
    num = cv2.resize(values * weight, (m, m), interpolation=cv2.INTER_AREA)
    den = cv2.resize(weight, (m, m), interpolation=cv2.INTER_AREA)
    mean = cv2.GaussianBlur(num, (0, 0), cell) / np.maximum(cv2.GaussianBlur(den, (0, 0), cell),
                                                            1e-3)
    return cv2.resize(mean, values.shape[::-1], interpolation=cv2.INTER_LINEAR)


def _levels(obs: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L and C for obs ~ L - C * spread, from the unsaturated samples: C by a local
    least-squares line over a wide area, then L near each sample given C."""
    w = (obs < _SATURATED).astype(np.float32)
    cell = _CONTRAST_CELL
    mean_s, mean_o = _local_mean(spread, w, cell), _local_mean(obs, w, cell)
    var = np.maximum(_local_mean(spread * spread, w, cell) - mean_s * mean_s, 1e-3)
    cov = _local_mean(spread * obs, w, cell) - mean_s * mean_o
    contrast = np.maximum(-cov / var, 8.0)
    return _local_mean(obs + contrast * spread, w, _LEVEL_CELL), contrast


def deblurred_modules(gray: np.ndarray, to_image: np.ndarray, size: int, sigma: float,
                      first_guess: np.ndarray,
                      known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each module's darkness decision and confidence (0-0.5) under a blur of `sigma`
    modules. `first_guess` (size x size, True = dark; module_levels' decisions) only serves to
    estimate the light level and contrast; the solve itself starts from 0.5 everywhere.
    known: size x size, 1.0 dark / 0.0 light for modules held at that value (confidence 0.5),
    NaN for the modules solved for."""
    obs = _samples(np.asarray(gray, np.float32), to_image, size)
    m = size + 2 * _PAD
    inside = np.zeros((m, m), bool)
    inside[_PAD:_PAD + size, _PAD:_PAD + size] = True
    guess = np.asarray(first_guess, np.float32)
    held = np.zeros((m, m), np.float32)  # the quiet zone is held light
    free = inside.copy()
    if known is not None:
        known = np.asarray(known, np.float32)
        guess = np.where(np.isnan(known), guess, known)
        held[inside] = np.nan_to_num(known, nan=0.0).ravel()
        free[inside] = np.isnan(known).ravel()
    x = np.zeros((m, m), np.float32)
    x[inside] = guess.ravel()
    s = sigma * _S
    light, contrast = _levels(obs, _blur(_up(x), s))
    saturated = obs >= _SATURATED
    step = 1.0 / (2 * float(contrast.max()) ** 2 * _S * _S)  # 1 / the gradient's Lipschitz bound
    x = np.where(free, np.float32(0.5), held)
    y, t = x.copy(), 1.0
    for _ in range(_ITERATIONS):
        pred = light - contrast * _blur(_up(y), s)
        r = pred - obs
        r[saturated & (pred >= 255)] = 0  # a clipped sample fits any brighter prediction
        grad = -2 * _down(_blur(contrast * r, s))
        nxt = np.where(free, np.clip(y - step * grad, 0, 1), held).astype(np.float32)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = nxt + ((t - 1) / t_next) * (nxt - x)
        x, t = nxt, t_next
    x = x[_PAD:_PAD + size, _PAD:_PAD + size]
    return x > 0.5, np.abs(x - 0.5)


def read_deblurred(gray: np.ndarray, to_image: np.ndarray, size: int,
                   first_guess: np.ndarray) -> bytes | None:
    """The symbol's raw bytes read with deconvolved modules, trying each of SIGMAS; None when
    none reads with qr_symbol's margins.

    When some Reed-Solomon blocks correct and others do not, the modules of those that did
    are held at their corrected values and the rest solved for again (up to _FEEDBACK_ROUNDS
    times while more blocks settle): the blocks are interleaved over the whole symbol, so a
    doubtful module's neighbours, and the light level around it, are then mostly known."""
    for sigma in SIGMAS:
        held, guess = None, first_guess
        for _ in range(1 + _FEEDBACK_ROUNDS):
            dark, confidence = deblurred_modules(gray, to_image, size, sigma, guess, held)
            payload, settled = read_grid(dark, confidence)
            if payload is not None:
                return payload
            if _count(settled) <= _count(held):
                break
            held, guess = settled, dark
    return None


def _count(known: np.ndarray | None) -> int:
    return 0 if known is None else int((~np.isnan(known)).sum())
