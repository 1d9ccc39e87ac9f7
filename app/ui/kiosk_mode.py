"""Kiosk operations wired into the running kiosk: kiosk mode, the hidden admin entry, the PIN,
accessibility, spoken prompts, the heartbeat and the last sync time.

`install(kiosk_app)` is called once by KioskApplication.build() and returns the `Ops` object
(kept as `kiosk_app.ops`; the admin view reads it).

Kiosk mode (`[kiosk] fullscreen = true`): the window is frameless, stays on top and fullscreen;
Alt+F4, Alt+Tab (where Qt sees it; the compositor should not offer it, docs/deploy.md), Ctrl+Q,
Ctrl+W, Escape and F11 are swallowed; a close event is refused unless the admin PIN was given
(the admin view's "Exit kiosk"). Leaving fullscreen (a window manager's doing) is undone.

The hidden admin entry, in every mode: five taps within four seconds in the top-left corner of
the window (CORNER_PX square) open the PIN dialog, then the admin view.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

log = logging.getLogger(__name__)

CORNER_PX = 90
TAPS = 5
TAP_WINDOW_S = 4.0

_ALT, _CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
BLOCKED_KEYS = {
    (Qt.Key_F4, _ALT), (Qt.Key_Tab, _ALT), (Qt.Key_Backtab, _ALT), (Qt.Key_Escape, _ALT),
    (Qt.Key_Q, _CTRL), (Qt.Key_W, _CTRL), (Qt.Key_F11, None), (Qt.Key_Escape, None),
    (Qt.Key_Meta, None), (Qt.Key_Super_L, None), (Qt.Key_Super_R, None),
}


def is_blocked_key(key: int, modifiers) -> bool:
    mods = Qt.KeyboardModifier(modifiers) & (_ALT | _CTRL)
    for k, m in BLOCKED_KEYS:
        if key == k and (m is None or mods & m):
            return True
    return False


class KioskModeFilter(QObject):
    """Application-wide filter in kiosk mode: shortcuts swallowed, closes refused."""

    def __init__(self, ops: "Ops") -> None:
        super().__init__()
        self.ops = ops

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        t = event.type()
        if t in (QEvent.KeyPress, QEvent.ShortcutOverride, QEvent.KeyRelease):
            if is_blocked_key(event.key(), event.modifiers()):
                event.accept()
                return True
        elif t == QEvent.Close and obj is self.ops.window and not self.ops.allow_close:
            event.ignore()
            log.info("kiosk mode: close refused")
            return True
        elif t == QEvent.WindowStateChange and obj is self.ops.window \
                and not self.ops.allow_close and not obj.isFullScreen():
            QTimer.singleShot(0, obj.showFullScreen)
        return False


class CornerTaps(QObject):
    """Counts taps in the window's top-left corner; TAPS within TAP_WINDOW_S open the PIN."""

    def __init__(self, ops: "Ops") -> None:
        super().__init__()
        self.ops = ops
        self.taps: list[float] = []
        self._last: tuple | None = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() not in (QEvent.MouseButtonPress, QEvent.TouchBegin):
            return False
        window = self.ops.window
        if not isinstance(obj, QWidget) or obj.window() is not window:
            return False
        try:
            points = event.points() if event.type() == QEvent.TouchBegin else None
            gpos = points[0].globalPosition() if points else event.globalPosition()
        except (AttributeError, IndexError):
            return False
        # one press is offered to each parent in turn: count it once
        key = (event.timestamp(), round(gpos.x()), round(gpos.y()))
        if key == self._last:
            return False
        self._last = key
        pos = window.mapFromGlobal(gpos.toPoint())
        if 0 <= pos.x() < CORNER_PX and 0 <= pos.y() < CORNER_PX:
            self.tap()
        else:
            self.taps.clear()
        return False

    def tap(self) -> None:
        now = time.monotonic()
        self.taps = [t for t in self.taps if now - t < TAP_WINDOW_S] + [now]
        if len(self.taps) >= TAPS:
            self.taps.clear()
            QTimer.singleShot(0, self.ops.request_admin)


class Ops(QObject):
    def __init__(self, kiosk_app) -> None:
        super().__init__()
        from app.admin_pin import PinGuard
        from app.ui import admin_pin_dialog
        from app.ui.accessibility import Accessibility
        from app.ui.speech import Speaker

        self.app = kiosk_app
        cfg = self.cfg = kiosk_app.cfg
        self.window = kiosk_app.window
        self.controller = kiosk_app.controller
        self.services = kiosk_app.services
        self.kiosk_mode = bool(cfg["kiosk.fullscreen"])
        self.allow_close = not self.kiosk_mode
        self.admin_authenticated = False
        self.guard = PinGuard.from_config(cfg)
        admin_pin_dialog.set_guard(self.guard, lambda: self.controller.lang)
        self.access = Accessibility(kiosk_app.qapp, cfg["accessibility.large_text"],
                                    cfg["accessibility.high_contrast"])
        self.speaker = Speaker(cfg["accessibility.speech"], cfg["accessibility.speech_engine"])
        self.last_sync_at: float | None = None
        self.last_report: Any = None
        self.counts: dict = {}
        self.health: dict = {}
        self.printer_status: Any = None
        self.heartbeat = None
        self.pin_dialog = None
        self.filters: list[QObject] = []
        self.stopped = False

    # -- admin entry and exit --------------------------------------------------------------------
    def request_admin(self) -> None:
        """The hidden entry: the PIN dialog (non-blocking), then the admin view."""
        from app.ui.admin_pin_dialog import PinDialog

        if self.pin_dialog is not None:
            return
        dialog = self.pin_dialog = PinDialog(self.guard, self.window)
        if self.kiosk_mode:
            dialog.setWindowFlag(Qt.FramelessWindowHint, True)

        def finished(result: int) -> None:
            self.pin_dialog = None
            dialog.deleteLater()
            if result == dialog.DialogCode.Accepted:
                self.admin_authenticated = True
                self.app.open_admin()

        dialog.finished.connect(finished)
        dialog.open()

    def admin_closed(self) -> None:
        self.admin_authenticated = False

    def exit_kiosk(self) -> bool:
        """Leave the kiosk (admin view's button): only with the PIN given in this admin visit."""
        from app.ui.admin_pin_dialog import ask_admin_pin

        if not (self.admin_authenticated or ask_admin_pin(self.app.admin)):
            return False
        log.info("kiosk exit by the administrator")
        self.allow_close = True
        self.app.admin.close()
        QTimer.singleShot(0, self.app.qapp.quit)
        return True

    # -- sync, outbox and printer facts for the admin view and the heartbeat ---------------------
    def on_sync_report(self, report: Any) -> None:
        self.last_sync_at = time.time()
        self.last_report = report

    def on_snapshot(self, items: list, counts: dict) -> None:
        self.counts = dict(counts)

    def on_health(self, health: dict) -> None:
        self.health = dict(health)

    def live_states(self) -> dict[str, str]:
        """What the device workers see now (a reader unplugged, the camera gone): plain
        attributes, readable from the heartbeat thread too."""
        s, out = self.services, {}
        if s.card_worker is not None:
            out["card"] = f"readers={s.card_worker.reader_count}"
        if s.camera_worker is not None:
            out["camera"] = str(getattr(s.camera_worker, "state", "") or "")
        if s.scanner_worker is not None:
            out["scanner"] = str(getattr(s.scanner_worker, "state", "") or "")
        return out

    def heartbeat_payload(self) -> dict:
        """Runs on the heartbeat thread: reads plain values only."""
        from app.heartbeat import build_heartbeat, device_states

        code, _detail = self.speaker.status()
        return build_heartbeat(
            self.cfg, device_states(self.services.devices, self.printer_status,
                                    self.live_states()), self.counts,
            self.health.get("oldest_pending_age_seconds"), self.last_sync_at, self.last_report,
            len(self.health.get("deadline_warnings") or ()),
            extra={"speech": code, "accessibility": {"large_text": self.access.large_text,
                                                     "high_contrast": self.access.high_contrast}})

    # -- spoken prompts ----------------------------------------------------------------------------
    def prompt_later(self, *_args: Any) -> None:
        if not self.stopped and self.speaker.enabled:
            QTimer.singleShot(0, self.speak_screen)

    def speak_screen(self) -> None:
        if self.stopped:
            return
        screen = self.window.current_screen()
        parts = [w.text() for w in (getattr(screen, "title", None), getattr(screen, "hint", None))
                 if w is not None and hasattr(w, "text") and w.isVisibleTo(screen)]
        self.speaker.say(". ".join(p for p in parts if p), self.controller.lang)

    def shutdown(self) -> None:
        """The kiosk stops (KioskApplication.shutdown): closing is allowed, and the
        application-wide filters go (tests build many kiosks in one process: they would slow
        and confuse the next one)."""
        self.allow_close = True
        self.stopped = True
        qapp = self.app.qapp
        for f in self.filters + [getattr(self.app, "activity", None)]:
            if f is not None:
                qapp.removeEventFilter(f)
        self.filters.clear()
        self.speaker.stop()
        if self.pin_dialog is not None:
            self.pin_dialog.reject()

    def speak_notice(self, text: str) -> None:
        """A message for the citizen on the current screen (a card removed too early, ...)."""
        if text and not self.stopped:
            self.speaker.say(text, self.controller.lang)

    def on_session_changed(self) -> None:
        if self.controller.session is None:
            self.access.reset()
            self.speaker.stop()


def install(kiosk_app) -> Ops:
    ops = Ops(kiosk_app)
    qapp, window, c, s = kiosk_app.qapp, kiosk_app.window, kiosk_app.controller, kiosk_app.services
    from app.ui.accessibility import AccessibilityBar

    # the toggles, on every screen: in the top bar, before the language button
    top = window.findChild(QWidget, "topbar")
    bar = AccessibilityBar(ops.access, c.touch)
    ops.access_bar = bar
    if top is not None and isinstance(top.layout(), QHBoxLayout):
        top.layout().insertWidget(1, bar)

    corner = CornerTaps(ops)
    qapp.installEventFilter(corner)
    ops.filters.append(corner)
    if ops.kiosk_mode:
        window.setWindowFlags(window.windowFlags() | Qt.FramelessWindowHint
                              | Qt.WindowStaysOnTopHint)
        kiosk_app.admin.setWindowFlags(kiosk_app.admin.windowFlags() | Qt.FramelessWindowHint
                                       | Qt.WindowStaysOnTopHint)
        kiosk_app.admin.setWindowState(Qt.WindowFullScreen)
        f = KioskModeFilter(ops)
        qapp.installEventFilter(f)
        ops.filters.append(f)

    if s.sync_bridge is not None:
        s.sync_bridge.report.connect(ops.on_sync_report)
    s.outbox_worker.snapshot.connect(ops.on_snapshot)
    s.outbox_worker.health.connect(ops.on_health)
    s.outbox_worker.warn_within_seconds = 60.0 * kiosk_app.cfg["lodging.warn_minutes_before_deadline"]
    c.stage_changed.connect(ops.prompt_later)
    c.language_changed.connect(ops.prompt_later)
    c.notice.connect(ops.speak_notice)
    c.session_changed.connect(ops.on_session_changed)
    kiosk_app.admin.attach(ops)
    _start_heartbeat(ops)

    quit_after = os.environ.get("KIOSK_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        # the bundle's smoke test (tests/test_bundle.py): say which screen is up, then leave
        def report_and_quit() -> None:
            print(f"kiosk self-test: screen={c.stage.value} window={window.isVisible()}",
                  flush=True, file=sys.stdout)
            ops.allow_close = True
            qapp.quit()

        QTimer.singleShot(int(quit_after), report_and_quit)
    return ops


def _start_heartbeat(ops: Ops) -> None:
    cfg, s = ops.cfg, ops.services
    interval = float(cfg["admin.heartbeat_seconds"])
    if interval <= 0 or not s.endpoint_url:
        return
    from app.heartbeat import HeartbeatService, make_http_client
    from app.sync.credentials import load_or_create_secret

    url, kiosk_id = s.endpoint_url, cfg["kiosk.id"]
    secret_file = cfg.path("sync.secret_file", "kiosk.secret")
    ca = cfg["sync.ca_file"] or None

    def client():
        return make_http_client(url, kiosk_id, load_or_create_secret(secret_file), ca)

    ops.heartbeat = HeartbeatService(client, interval, ops.heartbeat_payload)
    try:
        ops.heartbeat.start()
    except Exception:  # noqa: BLE001 - no heartbeat is not a reason to stop the kiosk
        log.exception("heartbeat did not start")
        return
    s.started.append(ops.heartbeat)  # stopped first by KioskApplication.shutdown()
