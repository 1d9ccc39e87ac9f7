"""qr_soft: reading a located QR code ourselves, glared modules as erasures."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from drivers.camera import qr_soft
from drivers.camera.qr_decode import CONFIGS, DEFAULT_DECODER_CONFIG, QrDecoder, to_gray
from drivers.camera.qr_soft import _turned, module_levels, module_values, read_at, read_located
from drivers.camera.synthetic import qr_matrix, random_cccd_payload, render_card_frame

# A card under a strong glare spot that zxing locates (finders, format, version) but cannot
# read through its Reed-Solomon check, with or without the cascade's pre-processing.
GLARED = dict(module_px=4.3, rotation=5.0, blur=1.0, noise=4, glare=0.85, seed=101)


def _frame_and_corners(payload: str, **kwargs) -> tuple[np.ndarray, np.ndarray, int]:
    geometry: list = []
    gray = to_gray(render_card_frame(payload, geometry=geometry, **kwargs))
    n = qr_matrix(payload).shape[0]
    square = np.float32([[[0, 0], [n, 0], [n, n], [0, n]]])
    return gray, cv2.perspectiveTransform(square, geometry[0])[0], (n - 17) // 4


@pytest.mark.parametrize("rotation", [0, 30, 90, 180, 250])
def test_reads_a_symbol_from_its_corners_whatever_the_corner_order(rotation):
    payload = random_cccd_payload(5)
    gray, corners, version = _frame_and_corners(payload, module_px=3.5, rotation=rotation,
                                                blur=0.8, noise=4, seed=3)
    # the symbol's own corner order, and the order the frame shows them in after turning
    for turn in range(4):
        assert read_located(gray, np.roll(corners, turn, axis=0), version) == \
            payload.encode("utf-8")


def test_corners_off_by_a_module_are_pinned_down_by_the_alignment_patterns():
    payload = random_cccd_payload(6)
    gray, corners, version = _frame_and_corners(payload, module_px=3.5, rotation=12,
                                                perspective=0.2, blur=0.8, seed=4)
    off = corners.copy()
    off[2] += (4.0, -3.0)  # zxing extrapolates the bottom-right corner: ~1 module off
    assert read_located(gray, off, version) == payload.encode("utf-8")


def test_wrong_version_or_a_place_without_a_code_reads_nothing():
    payload = random_cccd_payload(7)
    gray, corners, version = _frame_and_corners(payload, module_px=3.5, seed=5)
    assert read_located(gray, corners, version + 1) is None
    blank = np.full_like(gray, 200)
    assert read_located(blank, corners, version) is None


def test_read_at_a_known_geometry_reads_the_card_and_nothing_a_module_off():
    """The benchmark's missed_read_at_true_geometry hands read_at the renderer's homography."""
    payload = random_cccd_payload(8)
    geometry: list = []
    gray = to_gray(render_card_frame(payload, module_px=3.2, rotation=-20, perspective=0.2,
                                     blur=0.9, noise=6, seed=6, geometry=geometry))
    n = qr_matrix(payload).shape[0]
    assert read_at(gray, geometry[0], n) == payload.encode("utf-8")
    shifted = geometry[0] @ np.array([[1, 0, 1.0], [0, 1, 0], [0, 0, 1]])  # one module right
    assert read_at(gray, shifted, n) is None


def test_read_at_with_deblur_reads_module_levels_first(monkeypatch):
    """The deconvolution's grid is placed between pixels; module_levels' decisions on it read
    some symbols that the deconvolution does not, so read_at tries them first."""
    payload = random_cccd_payload(9)
    geometry: list = []
    gray = to_gray(render_card_frame(payload, module_px=3.5, blur=0.8, noise=4, seed=7,
                                     geometry=geometry))
    n = qr_matrix(payload).shape[0]
    deconvolved = []
    monkeypatch.setattr(qr_soft, "read_deblurred",
                        lambda *args: deconvolved.append(args) and None)
    assert read_at(gray, geometry[0], n, deblur=True) == payload.encode("utf-8")
    assert not deconvolved
    assert read_at(np.full_like(gray, 200), geometry[0], n, deblur=True) is None
    assert len(deconvolved) == 1  # a grid module_levels cannot read is deconvolved


def test_a_glared_card_zxing_cannot_read_is_read_through_erasures():
    payload = random_cccd_payload(101)
    frame = render_card_frame(payload, **GLARED)
    assert QrDecoder(CONFIGS["zxing+cascade"], remember_roi=False).decode(frame) == []
    codes = QrDecoder(DEFAULT_DECODER_CONFIG, remember_roi=False).decode(frame)
    assert [(c.raw, c.decoder) for c in codes] == [(payload.encode("utf-8"), "soft")]
    assert codes[0].text == payload
    assert len(codes[0].position) == 4


def test_blurred_small_modules_are_decided_with_their_neighbours_spread_taken_out():
    """At 2.5 px per module and a 1.3 px blur an isolated module nearly vanishes; the spreading
    model decides it right far more often than a threshold midway between the local levels."""
    payload = random_cccd_payload(8)
    gray, corners, version = _frame_and_corners(payload, module_px=2.5, blur=1.3, noise=3,
                                                seed=6)
    n = 17 + 4 * version
    truth = qr_matrix(payload).astype(bool)
    square = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
    values = module_values(gray, cv2.getPerspectiveTransform(square, corners), n)
    kernel = np.ones((3, 3), np.uint8)
    midway = values < (cv2.dilate(values, kernel) + cv2.erode(values, kernel)) / 2
    dark, confidence = module_levels(values)
    assert (dark != truth).sum() * 3 < (midway != truth).sum()
    # the modules it still gets wrong are the ones it is least sure of
    assert np.median(confidence[dark != truth]) < np.median(confidence[dark == truth])


def test_never_a_wrong_payload_under_heavy_glare():
    """Over many glared, blurred, small cards: whatever the soft reading returns is the card's
    exact payload (a miscorrection would hand the parser someone else's data)."""
    rng = np.random.default_rng(42)
    read = 0
    for i in range(40):
        payload = random_cccd_payload(rng)
        gray, corners, version = _frame_and_corners(
            payload, module_px=float(rng.uniform(2.5, 4.5)), rotation=float(rng.uniform(-30, 30)),
            blur=float(rng.uniform(0.6, 1.4)), noise=float(rng.uniform(0, 10)),
            glare=float(rng.uniform(0.6, 0.95)), seed=1000 + i)
        corners = corners + rng.uniform(-2, 2, corners.shape).astype(np.float32)
        raw = read_located(gray, corners, version)
        if raw is not None:
            assert raw == payload.encode("utf-8")
            read += 1
    assert read >= 10  # and it does read a fair share of them


def test_a_finder_washed_out_by_glare_does_not_turn_the_symbol():
    """With the bottom-left finder lost under a glare spot, that corner looks no more like a
    finder than the bottom-right one, which has none: the timing and alignment patterns decide
    which way up the symbol is (a rule on the finders alone turned it a quarter wrong)."""
    payload = random_cccd_payload(8)
    geometry: list = []
    gray = to_gray(render_card_frame(payload, module_px=3.5, rotation=20, blur=0.8, noise=4,
                                     seed=5, geometry=geometry))
    n = qr_matrix(payload).shape[0]
    square = np.float32([[[0, 0], [n, 0], [n, n], [0, n]]])
    corners = cv2.perspectiveTransform(square, geometry[0])[0]
    finder = cv2.perspectiveTransform(np.float32([[[-1, n - 8], [8, n - 8], [8, n + 1],
                                                   [-1, n + 1]]]), geometry[0])[0]
    washed = gray.copy()
    cv2.fillConvexPoly(washed, finder.astype(np.int32), 255)
    for turn in range(4):
        assert np.allclose(_turned(washed, np.roll(corners, turn, axis=0), n), corners)
    assert read_located(washed, np.roll(corners, 1, axis=0), (n - 17) // 4) == \
        payload.encode("utf-8")
