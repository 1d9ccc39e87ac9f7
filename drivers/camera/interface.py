"""The one camera interface: OpenCV capture and the simulator both implement it.

`read()` is called on the app's camera worker thread. Frames are numpy arrays (H x W x 3, BGR,
uint8), as OpenCV gives them.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class CameraError(Exception):
    reason = "camera_error"


class CameraUnavailableError(CameraError):
    """No camera at the configured device, or it was unplugged. The worker retries opening."""

    reason = "camera_unavailable"


class Camera(Protocol):
    name: str

    def open(self) -> None:
        """Open the device. Raises CameraUnavailableError."""

    def read(self) -> np.ndarray:
        """The next frame. Raises CameraUnavailableError when the device is lost."""

    def close(self) -> None: ...
