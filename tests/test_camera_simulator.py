"""SimulatedCamera and OpenCVCamera through the Camera interface: sources, controls, faults,
lost and found again."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from drivers.camera.interface import CameraUnavailableError
from drivers.camera.opencv_camera import OpenCVCamera, parse_device
from drivers.camera.simulated_camera import SimulatedCamera

SIZE = (320, 240)


def cam(source=None, **kw) -> SimulatedCamera:
    kw.setdefault("size", SIZE)
    kw.setdefault("realtime", False)
    return SimulatedCamera(source, **kw)


def write_images(folder, colours):
    folder.mkdir(exist_ok=True)
    for i, c in enumerate(colours):
        img = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
        img[:] = c
        cv2.imwrite(str(folder / f"{i:02d}.png"), img)
    return folder


def write_video(path, n=6):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, SIZE)
    assert writer.isOpened()
    for i in range(n):
        img = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
        img[:] = (i * 40, 100, 200 - i * 30)
        writer.write(img)
    writer.release()
    return path


def test_blank_without_source():
    c = cam()
    c.open()
    f = c.read()
    assert f.shape == (SIZE[1], SIZE[0], 3) and f.dtype == np.uint8
    c.close()


def test_folder_is_replayed_in_order_and_loops(tmp_path):
    folder = write_images(tmp_path / "imgs", [(10, 10, 10), (200, 200, 200)])
    c = cam(folder, sensor_noise=False)
    c.open()
    means = [int(c.read().mean()) for _ in range(4)]
    assert means == [10, 200, 10, 200]


def test_single_image_file(tmp_path):
    folder = write_images(tmp_path / "imgs", [(50, 60, 70)])
    c = cam(folder / "00.png", sensor_noise=False)
    c.open()
    assert c.read()[0, 0].tolist() == [50, 60, 70]


def test_video_file_loops(tmp_path):
    c = cam(write_video(tmp_path / "clip.avi", n=3), sensor_noise=False)
    c.open()
    frames = [c.read() for _ in range(7)]
    assert all(f.shape[:2] == (SIZE[1], SIZE[0]) for f in frames)
    assert abs(int(frames[0].mean()) - int(frames[3].mean())) <= 3  # looped to the start
    c.close()


def test_missing_source_is_unavailable(tmp_path):
    with pytest.raises(CameraUnavailableError):
        cam(tmp_path / "nothing-here.png").open()


def test_show_image_show_card_show_blank_show_source(tmp_path):
    folder = write_images(tmp_path / "imgs", [(0, 0, 255)])
    c = cam(folder, sensor_noise=False)
    c.open()
    img = np.full((SIZE[1], SIZE[0], 3), 77, np.uint8)
    c.show_image(img)
    assert int(c.read().mean()) == 77
    cv2.imwrite(str(tmp_path / "x.png"), np.full((SIZE[1], SIZE[0], 3), 33, np.uint8))
    c.show_image(tmp_path / "x.png")
    assert int(c.read().mean()) == 33
    c.show_card("079301000123||Trần Thị Bình|02032001|Nữ|Tổ 5|20082024", seed=1, module_px=2)
    assert c.read().shape == (SIZE[1], SIZE[0], 3)
    c.show_blank()
    assert c.read()[0, 0].tolist() == [92, 84, 78]
    c.show_source()
    assert c.read()[0, 0].tolist() == [0, 0, 255]


def test_sensor_noise_makes_still_frames_differ():
    c = cam()
    c.open()
    a, b = c.read(), c.read()
    assert not np.array_equal(a, b)


def test_unplug_then_plug():
    c = cam()
    c.open()
    c.read()
    c.unplug()
    with pytest.raises(CameraUnavailableError):
        c.read()
    with pytest.raises(CameraUnavailableError):
        c.open()
    c.plug()
    c.open()
    assert c.read() is not None


def test_black_and_frozen_faults():
    c = cam()
    c.open()
    c.set_fault("black")
    assert c.read().max() == 0
    c.set_fault(None)
    c.read()
    c.set_fault("frozen")
    a, b = c.read(), c.read()
    assert np.array_equal(a, b)
    c.set_fault(None)
    assert not np.array_equal(c.read(), b)
    with pytest.raises(ValueError):
        c.set_fault("melted")


def test_realtime_pacing():
    import time

    c = SimulatedCamera(size=SIZE, fps=50, realtime=True)
    c.open()
    t = time.monotonic()
    for _ in range(6):
        c.read()
    assert time.monotonic() - t >= 5 / 50 * 0.8


# --- OpenCVCamera (no webcam in CI: a file path and a missing device stand in) ---
def test_parse_device():
    assert parse_device("0") == 0 and parse_device(2) == 2
    assert parse_device("/dev/video2") == "/dev/video2"
    assert parse_device("rtsp://cam/stream") == "rtsp://cam/stream"


def test_opencv_camera_missing_device(tmp_path):
    c = OpenCVCamera(str(tmp_path / "no-such-video.avi"))
    with pytest.raises(CameraUnavailableError):
        c.open()
    with pytest.raises(CameraUnavailableError):
        c.read()


def test_opencv_camera_lost_at_end_of_stream_and_reopens(tmp_path):
    path = write_video(tmp_path / "clip.avi", n=3)
    c = OpenCVCamera(str(path), width=SIZE[0], height=SIZE[1], fps=10)
    c.open()
    assert c.read().shape == (SIZE[1], SIZE[0], 3)
    with pytest.raises(CameraUnavailableError):
        for _ in range(10):
            c.read()
    c.open()  # found again: reopening works without a new object
    assert c.read().shape == (SIZE[1], SIZE[0], 3)
    c.close()
