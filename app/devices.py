"""Which driver runs for each device kind, picked from the configuration (Electrum's device
manager in small). A driver that cannot start leaves the kiosk running with that input shown as
unavailable: `Device.error` says why, in words for the admin view.

No Qt here; app/ui wraps these objects in workers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from app.config import SIMULATOR, Config

log = logging.getLogger(__name__)


@dataclass
class Device:
    """One device kind: the driver object when it started, or why it did not."""

    kind: str  # "card", "camera", "scanner", "printer"
    driver: str  # the configured driver name
    impl: Any = None
    error: str = ""
    simulated: bool = False

    @property
    def available(self) -> bool:
        return self.impl is not None


@dataclass
class Devices:
    card: Device
    camera: Device
    scanner: Device
    printer: Device

    def all(self) -> list[Device]:
        return [self.card, self.camera, self.scanner, self.printer]


def _start(kind: str, driver: str, factory: Callable[[], Any]) -> Device:
    dev = Device(kind, driver, simulated=(driver == SIMULATOR))
    if driver == "none":
        dev.error = "not configured"
        return dev
    try:
        dev.impl = factory()
    except Exception as exc:  # noqa: BLE001 - any failure leaves this input unavailable
        dev.error = f"{type(exc).__name__}: {exc}"
        log.warning("%s driver %s unavailable: %s", kind, driver, type(exc).__name__)
    return dev


def card_backend(cfg: Config) -> Any:
    if cfg["card.driver"] == SIMULATOR:
        from drivers.card.simulated_reader import SimulatedReaderBackend

        return SimulatedReaderBackend()
    from drivers.card.pcsc import PcscReaderBackend

    return PcscReaderBackend(cfg["card.reader"])


def camera_factory(cfg: Config) -> Callable[[], Any]:
    """The camera worker opens (and re-opens) through this factory."""
    if cfg["camera.driver"] == SIMULATOR:
        from drivers.camera.simulated_camera import SimulatedCamera

        shared = SimulatedCamera(cfg.asset_path("camera.simulator_source"))
        return lambda: shared  # one instance: the operator panel controls what it shows
    from drivers.camera.opencv_camera import OpenCVCamera

    return lambda: OpenCVCamera(cfg["camera.device"], width=cfg["camera.width"],
                                height=cfg["camera.height"], fps=cfg["camera.fps"])


def open_devices(cfg: Config) -> Devices:
    return Devices(
        card=_start("card", cfg["card.driver"], lambda: card_backend(cfg)),
        camera=_start("camera", cfg["camera.driver"], lambda: camera_factory(cfg)),
        scanner=_start("scanner", cfg["scanner.driver"], lambda: _serial("scanner", cfg)),
        printer=_start("printer", cfg["printer.driver"], lambda: _serial("printer", cfg)),
    )


def _serial(kind: str, cfg: Config) -> Any:
    from app import serial_devices  # written with the serial issue

    return serial_devices.open_from_config(kind, cfg)


def simulator_profiles(cfg: Config) -> list[Path]:
    folder = cfg.asset_path("card.simulator_profiles")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
