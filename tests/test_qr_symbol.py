"""drivers/camera/qr_symbol.py: module grid -> payload, with erasures for glared modules.

Symbols are made with segno (its `matrix` is the bare N x N grid, no quiet zone)."""

from __future__ import annotations

import random

import numpy as np
import pytest
import segno
import segno.consts

from drivers.camera import qr_symbol as qs
from drivers.camera.qr_symbol import SymbolError, decode_grid, rs_correct, version_for_size

VIETNAMESE = "079203001234|Nguyễn Thị Ánh|Số 12, Ngõ 12 Ỷ Lan".encode()


def make(data, error="m", version=None, mode="byte", mask=None, **kw):
    qr = segno.make_qr(data, mode=mode, error=error, version=version, mask=mask,
                       boost_error=False, **kw)
    grid = np.array(list(qr.matrix), dtype=bool)
    assert grid.shape == (17 + 4 * qr.version,) * 2  # no quiet zone
    return grid, qr


def disc(n: int, area_fraction: float) -> np.ndarray:
    y, x = np.indices((n, n))
    r2 = area_fraction * n * n / np.pi
    return (y - (n - 1) / 2) ** 2 + (x - (n - 1) / 2) ** 2 <= r2


def outcome(grid, conf=None, **kw):
    try:
        return decode_grid(grid, conf, **kw)
    except SymbolError as e:
        return e


# --- tables --------------------------------------------------------------------------------

def test_tables_match_segno():
    for v in range(1, 41):
        if v > 1:
            assert qs.alignment_positions(v) == list(segno.consts.ALIGNMENT_POS[v - 2])
        for level in "LMQH":
            expected = []
            for ec in segno.consts.ECC[v][segno.consts.ERROR_MAPPING[level]]:
                expected += [(ec.num_data, ec.num_total)] * ec.num_blocks
            assert qs.rs_blocks(v, level) == expected, (v, level)
    words = [sum(int(b) << i for i, b in enumerate(w)) for w in qs._FORMAT_WORDS]
    assert words == list(segno.consts.FORMAT_INFO)


def test_version_for_size():
    assert version_for_size(21) == 1 and version_for_size(177) == 40
    for n in (17, 20, 22, 181):
        with pytest.raises(SymbolError):
            version_for_size(n)
    with pytest.raises(SymbolError, match="bad size"):
        decode_grid(np.zeros((21, 25), dtype=bool))


# --- clean round trips -----------------------------------------------------------------------

def test_round_trip_random_bytes_all_levels():
    rng = random.Random(1)
    lengths = [1, 2, 3, 7, 14, 15, 16, 17, 30, 31, 32, 50, 77, 100, 127, 128, 150, 200, 255, 300]
    for n in lengths:
        data = bytes(rng.randrange(256) for _ in range(n))
        for level in "lmqh":
            grid, _ = make(data, error=level)
            assert decode_grid(grid) == data, (n, level)


@pytest.mark.parametrize("version", [1, 2, 5, 6, 7, 9, 10, 14, 20, 26, 27, 33, 40])
def test_round_trip_forced_versions(version):
    rng = random.Random(version)
    for level in "lh":
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 7)))
        grid, qr = make(data, error=level, version=version)
        assert qr.version == version
        assert decode_grid(grid) == data


def test_all_masks_and_vietnamese():
    for mask in range(8):
        grid, qr = make(VIETNAMESE, mask=mask)
        assert qr.mask == mask
        assert decode_grid(grid) == VIETNAMESE


def test_numeric_and_alphanumeric():
    for text, mode in (("0", "numeric"), ("12", "numeric"), ("079203001234", "numeric"),
                       ("9" * 500, "numeric"), ("A", "alphanumeric"),
                       ("HELLO WORLD $%*+-./:09", "alphanumeric"), ("AB" * 150, "alphanumeric")):
        for level in "mh":
            grid, _ = make(text, error=level, mode=mode)
            assert decode_grid(grid) == text.encode("ascii"), (text, mode, level)


def test_eci_designator_skipped():
    grid, _ = make("Nguyễn Thị Ánh", mode="byte", encoding="utf-8", eci=True)
    assert decode_grid(grid) == "Nguyễn Thị Ánh".encode()


def test_kanji_is_unsupported():
    grid, _ = make("点茗", mode="kanji")
    with pytest.raises(SymbolError, match="unsupported mode"):
        decode_grid(grid)


def test_transposed_grid():
    for data in (b"x", VIETNAMESE, bytes(range(200))):
        grid, _ = make(data, error="q")
        assert decode_grid(grid.T) == data
        assert decode_grid(grid.T, np.ones(grid.shape)) == data


def test_format_info_with_three_flipped_bits_per_copy():
    grid, _ = make(VIETNAMESE)
    (r1, c1), (r2, c2) = qs._format_positions(grid.shape[0])
    bad = grid.copy()
    for rows, cols in ((r1, c1), (r2, c2)):
        for i in (0, 7, 14):
            bad[rows[i], cols[i]] ^= True
    assert decode_grid(bad) == VIETNAMESE


# --- errors and erasures ---------------------------------------------------------------------

def data_region(version: int) -> np.ndarray:
    return ~qs._function_mask(version)


def test_errors_up_to_the_margin_are_corrected():
    """(nsym - 2) // 2 wrong codewords in every block (one flipped module each): still decodes;
    one more than nsym // 2 in a block: SymbolError."""
    rng = np.random.default_rng(5)
    for level, n_bytes in (("l", 40), ("m", 120), ("q", 60), ("h", 100), ("m", 700)):
        data = rng.integers(0, 256, n_bytes, dtype=np.uint8).tobytes()
        grid, qr = make(data, error=level)
        order = qs._placement(qr.version)
        for extra in (0, 1):
            bad = grid.ravel().copy()
            for idx, nd in qs._block_layout(qr.version, level.upper()):
                nsym = len(idx) - nd
                k = (nsym - 2) // 2 if not extra else nsym // 2 + 1
                for cw in rng.choice(idx, k, replace=False):
                    bad[order[cw * 8 + rng.integers(8)]] ^= True
            bad = bad.reshape(grid.shape)
            if extra:
                assert isinstance(outcome(bad), SymbolError)
            else:
                assert decode_grid(bad) == data
                assert decode_grid(bad, rng.random(grid.shape)) == data


def test_low_rate_random_module_errors():
    rng = np.random.default_rng(6)
    for level in "lmqh":
        data = rng.integers(0, 256, 100, dtype=np.uint8).tobytes()
        grid, qr = make(data, error=level)
        flips = data_region(qr.version) & (rng.random(grid.shape) < 0.004)
        assert flips.any()
        assert decode_grid(grid ^ flips) == data


def test_glare_disc_needs_erasures():
    """18% of a version-8 M symbol flipped: 14..17 bad codewords per block (nsym 22), beyond
    errors-only, within erasure capacity with our 4-symbol margin."""
    data = bytes(random.Random(3).randrange(256) for _ in range(150))
    grid, qr = make(data, error="m", version=8)
    glare = disc(grid.shape[0], 0.18)
    conf = np.where(glare, 0.0, 1.0)
    assert decode_grid(grid ^ glare, conf) == data
    assert decode_grid((grid ^ glare).T, conf.T) == data
    with pytest.raises(SymbolError):
        decode_grid(grid ^ glare)  # no confidence: must fail, not return garbage
    with pytest.raises(SymbolError):
        decode_grid(grid ^ glare, conf, max_erasure_fraction=0.3)
    # noisy confidences (glare ~0, rest 0.5..1) work as well
    noisy = np.where(glare, 0.02, 0.5 + 0.5 * np.random.default_rng(0).random(grid.shape))
    assert decode_grid(grid ^ glare, noisy) == data


def test_quarter_glare_on_level_q():
    """25% of the area puts 23 glared codewords in one block of a version-8 M symbol, which
    has 22 check symbols, but a level Q symbol survives it with erasures."""
    data = bytes(random.Random(4).randrange(256) for _ in range(100))
    grid, _ = make(data, error="q", version=8)
    glare = disc(grid.shape[0], 0.25)
    assert decode_grid(grid ^ glare, np.where(glare, 0.0, 1.0)) == data
    assert isinstance(outcome(grid ^ glare), SymbolError)


def test_beyond_repair_is_where_even_known_erasures_run_out():
    """The benchmark's bound: a glare disc whose codewords outnumber a block's check symbols."""
    n = 17 + 4 * 8
    assert not qs.beyond_repair(np.zeros((n, n), bool), "M")
    assert not qs.beyond_repair(disc(n, 0.18), "M")  # 14..17 codewords per block of 22
    assert qs.beyond_repair(disc(n, 0.25), "M")  # 23 in one block
    assert not qs.beyond_repair(disc(n, 0.25), "Q")


def test_settled_modules_are_those_of_the_blocks_that_corrected():
    """For qr_deblur's second look: the modules of each RS block that corrects, at their true
    values (not as read), and nothing of a block that did not correct nor of the function
    patterns; the same for the mirrored grid."""
    grid, qr = make(VIETNAMESE, version=7)
    layout = qs._block_layout(7, "M")  # 4 blocks of 49 codewords, 18 check symbols each
    cells = qs._placement(7).reshape(-1, 8)
    bad = grid.copy().ravel()
    for b, (idx, _) in enumerate(layout):
        wrong = 12 if b == 2 else 3  # block 2: beyond 2e <= 18 - 2 without erasures
        bad[cells[idx[:wrong], 0]] ^= True
    bad = bad.reshape(grid.shape)
    conf = np.ones(grid.shape)
    settled = qs.settled_modules(bad, conf)
    in_block = lambda b: np.isin(np.arange(grid.size), cells[layout[b][0]]).reshape(grid.shape)
    for b in (0, 1, 3):
        assert np.array_equal(settled[in_block(b)], grid[in_block(b)].astype(float))
    assert np.isnan(settled[in_block(2)]).all()
    assert np.isnan(settled[qs._function_mask(7)]).all()
    mirrored = qs.settled_modules(bad.T, conf.T)
    assert np.array_equal(mirrored.T, settled, equal_nan=True)
    with pytest.raises(SymbolError):
        decode_grid(bad, conf)  # what the second look is for
    assert np.isnan(qs.settled_modules(np.zeros(grid.shape, bool), conf)).all()  # no format


def test_bit_erasures_read_what_codeword_erasures_cannot(monkeypatch):
    """nsym - 2 wrong codewords in every block, one wrong module each, and another doubtful
    module in as many other codewords: beyond errors and codeword erasures (2e + f <= nsym - 4),
    well within bit erasures (about 2 * nsym doubtful bits of 8 * nsym - 32)."""
    rng = np.random.default_rng(12)
    data = rng.integers(0, 256, 150, dtype=np.uint8).tobytes()
    grid, qr = make(data, error="m", version=8)
    cells = qs._placement(8).reshape(-1, 8)
    bad, conf = grid.ravel().copy(), np.ones(grid.size)
    for idx, nd in qs._block_layout(8, "M"):
        nsym = len(idx) - nd
        chosen = rng.choice(idx, 2 * (nsym - 2), replace=False)
        for k, cw in enumerate(chosen):
            module = cells[cw, rng.integers(8)]
            conf[module] = 0.05
            bad[module] ^= k < nsym - 2  # half of the doubtful modules are wrong
    bad, conf = bad.reshape(grid.shape), conf.reshape(grid.shape)
    assert decode_grid(bad, conf) == data
    assert decode_grid(bad.T, conf.T) == data
    assert isinstance(outcome(bad), SymbolError)  # no confidence: nothing to erase

    def codeword_erasures_only(*_):
        raise SymbolError("no bit erasures")

    monkeypatch.setattr(qs, "_correct_bits", codeword_erasures_only)
    assert isinstance(outcome(bad, conf), SymbolError)


def test_glare_washes_dark_modules_out_so_dark_decisions_are_trusted(monkeypatch):
    """Glare adds light: under the spot every module reads light and is doubtful; elsewhere a
    blurred reader is as unsure of many dark modules, but those are right. Ranked by
    confidence alone the doubtful bits are far more than the check bits; a dark decision's
    confidence counting DARK_WEIGHT times, the spot's bits come first and fit."""
    data = bytes(random.Random(5).randrange(256) for _ in range(150))
    grid, qr = make(data, error="m", version=8)
    spot = disc(grid.shape[0], 0.18) & data_region(8)
    seen = grid & ~spot  # the spot's dark modules washed out to light
    conf = np.where(spot | seen, 0.05, 1.0)  # and every dark decision as unsure
    assert decode_grid(seen, conf) == data
    monkeypatch.setattr(qs, "DARK_WEIGHT", 1.0)
    assert isinstance(outcome(seen, conf), SymbolError)


def corrected_bits(cw: bytes, nsym: int, wrong_ranks: list[int]) -> bytes | SymbolError:
    """_correct_bits on `cw` with the bits of these reliability ranks (0 = least reliable)
    flipped; every bit's reliability is its rank."""
    bits = np.unpackbits(np.frombuffer(cw, np.uint8))
    reliability = np.random.default_rng(len(cw)).permutation(bits.size).astype(float)
    order = np.argsort(reliability)
    bits[order[wrong_ranks]] ^= 1
    try:
        return qs._correct_bits(np.packbits(bits), reliability, nsym, 8 * nsym)
    except SymbolError as e:
        return e


def test_bit_erasures_find_one_or_two_wrong_bits_past_the_erased_ones(monkeypatch):
    """The bit erasures take 8*nsym - 32 unknowns; wrong bits ranked just past them (read
    wrong, but surer than the erased ones) make the spare checks fail. The search finds one or
    two of them among the next _SEARCH_WINDOW known bits, and no more than two."""
    rng = np.random.default_rng(21)
    nsym = 26
    cw = rs_encode(rng.integers(0, 256, 46, dtype=np.uint8).tobytes(), nsym)
    unknowns = 8 * nsym - qs._SPARE_BITS
    doubtful = rng.choice(unknowns - qs._SEARCH_MARGIN, 40, replace=False).tolist()
    assert corrected_bits(cw, nsym, doubtful) == cw
    assert corrected_bits(cw, nsym, doubtful + [unknowns + 20]) == cw
    assert corrected_bits(cw, nsym, doubtful + [unknowns + 5, unknowns + 90]) == cw
    three = doubtful + [unknowns + 5, unknowns + 50, unknowns + 90]
    assert isinstance(corrected_bits(cw, nsym, three), SymbolError)
    monkeypatch.setattr(qs._Elimination, "search", lambda self: None)
    assert corrected_bits(cw, nsym, doubtful) == cw
    assert isinstance(corrected_bits(cw, nsym, doubtful + [unknowns + 20]), SymbolError)


def test_bit_erasures_never_make_a_codeword_of_random_bytes():
    """Order-0 and the search together leave a random block about a 2**-32 chance."""
    rng = np.random.default_rng(22)
    for i in range(200):
        nsym = (18, 22, 26, 28)[i % 4]
        block = rng.integers(0, 256, nsym + int(rng.integers(20, 100)), dtype=np.uint8)
        with pytest.raises(SymbolError):
            qs._correct_bits(block, rng.random(8 * len(block)), nsym, 8 * nsym)


def test_parity_checks_hold_on_every_block_and_catch_any_one_bit():
    for version, level in ((1, "L"), (5, "Q"), (8, "M"), (10, "H")):
        data = bytes(random.Random(version).randrange(256) for _ in range(10 * version))
        grid, qr = make(data, error=level.lower(), version=version)
        codewords = qs._codewords(grid, np.ones(grid.shape), version, qr.mask)[0]
        for idx, nd in qs._block_layout(version, level):
            checks = qs._parity_checks(len(idx), len(idx) - nd).astype(int)
            bits = np.unpackbits(codewords[idx])
            assert not (checks @ bits % 2).any()
            assert (checks.T % 2).any(axis=1).all()  # every bit is in some check


def test_read_grid_is_decode_grid_else_settled_modules():
    grid, _ = make(VIETNAMESE, version=7)
    conf = np.ones(grid.shape)
    assert qs.read_grid(grid, conf) == (VIETNAMESE, None)
    bad = grid.copy()
    bad[disc(grid.shape[0], 0.3)] ^= True
    payload, settled = qs.read_grid(bad, conf)
    assert payload is None
    assert np.array_equal(settled, qs.settled_modules(bad, conf), equal_nan=True)


def test_no_wrong_answers_from_heavily_corrupted_symbols():
    rng = np.random.default_rng(7)
    decoded = 0
    for i in range(300):
        data = rng.integers(0, 256, int(rng.integers(1, 120)), dtype=np.uint8).tobytes()
        grid, qr = make(data, error="lmqh"[i % 4])
        frac = (0.6, 0.6, 0.6, 0.3, 0.15, 0.05)[i // 4 % 6]  # mostly 60% randomised
        region = data_region(qr.version) & (rng.random(grid.shape) < frac)
        bad = np.where(region, rng.random(grid.shape) < 0.5, grid)
        conf = rng.random(grid.shape)
        got = outcome(bad, conf)
        assert isinstance(got, SymbolError) or got == data, (i, got)
        decoded += got == data
    assert decoded > 0  # the lighter corruptions do decode


def test_pure_random_grids_fail():
    rng = np.random.default_rng(8)
    for i in range(100):
        n = 17 + 4 * int(rng.integers(1, 12))
        grid = rng.random((n, n)) < 0.5
        conf = rng.random((n, n)) if i % 2 else None
        assert isinstance(outcome(grid, conf), SymbolError)


# --- Reed-Solomon alone ----------------------------------------------------------------------

def rs_encode(msg: bytes, nsym: int) -> bytes:
    gen = [1]
    for i in range(nsym):  # prod (x + alpha^i), lowest degree first
        gen = qs._pmul(gen, [qs._EXP[i], 1])
    gen = gen[::-1]
    rem = list(msg) + [0] * nsym
    for i in range(len(msg)):
        if rem[i]:
            for j in range(1, len(gen)):
                rem[i + j] ^= qs._mul(gen[j], rem[i])
    return bytes(msg) + bytes(rem[len(msg):])


def test_rs_errors_and_erasures_within_capacity():
    rng = random.Random(11)
    for _ in range(1500):
        nsym = rng.choice([7, 10, 13, 17, 18, 22, 26, 28, 30])
        cw = rs_encode(bytes(rng.randrange(256) for _ in range(rng.randint(1, 120))), nsym)
        f = rng.randint(0, nsym)
        e = rng.randint(0, (nsym - f) // 2)
        pos = rng.sample(range(len(cw)), min(len(cw), e + f))
        bad = bytearray(cw)
        for p in pos[f:]:
            bad[p] ^= rng.randrange(1, 256)
        for p in pos[:f]:
            bad[p] = rng.randrange(256)
        assert rs_correct(bad, nsym, pos[:f]) == cw


def test_rs_respects_spare_margin():
    cw = rs_encode(b"hello kiosk", 10)
    bad = bytearray(cw)
    for p in (0, 3, 5, 8, 12):
        bad[p] ^= 0x5A
    assert rs_correct(bad, 10) == cw
    with pytest.raises(SymbolError):
        rs_correct(bad, 10, spare=2)
