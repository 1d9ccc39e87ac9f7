"""`kiosk scanner listen|simulate`: for installers checking a hand-held QR scanner (serial mode).

  kiosk scanner listen --port /dev/ttyACM0 --json [--count N] [--timeout S]
      one JSON line per code: the QR payload parser's fields, or its error reason
  kiosk scanner simulate --payload TEXT     a virtual scanner on a pty that sends TEXT
Without --port the [scanner] configuration (port, search, usb_id) is used. The listener follows
the scanner across unplug/replug. Exit codes: 0 ok, 1 failed (one line on stderr says why).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from datetime import date

from app.cli import fail, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scanner", help="hand-held QR scanner: listen, simulator")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    cmds = parser.add_subparsers(dest="scanner_command", metavar="COMMAND")

    listen = cmds.add_parser("listen", help="print each code the scanner reads, parsed")
    listen.add_argument("--port", help="serial port (default: [scanner] port/search/usb_id)")
    listen.add_argument("--baudrate", type=int)
    listen.add_argument("--line-ending", choices=("auto", "cr", "lf", "crlf"))
    listen.add_argument("--json", action="store_true", help="one JSON object per line")
    listen.add_argument("--count", type=int, default=0, help="stop after N codes (0: no limit)")
    listen.add_argument("--timeout", type=float, default=0.0,
                        help="stop after S seconds (0: no limit); with --count, fewer codes "
                             "than N by then is a failure")
    listen.set_defaults(func=cmd_listen)

    sim = cmds.add_parser("simulate", help="run a virtual scanner on a pseudo-terminal")
    sim.add_argument("--payload", required=True, help="text each scan sends")
    sim.add_argument("--line-ending", choices=("cr", "lf", "crlf"), default="crlf")
    sim.add_argument("--encoding", default="utf-8")
    sim.add_argument("--aim", default="", help='AIM identifier to prepend, e.g. "]Q1"')
    sim.add_argument("--link", help="also keep this symlink pointing at the pty")
    sim.add_argument("--repeat", type=int, default=0, help="scans to send (0: until stopped)")
    sim.add_argument("--interval", type=float, default=1.0, help="seconds between scans")
    sim.set_defaults(func=cmd_simulate)


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


def _parse(text: str) -> dict:
    """The QR payload parser's verdict (the same parser the camera path uses)."""
    try:
        from app.identity.qr_payload import QrPayloadError, parse_qr_payload
        from app.identity.model import Source
    except ImportError:  # parser not installed in this build: show the text only
        return {"ok": None, "text": text}
    try:
        record = parse_qr_payload(text, source=Source.SCANNER)
    except QrPayloadError as exc:
        return {"ok": False, "error": exc.reason, "message": exc.en}
    fields = {k: _jsonable(v) for k, v in record.present_fields().items()}
    if record.extras:
        fields["extras"] = dict(record.extras)
    return {"ok": True, "fields": fields}


def cmd_listen(args: argparse.Namespace) -> int:
    from app.serial_devices import _configured_locator
    from drivers.serial.interface import DeviceUnavailableError
    from drivers.serial.ports import PortLocator
    from drivers.serial.scanner import SerialScanner

    cfg = load_config(args)
    locator = PortLocator(port=args.port) if args.port else _configured_locator("scanner", cfg)
    scanner = SerialScanner(locator, baudrate=args.baudrate or cfg["scanner.baudrate"],
                            line_ending=args.line_ending or cfg["scanner.line_ending"],
                            partial_timeout=cfg["scanner.partial_timeout_ms"] / 1000)
    deadline = time.monotonic() + args.timeout if args.timeout > 0 else None
    got = 0
    connected = None
    try:
        while not args.count or got < args.count:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            slice_ = 0.5 if remaining is None else min(0.5, remaining)
            try:
                if not scanner.is_open:
                    scanner.open()
                    connected = True
                    print(f"listening on {scanner.port_name}", file=sys.stderr, flush=True)
                scan = scanner.read_scan(slice_)
            except DeviceUnavailableError:
                if connected is not False:
                    print(f"scanner not available at {locator.describe()}; waiting for it",
                          file=sys.stderr, flush=True)
                connected = False
                time.sleep(min(0.5, slice_))
                continue
            if scan is None:
                continue
            got += 1
            verdict = _parse(scan.text)
            verdict.update(encoding=scan.encoding, aim_id=scan.aim_id, bytes=len(scan.raw))
            if verdict.get("ok") is False or verdict.get("ok") is None:
                verdict["text"] = scan.text
            if args.json:
                print(json.dumps(verdict, ensure_ascii=False), flush=True)
            elif verdict.get("ok"):
                print("code: " + ", ".join(f"{k}={v}" for k, v in verdict["fields"].items()),
                      flush=True)
            else:
                print(f"code ({verdict.get('error', 'unparsed')}): {scan.text}", flush=True)
    finally:
        scanner.close()
        stats = scanner.stats.as_dict()
        print("framing: " + ", ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr,
              flush=True)
    if args.count and got < args.count:
        return fail(f"timeout: {got} of {args.count} codes read")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from drivers.serial.virtual_scanner import VirtualScanner

    payload = args.payload
    scanner = VirtualScanner(link=args.link, line_ending=args.line_ending,
                             encoding=args.encoding)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    scanner.plug()
    print(scanner.path, flush=True)
    print(f"virtual scanner on {scanner.path}", file=sys.stderr, flush=True)
    sent = 0
    try:
        # A hand-held scanner sends whenever someone scans: repeat, so a listener that opens the
        # port after the first scan (pyserial flushes input on open) still gets the payload.
        while not done.wait(args.interval):
            if scanner.unread():
                # Nobody took the last scan: on a real line it is gone, not queued for later.
                scanner.discard_unread()
            scanner.scan(payload, aim=args.aim)
            sent += 1
            if args.repeat and sent >= args.repeat:
                break
    finally:
        scanner.unplug()
    return 0
