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
    parser.add_argument("--fault", action="append", default=[], metavar="NAME[=VALUE]",
                        help="inject a fault (a FaultPlan field of drivers.card.virtual), e.g. "
                        "remove_at_apdu=12, refuse_extended_length, latency=0.005 (repeatable)")
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


def parse_faults(specs: list[str]):
    """`NAME[=VALUE]` items into the virtual card's FaultPlan; unknown names are an error."""
    import dataclasses

    from drivers.card.virtual import FaultPlan

    fields = {f.name: str(f.type) for f in dataclasses.fields(FaultPlan)}
    values: dict[str, object] = {}
    for spec in specs:
        name, has_value, raw = spec.partition("=")
        name = name.strip().replace("-", "_")
        if name not in fields:
            raise ValueError(f"unknown fault {name!r} (known: {', '.join(sorted(fields))})")
        kind = fields[name]
        if kind.startswith("bool"):
            values[name] = raw.lower() not in ("0", "false", "no") if has_value else True
        elif not has_value:
            raise ValueError(f"fault {name} needs a value: {name}=...")
        elif kind.startswith("int"):
            values[name] = int(raw)
        elif kind.startswith("float"):
            values[name] = float(raw)
        else:
            values[name] = raw
    return FaultPlan(**values)


def load_card(profile: Path, faults: list[str]):
    """The virtual card for `profile`. Imported lazily: the simulator is only needed here."""
    from drivers.card import virtual

    plan = parse_faults(faults)
    return virtual.VirtualCard(virtual.load_profile(profile), faults=plan)


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
    previous = {}
    if threading.current_thread() is threading.main_thread():
        # SIGTERM ends the card's life like Ctrl-C: the socket closes, the reader sees removal.
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())

    def connected() -> None:
        print(f"card inserted into vpcd at {host}:{port} (Ctrl-C to remove)", flush=True)

    try:
        outcome = run_bridge(card, host, port, stop, attempts=args.attempts, on_connected=connected)
    except CardError as exc:
        return _fail(str(exc))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if outcome == "removed":
        print("card removed (fault injected)", flush=True)
    return 0
