"""Kiosk mode through the widgets: frameless fullscreen on top, shortcuts swallowed, closing
refused, the hidden corner entry -> PIN -> admin view, and leaving only with the PIN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.admin_pin import hash_pin
from app.session import Stage
from tests.fixtures.kiosk import make_kiosk


def tap_corner(qtbot, window, times: int = 5) -> None:
    for _ in range(times):
        QTest.mouseClick(window, Qt.LeftButton, Qt.NoModifier, QPoint(10, 10))


def pin_dialog():
    from app.ui.admin_pin_dialog import PinDialog

    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, PinDialog) and w.isVisible()), None)


def enter_pin(qtbot, digits: str) -> None:
    qtbot.waitUntil(lambda: pin_dialog() is not None)
    dialog = pin_dialog()
    for d in digits:
        QTest.mouseClick(dialog.findChild(object, f"pinKey{d}"), Qt.LeftButton)
    QTest.mouseClick(dialog.ok, Qt.LeftButton)


@pytest.fixture
def kiosk_mode(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path, "kiosk.fullscreen=true",
                    f"admin.pin_hash={hash_pin('482913')}") as app:
        yield app


def test_fullscreen_frameless_on_top(qtbot, kiosk_mode):
    w = kiosk_mode.window
    qtbot.waitUntil(w.isVisible)
    assert w.windowFlags() & Qt.FramelessWindowHint
    assert w.windowFlags() & Qt.WindowStaysOnTopHint
    assert w.windowState() & Qt.WindowFullScreen
    assert kiosk_mode.controller.stage is Stage.ATTRACT  # the attract screen shows first
    # leaving fullscreen (a window manager's doing) is undone
    w.showNormal()
    qtbot.waitUntil(lambda: bool(w.windowState() & Qt.WindowFullScreen))


@pytest.mark.parametrize("key,mods", [
    (Qt.Key_F4, Qt.AltModifier), (Qt.Key_Tab, Qt.AltModifier), (Qt.Key_Q, Qt.ControlModifier),
    (Qt.Key_W, Qt.ControlModifier), (Qt.Key_Escape, Qt.NoModifier),
    (Qt.Key_F11, Qt.NoModifier)])
def test_system_shortcuts_are_swallowed(qtbot, kiosk_mode, key, mods):
    w = kiosk_mode.window
    qtbot.waitUntil(w.isVisible)
    received = []

    class Spy(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.KeyPress and obj is w:
                received.append(event.key())
            return False

    spy = Spy()
    w.installEventFilter(spy)  # a widget's own filter runs after the application's
    QApplication.sendEvent(w, QKeyEvent(QEvent.KeyPress, key, mods))
    assert received == []
    # an ordinary key still goes through
    QApplication.sendEvent(w, QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier, "a"))
    assert received == [Qt.Key_A]
    w.removeEventFilter(spy)


def test_close_is_refused_without_the_pin(qtbot, kiosk_mode):
    w = kiosk_mode.window
    qtbot.waitUntil(w.isVisible)
    assert w.close() is False
    assert w.isVisible()


def test_corner_taps_pin_then_admin_then_exit(qtbot, kiosk_mode, monkeypatch):
    w, admin = kiosk_mode.window, kiosk_mode.admin
    qtbot.waitUntil(w.isVisible)
    tap_corner(qtbot, w, 4)
    QTest.mouseClick(w, Qt.LeftButton, Qt.NoModifier, QPoint(600, 400))  # elsewhere: resets
    tap_corner(qtbot, w, 4)
    assert pin_dialog() is None
    tap_corner(qtbot, w, 1)
    enter_pin(qtbot, "111111")  # wrong: the dialog stays, says so
    qtbot.waitUntil(lambda: "Wrong PIN" in pin_dialog().message.text())
    assert not admin.isVisible()
    for d in "482913":
        QTest.mouseClick(pin_dialog().findChild(object, f"pinKey{d}"), Qt.LeftButton)
    QTest.mouseClick(pin_dialog().ok, Qt.LeftButton)
    qtbot.waitUntil(admin.isVisible)
    assert admin.windowFlags() & Qt.WindowStaysOnTopHint
    assert kiosk_mode.ops.admin_authenticated

    quits = []
    monkeypatch.setattr(kiosk_mode.qapp, "quit", lambda: quits.append(1))
    QTest.mouseClick(admin.exit_kiosk, Qt.LeftButton)
    qtbot.waitUntil(lambda: quits == [1])
    assert kiosk_mode.ops.allow_close
    assert w.close() is True


def test_closing_the_admin_view_forgets_the_pin(qtbot, kiosk_mode):
    w, admin = kiosk_mode.window, kiosk_mode.admin
    qtbot.waitUntil(w.isVisible)
    tap_corner(qtbot, w)
    enter_pin(qtbot, "482913")
    qtbot.waitUntil(admin.isVisible)
    QTest.mouseClick(admin.close_, Qt.LeftButton)
    assert not admin.isVisible()
    assert not kiosk_mode.ops.admin_authenticated


def test_simulator_pin_and_operator_panel_reach_admin(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path) as app:
        assert not (app.window.windowFlags() & Qt.FramelessWindowHint)  # not kiosk mode
        QTest.mouseClick(app.operator_panel.findChild(object, "simAdmin"), Qt.LeftButton)
        qtbot.waitUntil(app.admin.isVisible)
        app.admin.close()
        tap_corner(qtbot, app.window)
        enter_pin(qtbot, "000000")  # no hash configured in simulator mode
        qtbot.waitUntil(app.admin.isVisible)


def test_production_without_a_hash_refuses_admin(qtbot, tmp_path):
    from app.admin_pin import PinGuard
    from app.ui.admin_pin_dialog import PinDialog

    with make_kiosk(qtbot, tmp_path) as app:
        app.ops.guard = PinGuard("", tmp_path / "x.json", simulate=False)
        tap_corner(qtbot, app.window)
        qtbot.waitUntil(lambda: pin_dialog() is not None)
        dialog = pin_dialog()
        assert isinstance(dialog, PinDialog)
        assert "No admin PIN is set" in dialog.message.text()
        assert not dialog.ok.isEnabled()
        QTest.mouseClick(dialog.cancel, Qt.LeftButton)
        assert not app.admin.isVisible()
