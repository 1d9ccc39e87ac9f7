"""A whole simulated visit driven through the real widgets, as a citizen would: touch start,
choose a procedure, show the card's QR to the (simulated) camera, lay the card on the
(simulated) reader, fill in what is left, consent, submit, wait for delivery.

One script serves the end-to-end test (with pytest-qt's waits), `make screenshots` and the
startup benchmark, so all three walk exactly the same path. It clicks buttons and types into
fields found by their object names; it never calls the controller directly.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from app.session import Stage

Wait = Callable[[Callable[[], bool], float], None]

# Answers for the fields a citizen types, by field id, then by field type.
ANSWERS_BY_ID = {
    "phone": "0912345678", "email": "an.nguyen@example.vn", "reason": "Khám tổng quát",
    "room": "203", "visit_reason": "Đau đầu kéo dài", "relationship": "Con",
}
ANSWERS_BY_TYPE = {
    "text": "Thông tin thử nghiệm", "phone": "0912345678", "email": "test@example.vn",
    "integer": "1", "bank_account": "0123456789", "address": "Số 5, Phường Láng, Hà Nội",
    "time": "08:30", "id_number": "001090012345",
}


def default_wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Process Qt events until `condition` holds (for use outside pytest-qt)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected state in time")
        QCoreApplication.processEvents()
        time.sleep(0.005)


def find(root: QWidget, name: str) -> QWidget:
    w = root.findChild(QWidget, name)
    if w is None:
        raise LookupError(f"no widget named {name!r} on screen")
    return w


def type_text(editor: QWidget, text: str) -> None:
    """Type as the on-screen keyboard does: Vietnamese letters arrive as input-method commits
    (QTest.keyClicks knows only ASCII keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(editor, event)


def click(root: QWidget, name: str) -> None:
    w = find(root, name)
    if not w.isEnabled():
        raise RuntimeError(f"{name!r} is disabled")
    QTest.mouseClick(w, Qt.LeftButton)


class ScriptedVisit:
    def __init__(self, kiosk, wait: Wait = default_wait,
                 on_screen: Callable[[str], None] | None = None) -> None:
        self.kiosk = kiosk  # app.ui.application.KioskApplication
        self.window = kiosk.window
        self.controller = kiosk.controller
        self.panel = kiosk.operator_panel
        self.wait = wait
        self.on_screen = on_screen or (lambda name: None)

    def at(self, stage: Stage, timeout: float = 10.0) -> None:
        self.wait(lambda: self.controller.stage is stage, timeout)

    def start(self, procedure_id: str) -> None:
        self.at(Stage.ATTRACT)
        self.on_screen("attract")
        click(self.window, "startButton")
        self.at(Stage.CHOOSE)
        self.on_screen("choose")
        click(self.window, f"procedure:{procedure_id}")

    def present_card(self, profile: str, *, via_qr: bool = True) -> None:
        """Show the card's QR code to the camera, then lay the card on the reader."""
        self.at(Stage.PRESENT)
        self.panel.select(profile)
        if via_qr:
            click(self.panel, "simShowQr")
            self.wait(lambda: self.controller.session is not None
                      and self.controller.session.access is not None, 15.0)
        self.on_screen("present")
        click(self.panel, "simInsertCard")
        self.wait(lambda: self.controller.stage is Stage.READING
                  or self.controller.stage is Stage.REVIEW, 10.0)
        continue_ = find(self.window.screens[Stage.READING], "continueButton")
        self.wait(lambda: continue_.isEnabled() or self.controller.stage is not Stage.READING,
                  20.0)
        self.on_screen("reading")
        if self.controller.stage is Stage.READING:
            QTest.mouseClick(continue_, Qt.LeftButton)
        click(self.panel, "simRemoveCard")
        click(self.panel, "simClearCamera")

    def fill_form(self, answers: dict[str, str] | None = None) -> None:
        """Type an answer into every field the form still asks for, then continue."""
        self.at(Stage.REVIEW)
        answers = dict(ANSWERS_BY_ID, **(answers or {}))
        review = self.window.screens[Stage.REVIEW]
        for _ in range(3):  # a choice can make new fields appear
            for path in review.form.unanswered():
                row = review.form.rows[path]
                if not row.editor.isVisible() and not row.editor.isVisibleTo(review):
                    continue
                self._answer(row, answers.get(path) or answers.get(row.fdef.id))
        self.on_screen("review")
        click(review, "continueButton")
        self.at(Stage.CONSENT)

    def _answer(self, row, given: str | None) -> None:
        editor = row.editor
        if isinstance(editor, QComboBox):
            index = editor.findData(given) if given else -1
            editor.setCurrentIndex(index if index > 0 else 1)
            editor.activated.emit(editor.currentIndex())
        elif isinstance(editor, QCheckBox):
            return
        elif isinstance(editor, QLineEdit):
            value = given or _answer_for_type(row.fdef)
            editor.setFocus()
            editor.clear()
            type_text(editor, value)
            editor.editingFinished.emit()

    def consent_and_submit(self) -> str:
        consent = self.window.screens[Stage.CONSENT]
        self.on_screen("consent")
        find(consent, "consentCheck").setChecked(True)
        click(consent, "submitButton")
        self.at(Stage.RECEIPT)
        self.on_screen("receipt")
        return self.controller.session.dossier_code

    def wait_delivered(self, dossier_code: str, timeout: float = 20.0) -> None:
        admin = self.kiosk.admin
        self.kiosk.open_admin()

        def delivered() -> bool:
            self.kiosk.services.outbox_worker.refresh()
            return admin.state_of(dossier_code) in ("delivered", "accepted", "processing",
                                                    "completed")
        self.wait(delivered, timeout)

    def finish(self) -> None:
        click(self.window.screens[Stage.RECEIPT], "doneButton")
        self.at(Stage.ATTRACT)


def _answer_for_type(fdef) -> str:
    if fdef.type == "date":
        return (date.today() - timedelta(days=400)).strftime("%d/%m/%Y")
    if fdef.type == "datetime":
        return (date.today() - timedelta(days=1)).strftime("%d/%m/%Y") + " 08:30"
    return ANSWERS_BY_TYPE.get(fdef.type, "Thử nghiệm")


def run_visit(kiosk, procedure_id: str, profiles: list[str], wait: Wait = default_wait,
              answers: dict[str, str] | None = None,
              on_screen: Callable[[str], None] | None = None) -> str:
    """The whole visit; returns the dossier code once the endpoint has it."""
    visit = ScriptedVisit(kiosk, wait, on_screen)
    visit.start(procedure_id)
    for profile in profiles:
        visit.present_card(profile)
    visit.fill_form(answers)
    code = visit.consent_and_submit()
    visit.wait_delivered(code)
    on_screen and on_screen("admin")
    kiosk.admin.close()
    visit.finish()
    return code
