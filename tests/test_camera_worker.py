"""CameraWorker on the simulated camera: preview, QR codes, lost and found camera, faults.
pytest-qt waits on signals; no sleeps."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from app.ui.camera_preview import CameraPreview  # noqa: E402
from app.ui.camera_worker import CameraWorker  # noqa: E402
from drivers.camera.simulated_camera import SimulatedCamera  # noqa: E402

PAYLOAD = "001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|10042021"


@pytest.fixture
def camera():
    return SimulatedCamera(size=(1280, 720), fps=60, realtime=True)


@pytest.fixture
def worker(camera, qtbot):
    w = CameraWorker(lambda: camera, backoff=(0.05, 0.2), no_picture_after_s=0.3,
                     reopen_after_s=60, repeat_after_s=60)
    yield w
    assert w.stop(5000)


def test_preview_frames_and_code_read_once(worker, camera, qtbot):
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "ok"):
        worker.start()
    with qtbot.waitSignal(worker.frame_ready, timeout=5000) as frame:
        pass
    assert frame.args[0].width() <= 640
    reads = []
    worker.code_read.connect(lambda raw, text: reads.append((raw, text)))
    with qtbot.waitSignal(worker.code_read, timeout=5000) as sig:
        camera.show_card(PAYLOAD, seed=1, module_px=4)
    raw, text = sig.args
    assert raw == PAYLOAD.encode("utf-8") and text == PAYLOAD
    # the card stays in view: no second emission while it is the same code
    qtbot.waitUntil(lambda: worker.frames_decoded >= 8, timeout=5000)
    assert len(reads) == 1
    # until the app asks again (a new session)
    with qtbot.waitSignal(worker.code_read, timeout=5000):
        worker.rearm()
    assert len(reads) == 2


def test_unplugged_camera_is_found_again(worker, camera, qtbot):
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "ok"):
        worker.start()
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "reconnecting"):
        camera.unplug()
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "ok"):
        camera.plug()
    with qtbot.waitSignal(worker.code_read, timeout=5000):
        camera.show_card(PAYLOAD, seed=2)


def test_no_camera_at_start_then_plugged(camera, qtbot):
    camera.unplug()
    w = CameraWorker(lambda: camera, backoff=(0.05, 0.1))
    try:
        with qtbot.waitSignal(w.camera_state, timeout=5000,
                              check_params_cb=lambda s: s == "unavailable"):
            w.start()
        with qtbot.waitSignal(w.camera_state, timeout=5000,
                              check_params_cb=lambda s: s == "ok"):
            camera.plug()
    finally:
        assert w.stop(5000)


@pytest.mark.parametrize("fault", ["black", "frozen"])
def test_black_and_frozen_frames_reported_then_recovered(worker, camera, qtbot, fault):
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "ok"):
        worker.start()
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "no_picture"):
        camera.set_fault(fault)
    with qtbot.waitSignal(worker.camera_state, timeout=5000,
                          check_params_cb=lambda s: s == "ok"):
        camera.set_fault(None)


def test_frozen_camera_is_reopened(camera, qtbot):
    w = CameraWorker(lambda: camera, backoff=(0.05, 0.1), no_picture_after_s=0.1,
                     reopen_after_s=0.3)
    try:
        with qtbot.waitSignal(w.camera_state, timeout=5000,
                              check_params_cb=lambda s: s == "ok"):
            w.start()
        camera.set_fault("frozen")
        with qtbot.waitSignal(w.camera_state, timeout=5000,
                              check_params_cb=lambda s: s == "reconnecting"):
            pass
    finally:
        assert w.stop(5000)


def test_stop_joins_quickly_while_waiting_for_a_camera(camera, qtbot):
    camera.unplug()
    w = CameraWorker(lambda: camera, backoff=(30.0, 30.0))
    with qtbot.waitSignal(w.camera_state, timeout=5000):
        w.start()
    assert w.stop(2000)  # the 30 s backoff wait is interrupted


def test_preview_widget_shows_frames(worker, camera, qtbot):
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(640, 360)
    worker.frame_ready.connect(preview.show_frame)
    with qtbot.waitSignal(worker.frame_ready, timeout=5000):
        worker.start()
    qtbot.waitUntil(preview.has_frame, timeout=5000)
    preview.show()
    preview.repaint()
    assert preview.guide_rect().width() > 0


def test_glare_hint_then_cleared(camera, qtbot):
    w = CameraWorker(lambda: camera, backoff=(0.05, 0.1), hint_after_s=0.2)
    try:
        with qtbot.waitSignal(w.camera_state, timeout=5000,
                              check_params_cb=lambda s: s == "ok"):
            w.start()
        # strong glare over small, blurred modules: located, not readable
        with qtbot.waitSignal(w.qr_hint, timeout=8000, check_params_cb=lambda h: h == "glare"):
            camera.show_card(PAYLOAD, seed=11, module_px=2.7, glare=0.9, blur=1.3, noise=8)
        with qtbot.waitSignal(w.qr_hint, timeout=8000, check_params_cb=lambda h: h == ""):
            camera.show_blank()
    finally:
        assert w.stop(5000)


class SlowCamera:
    """Each read takes 300 ms: the main thread must stay free meanwhile."""

    name = "slow"

    def __init__(self) -> None:
        import threading

        self.reading = threading.Event()

    def open(self) -> None:
        pass

    def read(self):
        import time

        import numpy as np

        self.reading.set()
        time.sleep(0.3)
        return np.full((720, 1280, 3), 90, np.uint8)

    def close(self) -> None:
        pass


def test_main_thread_never_waits_on_the_camera(qtbot):
    import time

    from PySide6.QtCore import QTimer

    slow = SlowCamera()
    w = CameraWorker(lambda: slow)
    try:
        w.start()
        qtbot.waitUntil(slow.reading.is_set, timeout=5000)
        fired = []
        t0 = time.monotonic()
        QTimer.singleShot(10, lambda: fired.append(time.monotonic() - t0))
        qtbot.waitUntil(lambda: bool(fired), timeout=1000)
        assert fired[0] < 0.2  # served while the worker sits in a 300 ms read
    finally:
        t = time.monotonic()
        assert w.stop(5000)
        assert time.monotonic() - t < 1.5  # joins after the read in progress
