"""`make screenshots`: walk simulated visits of every procedure family through the real kiosk
and save every screen as a PNG under the given folder (docs/screenshots/ by default), named per
family (birth-review.png, hospital-receipt.png, lodging-stays.png, ...), for the README and for
review.

Run under a display (`make screenshots` uses xvfb-run); offscreen works too but draws no
window-manager frame either way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from PySide6.QtWidgets import QApplication

from app import config
from app.ui.application import KioskApplication
from app.ui.scripted import ScriptedVisit, click, default_wait, run_visit

LODGING_SETTINGS = ("lodging.establishment_name=Khách sạn Sông Hồng",
                    "lodging.establishment_address=Số 2, Phố Hàng Bài, Hà Nội",
                    "lodging.registration_code=HN-LT-000123")


@dataclass(frozen=True)
class Visit:
    profile: str  # deployment profile
    procedure: str
    cards: list  # simulator card profiles, one per person asked for (see run_visit)
    prefix: str  # file-name prefix
    more_people: list = field(default_factory=list)
    only: tuple = ()  # keep only these screens (a second visit showing one difference)
    overrides: tuple = ()
    staff_screen: bool = False  # then the staff's guest register


VISITS = [
    Visit("public-admin", "birth_registration_group",
          ["adult-2021", "mother-2021", "father-2021"], "birth-"),
    Visit("public-admin", "birth_registration_group", ["adult-2021", "mother-2021", None],
          "birth-no-father-", only=("present-father", "review")),
    Visit("public-admin", "death_registration_group", ["adult-2021", "elderly-2021"], "death-"),
    Visit("hospital", "hospital_bhyt_checkin", ["adult-2021"], "hospital-"),
    # ID number ending in 3: the simulated insurance gateway is down; check-in goes on
    Visit("hospital", "hospital_bhyt_checkin", ["card-2024"], "hospital-gateway-down-",
          only=("review", "receipt")),
    Visit("lodging", "lodging_residence_notification", ["adult-2021"], "lodging-",
          more_people=["passport:card-2024"], overrides=LODGING_SETTINGS, staff_screen=True),
]


def capture(out: Path, visits=VISITS, lang: str = "vi") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    for v in visits:
        data = tempfile.mkdtemp(prefix="kiosk-shots-")
        cfg = config.load(None, simulate=True, overrides=[
            f"kiosk.data_dir={data}", f"kiosk.profile={v.profile}", f"kiosk.language={lang}",
            "sync.interval_seconds=1", *v.overrides])
        kiosk = KioskApplication(cfg, qapp)
        kiosk.show()

        def shoot(name: str, kiosk=kiosk, v=v) -> None:
            if (v.only and name not in v.only) or name == "admin":
                return  # the admin view: tab by tab, by `python -m app.ui.screens.admin`
            for _ in range(5):  # pending layout requests first: they may grow the window
                qapp.processEvents()
            panel = kiosk.operator_panel
            # a 1280 x 800 kiosk screen beside the operator panel (no window manager here:
            # without this the window keeps the largest size any screen ever asked for)
            kiosk.window.resize(1280 + (panel.width() if panel is not None else 0), 800)
            for _ in range(20):
                qapp.processEvents()
            path = out / f"{v.prefix}{name}.png"
            kiosk.window.grab().save(str(path))
            saved.append(path)

        try:
            run_visit(kiosk, v.procedure, v.cards, on_screen=shoot, more_people=v.more_people)
            if v.staff_screen:
                _staff_register(kiosk, shoot)
        finally:
            kiosk.shutdown()
    return saved


def _staff_register(kiosk, shoot) -> None:
    """The staff's guest register, just after the visit checked its guests in."""
    from app.session import Stage
    from app.ui import operator_check

    visit = ScriptedVisit(kiosk, default_wait)
    click(kiosk.window, "startButton")
    visit.at(Stage.CHOOSE)
    # unattended: the staff check (the admin PIN in production) is answered here
    with mock.patch.object(operator_check, "ask_operator", lambda parent: True):
        click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
    visit.at(Stage.STAYS)
    screen = kiosk.window.screens[Stage.STAYS]
    default_wait(lambda: screen.table.rowCount() > 0, 10.0)
    shoot("stays")
    click(screen, "backButton")
    visit.at(Stage.ATTRACT)


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
