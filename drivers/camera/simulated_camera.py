"""The simulated camera: replays an image, a folder of images or a video file through the Camera
interface, and takes orders from the operator panel and the tests.

Runtime control (any thread; the worker thread reads):
  show_image(path_or_array)  the camera sees that picture until told otherwise
  show_card(payload, **kw)   a generated card frame with that QR payload (synthetic.py)
  show_blank()               an empty desk
  show_source()              back to replaying the configured source
  unplug() / plug()          the camera disappears / comes back
  set_fault("black" | "frozen" | None)
                             black frames (lens covered, exposure failure) or the same frame
                             over and over (a hung driver)

Frames are paced to `fps` when `realtime` (the worker then behaves as with a real camera);
tests pass realtime=False to run as fast as the worker reads.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.interface import CameraUnavailableError

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
VIDEO_EXT = {".mp4", ".avi", ".mkv", ".mov", ".webm"}
FAULTS = ("black", "frozen")


def load_image(path: str | Path) -> np.ndarray:
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(f"not an image: {path}")
    return img


class SimulatedCamera:
    name = "simulator"

    def __init__(self, source: str | Path | np.ndarray | None = None, *,
                 size: tuple[int, int] = (1280, 720), fps: float = 15.0,
                 realtime: bool = True, sensor_noise: bool = True) -> None:
        self.size = size
        self.sensor_noise = sensor_noise
        self._noise: list[np.ndarray] = []
        self._cache: dict[Path, np.ndarray] = {}
        self.fps = fps
        self.realtime = realtime
        self._lock = threading.Lock()
        self._source = source
        self._override: np.ndarray | None = None  # show_image / show_blank
        self._use_override = False
        self._plugged = True
        self._fault: str | None = None
        self._open = False
        self._images: list[Path] = []
        self._index = 0
        self._video: cv2.VideoCapture | None = None
        self._last: np.ndarray | None = None
        self._next_t = 0.0
        self.frames_served = 0

    # --- control (any thread) ---
    def show_image(self, image: str | Path | np.ndarray) -> None:
        frame = load_image(image) if not isinstance(image, np.ndarray) else image
        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        with self._lock:
            self._override, self._use_override = frame.copy(), True

    def show_card(self, payload: str, **render_kw) -> None:
        from drivers.camera.synthetic import render_card_frame

        render_kw.setdefault("size", self.size)
        self.show_image(render_card_frame(payload, **render_kw))

    def show_blank(self) -> None:
        with self._lock:
            self._override, self._use_override = self._blank(), True

    def show_source(self) -> None:
        with self._lock:
            self._override, self._use_override = None, False

    def unplug(self) -> None:
        with self._lock:
            self._plugged = False

    def plug(self) -> None:
        with self._lock:
            self._plugged = True

    def set_fault(self, fault: str | None) -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS} or None")
        with self._lock:
            self._fault = fault

    @property
    def plugged(self) -> bool:
        return self._plugged

    # --- Camera interface (worker thread) ---
    def open(self) -> None:
        with self._lock:
            if not self._plugged:
                raise CameraUnavailableError("simulated camera unplugged")
            self._load_source()
            self._open = True
            self._next_t = time.monotonic()

    def read(self) -> np.ndarray:
        self._pace()
        with self._lock:
            if not self._plugged:
                self._open = False
                raise CameraUnavailableError("simulated camera unplugged")
            if not self._open:
                raise CameraUnavailableError("simulated camera not open")
            if self._fault == "black":
                frame = np.zeros((self.size[1], self.size[0], 3), np.uint8)
            elif self._fault == "frozen" and self._last is not None:
                frame = self._last  # the very same buffer, as a hung driver repeats it
            else:
                frame = self._with_noise(self._next_frame())
            self._last = frame
            self.frames_served += 1
            return frame

    def close(self) -> None:
        with self._lock:
            self._open = False
            if self._video is not None:
                self._video.release()
                self._video = None

    # --- internals ---
    def _pace(self) -> None:
        if not self.realtime:
            return
        now = time.monotonic()
        if self._next_t > now:
            time.sleep(self._next_t - now)
        self._next_t = max(now, self._next_t) + 1.0 / self.fps

    def _with_noise(self, frame: np.ndarray) -> np.ndarray:
        """A little sensor noise, as every real camera has: a still picture then gives frames
        that differ, and only the "frozen" fault repeats one exactly (what the worker detects).
        Four precomputed patterns, cycled: cheap."""
        if not self.sensor_noise:
            return frame
        if not self._noise or self._noise[0].shape != frame.shape:
            rng = np.random.default_rng(0)
            self._noise = [rng.integers(0, 4, frame.shape, dtype=np.uint8) for _ in range(4)]
        return cv2.add(frame, self._noise[self.frames_served % 4])

    def _blank(self) -> np.ndarray:
        frame = np.empty((self.size[1], self.size[0], 3), np.uint8)
        frame[:] = (92, 84, 78)  # a grey-brown desk
        return frame

    def _load_source(self) -> None:
        src = self._source
        self._images, self._index = [], 0
        if self._video is not None:
            self._video.release()
            self._video = None
        if src is None or isinstance(src, np.ndarray):
            return
        path = Path(src)
        if path.is_dir():
            self._images = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_EXT)
        elif path.suffix.lower() in VIDEO_EXT:
            self._video = cv2.VideoCapture(str(path))
            if not self._video.isOpened():
                raise CameraUnavailableError(f"cannot play {path.name}")
        elif path.is_file():
            self._images = [path]
        else:
            raise CameraUnavailableError(f"simulator source missing: {path}")

    def _next_frame(self) -> np.ndarray:
        if self._use_override and self._override is not None:
            return self._override
        src = self._source
        if isinstance(src, np.ndarray):
            return src
        if self._video is not None:
            ok, frame = self._video.read()
            if not ok:  # loop the video
                self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._video.read()
            if ok:
                return frame
            raise CameraUnavailableError("simulator video gives no frames")
        if self._images:
            path = self._images[self._index % len(self._images)]
            self._index += 1
            if path not in self._cache:
                if len(self._cache) > 64:
                    self._cache.clear()
                self._cache[path] = load_image(path)
            return self._cache[path]
        return self._blank()
