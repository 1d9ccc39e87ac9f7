"""`kiosk card ...`: read a card (card_read.py), emulate one for pcscd (card_emulate.py)."""

from __future__ import annotations

import argparse

from app.cli import card_emulate, card_read


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("card", help="read the chip ID card, or emulate one")
    cmds = parser.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    card_read.register(cmds)
    card_emulate.register(cmds)
