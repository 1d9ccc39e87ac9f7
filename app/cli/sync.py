"""`kiosk sync ...` (filled by its issue; the command group exists so --help lists it)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync", help="sync commands")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
