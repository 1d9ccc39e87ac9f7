"""`kiosk` without a command: start the Qt kiosk. The only place outside app/ui that imports Qt."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import logs
from app.errors import KioskError

log = logging.getLogger(__name__)

NO_DISPLAY_MESSAGE = """\
kiosk: there is no display to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are unset).
  On a desktop, start it from a terminal inside the graphical session.
  On a server, run it on a virtual display:   xvfb-run -a kiosk --simulate
  For an automated check without any display:  QT_QPA_PLATFORM=offscreen kiosk --simulate"""


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def run_gui(args: argparse.Namespace) -> int:
    from app import config

    cfg = config.load(args.config, simulate=args.simulate, overrides=args.overrides)
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 1
    logs.install(log_file=cfg.data_dir / "logs" / "kiosk.log")

    from app.ui.application import KioskApplication

    try:
        app = KioskApplication(cfg)
    except KioskError as exc:
        print(f"kiosk: {exc.en}", file=sys.stderr)
        return 1
    return app.run()
