"""`kiosk printer test|status|simulate`: for installers checking a receipt printer.

  kiosk printer test --port /dev/ttyUSB0 [--width-dots 576]   prints a test receipt, shows status
  kiosk printer status --port /dev/ttyUSB0 --json              paper, cover, offline
  kiosk printer simulate --out DIR                             a virtual printer on a pty
Without --port the [printer] configuration (port, search, usb_id) is used.
Exit codes: 0 ok, 1 failed (one line on stderr says why).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from app.cli import fail, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("printer", help="receipt printer: test print, status, simulator")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    cmds = parser.add_subparsers(dest="printer_command", metavar="COMMAND")

    def port_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", help="serial port (default: [printer] port/search/usb_id)")
        p.add_argument("--baudrate", type=int, help="serial speed (default: [printer] baudrate)")
        p.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
        p.add_argument("--json", action="store_true", help="one JSON object on stdout")

    test = cmds.add_parser("test", help="print a test receipt (Vietnamese text and a QR code)")
    port_options(test)
    test.add_argument("--width-dots", type=int, help="printable width (576: 80 mm, 384: 58 mm)")
    test.add_argument("--qr-mode", choices=("native", "raster"), help="QR as GS ( k or image")
    test.add_argument("--no-status", action="store_true",
                      help="do not query status (printers without DLE EOT)")
    test.set_defaults(func=cmd_test)

    status = cmds.add_parser("status", help="query paper, cover and online status")
    port_options(status)
    status.set_defaults(func=cmd_status)

    sim = cmds.add_parser("simulate", help="run a virtual printer on a pseudo-terminal")
    sim.add_argument("--out", required=True, help="folder for the received receipts (PNG)")
    sim.add_argument("--width-dots", type=int, default=576)
    sim.add_argument("--link", help="also keep this symlink pointing at the pty")
    sim.add_argument("--count", type=int, default=0, help="exit after N receipts (0: never)")
    sim.add_argument("--status", default="",
                     help="comma-separated faults: paper_out,paper_near_end,cover_open,offline")
    sim.set_defaults(func=cmd_simulate)


def _printer(args: argparse.Namespace, **extra):
    from app.serial_devices import _configured_locator
    from drivers.serial.escpos_printer import EscposSerialPrinter
    from drivers.serial.ports import PortLocator

    cfg = load_config(args)
    locator = PortLocator(port=args.port) if args.port else _configured_locator("printer", cfg)
    return EscposSerialPrinter(locator, baudrate=args.baudrate or cfg["printer.baudrate"],
                               width_dots=getattr(args, "width_dots", None)
                               or cfg["printer.width_dots"], **extra)


def _emit(args: argparse.Namespace, data: dict, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text, flush=True)


def cmd_status(args: argparse.Namespace) -> int:
    from drivers.serial.interface import SerialDeviceError

    printer = _printer(args)
    try:
        st = printer.status(timeout=args.timeout)
    except SerialDeviceError as exc:
        if args.json:
            _emit(args, {"ok": False, "error": exc.reason}, "")
        return fail(f"printer status: {exc.reason}: {exc}")
    finally:
        printer.close()
    text = "ok" if st.ok else "problems: " + ", ".join(st.problems())
    if st.warnings():
        text += " (warning: " + ", ".join(st.warnings()) + ")"
    _emit(args, st.as_dict(), f"printer status: {text}")
    return 0 if st.ok else fail("printer not ready: " + ", ".join(st.problems()))


def cmd_test(args: argparse.Namespace) -> int:
    from app.printing import sample_receipt
    from drivers.serial.interface import SerialDeviceError

    cfg = load_config(args)
    printer = _printer(args, qr_mode=args.qr_mode or cfg["printer.qr_mode"],
                       check_status=not args.no_status)
    try:
        printer.print_document(sample_receipt(), timeout=max(args.timeout, 10.0))
        st = None if args.no_status else printer.status(timeout=args.timeout)
    except SerialDeviceError as exc:
        if args.json:
            _emit(args, {"ok": False, "error": exc.reason}, "")
        return fail(f"test print failed: {exc.reason}: {getattr(exc, 'en', exc)}")
    finally:
        printer.close()
    data = {"ok": True, "printed": True, "status": st.as_dict() if st else None}
    warn = f" (warning: {', '.join(st.warnings())})" if st and st.warnings() else ""
    _emit(args, data, f"test receipt printed{warn}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from drivers.serial.virtual_printer import VirtualPrinter

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    done = threading.Event()
    counter = {"n": 0}

    def save(receipt) -> None:
        counter["n"] += 1
        path = out / f"receipt-{counter['n']:04d}.png"
        receipt.image.save(path)
        print(f"receipt {path}", flush=True)
        if args.count and counter["n"] >= args.count:
            done.set()

    faults = {f.strip(): True for f in args.status.split(",") if f.strip()}
    allowed = {"paper_out", "paper_near_end", "cover_open", "offline", "cutter_error"}
    if set(faults) - allowed:
        return fail(f"unknown --status fault(s): {', '.join(sorted(set(faults) - allowed))}")
    printer = VirtualPrinter(args.width_dots, link=args.link, on_receipt=save)
    printer.set_status(**faults)
    printer.plug()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    print(printer.path, flush=True)
    print(f"virtual printer on {printer.path}; receipts go to {out}", file=sys.stderr, flush=True)
    try:
        while not done.wait(0.2):
            pass
    finally:
        printer.unplug()
    return 0
