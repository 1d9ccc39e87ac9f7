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

# Answers for the fields a citizen types, by path or field id, then by field type. Choices take
# the option value given (else the first option).
ANSWERS_BY_ID = {
    "phone": "0912345678", "email": "an.nguyen@example.vn", "reason": "Khám tổng quát",
    "room": "203", "visit_reason": "Đau đầu kéo dài", "relationship": "Con",
    "visit.department": "noi", "visit.reason": "Đau đầu kéo dài", "stay.reason": "tourism",
    "child.full_name": "Phạm Gia Huy", "child.birth_place": "Bệnh viện Phụ sản Hà Nội",
    "child.place_of_origin": "Xã Hải Hậu, tỉnh Nam Định",
    "child.birth_certificate_number": "GCS-2025-00123",
    "child.birth_certificate_issuer": "Bệnh viện Phụ sản Hà Nội",
    "insurance.primary_care_facility": "Trạm y tế phường Láng",
    "deceased.death_place": "Tại nhà riêng", "deceased.cause": "Tuổi cao, bệnh nặng",
    "deceased.death_notice_number": "GBT-2025-0456",
    "deceased.death_notice_issuer": "Trạm y tế xã Tân Lập",
    "funeral.bank_name": "Ngân hàng Nông nghiệp", "funeral.account_holder": "Nguyễn Văn An",
    "funeral.payment_method": "bank",
    # a parent whose card is not there types their details (father-2021's)
    "father.full_name": "Phạm Văn Minh", "father.birth_date": "03/11/1994",
    "father.id_number": "036094007890", "father.ethnicity": "Kinh",
    "father.nationality": "Việt Nam", "father.residence": "Số 5, Phường Láng, Hà Nội",
    "mother.full_name": "Lê Thị Hoa", "mother.birth_date": "20/06/1995",
    "mother.id_number": "036195004567", "mother.ethnicity": "Kinh",
    "mother.nationality": "Việt Nam", "mother.residence": "Số 5, Phường Láng, Hà Nội",
}


def dated_answers() -> dict[str, str]:
    """Answers that depend on today (a child under 6, a death after birth, a stay ahead)."""
    today = date.today()
    return {
        "child.birth_date": (today - timedelta(days=20)).strftime("%d/%m/%Y"),
        "deceased.death_date": (today - timedelta(days=3)).strftime("%d/%m/%Y"),
        "stay.expected_departure": (today + timedelta(days=2)).strftime("%d/%m/%Y"),
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


def enter(editor: QLineEdit, text: str) -> None:
    """Type into a field as the citizen does, replacing what is there, and leave it (the
    value is committed)."""
    editor.setFocus()
    editor.selectAll()
    type_text(editor, text)
    editor.editingFinished.emit()


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

    def _turn_name(self, screen: str) -> str:
        """"present", then "present-mother", ...: one screenshot per person asked for."""
        session = self.controller.session
        turn = session.current_turn if session else None
        if turn is None or (session.position == 0 and turn.index == 0):
            return screen
        return f"{screen}-{turn.role_id}" + (f"{turn.index + 1}" if turn.index else "")

    def present_card(self, profile: str, *, via_qr: bool = True) -> None:
        """Show the card's QR code to the camera, then lay the card on the reader."""
        self.at(Stage.PRESENT)
        self.panel.select(profile)
        if via_qr:
            click(self.panel, "simShowQr")
            self.wait(lambda: self.controller.session is not None
                      and self.controller.session.access is not None, 15.0)
        name = self._turn_name("present")
        self.on_screen(name)
        self._read_card(name.replace("present", "reading"))

    def _read_card(self, shot: str) -> None:
        click(self.panel, "simInsertCard")
        self.wait(lambda: self.controller.stage is Stage.READING
                  or self.controller.stage is Stage.REVIEW, 10.0)
        continue_ = find(self.window.screens[Stage.READING], "continueButton")
        self.wait(lambda: continue_.isEnabled() or self.controller.stage is not Stage.READING,
                  20.0)
        self.on_screen(shot)
        if self.controller.stage is Stage.READING:
            QTest.mouseClick(continue_, Qt.LeftButton)
        click(self.panel, "simRemoveCard")
        click(self.panel, "simClearCamera")

    def skip_card(self) -> None:
        """"This person is not here" (an optional card: the father, a guest without a card)."""
        self.at(Stage.PRESENT)
        self.on_screen(self._turn_name("present"))
        click(self.window.screens[Stage.PRESENT], "skipButton")

    def present_passport(self, profile: str, *, chip: bool = True) -> None:
        """A foreign guest types the passport's number, birth date and expiry (here: the
        simulated card's own MRZ values), then its chip is read with that key (BAC) or, without
        a chip, the typed values fill the form."""
        self.at(Stage.PRESENT)
        ident = load_identity(profile)
        present = self.window.screens[Stage.PRESENT]
        if not present.passport.isVisible():
            click(present, "passportButton")
        values = {"passportNumber": ident["id_number"][-9:],
                  "passportBirth": _ddmmyyyy(ident["birth_date"]),
                  "passportExpiry": _ddmmyyyy(ident["expiry_date"] or "2099-12-31"),
                  "passportNationality": "Nhật Bản"}
        for name, text in values.items():
            editor = find(present, name)
            editor.setFocus()
            editor.clear()
            type_text(editor, text)
        name = self._turn_name("present") + "-passport"
        self.on_screen(name)
        if not chip:
            click(present, "passportNoChip")
            return
        self.panel.select(profile)
        click(present, "passportReadChip")
        self.wait(lambda: self.controller.session.access is not None, 5.0)
        self._read_card(name.replace("present", "reading"))

    def person(self, spec: str | None) -> None:
        if spec is None:
            self.skip_card()
        elif spec.startswith("passport:"):
            self.present_passport(spec.partition(":")[2])
        elif spec.startswith("passport-typed:"):
            self.present_passport(spec.partition(":")[2], chip=False)
        else:
            self.present_card(spec)

    def add_person(self) -> None:
        """"Add another person" on the review screen: one more guest in the room."""
        self.at(Stage.REVIEW)
        click(self.window.screens[Stage.REVIEW], "addPersonButton")
        self.at(Stage.PRESENT)

    def fill_form(self, answers: dict[str, str] | None = None) -> None:
        """Type an answer into every field the form still asks for, then continue."""
        self.at(Stage.REVIEW)
        answers = dict(ANSWERS_BY_ID, **dated_answers(), **(answers or {}))
        review = self.window.screens[Stage.REVIEW]
        for _ in range(3):  # a choice can make new fields appear
            for path in review.form.unanswered():
                row = review.form.rows[path]
                if not row.editor.isVisible() and not row.editor.isVisibleTo(review):
                    continue
                self._answer(row, answers.get(path) or answers.get(row.fdef.id))
        self._show_keyboards(review)
        self.on_screen("review")
        click(review, "continueButton")
        self.at(Stage.CONSENT)

    def _show_keyboards(self, review) -> None:
        """The on-screen keyboard under a text field, then the numeric pad under a digits
        field (for the screenshots); the review itself is shown without it."""
        keyboard = getattr(self.window, "keyboard", None)
        if keyboard is None:
            return
        for mode, shot in (("letters", "keyboard"), ("digits", "keypad")):
            for row in review.form.rows.values():
                e = row.editor
                if isinstance(e, QLineEdit) and not e.isReadOnly() and e.isVisibleTo(review):
                    e.setFocus()
                    keyboard.attach(e)
                    if keyboard.mode == mode:
                        review.scroll.ensureWidgetVisible(e)
                        self.on_screen(shot)
                        break
            keyboard.detach()
        self.window.setFocus()
        review.scroll.verticalScrollBar().setValue(0)  # the review from its top

    def _answer(self, row, given: str | None) -> None:
        editor = row.editor
        if isinstance(editor, QComboBox):
            index = editor.findData(given) if given else -1
            editor.setCurrentIndex(index if index > 0 else 1)
            editor.activated.emit(editor.currentIndex())
        elif isinstance(editor, QCheckBox):
            return
        elif isinstance(editor, QLineEdit):
            enter(editor, given or _answer_for_type(row.fdef))

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


def load_identity(profile: str) -> dict:
    from pathlib import Path
    import json

    folder = Path(__file__).resolve().parent.parent.parent / "assets" / "simulator" / "cards"
    return json.loads((folder / f"{profile}.json").read_text(encoding="utf-8"))["identity"]


def _ddmmyyyy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _answer_for_type(fdef) -> str:
    if fdef.type == "date":
        return (date.today() - timedelta(days=400)).strftime("%d/%m/%Y")
    if fdef.type == "datetime":
        return (date.today() - timedelta(days=1)).strftime("%d/%m/%Y") + " 08:30"
    return ANSWERS_BY_TYPE.get(fdef.type, "Thử nghiệm")


def run_visit(kiosk, procedure_id: str, profiles: list[str | None], wait: Wait = default_wait,
              answers: dict[str, str] | None = None,
              on_screen: Callable[[str], None] | None = None,
              more_people: list[str] = ()) -> str:
    """The whole visit; returns the dossier code once the endpoint has it.

    `profiles`: one simulator card per person the procedure asks for, in its order (None: "this
    person is not here"; "passport:NAME" / "passport-typed:NAME": a foreign guest's passport
    opened with its MRZ key / typed without a chip). `more_people`: added on the review screen
    ("Add another person": more guests in the room), in the same notation."""
    visit = ScriptedVisit(kiosk, wait, on_screen)
    visit.start(procedure_id)
    for profile in profiles:
        visit.person(profile)
    for profile in more_people:
        visit.add_person()
        visit.person(profile)
    visit.fill_form(answers)
    code = visit.consent_and_submit()
    visit.wait_delivered(code)
    on_screen and on_screen("admin")
    kiosk.admin.close()
    visit.finish()
    return code
