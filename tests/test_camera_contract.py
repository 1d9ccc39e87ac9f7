"""One contract for every Camera implementation (style.md: the simulator always, a real camera
when KIOSK_TEST_CAMERA names one, e.g. KIOSK_TEST_CAMERA=0 or /dev/video2)."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from drivers.camera.interface import Camera, CameraUnavailableError
from drivers.camera.opencv_camera import OpenCVCamera
from drivers.camera.simulated_camera import SimulatedCamera

SIZE = (320, 240)


def _video(path):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, SIZE)
    for i in range(30):
        writer.write(np.full((SIZE[1], SIZE[0], 3), 40 + i, np.uint8))
    writer.release()
    return path


def _make(kind: str, tmp_path) -> Camera:
    if kind == "simulator":
        return SimulatedCamera(size=SIZE, realtime=False)
    if kind == "simulator-video":
        return SimulatedCamera(_video(tmp_path / "v.avi"), size=SIZE, realtime=False)
    if kind == "opencv-file":
        return OpenCVCamera(str(_video(tmp_path / "v.avi")), width=SIZE[0], height=SIZE[1])
    return OpenCVCamera(os.environ["KIOSK_TEST_CAMERA"])


KINDS = ["simulator", "simulator-video", "opencv-file"] + (
    ["opencv-device"] if os.environ.get("KIOSK_TEST_CAMERA") else [])


@pytest.fixture(params=KINDS)
def camera(request, tmp_path):
    cam = _make(request.param, tmp_path)
    yield cam
    cam.close()


def test_frames_are_bgr_uint8(camera):
    camera.open()
    for _ in range(3):
        frame = camera.read()
        assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
        assert frame.shape[0] >= 120 and frame.shape[1] >= 160


def test_close_then_open_again(camera):
    camera.open()
    camera.read()
    camera.close()
    camera.close()  # closing twice is harmless
    camera.open()
    assert camera.read().size


def test_read_before_open_is_unavailable(camera):
    with pytest.raises(CameraUnavailableError):
        camera.read()


def test_has_a_name(camera):
    assert isinstance(camera.name, str) and camera.name
