"""Accessibility through the widgets: the large-text and high-contrast toggles on every screen,
their configured defaults and reset at the end of a visit, spoken prompts (a mock engine; the
admin view says when no Vietnamese voice is installed), and touch targets of at least 9 mm on
every screen of a simulated visit, the admin view and the PIN dialog.

DPI assumption: [accessibility] screen_dpi (96 by default: 9 mm = 34 px). A kiosk with a denser
screen sets its real density there, and this test then asks for more pixels.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QWidget

from app.session import Stage
from app.ui.accessibility import min_target_px
from tests.fixtures.kiosk import make_kiosk, waiter

TARGETS = (QPushButton, QLineEdit, QComboBox, QCheckBox)


def test_nine_millimetres_in_pixels():
    assert min_target_px(96) == 34
    assert min_target_px(141) == 50


def small_targets(root: QWidget, min_px: int) -> list[str]:
    out = []
    for cls in TARGETS:
        for w in root.findChildren(cls):
            if not w.isVisible():
                continue
            p, simulator_only = w, False
            while p is not None:
                if p.objectName() == "operatorPanel":  # simulator mode only, not the citizen's
                    simulator_only = True
                    break
                p = p.parentWidget()
            if simulator_only:
                continue
            if w.width() < min_px or w.height() < min_px:
                out.append(f"{type(w).__name__} {w.objectName() or w.text() if hasattr(w, 'text') else ''}"
                           f" {w.width()}x{w.height()}")
    return out


@pytest.mark.parametrize("modes", [(), ("accessibility.large_text=true",
                                        "accessibility.high_contrast=true")])
def test_every_target_of_a_visit_is_at_least_9_mm(qtbot, tmp_path, modes):
    from app.ui.admin_pin_dialog import PinDialog
    from app.ui.scripted import run_visit

    with make_kiosk(qtbot, tmp_path, *modes) as app:
        app.window.resize(1280, 800)
        min_px = min_target_px(app.cfg["accessibility.screen_dpi"])
        problems: dict[str, list[str]] = {}
        seen = []

        def check(name: str) -> None:
            for _ in range(3):
                qtbot.wait(1)
            root = app.admin if name == "admin" else app.window
            seen.append(name)
            if name == "admin":
                for i in range(app.admin.tabs.count()):
                    app.admin.tabs.setCurrentIndex(i)
                    qtbot.wait(1)
                    problems[f"admin tab {i}"] = small_targets(root, min_px)
            else:
                problems[name] = small_targets(root, min_px)

        wait = waiter(qtbot)
        run_visit(app, "hospital_bhyt_checkin", ["adult-2021"], wait=wait, on_screen=check)
        dialog = PinDialog(app.ops.guard)
        qtbot.addWidget(dialog)
        dialog.show()
        problems["pin dialog"] = small_targets(dialog, min_px)
        dialog.reject()
    assert {"attract", "choose", "present", "reading", "review", "consent", "receipt",
            "admin"} <= set(seen)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("profile,procedure,cards,extra", [
    ("public-admin", "birth_registration_group", ["adult-2021", "mother-2021", "father-2021"],
     ()),
    ("lodging", "lodging_residence_notification", ["adult-2021"],
     ("lodging.establishment_name=Khách sạn Thử", "lodging.establishment_address=Số 1, Hà Nội",
      "lodging.registration_code=HN-LT-1")),
])
def test_other_families_targets_are_at_least_9_mm(qtbot, tmp_path, profile, procedure, cards,
                                                  extra):
    from app.ui.scripted import run_visit

    with make_kiosk(qtbot, tmp_path, f"kiosk.profile={profile}", *extra) as app:
        app.window.resize(1280, 800)
        min_px = min_target_px(app.cfg["accessibility.screen_dpi"])
        problems: dict[str, list[str]] = {}

        def check(name: str) -> None:
            qtbot.wait(1)
            root = app.admin if name == "admin" else app.window
            problems[name] = small_targets(root, min_px)

        wait = waiter(qtbot)
        run_visit(app, procedure, cards, wait=wait, on_screen=check)
    assert {"choose", "present", "review", "consent", "receipt"} <= set(problems)
    assert {k: v for k, v in problems.items() if v} == {}


def test_toggles_on_every_screen_and_reset_after_the_visit(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path) as app:
        window, qapp = app.window, app.qapp
        large = window.findChild(QPushButton, "largeTextButton")
        contrast = window.findChild(QPushButton, "highContrastButton")
        assert large.text() == "Large text" and contrast.text() == "High contrast"
        title = window.screens[Stage.ATTRACT].title
        size_before = title.fontInfo().pixelSize()
        QTest.mouseClick(large, Qt.LeftButton)
        assert large.isChecked() and app.ops.access.large_text
        title.ensurePolished()
        assert title.fontInfo().pixelSize() > size_before
        QTest.mouseClick(contrast, Qt.LeftButton)
        assert "WCAG AAA" in qapp.styleSheet()
        bg = window.screens[Stage.ATTRACT].palette().color(
            window.screens[Stage.ATTRACT].backgroundRole())
        assert bg.lightness() < 30  # dark ground
        # the top bar (with the toggles) stays over every screen
        QTest.mouseClick(window.findChild(QPushButton, "startButton"), Qt.LeftButton)
        assert app.controller.stage is Stage.CHOOSE and large.isVisible() and contrast.isVisible()
        QTest.mouseClick(window.findChild(QPushButton,
                                          "procedure:hospital_bhyt_checkin"), Qt.LeftButton)
        assert app.controller.session is not None and large.isChecked()
        # the visit ends: the next citizen gets the configured defaults
        app.controller.end_session()
        assert not large.isChecked() and not contrast.isChecked()
        assert "WCAG AAA" not in qapp.styleSheet()


def test_configured_defaults(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path, "accessibility.large_text=true") as app:
        assert app.window.findChild(QPushButton, "largeTextButton").isChecked()
        assert "Large text: about" in app.qapp.styleSheet()


def test_spoken_prompts_with_a_voice_and_without(qtbot, tmp_path):
    # Qt's mock engine has English voices and no Vietnamese one
    with make_kiosk(qtbot, tmp_path, "accessibility.speech=true",
                    "accessibility.speech_engine=mock") as app:
        speaker = app.ops.speaker
        assert speaker.status()[0] == "no_voice"
        QTest.mouseClick(app.window.findChild(QPushButton, "startButton"), Qt.LeftButton)
        qtbot.waitUntil(lambda: any("What would you like to do?" in s for s in speaker.spoken))
        app.controller.notice.emit("Keep the card on the reader.")  # messages are spoken too
        assert speaker.spoken[-1] == "Keep the card on the reader."
        app.controller.set_language("vi")  # no Vietnamese voice: silent, and no error
        n = len(speaker.spoken)
        assert speaker.say("Xin chào", "vi") is False
        assert len(speaker.spoken) == n
        app.controller.set_language("en")
        app.open_admin()
        qtbot.waitUntil(app.admin.isVisible)
        assert "no Vietnamese voice" in app.admin.speech.text()


def test_no_speech_engine_does_nothing_and_says_so(qtbot, tmp_path):
    from app.ui.speech import Speaker

    quiet = Speaker(enabled=True, engine="no-such-engine")
    # whatever this machine has (speech-dispatcher without a daemon, or nothing), it never
    # raises and reports a status
    assert quiet.status()[0] in ("ready", "no_voice", "no_engine", "no_module")
    quiet.say("Xin chào", "vi")
    off = Speaker(enabled=False)
    assert off.status()[0] == "off" and off.say("x") is False
