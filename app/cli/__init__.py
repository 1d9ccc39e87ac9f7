"""The `kiosk` command. A contract: installers script against it, see README "Command line".

`kiosk` alone starts the GUI; `kiosk --simulate` starts it with every driver simulated.
Command groups live in one module each (app/cli/<group>.py) with a `register(subparsers)`.
Exit codes: 0 done, 1 failed (one line on stderr says why), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app import __version__
from app.errors import KioskError

GROUPS = ("card", "qr", "outbox", "sync", "endpoint", "printer", "scanner", "config", "admin")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Reception-desk kiosk for Vietnam. Without a command: start the kiosk GUI.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    add_common_options(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in GROUPS:
        importlib.import_module(f"app.cli.{name}").register(sub)
    return parser


def add_common_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """--config, --simulate and --set, accepted before or after a command's name.

    On sub-commands the defaults are suppressed, so that an option given before the command
    (`kiosk --config F card read`) is not reset by the sub-command's own default."""
    keep = {} if top_level else {"default": argparse.SUPPRESS}
    parser.add_argument("--config", metavar="PATH", **keep,
                        help="configuration TOML file (default: $KIOSK_CONFIG, then "
                             "~/.config/vn-kiosk/kiosk.toml)")
    parser.add_argument("--simulate", action="store_true", **keep,
                        help="use the simulator for every driver, embed the reference endpoint")
    parser.add_argument("--set", dest="overrides", action="append",
                        **({"default": []} if top_level else keep),
                        metavar="SECTION.KEY=VALUE", help="override one configuration key")


def load_config(args: argparse.Namespace):
    from app import config

    return config.load(args.config, simulate=args.simulate, overrides=args.overrides)


def fail(reason: str) -> int:
    print(f"kiosk: {reason}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from app.gui import run_gui

            return run_gui(args)
        return int(args.func(args) or 0)
    except KioskError as exc:
        return fail(exc.en)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
