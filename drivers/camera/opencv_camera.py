"""A real camera through OpenCV: a device index ("0"), a device path (/dev/video2) or a stream URL.

Called only on the camera worker's thread. A camera that stops giving frames (unplugged, driver
reset, stream closed) raises CameraUnavailableError; the worker closes it and calls open() again
with a backoff, so the kiosk never restarts for a camera.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from drivers.camera.interface import CameraUnavailableError

log = logging.getLogger(__name__)


def parse_device(device: str | int) -> str | int:
    """"0" -> 0 (an index); anything else (a path, a URL) is passed to OpenCV as is."""
    if isinstance(device, int):
        return device
    text = str(device).strip()
    return int(text) if text.isdigit() else text


class OpenCVCamera:
    # A few failed reads in a row happen on a busy USB bus; more than this means the camera is gone.
    MAX_FAILED_READS = 5

    def __init__(self, device: str | int = 0, *, width: int = 1280, height: int = 720,
                 fps: int = 15, backend: int = cv2.CAP_ANY) -> None:
        self.device = parse_device(device)
        self.width, self.height, self.fps = width, height, fps
        self.backend = backend
        self.name = f"opencv:{self.device}"
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> None:
        self.close()
        cap = cv2.VideoCapture(self.device, self.backend)
        if not cap.isOpened():
            cap.release()
            raise CameraUnavailableError(f"no camera at {self.device!r}")
        if isinstance(self.device, int):
            # MJPG: most USB webcams only reach 1280x720 at 15+ fps compressed.
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_FPS, self.fps)
            # Keep only the newest frame: decoding must see now, not a queue of the past.
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._cap = cap
        actual = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        log.info("camera %s opened at %dx%d", self.name, *actual)

    def read(self) -> np.ndarray:
        if self._cap is None:
            raise CameraUnavailableError("camera not open")
        for _ in range(self.MAX_FAILED_READS):
            ok, frame = self._cap.read()
            if ok and frame is not None and frame.size:
                return frame
        self.close()
        raise CameraUnavailableError(f"camera {self.device!r} stopped giving frames")

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
