"""`make screenshots`: walk simulated visits through the real kiosk and save every screen as a
PNG under the given folder (docs/screenshots/ by default), for the README and for review.

Run under a display (`make screenshots` uses xvfb-run); offscreen works too but draws no
window-manager frame either way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import config
from app.ui.application import KioskApplication
from app.ui.scripted import run_visit

# (deployment profile, procedure, simulator card profiles, file-name prefix)
VISITS = [
    ("hospital", "hospital_bhyt_checkin", ["adult-2021"], ""),
]


def capture(out: Path, visits=VISITS, lang: str = "vi") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    for profile, procedure, cards, prefix in visits:
        data = tempfile.mkdtemp(prefix="kiosk-shots-")
        cfg = config.load(None, simulate=True, overrides=[
            f"kiosk.data_dir={data}", f"kiosk.profile={profile}", f"kiosk.language={lang}",
            "sync.interval_seconds=1"])
        kiosk = KioskApplication(cfg, qapp)
        kiosk.show()

        def shoot(name: str, kiosk=kiosk, prefix=prefix) -> None:
            for _ in range(20):
                qapp.processEvents()
            widget = kiosk.admin if name == "admin" else kiosk.window
            path = out / f"{prefix}{name}.png"
            widget.grab().save(str(path))
            saved.append(path)

        try:
            run_visit(kiosk, procedure, cards, on_screen=shoot)
        finally:
            kiosk.shutdown()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    args = parser.parse_args(argv)
    for path in capture(Path(args.out), lang=args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
