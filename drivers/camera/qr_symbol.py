"""QR Code Model 2 symbol decoding from a sampled module grid, with erasure-aware Reed-Solomon.

Why this exists: ID-card QR codes are laminated, and a glare spot wipes out a patch of modules.
Library decoders treat those modules as ordinary (wrong) bits, so each wrong codeword costs two
RS check symbols. Our caller samples the image at every module centre and also says how sure it
is; modules under the glare get confidence ~0. Here the least confident codewords of a block are
treated as ERASURES (position known, value unknown), which cost one check symbol each, so about
twice as much glare can be corrected. When that is not enough, the least reliable BITS are
erased one by one (_correct_bits): a codeword with one doubtful module then costs one parity bit
instead of eight, which is what the edge of a glare spot and a blurred symbol leave.

`decode_grid(dark, confidence)` -> the symbol's payload bytes, or SymbolError. Safety margins,
so that a corrupted grid gives SymbolError rather than a silently wrong payload:
  * errors only: accepted when 2*e <= nsym - 2 (one spare pair of check symbols);
  * with f erasures: 2*e + f <= nsym - 4 (four spare check symbols), f <= max_erasure_fraction
    * nsym, and no erasures at all in blocks with nsym < 8 or without confidence information;
  * with bit erasures: at most 8*nsym - 32 of them (and max_erasure_fraction * 8*nsym), so
    that 32 parity checks are left over and must all hold; only for the most likely format
    reading. The search for one or two wrong bits past them takes 14 fewer, 8,256 guesses
    against 46 checks (the same 2**-32, _SEARCH_MARGIN), and a unique answer;
  * every corrected block must have all-zero syndromes, and after the data terminator the
    remaining data codewords must be the standard 0xEC/0x11 padding.
Pure Python + numpy; no Qt, nothing from app/.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from math import ceil, comb, log2

import numpy as np

__all__ = ["SymbolError", "decode_grid", "read_grid", "settled_modules", "version_for_size",
           "alignment_positions", "rs_blocks", "rs_correct", "beyond_repair"]


class SymbolError(Exception):
    """The grid does not decode to a QR payload with confidence; args[0] is a short reason."""


# --- GF(256), primitive polynomial 0x11D ------------------------------------------------------
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i], _LOG[_x] = _x, _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
_EXP_NP = np.array(_EXP, dtype=np.uint8)
_LOG_NP = np.array(_LOG, dtype=np.int64)


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _eval_at(p: list[int], log_x: np.ndarray) -> np.ndarray:
    """Evaluate p (lowest degree first) at the points alpha**log_x, vectorised."""
    terms = [(j, _LOG[c]) for j, c in enumerate(p) if c]
    if not terms:
        return np.zeros(len(log_x), dtype=np.uint8)
    j, lc = np.array(terms).T
    return np.bitwise_xor.reduce(_EXP_NP[(lc[:, None] + j[:, None] * log_x[None, :]) % 255], axis=0)


def _syndromes(codeword: list[int], nsym: int) -> np.ndarray:
    """S_j = c(alpha^j) for j < nsym (first codeword = highest degree): all zero iff the
    block is a codeword."""
    return _eval_at(codeword[::-1], np.arange(nsym))


def _pmul(p: list[int], q: list[int]) -> list[int]:
    exp, log = _EXP, _LOG  # _mul inlined: rs_correct runs thousands of times on a hard frame
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            la = log[a]
            for j, b in enumerate(q):
                if b:
                    out[i + j] ^= exp[la + log[b]]
    return out


def rs_correct(block: bytes | Sequence[int] | np.ndarray, nsym: int, erasures: Sequence[int] = (),
               *, spare: int = 0) -> bytes:
    """Correct one RS block (first byte = highest-degree coefficient, generator roots alpha^0..
    alpha^(nsym-1)) with errors and the given erasure positions; accept only 2*e + f <= nsym -
    spare. Berlekamp-Massey seeded with the erasure locator, Chien search, Forney."""
    c = [int(v) for v in block]
    n, f = len(c), len(erasures)
    if f > nsym - spare:
        raise SymbolError("too many erasures")
    synd = _syndromes(c, nsym).tolist()
    if not any(synd):
        return bytes(c)
    exp, log = _EXP, _LOG  # GF(256) products inlined (see _pmul)
    lam = [1]
    for i in erasures:  # times (1 + X_i x), X_i = alpha^(n-1-i)
        lx = n - 1 - i
        lam = [a ^ (exp[log[b] + lx] if b else 0) for a, b in zip(lam + [0], [0] + lam)]
    b, big_l = list(lam), f
    for r in range(f + 1, nsym + 1):
        delta = 0
        for j in range(min(len(lam), r)):
            a, s = lam[j], synd[r - 1 - j]
            if a and s:
                delta ^= exp[log[a] + log[s]]
        shifted = [0] + b
        if delta == 0:
            b = shifted
            continue
        ld = log[delta]
        t = lam + [0] * (len(shifted) - len(lam))
        for j, v in enumerate(shifted):
            if v:
                t[j] ^= exp[ld + log[v]]
        if 2 * big_l <= r - 1 + f:
            li = 255 - ld
            b, big_l = [exp[li + log[v]] if v else 0 for v in lam], r - big_l + f
        else:
            b = shifted
        lam = t
    while lam[-1] == 0:
        lam.pop()
    deg = len(lam) - 1
    if 2 * (deg - f) + f > nsym - spare or deg < f:
        raise SymbolError("too many errors")
    # Chien: position i has locator X = alpha^(n-1-i); it is in error iff lam(X^-1) == 0.
    pos = np.nonzero(_eval_at(lam, (np.arange(n) - (n - 1)) % 255) == 0)[0]
    if len(pos) != deg:
        raise SymbolError("uncorrectable block")
    omega = _pmul(synd, lam)[:nsym]
    dlam = [lam[j] if j % 2 else 0 for j in range(1, len(lam))]  # formal derivative, char 2
    log_xinv = (pos - (n - 1)) % 255
    num, den = _eval_at(omega, log_xinv), _eval_at(dlam, log_xinv)
    if not den.all():
        raise SymbolError("uncorrectable block")
    # Forney with fcr = 0: X * omega(X^-1) / lam'(X^-1)
    mag = _EXP_NP[(n - 1 - pos + _LOG_NP[num] - _LOG_NP[den]) % 255]
    mag[num == 0] = 0
    for i, m in zip(pos.tolist(), mag.tolist()):
        c[i] ^= m
    if _syndromes(c, nsym).any():
        raise SymbolError("uncorrectable block")
    return bytes(c)


# --- Symbol tables (ISO/IEC 18004 table 9 in compact form: EC codewords per block and block
# count per version 1..40; the group 1/2 split follows from the version's codeword total) -------
_LEVELS = "LMQH"
_FORMAT_EC_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}
_EC_PER_BLOCK = {
    "L": (7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
          30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "M": (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
          28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
          30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
          30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}
_NUM_BLOCKS = {
    "L": (1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
          14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    "M": (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
          25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
          34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35,
          37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}
_ALNUM = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def version_for_size(n: int) -> int:
    """Version 1..40 of an n x n symbol (n = 17 + 4*version), else SymbolError."""
    if not 21 <= n <= 177 or (n - 17) % 4:
        raise SymbolError("bad size")
    return (n - 17) // 4


def alignment_positions(version: int) -> list[int]:
    """Row (and column) centres of the alignment patterns, 6 included (ISO 18004 annex E)."""
    if version == 1:
        return []
    count = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    return [6] + sorted(17 + 4 * version - 7 - i * step for i in range(count - 1))


@lru_cache(maxsize=None)
def _function_mask(version: int) -> np.ndarray:
    """True where a module is not data: finders+separators+format areas, timing, alignment,
    version info, dark module."""
    n = 17 + 4 * version
    m = np.zeros((n, n), dtype=bool)
    m[:9, :9] = m[:9, n - 8:] = m[n - 8:, :9] = True  # includes format areas and the dark module
    m[6, :] = m[:, 6] = True
    pos = alignment_positions(version)
    for r in pos:
        for c in pos:
            if (r, c) not in ((6, 6), (6, pos[-1]), (pos[-1], 6)):
                m[r - 2:r + 3, c - 2:c + 3] = True
    if version >= 7:
        m[:6, n - 11:n - 8] = m[n - 11:n - 8, :6] = True
    m.flags.writeable = False
    return m


@lru_cache(maxsize=None)
def _placement(version: int) -> np.ndarray:
    """Flat indices of the data modules in bit order (zig-zag, 2-module columns from the right,
    skipping the vertical timing column); remainder bits dropped."""
    n, fm = 17 + 4 * version, _function_mask(version)
    idx: list[int] = []
    for right in range(n - 1, 0, -2):
        if right <= 6:
            right -= 1
        upward = (right + 1) & 2 == 0
        for vert in range(n):
            y = n - 1 - vert if upward else vert
            idx += [y * n + x for x in (right, right - 1) if not fm[y, x]]
    return np.array(idx[:len(idx) // 8 * 8])


@lru_cache(maxsize=None)
def _mask_grid(n: int, mask: int) -> np.ndarray:
    y, x = np.indices((n, n))
    m = (((x + y) % 2 == 0), (y % 2 == 0), (x % 3 == 0), ((x + y) % 3 == 0),
         ((x // 3 + y // 2) % 2 == 0), (x * y % 2 + x * y % 3 == 0),
         ((x * y % 2 + x * y % 3) % 2 == 0), (((x + y) % 2 + x * y % 3) % 2 == 0))[mask]
    m.flags.writeable = False
    return m


def rs_blocks(version: int, level: str) -> list[tuple[int, int]]:
    """(data codewords, total codewords) per RS block in interleaving order (group 1 first)."""
    nsym, nb = _EC_PER_BLOCK[level][version - 1], _NUM_BLOCKS[level][version - 1]
    total = len(_placement(version)) // 8
    short, n_long = total // nb, total % nb
    return [(short - nsym, short)] * (nb - n_long) + [(short + 1 - nsym, short + 1)] * n_long


@lru_cache(maxsize=None)
def _block_layout(version: int, level: str) -> list[tuple[np.ndarray, int]]:
    """Per block: the codeword-stream indices of its codewords, and its data codeword count."""
    blocks = rs_blocks(version, level)
    idx: list[list[int]] = [[] for _ in blocks]
    k = 0
    for i in range(max(nd for nd, _ in blocks)):  # data codewords, interleaved
        for b, (nd, _) in enumerate(blocks):
            if i < nd:
                idx[b].append(k)
                k += 1
    for _ in range(blocks[0][1] - blocks[0][0]):  # then EC codewords, interleaved
        for b in range(len(blocks)):
            idx[b].append(k)
            k += 1
    return [(np.array(ix), nd) for ix, (nd, _) in zip(idx, blocks)]


def beyond_repair(lost: np.ndarray, level: str) -> bool:
    """Whether a symbol with the modules `lost` (N x N, True = unreadable, e.g. a dark module
    washed out to the light level by glare) is beyond any reader that erases whole codewords,
    even one told exactly which codewords they hit: some RS block has more such codewords than
    check symbols. (Erasing single bits, _correct_bits, can read some of these.)"""
    version = version_for_size(lost.shape[0])
    hit = np.asarray(lost, bool).ravel()[_placement(version)].reshape(-1, 8).any(axis=1)
    return any(int(hit[idx].sum()) > len(idx) - nd for idx, nd in _block_layout(version, level))


def _bch(data: int, bits: int, poly: int) -> int:
    rem = data << (poly.bit_length() - 1)
    for i in range(bits - 1, -1, -1):
        if rem >> (i + poly.bit_length() - 1) & 1:
            rem ^= poly << i
    return data << (poly.bit_length() - 1) | rem


_FORMAT_WORDS = np.array([[(_bch(d, 5, 0x537) ^ 0x5412) >> i & 1 for i in range(15)]
                          for d in range(32)], dtype=bool)


def _format_positions(n: int) -> tuple[tuple[list[int], list[int]], ...]:
    """(rows, cols) of format bits 0..14 for the two copies."""
    r1 = [0, 1, 2, 3, 4, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8]
    c1 = [8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 4, 3, 2, 1, 0]
    r2 = [8] * 8 + [n - 7 + i for i in range(7)]
    c2 = [n - 1 - i for i in range(8)] + [8] * 7
    return (r1, c1), (r2, c2)


def _format_candidates(g: np.ndarray, conf: np.ndarray, erase_below: float) -> list[tuple]:
    """(weighted distance, level, mask) of format words that at least one copy decodes to
    within BCH(15,5) capacity (2*errors + erasures <= 6), nearest first."""
    dist, ok = np.zeros(len(_FORMAT_WORDS)), np.zeros(len(_FORMAT_WORDS), bool)
    for r, c in _format_positions(g.shape[0]):  # all 32 words against each copy at once
        bits, cf = g[r, c], conf[r, c]
        wrong, erased = _FORMAT_WORDS != bits, cf < erase_below
        dist += (wrong * cf).sum(axis=1)
        ok |= 2 * (wrong & ~erased).sum(axis=1) + int(erased.sum()) <= 6
    return sorted(((float(dist[d]), _LEVELS[[1, 0, 3, 2].index(d >> 3)], d & 7)
                   for d in np.flatnonzero(ok)), key=lambda t: t[0])


def _correct_block(block: np.ndarray, bit_conf: np.ndarray, bit_dark: np.ndarray, nsym: int,
                   frac: float, bits: bool, memo: dict) -> bytes:
    """One block's codewords corrected: errors only, then the least confident codewords as
    erasures, then (bits) the least reliable bits as erasures (_correct_bits). bit_conf,
    bit_dark: each bit's module confidence and decision (True = dark), (codewords, 8).
    memo: the blocks already tried on this grid (read_grid asks twice; a block that fails the
    bit erasures costs 1-3 ms)."""
    key = (block.tobytes(), bit_conf.tobytes(), bit_dark.tobytes(), nsym, frac, bits)
    if key not in memo:
        try:
            memo[key] = _corrected(block, bit_conf, bit_dark, nsym, frac, bits)
        except SymbolError as e:
            memo[key] = e
    if isinstance(memo[key], SymbolError):
        raise memo[key]
    return memo[key]


def _corrected(block: np.ndarray, bit_conf: np.ndarray, bit_dark: np.ndarray, nsym: int,
               frac: float, bits: bool) -> bytes:
    conf = bit_conf.min(axis=1)  # a codeword is as sure as its worst module
    try:
        return rs_correct(block, nsym, spare=2)
    except SymbolError as e:
        err = e
    if nsym < 8:  # too few check symbols to spare any for erasures
        raise err
    cap = min(nsym - 4, int(frac * nsym))
    if cap >= 1 and conf.min() < conf.max():  # else no confidence info: nothing to erase
        order = np.argsort(conf, kind="stable").tolist()
        for f in sorted(set(range(2, cap + 1, 4)) | {cap}):
            try:
                return rs_correct(block, nsym, order[:f], spare=4)
            except SymbolError as e:
                err = e
    if not bits:
        raise err
    reliability = (bit_conf * np.where(bit_dark, DARK_WEIGHT, 1.0)).ravel()
    if reliability.min() == reliability.max():
        raise err
    return _correct_bits(block, reliability, nsym, int(frac * 8 * nsym))


# Glare adds light: it washes a dark module out to the light level, never the other way, so a
# module decided dark is rarely wrong (near a glare spot nearly every wrong module is a dark one
# decided light). A dark decision's confidence counts this many times more when bits are ranked
# for erasure. Measured on the 47 generated frames that the decoder missed with bit erasures on
# the plain confidence, at their true geometry (are the wrong bits of every block among the
# erasable ones?): on seeds 7, 11, 13, 17 3 of 27 frames with the plain confidence, 9 with 3-6
# times, 10 with 8 and 11 with 16 times; on seeds 19, 23, 29 4, 6-7, 7 and 8 of 20.
DARK_WEIGHT = 16.0
# Parity bits left over as checks after the bit erasures are solved for: like erasures'
# four spare check symbols, a corrupted block then passes by chance once in 2**32.
_SPARE_BITS = 32


@lru_cache(maxsize=None)
def _parity_checks(n: int, nsym: int) -> np.ndarray:
    """A block's parity checks over its bits: (8*nsym, 8*n) over GF(2), row 8j+t bit t of
    syndrome j (the sum of codeword i times alpha^(j(n-1-i))), column 8i+b bit b of codeword i,
    most significant first. Multiplying by a constant is linear over GF(2), and bit b of a
    codeword stands for alpha^(7-b) (the field's polynomial basis, alpha = 2)."""
    i = np.arange(n)[None, :, None]
    b = np.arange(8)[None, None, :]
    j = np.arange(nsym)[:, None, None]
    terms = _EXP_NP[(j * (n - 1 - i) + 7 - b) % 255]  # (nsym, n, 8)
    h = (terms[:, None] >> np.arange(8, dtype=np.uint8)[None, :, None, None]) & 1
    h = h.reshape(8 * nsym, 8 * n)
    h.flags.writeable = False
    return h


def _correct_bits(block: np.ndarray, reliability: np.ndarray, nsym: int, most: int) -> bytes:
    """The block with its least reliable bits treated as erasures, else SymbolError.

    A codeword erasure costs a check symbol (8 parity bits) however few of its 8 modules are
    in doubt; at the edge of a glare spot and in blurred symbols most doubtful codewords hold
    one to three doubtful modules. Reed-Solomon codes are linear over GF(2) as well, so here
    the bits are erased one by one: Gaussian elimination of the parity checks with the columns
    in order of reliability, least reliable first, makes up to 8*nsym - _SPARE_BITS (and at
    most `most`) of the least reliable independent bits pivots (unknowns); the remaining
    checks, at least _SPARE_BITS, hold only known bits and must all be satisfied, else some
    known bit is wrong. The unknowns then follow from the checks: flip the pivot bit of each
    check that is not satisfied. When the spare checks fail, _SEARCH_MARGIN fewer unknowns
    are taken and one or two of the next known bits are looked for as the wrong ones
    (_Elimination.search). 1-3 ms for a card's block."""
    n = len(block)
    h = _parity_checks(n, nsym)
    bits = np.unpackbits(np.asarray(block, np.uint8))
    order = np.argsort(reliability, kind="stable")
    unknowns = min(h.shape[0] - _SPARE_BITS, most)
    fewer = _Elimination(h[:, order], (h.astype(np.int32) @ bits) & 1)
    fewer.eliminate(unknowns - _SEARCH_MARGIN)
    full = fewer.copy()
    full.eliminate(unknowns)
    wrong = full.solve([])
    if wrong is None:
        wrong = fewer.search()
    if wrong is None:
        raise SymbolError("bit erasures: the spare checks fail")
    bits[order[wrong]] ^= 1
    out = np.packbits(bits)
    if _syndromes(out.tolist(), nsym).any():
        raise SymbolError("uncorrectable block")
    return bytes(out)


# A wrong bit just past the erased ones makes the spare checks fail, yet the least reliable of
# the known bits are the likely wrong ones. So the search takes _SEARCH_MARGIN fewer unknowns
# and tries every one and every two of the next _SEARCH_WINDOW known bits as the wrong ones
# (ordered-statistics decoding): 128 + 8,128 guesses, each passing by chance once in
# 2**(32 + 14) at most, so a corrupted block still passes once in about 2**32 overall.
# Measured on the 34 generated frames the decoder missed (seeds 7-29), at their true geometry:
# 2 more read with one or two of the next 32, 4 with the next 64, 6 with the next 128 (seeds
# 7-17: 1, 2, 4; seeds 19-29, the validation seeds: 1, 2, 2). One of the next 128 alone reads
# 2, one to three of the next 64 5, one or two of the next 256 6 (another set).
_SEARCH_WINDOW = 128
_SEARCH_MARGIN = ceil(log2(_SEARCH_WINDOW + comb(_SEARCH_WINDOW, 2)))
_BIT = np.uint64(1) << np.arange(64, dtype=np.uint64)


class _Elimination:
    """Gauss-Jordan elimination of a block's parity checks over GF(2), columns in order of
    reliability, rows packed into uint64 words (column c in word c // 64); the last column is
    the syndrome of the bits as read."""

    def __init__(self, checks: np.ndarray, syndrome: np.ndarray) -> None:
        rows, cols = checks.shape
        aug = np.zeros((rows, -(-(cols + 1) // 64) * 64), np.uint8)
        aug[:, :cols], aug[:, cols] = checks, syndrome
        self.words = np.packbits(aug, axis=1, bitorder="little").view("<u8").T.copy()
        self.cols = cols
        self.next = 0  # the next column to try as a pivot
        self.pivot_row = np.zeros(rows, bool)  # rows that have become an unknown's equation
        self.pivots: list[tuple[int, int]] = []  # (column, row)

    def copy(self) -> _Elimination:
        other = object.__new__(_Elimination)
        other.__dict__.update(self.__dict__, words=self.words.copy(),
                              pivot_row=self.pivot_row.copy(), pivots=list(self.pivots))
        return other

    def column(self, c: int) -> np.ndarray:
        return (self.words[c // 64] & _BIT[c % 64]).astype(bool)

    def eliminate(self, unknowns: int) -> None:
        """Pivots up to `unknowns` in all, the next independent columns in order."""
        is_open = ~self.pivot_row  # few numpy calls per column: 1-3 ms a block
        while len(self.pivots) < unknowns and self.next < self.cols:
            col = self.next
            self.next += 1
            has = self.column(col)
            p = int((has & is_open).argmax())
            if not (has[p] and is_open[p]):
                continue  # not independent of the unknowns so far: counted as known
            has[p] = is_open[p] = False
            # row p is 0 in every column before this one: the words left of it stay as they are
            rest = self.words[col // 64:]
            np.bitwise_xor(rest, rest[:, p:p + 1], out=rest, where=has)
            self.pivots.append((col, p))
        self.pivot_row = ~is_open

    def solve(self, wrong: list[int]) -> list[int] | None:
        """The columns to flip, given that of the known columns exactly `wrong` are wrong; None
        when a spare check then still fails."""
        value = self.column(self.cols)
        for c in wrong:
            value ^= self.column(c)
        if value[~self.pivot_row].any():
            return None
        return [col for col, p in self.pivots if value[p]] + wrong

    def search(self) -> list[int] | None:
        """solve() for the only one or two of the first _SEARCH_WINDOW known columns (those the
        spare checks see) whose flipping satisfies the spare checks, the fewest first; None
        when there is none, or more than one of the fewest."""
        spare = ~self.pivot_row
        seen = (self.words[:, spare][:, None, :] & _BIT[None, :, None]).astype(bool)
        seen = seen.reshape(-1, int(spare.sum()))[:self.cols + 1]  # column x check
        known = np.ones(self.cols, bool)
        known[[col for col, _ in self.pivots]] = False
        cand = np.flatnonzero(known & seen[:-1].any(axis=1))[:_SEARCH_WINDOW]
        value = [int.from_bytes(v.tobytes(), "big") for v in np.packbits(seen[cand], axis=1)]
        target = int.from_bytes(np.packbits(seen[-1]).tobytes(), "big")
        found = [[i] for i, v in enumerate(value) if v == target]
        if not found:
            at: dict[int, list[int]] = {}
            for i, v in enumerate(value):
                at.setdefault(v, []).append(i)
            found = [[i, j] for i, v in enumerate(value) for j in at.get(v ^ target, ()) if j > i]
        if len(found) != 1:
            return None
        return self.solve(cand[found[0]].tolist())


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.value, self.size, self.pos = int.from_bytes(data, "big"), len(data) * 8, 0

    def left(self) -> int:
        return self.size - self.pos

    def read(self, k: int) -> int:
        if k > self.left():
            raise SymbolError("truncated segment")
        self.pos += k
        return self.value >> (self.size - self.pos) & ((1 << k) - 1)


def _parse(data: bytes, version: int) -> bytes:
    r, out = _Bits(data), bytearray()
    vr = 0 if version <= 9 else 1 if version <= 26 else 2
    while r.left() >= 4:
        mode = r.read(4)
        if mode == 0:
            break
        if mode == 0b0111:  # ECI designator: 1, 2 or 3 bytes; the caller wants raw bytes
            first = r.read(8)
            if first >> 5 == 0b111:
                raise SymbolError("bad ECI")
            r.read(0 if first < 0x80 else 8 if first < 0xC0 else 16)
        elif mode == 0b0001:
            count = r.read((10, 12, 14)[vr])
            while count > 0:
                k = min(count, 3)
                v = r.read((4, 7, 10)[k - 1])
                if v >= 10 ** k:
                    raise SymbolError("bad numeric")
                out += b"%0*d" % (k, v)
                count -= k
        elif mode == 0b0010:
            count = r.read((9, 11, 13)[vr])
            while count > 0:
                k = min(count, 2)
                v = r.read(11 if k == 2 else 6)
                if v >= 45 ** k:
                    raise SymbolError("bad alphanumeric")
                out += bytes([_ALNUM[v // 45], _ALNUM[v % 45]]) if k == 2 else _ALNUM[v:v + 1]
                count -= k
        elif mode == 0b0100:
            count = r.read((8, 16, 16)[vr])
            out += bytes(r.read(8) for _ in range(count))
        elif mode in (0b0011, 0b0101, 0b1000, 0b1001, 0b1101):
            raise SymbolError("unsupported mode")
        else:
            raise SymbolError("bad mode")
    # Terminator (maybe short at the end of capacity), zero bits to the byte, then EC 11 EC ..
    # Some encoders (segno 1.6) emit a whole 0x00 byte when the terminator ends on a byte.
    if r.read(-r.pos % 8) != 0:
        raise SymbolError("bad padding")
    pad = data[r.pos // 8:]
    if pad[:1] == b"\x00":
        pad = pad[1:]
    if any(b != (0xEC, 0x11)[i % 2] for i, b in enumerate(pad)):
        raise SymbolError("bad padding")
    return bytes(out)


def _readings(g: np.ndarray, conf: np.ndarray) -> list[tuple[str, int, bool]]:
    """The format readings (level, mask, mirrored) within BCH capacity in both orientations,
    the most likely first: nearest format info, then unmirrored."""
    middle = np.partition(conf, [(conf.size - 1) // 2, conf.size // 2], axis=None)
    # the median; np.median's first call imports numpy.ma, 17 ms of the first glared frame
    median = (float(middle[(conf.size - 1) // 2]) + float(middle[conf.size // 2])) / 2
    erase_below = 0.1 * median  # "glared" format bits count as erasures
    tries = [(d, mirrored, level, mask)
             for mirrored, (gg, cc) in enumerate(((g, conf), (g.T, conf.T)))
             for d, level, mask in _format_candidates(gg, cc, erase_below)]
    return [(level, mask, bool(mirrored))
            for _, mirrored, level, mask in sorted(tries, key=lambda t: t[:2])]


def _codewords(g: np.ndarray, conf: np.ndarray, version: int,
               mask: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The codeword stream of one orientation / mask reading, and each of its bits' module
    confidence and decision (True = dark), shaped (codewords, 8)."""
    order = _placement(version)
    bits = (g ^ _mask_grid(g.shape[0], mask)).ravel()[order]
    codewords = np.packbits(bits.reshape(-1, 8), axis=1).ravel()
    return codewords, conf.ravel()[order].reshape(-1, 8), g.ravel()[order].reshape(-1, 8)


def _blocks(g: np.ndarray, conf: np.ndarray, version: int, level: str, mask: int, frac: float,
            bits: bool, memo: dict):
    """Each RS block of one orientation / format reading, in order and only as asked for: its
    codewords' indexes in the stream, its data codeword count, and its corrected codewords or
    the SymbolError."""
    codewords, bit_conf, bit_dark = _codewords(g, conf, version, mask)
    for idx, nd in _block_layout(version, level):
        try:
            yield idx, nd, _correct_block(codewords[idx], bit_conf[idx], bit_dark[idx],
                                          len(idx) - nd, frac, bits, memo)
        except SymbolError as e:
            yield idx, nd, e


def _data_codewords(g: np.ndarray, conf: np.ndarray, version: int, level: str, mask: int,
                    frac: float, bits: bool, memo: dict) -> bytes:
    """The corrected data codewords of one orientation / format reading, else SymbolError
    (the first block's that does not correct; the blocks after it are not tried)."""
    data = bytearray()
    for _, nd, block in _blocks(g, conf, version, level, mask, frac, bits, memo):
        if isinstance(block, SymbolError):
            raise block
        data += block[:nd]
    return bytes(data)


def _grid(dark: np.ndarray, confidence: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, int]:
    g = np.asarray(dark).astype(bool)
    if g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise SymbolError("bad size")
    version = version_for_size(g.shape[0])  # version info blocks are not needed: N decides
    if confidence is None:
        return g, np.ones(g.shape), version
    conf = np.asarray(confidence, dtype=float)
    if conf.shape != g.shape:
        raise ValueError("confidence must have the grid's shape")
    return g, conf, version


def _settled(g: np.ndarray, conf: np.ndarray, version: int, readings: list[tuple[str, int, bool]],
             memo: dict) -> np.ndarray:
    n = g.shape[0]
    settled = np.full(n * n, np.nan)
    if not readings:
        return settled.reshape(n, n)
    level, mask, mirrored = readings[0]
    gg, cc = (g.T, conf.T) if mirrored else (g, conf)
    positions = _placement(version).reshape(-1, 8)
    masked = _mask_grid(n, mask).ravel()
    for idx, _, block in _blocks(gg, cc, version, level, mask, 1.0, True, memo):
        if isinstance(block, SymbolError):
            continue
        at = positions[idx].ravel()
        settled[at] = np.unpackbits(np.frombuffer(block, np.uint8)) ^ masked[at]
    settled = settled.reshape(n, n)
    return settled.T if mirrored else settled


def _decode(g: np.ndarray, conf: np.ndarray, version: int, readings: list[tuple[str, int, bool]],
            frac: float, memo: dict) -> bytes:
    if not readings:
        raise SymbolError("format info unreadable")
    errors = []
    for k, (level, mask, mirrored) in enumerate(readings):
        gg, cc = (g.T, conf.T) if mirrored else (g, conf)
        try:
            # bit erasures for the most likely reading only: another reading's blocks are
            # mostly garbage, and each costs 1-3 ms to fail
            data = _data_codewords(gg, cc, version, level, mask, frac, k == 0, memo)
        except SymbolError as e:
            errors.append(e)
            continue
        # Every block passed RS with margin: this reading is the symbol, so a parse error is final.
        return _parse(data, version)
    raise errors[0]  # the error of the most likely reading


def settled_modules(dark: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """The data modules that Reed-Solomon has established, for a reader that decides modules
    again knowing them (qr_deblur: a blurred module's neighbours are part of its evidence).

    Under the most likely format reading (orientation, level, mask), every RS block that
    corrects with decode_grid's margins has its codewords written back as module values:
    N x N floats, 1.0 dark / 0.0 light, NaN for the modules of blocks that did not correct
    and for the function patterns. All NaN when the format info is unreadable."""
    g, conf, version = _grid(dark, confidence)
    return _settled(g, conf, version, _readings(g, conf), {})


def decode_grid(dark: np.ndarray, confidence: np.ndarray | None = None, *,
                max_erasure_fraction: float = 1.0) -> bytes:
    """Payload bytes of a sampled QR symbol (N x N modules, True = dark, no quiet zone).

    The grid may be mirrored (transposed); both orientations are tried, the one whose format
    info is nearest first. confidence: N x N floats >= 0, higher = surer; None = all equal (no
    erasures then). Byte segments are returned as is, numeric/alphanumeric as ASCII, ECI
    designators skipped. Kanji, structured append, FNC1 -> SymbolError("unsupported mode").
    Raises SymbolError whenever the payload cannot be decoded with confidence."""
    g, conf, version = _grid(dark, confidence)
    return _decode(g, conf, version, _readings(g, conf), max_erasure_fraction, {})


def read_grid(dark: np.ndarray, confidence: np.ndarray) -> tuple[bytes | None, np.ndarray | None]:
    """(decode_grid's payload, None), or when it raises SymbolError (None, settled_modules'
    grid): the format read and each Reed-Solomon block corrected once for both."""
    g, conf, version = _grid(dark, confidence)
    readings, memo = _readings(g, conf), {}
    try:
        return _decode(g, conf, version, readings, 1.0, memo), None
    except SymbolError:
        return None, _settled(g, conf, version, readings, memo)
