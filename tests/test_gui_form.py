"""The form through the widgets: validation errors at the field that block continuing,
corrections, card values locked until staff unlock them, the on-screen Vietnamese keyboard, a
card removed in the middle of a read (the idle timeout that wipes the session: test_ops_idle).
Simulators, each test its own kiosk and data folder (the hospital profile: the shortest form)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from app import messages
from app.session import Stage
from app.ui import operator_check
from app.ui.keyboard import apply_mark, apply_tone, last_word, tone_position
from app.ui.scripted import ScriptedVisit, click, enter, load_identity, type_text
from tests.fixtures.kiosk import waiter

CARDS = Path(__file__).resolve().parent.parent / "assets" / "simulator" / "cards"




def at_review(qtbot, kiosk, profile="adult-2021"):
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card(profile)
    visit.at(Stage.REVIEW)
    return visit, kiosk.window.screens[Stage.REVIEW]


# --- validation and corrections ------------------------------------------------------------------

def test_validation_errors_shown_at_the_field_and_block_continuing(qtbot, kiosk):
    visit, review = at_review(qtbot, kiosk)
    phone = review.form.rows["patient.phone"]
    enter(phone.editor, "12345")
    click(review, "continueButton")
    assert kiosk.controller.stage is Stage.REVIEW
    assert phone.error.isVisible()
    assert "điện thoại" in phone.error.text()
    assert phone.editor.property("invalid") is True
    assert review.general_errors.text()
    # corrected: the error goes when the form is checked again, and the visit goes on
    enter(phone.editor, "0912 345 678")
    visit.fill_form()
    assert kiosk.controller.session.draft.raw("patient.phone") == "0912345678"
    assert not phone.error.isVisible()


def test_a_typed_value_can_be_changed(qtbot, kiosk):
    visit, review = at_review(qtbot, kiosk)
    draft = kiosk.controller.session.draft
    reason = review.form.rows["visit.reason"]
    enter(reason.editor, "Đau đầu")
    assert draft.raw("visit.reason") == "Đau đầu"
    enter(reason.editor, "Sốt cao hai ngày")
    assert draft.raw("visit.reason") == "Sốt cao hai ngày"
    assert reason.source.text() == QCoreApplication.translate("ReviewScreen", "typed")
    visit.fill_form({"visit.reason": "Sốt cao hai ngày"})
    assert draft.raw("visit.reason") == "Sốt cao hai ngày"
    assert visit.consent_and_submit()


# --- card values: locked, never asked, unlocked by staff only ------------------------------------

def test_card_values_are_read_only_and_never_asked(qtbot, kiosk):
    _, review = at_review(qtbot, kiosk)
    draft = kiosk.controller.session.draft
    person = load_identity("adult-2021")
    row = review.form.rows["patient.full_name"]
    assert row.read_only and row.unlock.isVisible()
    row.editor.setFocus()
    QTest.keyClicks(row.editor, "Ten khac")  # typing into it changes nothing
    assert row.editor.text() == person["full_name"]
    assert not row.editor.testAttribute(Qt.WA_InputMethodEnabled)  # no input method either
    assert not kiosk.window.keyboard.isVisible()
    assert draft.raw("patient.full_name") == person["full_name"]
    for path in ("patient.id_number", "patient.full_name", "patient.birth_date", "patient.sex",
                 "patient.address"):
        assert path not in draft.fields_to_ask()
        assert review.form.rows[path].read_only
    assert not review.form.rows["patient.phone"].read_only
    assert not review.form.rows["patient.phone"].unlock.isVisible()


def test_staff_unlock_and_correct_a_card_value(qtbot, kiosk, monkeypatch):
    answers = [False, True]
    asked = []

    def ask(parent):
        asked.append(parent)
        return answers.pop(0)

    monkeypatch.setattr(operator_check, "ask_operator", ask)
    _, review = at_review(qtbot, kiosk)
    draft = kiosk.controller.session.draft
    person = load_identity("adult-2021")
    row = review.form.rows["patient.address"]
    click(review, "unlock:patient.address")  # no staff: nothing changes
    assert len(asked) == 1 and row.read_only
    click(review, "unlock:patient.address")  # staff confirmed
    assert len(asked) == 2 and not row.read_only and not row.unlock.isVisible()
    enter(row.editor, "Số 9, Phường Láng, Hà Nội")
    value = draft.value("patient.address")
    assert value.value == "Số 9, Phường Láng, Hà Nội"
    assert value.origin == "operator" and value.original == person["place_of_residence"]
    assert row.source.text() == QCoreApplication.translate("ReviewScreen", "corrected by staff")


def test_the_form_follows_the_language_switch(qtbot, kiosk):
    _, review = at_review(qtbot, kiosk)
    row = review.form.rows["patient.phone"]
    assert row.label.text().startswith("Số điện thoại")
    QTest.mouseClick(kiosk.window.lang_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: row.label.text().startswith("Phone number"))
    source = review.form.rows["patient.full_name"].source
    qtbot.waitUntil(lambda: source.text() == "from the chip, verified")


# --- the on-screen keyboard ----------------------------------------------------------------------

@pytest.mark.parametrize("word,tone,expected", [
    ("Viet", "dot", "Viẹt"), ("hoa", "grave", "hoà"), ("quy", "hook", "quỷ"),
    ("gia", "grave", "già"), ("nguyen", "tilde", "nguyẽn"), ("an", "acute", "án"),
    ("án", "acute", "an"), ("mua", "acute", "múa"), ("xyz", "acute", "xýz"),
    ("nh", "acute", "nh"),
])
def test_tone_placement(word, tone, expected):
    assert apply_tone(word, tone) == expected


def test_vowel_marks_keep_and_move_the_tone():
    assert apply_mark("Viẹt", "circumflex") == "Việt"
    assert apply_mark("truong", "horn") == "trương"
    assert apply_mark(apply_tone("nguoi", "grave"), "horn") == "người"
    assert apply_mark("dung", "stroke") == "đung" and apply_mark("Dung", "stroke") == "Đung"
    assert apply_mark("an", "breve") == "ăn" and apply_mark("ăn", "breve") == "an"
    assert tone_position("quyen") == 3 and last_word("Số 5 Phố") == "Phố"


def test_keyboard_types_vietnamese_and_digits(qtbot, kiosk):
    _, review = at_review(qtbot, kiosk)
    keyboard = kiosk.window.keyboard
    reason = review.form.rows["visit.reason"].editor
    reason.setFocus()  # a screen focusing a field by itself does not bring the keyboard up
    assert not keyboard.isVisible()
    review.scroll.ensureWidgetVisible(reason)
    QTest.mouseClick(reason, Qt.LeftButton)  # the citizen touches it
    qtbot.waitUntil(lambda: keyboard.mode == "letters")
    assert keyboard.isVisible() and keyboard.letters.isVisible()
    for name in ("key:shift", "key:v", "key:i", "key:e", "key:t", "mark:circumflex",
                 "tone:dot", "key:space", "key:n", "key:a", "key:m"):
        QTest.mouseClick(keyboard.keys[name], Qt.LeftButton)
    assert reason.text() == "Việt nam"
    assert reason.hasFocus()  # the keys never take the focus
    QTest.mouseClick(keyboard.keys["key:backspace"], Qt.LeftButton)
    assert reason.text() == "Việt na"
    QTest.mouseClick(keyboard.keys["key:done"], Qt.LeftButton)
    assert kiosk.controller.session.draft.raw("visit.reason") == "Việt na"
    assert not keyboard.isVisible()

    phone = review.form.rows["patient.phone"].editor
    review.scroll.ensureWidgetVisible(phone)
    QTest.mouseClick(phone, Qt.LeftButton)
    qtbot.waitUntil(lambda: keyboard.mode == "digits")
    assert keyboard.digits.isVisible() and not keyboard.letters.isVisible()
    for ch in "0912345678":
        QTest.mouseClick(keyboard.keys[f"pad:{ch}"], Qt.LeftButton)
    QTest.mouseClick(keyboard.keys["pad:done"], Qt.LeftButton)
    assert kiosk.controller.session.draft.raw("patient.phone") == "0912345678"
    # a locked card value never brings the keyboard up
    name = review.form.rows["patient.full_name"].editor
    review.scroll.ensureWidgetVisible(name)
    QTest.mouseClick(name, Qt.LeftButton)
    assert not keyboard.isVisible()


# --- a card removed mid-read ---------------------------------------------------------------------

def _insert(kiosk, profile: str, **faults) -> None:
    from drivers.card.virtual import VirtualCard, load_profile
    from drivers.card.virtual.faults import FaultPlan

    kiosk.services.devices.card.impl.insert(
        VirtualCard(load_profile(CARDS / f"{profile}.json"), FaultPlan(**faults)))


def _typed_number(qtbot, kiosk, profile: str) -> None:
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.at(Stage.PRESENT)
    present = kiosk.window.screens[Stage.PRESENT]
    type_text(present.number, load_identity(profile)["id_number"])
    click(present, "useNumberButton")
    assert kiosk.controller.session.access is not None


def test_card_taken_off_the_reader_during_the_read(qtbot, kiosk):
    _typed_number(qtbot, kiosk, "adult-2021")
    _insert(kiosk, "adult-2021", latency=0.05, sleep=True)  # a slow link: time to pull it
    with qtbot.waitSignal(kiosk.controller.read_progress, timeout=10000):
        pass  # the read is under way
    assert kiosk.controller.stage is Stage.READING
    # the read stops at its next APDU (the worker reports it; only then is the reader free)
    with qtbot.waitSignal(kiosk.services.card_worker.read_failed, timeout=10000):
        click(kiosk.operator_panel, "simRemoveCard")
    present = kiosk.window.screens[Stage.PRESENT]
    qtbot.waitUntil(lambda: kiosk.controller.stage is Stage.PRESENT)
    assert present.notice.text() == messages.text("card_removed", "vi")
    assert kiosk.controller.session.records == []
    # laid back on the reader, the card is read and the visit goes on
    _insert(kiosk, "adult-2021")
    qtbot.waitUntil(lambda: kiosk.controller.stage is Stage.READING)
    reading = kiosk.window.screens[Stage.READING]
    qtbot.waitUntil(lambda: reading.cont.isEnabled(), timeout=20000)
    click(reading, "continueButton")
    assert kiosk.controller.stage is Stage.REVIEW


def test_card_leaving_the_field_after_some_apdus(qtbot, kiosk):
    _typed_number(qtbot, kiosk, "adult-2021")
    _insert(kiosk, "adult-2021", remove_at_apdu=6)
    present = kiosk.window.screens[Stage.PRESENT]
    qtbot.waitUntil(lambda: kiosk.controller.stage is Stage.PRESENT
                    and bool(present.notice.text()), timeout=15000)
    assert present.notice.text() == messages.text("card_removed", "vi")
    assert kiosk.controller.session is not None and kiosk.controller.session.records == []


def test_unlock_asks_for_the_admin_pin(qtbot, kiosk):
    """The real staff check: the admin PIN dialog (the simulator's PIN is 000000)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _, review = at_review(qtbot, kiosk)
    row = review.form.rows["patient.full_name"]
    seen = []

    def give_pin(pin: str) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not up yet
            QTimer.singleShot(20, lambda: give_pin(pin))
            return
        seen.append(dialog.objectName())
        for digit in pin:
            click(dialog, f"pinKey{digit}")
        click(dialog, "pinOk")

    QTimer.singleShot(0, lambda: give_pin("999999"))  # a wrong PIN: then cancelled
    QTimer.singleShot(300, lambda: QApplication.activeModalWidget()
                      and click(QApplication.activeModalWidget(), "pinCancel"))
    click(review, "unlock:patient.full_name")
    assert row.read_only
    QTimer.singleShot(0, lambda: give_pin("000000"))
    click(review, "unlock:patient.full_name")
    assert seen == ["adminPinDialog", "adminPinDialog"]
    assert not row.read_only
