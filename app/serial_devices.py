"""The serial printer and scanner built from the configuration (called by app/devices.py).

driver "escpos-serial"/"serial": the real device on [printer]/[scanner] port, search globs or
USB id. driver "simulator": a VirtualPrinter / VirtualScanner on a pty inside this process; the
returned object carries it as `.simulator` (the operator panel scans through
`scanner.simulator.scan(text)`; printed receipts are saved as PNG under DATA_DIR/printed/).
"""

from __future__ import annotations

from typing import Any

from app.config import SIMULATOR, Config
from app.errors import ConfigError
from drivers.serial.ports import PortLocator


def _locator(section: str, cfg: Config) -> PortLocator:
    usb = cfg[f"{section}.usb_id"]
    return PortLocator(port=cfg[f"{section}.port"], search=tuple(cfg[f"{section}.search"]),
                       usb_ids=(usb,) if usb else ())


def _configured_locator(section: str, cfg: Config) -> PortLocator:
    """The locator of a real device; a device with no way to find it is a configuration error
    (said once at start-up, not as "unavailable" for ever)."""
    locator = _locator(section, cfg)
    if not (locator.port or locator.search or locator.usb_ids):
        raise ConfigError(f"{section}.port", "a serial port (or set search / usb_id)", "")
    return locator


def open_from_config(kind: str, cfg: Config) -> Any:
    if kind == "printer":
        return printer_from_config(cfg)
    if kind == "scanner":
        return scanner_from_config(cfg)
    raise ValueError(kind)


def printer_from_config(cfg: Config) -> Any:
    from drivers.serial.escpos_printer import EscposSerialPrinter

    simulator = None
    if cfg["printer.driver"] == SIMULATOR:
        from drivers.serial.virtual_printer import VirtualPrinter

        out = cfg.data_dir / "printed"
        out.mkdir(parents=True, exist_ok=True)
        counter = {"n": 0}

        def save(receipt) -> None:
            counter["n"] += 1
            receipt.image.save(out / f"receipt-{counter['n']:04d}.png")

        simulator = VirtualPrinter(cfg["printer.width_dots"], on_receipt=save)
        simulator.plug()
        locator = PortLocator(port=simulator.path or "")
    else:
        locator = _configured_locator("printer", cfg)
    printer = EscposSerialPrinter(locator, baudrate=cfg["printer.baudrate"],
                                  width_dots=cfg["printer.width_dots"],
                                  qr_mode=cfg["printer.qr_mode"],
                                  check_status=cfg["printer.check_status"])
    printer.simulator = simulator  # type: ignore[attr-defined]  # kept alive with the printer
    return printer


def scanner_from_config(cfg: Config) -> Any:
    from drivers.serial.scanner import SerialScanner

    simulator = None
    if cfg["scanner.driver"] == SIMULATOR:
        from drivers.serial.virtual_scanner import VirtualScanner

        simulator = VirtualScanner()
        simulator.plug()
        locator = PortLocator(port=simulator.path or "")
    else:
        locator = _configured_locator("scanner", cfg)
    scanner = SerialScanner(locator, baudrate=cfg["scanner.baudrate"],
                            line_ending=cfg["scanner.line_ending"],
                            partial_timeout=cfg["scanner.partial_timeout_ms"] / 1000)
    scanner.simulator = simulator  # type: ignore[attr-defined]
    return scanner
