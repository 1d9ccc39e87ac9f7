"""`kiosk config defaults|check`: print the documented defaults, or validate a file."""

from __future__ import annotations

import argparse

from app import config
from app.cli import add_common_options, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="print or check the configuration")
    cmds = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    cmds.add_parser("defaults", help="print every key with its default and meaning").set_defaults(
        func=lambda args: print(config.render_defaults()) or 0)
    check = cmds.add_parser("check", help="load the configuration and report the first error")
    add_common_options(check)
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    print(f"configuration OK ({cfg.source or 'defaults'}), profile {cfg['kiosk.profile']}")
    return 0
