"""The camera's worker: one QThread that owns the camera, reads frames and decodes QR codes.

The Qt main thread never waits on capture or decoding: it only receives queued signals.
  frame_ready(QImage)      a scaled-down preview, at most `preview_fps` per second
  code_read(bytes, str)    a QR code read: raw bytes and their strict-UTF-8 text ("" when the
                           bytes are not UTF-8; the parser then says not_utf8). Once per
                           presentation: the same code again only after it left the view for
                           `repeat_after_s`.
  qr_hint(str)             a QR code is in view but cannot be read, for `hint_after_s`:
                           "glare" (tilt the card), "too_far" (bring it closer) or
                           "unreadable"; "" when that is over (read, or taken away)
  camera_state(str)        "ok", "unavailable" (no camera; retrying with backoff),
                           "reconnecting" (trying to open it again), "no_picture" (black or
                           frozen frames; reopened if it lasts)

The camera comes from a factory (app/devices.py camera_factory) called on every (re)open, so an
unplugged camera is found again without restarting the kiosk.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import cv2
import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from drivers.camera.interface import CameraError
from drivers.camera.qr_decode import QrDecoder

log = logging.getLogger(__name__)

OK, UNAVAILABLE, RECONNECTING, NO_PICTURE = "ok", "unavailable", "reconnecting", "no_picture"


def frame_to_qimage(frame: np.ndarray, max_width: int) -> QImage:
    """BGR frame -> RGB QImage no wider than max_width (scaled here, off the main thread)."""
    h, w = frame.shape[:2]
    if w > max_width:
        frame = cv2.resize(frame, (max_width, int(h * max_width / w)),
                           interpolation=cv2.INTER_AREA)
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    else:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    h, w = frame.shape[:2]
    # copy(): the QImage must own its pixels; the numpy buffer dies with this function.
    return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class _PictureWatch:
    """Tells black or frozen frames from a working camera, on a small subsample (cheap)."""

    def __init__(self) -> None:
        self.prev: np.ndarray | None = None
        self.bad_since: float | None = None

    def update(self, frame: np.ndarray, now: float) -> float:
        """Seconds the picture has been bad (0 when fine)."""
        sample = frame[::16, ::16]
        black = float(sample.mean()) < 6.0
        frozen = self.prev is not None and np.array_equal(sample, self.prev)
        self.prev = sample.copy()
        if black or frozen:
            if self.bad_since is None:
                self.bad_since = now
            return now - self.bad_since
        self.bad_since = None
        return 0.0


class CameraWorker(QObject):
    frame_ready = Signal(QImage)
    code_read = Signal(bytes, str)
    camera_state = Signal(str)
    qr_hint = Signal(str)
    _run_requested = Signal()

    def __init__(self, camera_factory: Callable[[], Any], *, decoder: QrDecoder | None = None,
                 preview_fps: float = 10.0, preview_width: int = 640,
                 backoff: tuple[float, float] = (0.5, 8.0), repeat_after_s: float = 3.0,
                 no_picture_after_s: float = 1.5, reopen_after_s: float = 6.0,
                 hint_after_s: float = 1.0, decode: bool = True) -> None:
        super().__init__()
        self.camera_factory = camera_factory
        self.decoder = decoder or QrDecoder()
        self.preview_interval = 1.0 / preview_fps if preview_fps > 0 else float("inf")
        self.preview_width = preview_width
        self.backoff = backoff
        self.repeat_after_s = repeat_after_s
        self.no_picture_after_s = no_picture_after_s
        self.reopen_after_s = reopen_after_s
        self.decode_enabled = decode
        self.hint_after_s = hint_after_s
        self.state = ""
        self.frames_read = 0
        self.frames_decoded = 0
        self._stop = threading.Event()
        self._rearm = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("camera-worker")
        self.moveToThread(self._thread)
        self._run_requested.connect(self._run)

    # --- main thread ---
    def start(self) -> None:
        self._stop.clear()
        self._thread.start()
        self._run_requested.emit()

    def stop(self, timeout_ms: int = 3000) -> bool:
        """Ends the loop and joins the thread. The loop checks the flag between frames and its
        backoff waits on it, so this returns within one frame read + one decode."""
        self._stop.set()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    def rearm(self) -> None:
        """Forget the last code read: the card still in view is reported again (a new session
        started, or the previous read was refused and the person tries again)."""
        self._rearm.set()

    def set_decoding(self, enabled: bool) -> None:
        """Screens without a QR step switch decoding off (the preview keeps running)."""
        self.decode_enabled = enabled

    # --- worker thread ---
    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            log.info("camera state: %s", state)
            self.camera_state.emit(state)

    @Slot()
    def _run(self) -> None:
        delay = self.backoff[0]
        while not self._stop.is_set():
            camera = None
            try:
                camera = self.camera_factory()
                camera.open()
            except CameraError as exc:
                log.info("camera not available: %s", type(exc).__name__)
                self._close(camera)
                self._set_state(UNAVAILABLE if self.state in ("", UNAVAILABLE) else RECONNECTING)
                if self._stop.wait(delay):
                    break
                delay = min(delay * 2, self.backoff[1])
                continue
            except Exception:  # noqa: BLE001 - a driver bug: keep the kiosk up, keep retrying
                log.exception("camera open failed")
                self._close(camera)
                self._set_state(UNAVAILABLE)
                if self._stop.wait(self.backoff[1]):
                    break
                continue
            delay = self.backoff[0]
            self._set_state(OK)
            lost = self._stream(camera)
            self._close(camera)
            if lost and not self._stop.is_set():
                self._set_state(RECONNECTING)
        self.decoder.reset()

    def _stream(self, camera: Any) -> bool:
        """Read until stopped (False) or the camera is lost or stuck (True)."""
        watch = _PictureWatch()
        last_preview = 0.0
        last_code: bytes | None = None
        last_seen = 0.0
        next_decode = 0.0
        hint, hint_since, hint_sent = None, 0.0, ""
        while not self._stop.is_set():
            try:
                frame = camera.read()
            except CameraError:
                return True
            except Exception:  # noqa: BLE001
                log.exception("camera read failed")
                return True
            now = time.monotonic()
            self.frames_read += 1
            bad_for = watch.update(frame, now)
            if bad_for >= self.reopen_after_s:
                return True
            self._set_state(NO_PICTURE if bad_for >= self.no_picture_after_s else OK)
            if now - last_preview >= self.preview_interval:
                last_preview = now
                self.frame_ready.emit(frame_to_qimage(frame, self.preview_width))
            # Decode at most half the time: when decoding is slower than the camera, frames
            # in between are only previewed (every Nth frame is decoded).
            if self.decode_enabled and bad_for == 0.0 and now >= next_decode:
                t0 = time.monotonic()
                try:
                    codes = self.decoder.decode(frame)
                except Exception:  # noqa: BLE001 - a decoder bug must not stop the camera
                    log.exception("QR decoding failed")
                    codes = []
                took = time.monotonic() - t0
                next_decode = t0 + 2 * took
                self.frames_decoded += 1
                if self._rearm.is_set():
                    self._rearm.clear()
                    last_code = None
                if codes:
                    code = codes[0]
                    if code.raw != last_code or now - last_seen > self.repeat_after_s:
                        self.code_read.emit(code.raw, code.text or "")
                    last_code, last_seen = code.raw, now
                # Advice only when the same trouble lasts: one bad frame says nothing.
                new_hint = self.decoder.last_hint
                if new_hint != hint:
                    hint, hint_since = new_hint, now
                wanted = hint if hint and now - hint_since >= self.hint_after_s else ""
                if wanted != hint_sent and (wanted or hint is None):
                    hint_sent = wanted
                    self.qr_hint.emit(wanted)
        return False

    @staticmethod
    def _close(camera: Any) -> None:
        if camera is None:
            return
        try:
            camera.close()
        except Exception:  # noqa: BLE001 - closing a lost device may fail; nothing to do
            log.debug("camera close failed", exc_info=True)
