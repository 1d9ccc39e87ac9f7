"""The admin PIN dialog: a large numeric keypad, the PIN masked, the lockout explained.

    ask_admin_pin(parent) -> bool      blocking (its own event loop), for operator unlocks
    PinDialog(guard, parent).open()    non-blocking; `accepted` / `rejected` signals

The check (scrypt, and the lockout file) runs off the main thread. The dialog gives up by
itself after TIMEOUT_MS without a touch: an unattended kiosk never waits forever.
`set_guard()` is called once by the kiosk (app/ui/kiosk_mode.py) with its PinGuard.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.admin_pin import AdminPinError, MAX_LENGTH, PinLockedError, PinNotConfiguredError
from app.ui.screens.base import button, label
from app.ui.tasks import run_in_background

log = logging.getLogger(__name__)

_guard = None
_lang = {"value": "vi"}


def set_guard(guard, lang_source=None) -> None:
    """The kiosk's PinGuard; `lang_source()` gives the current language for error messages."""
    global _guard
    _guard = guard
    if lang_source is not None:
        _lang["source"] = lang_source


def current_guard():
    return _guard


def _lang_now() -> str:
    src = _lang.get("source")
    return src() if callable(src) else _lang["value"]


class PinDialog(QDialog):
    TIMEOUT_MS = 60_000

    def __init__(self, guard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminPinDialog")
        self.guard = guard
        self.setModal(True)
        self.setWindowFlag(Qt.WindowStaysOnTopHint, True)
        lay = QVBoxLayout(self)
        lay.setSpacing(14)
        self.title = label("title")
        self.message = label("error")
        self.message.setObjectName("pinMessage")
        self.edit = QLineEdit()
        self.edit.setObjectName("pinEdit")
        self.edit.setEchoMode(QLineEdit.Password)
        self.edit.setMaxLength(MAX_LENGTH)
        self.edit.setAlignment(Qt.AlignCenter)
        self.edit.returnPressed.connect(self.submit)
        lay.addWidget(self.title)
        lay.addWidget(self.edit)
        lay.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys = []
        for i, d in enumerate("123456789"):
            self._key(grid, d, i // 3, i % 3)
        self.clear_key = button(role="secondary", name="pinClear")
        self.clear_key.clicked.connect(self.edit.clear)
        grid.addWidget(self.clear_key, 3, 0)
        self._key(grid, "0", 3, 1)
        self.back_key = button("⌫", role="secondary", name="pinBackspace")
        self.back_key.clicked.connect(self.edit.backspace)
        grid.addWidget(self.back_key, 3, 2)
        lay.addLayout(grid)
        row = QHBoxLayout()
        self.cancel = button(role="secondary", name="pinCancel")
        self.cancel.clicked.connect(self.reject)
        self.ok = button(name="pinOk")
        self.ok.clicked.connect(self.submit)
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(self.ok)
        lay.addLayout(row)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(self.TIMEOUT_MS)
        self._idle.timeout.connect(self.reject)
        self.edit.textChanged.connect(lambda _t: self._idle.start())
        self._checking = False
        self.retranslate()
        self._initial_state()
        self._idle.start()

    def _key(self, grid: QGridLayout, digit: str, r: int, c: int) -> None:
        b = button(digit, role="secondary", name=f"pinKey{digit}")
        b.setMinimumWidth(110)
        b.clicked.connect(lambda _=False, d=digit: self.edit.insert(d))
        grid.addWidget(b, r, c)
        self.keys.append(b)

    def _initial_state(self) -> None:
        if self.guard is None or not self.guard.configured:
            self._refuse(PinNotConfiguredError())
            return
        left = self.guard.seconds_locked()
        if left > 0:
            self._refuse(PinLockedError(left))

    def _refuse(self, exc: AdminPinError) -> None:
        self.message.setText(exc.message(_lang_now()))
        for w in (*self.keys, self.clear_key, self.back_key, self.ok, self.edit):
            w.setEnabled(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Administration"))
        self.title.setText(self.tr("Enter the admin PIN"))
        self.clear_key.setText(self.tr("Clear"))
        self.cancel.setText(self.tr("Cancel"))
        self.ok.setText(self.tr("OK"))

    def submit(self) -> None:
        if self._checking or not self.ok.isEnabled():
            return
        pin = self.edit.text()
        self.edit.clear()
        self._checking = True
        self.ok.setEnabled(False)
        guard = self.guard
        run_in_background(lambda: guard.check(pin), self._passed, self._failed)

    def _passed(self, _ok: object) -> None:
        self._checking = False
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._checking = False
        if not isinstance(exc, AdminPinError):
            log.error("admin PIN check failed: %s", type(exc).__name__)
            self.message.setText(self.tr("The PIN could not be checked."))
            self.ok.setEnabled(True)
            return
        if isinstance(exc, (PinLockedError, PinNotConfiguredError)):
            self._refuse(exc)
            return
        self.message.setText(exc.message(_lang_now()))
        self.ok.setEnabled(True)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        self._idle.stop()
        self.edit.clear()
        super().done(result)


def ask_admin_pin(parent: QWidget | None = None) -> bool:
    """Ask for the admin PIN; True only when the right PIN was given (blocking, own loop)."""
    dialog = PinDialog(_guard, parent)
    try:
        return dialog.exec() == QDialog.Accepted
    finally:
        dialog.deleteLater()
