"""Pre-processing for QR decoding: each turns a grey image into one an engine reads better.

Names are used in drivers/camera/qr_decode.py's Attempt.prep. Each comment says what it rescues;
benchmarks/qr_decode.py measured which ones earn their place in the shipped cascade.
"""

from __future__ import annotations

import cv2
import numpy as np

_CLAHE = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(8, 8))


def prep(gray: np.ndarray, name: str) -> np.ndarray:
    """The grey image pre-processed by `name` (uint8, same size)."""
    if name == "gray":
        return gray
    if name == "clahe":
        return _CLAHE.apply(gray)
    if name == "equalize":
        return cv2.equalizeHist(gray)
    if name == "otsu":
        return cv2.threshold(cv2.GaussianBlur(gray, (3, 3), 0), 0, 255,
                             cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    if name == "adaptive":
        # Block about the size of a few modules at the usual 3-5 px; C keeps glare from
        # turning light modules dark.
        return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                     31, 5)
    if name == "sharpen":
        # Unsharp mask tuned on blurred 2.5-3.5 px modules (sigma 1.5, amount 1.5): recovered
        # about half of the frames plain zxing missed, for ~2 ms.
        blurred = cv2.GaussianBlur(gray, (0, 0), 1.5)
        return cv2.addWeighted(gray, 2.5, blurred, -1.5, 0)
    if name == "blur":
        # Smooths JPEG blocking and sensor noise that break zxing's local binariser.
        return cv2.GaussianBlur(gray, (0, 0), 1.0)
    if name == "median":
        return cv2.medianBlur(gray, 3)
    if name == "denoise_adaptive":
        # For an upscaled ROI (applied after scaling, see _AFTER_SCALE): smooth the noise and
        # JPEG blocks, then threshold against a local Gaussian mean about 3 modules wide. Reads
        # about a quarter of the glare frames the rest of the cascade misses.
        smooth = cv2.GaussianBlur(gray, (0, 0), 2.4)
        return cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                     cv2.THRESH_BINARY, 31, 1)
    if name == "invert":
        return cv2.bitwise_not(gray)
    if name == "flatten":
        # Divide by the local background: lifts modules out of a glare spot. The background is
        # estimated at quarter size (a wide blur at full size costs ~10 ms).
        h, w = gray.shape[:2]
        small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
        bg = cv2.resize(cv2.GaussianBlur(small, (0, 0), 2), (w, h),
                        interpolation=cv2.INTER_LINEAR).astype(np.float32) + 1
        return cv2.normalize(gray.astype(np.float32) / bg, None, 0, 255, cv2.NORM_MINMAX,
                             cv2.CV_8U)
    raise ValueError(f"unknown pre-processing {name!r}")


# Pre-processings tuned for an upscaled image: qr_decode applies them after the scaling.
AFTER_SCALE = {"denoise_adaptive"}
