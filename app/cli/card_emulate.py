"""`kiosk card emulate --vpcd HOST:PORT --profile FILE.json [--fault F ...]`: serve the virtual card
to vsmartcard's vpcd, so pcscd (and any PC/SC application, the kiosk included) sees it inserted.

Runs until Ctrl-C / SIGTERM; prints one line once vpcd accepted the card. Exit 1 with one line on
stderr when the profile cannot be loaded or vpcd does not listen.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

DEFAULT_VPCD = "127.0.0.1:35963"


def register(cmds: argparse._SubParsersAction) -> None:
    parser = cmds.add_parser(
        "emulate",
        help="serve a virtual card to vpcd (pcscd's virtual reader)",
        description="Connect to vsmartcard's vpcd and serve a virtual card built from a profile "
        "(the schema `kiosk card read --json` prints). The reader sees the card inserted while "
        "this runs, removed when it stops.",
    )
    parser.add_argument("--vpcd", default=DEFAULT_VPCD, metavar="HOST:PORT",
                        help=f"where vpcd listens (default {DEFAULT_VPCD})")
    parser.add_argument("--profile", required=True, type=Path, metavar="FILE.json",
                        help="card profile (e.g. assets/simulator/cards/*.json)")
    parser.add_argument("--fault", action="append", default=[], metavar="FAULT",
                        help="inject a fault into the virtual card (repeatable)")
    parser.add_argument("--attempts", type=int, default=40, metavar="N",
                        help="connection attempts while vpcd is not listening yet (default 40)")
    parser.set_defaults(func=run)


def parse_endpoint(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = text, "35963"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--vpcd wants HOST:PORT, got {text!r}")
    return host or "127.0.0.1", int(port)


def load_card(profile: Path, faults: list[str]):
    """The virtual card for `profile`. Imported lazily: the simulator is only needed here."""
    from drivers.card import virtual

    loaded = virtual.load_profile(profile)
    if faults:
        return virtual.VirtualCard(loaded, faults=faults)
    return virtual.VirtualCard(loaded)


def _fail(reason: str) -> int:
    print(f"kiosk: {reason}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    from drivers.card.interface import CardError
    from drivers.card.vpcd_bridge import run_bridge

    try:
        host, port = parse_endpoint(args.vpcd)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        card = load_card(args.profile, list(args.fault))
    except (OSError, ValueError, KeyError, TypeError, CardError) as exc:
        return _fail(f"cannot load the card profile {args.profile}: {exc}")

    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        # SIGTERM ends the card's life like Ctrl-C: the socket closes, the reader sees removal.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())

    def connected() -> None:
        print(f"card inserted into vpcd at {host}:{port} (Ctrl-C to remove)", flush=True)

    try:
        outcome = run_bridge(card, host, port, stop, attempts=args.attempts, on_connected=connected)
    except CardError as exc:
        return _fail(str(exc))
    if outcome == "removed":
        print("card removed (fault injected)", flush=True)
    return 0
