"""`kiosk card read` (filled by the card issue)."""

from __future__ import annotations

import argparse


def register(cmds: argparse._SubParsersAction) -> None:
    cmds.add_parser("read", help="(not yet implemented)").set_defaults(func=lambda a: 1)
