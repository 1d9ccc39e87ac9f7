"""Every procedure family completed through the real widgets on simulators (pytest-qt): the
birth group (three cards, or the father absent), the death group (two cards, never the same
one twice), the hospital check-in (insurance lookup valid / expired / not found / down / slow,
queue number on the receipt and printed), lodging (several guests in one room, a passport
opened with its typed MRZ key or typed without a chip, the register and its deadline, the
staff's list and check-out). Each test runs its own kiosk in its own data folder."""

from __future__ import annotations

import sqlite3
import pytest

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app import config
from app.identity.model import Source
from app.session import Stage
from app.ui import operator_check
from app.ui.scripted import ScriptedVisit, click, load_identity, run_visit
from drivers.card.virtual import load_profile, profiles_dir
from drivers.card.virtual.personalize import build_mrz
from tests.fixtures.kiosk import waiter

LODGING_SETTINGS = ["lodging.establishment_name=Khách sạn Sông Hồng",
                    "lodging.establishment_address=Số 2, Phố Hàng Bài, Hà Nội",
                    "lodging.registration_code=HN-LT-000123"]


@pytest.fixture
def make_kiosk(qtbot, tmp_path):
    """A factory, make(profile, *overrides): a shown kiosk of that profile in the default language
    (Vietnamese), with LODGING_SETTINGS, shut down at teardown. Not tests.fixtures.kiosk.make_kiosk
    (a context manager for the hospital profile in English)."""
    from app.ui.application import KioskApplication

    made = []

    def make(profile: str, *overrides: str):
        cfg = config.load(None, simulate=True, overrides=[
            f"kiosk.data_dir={tmp_path}", f"kiosk.profile={profile}",
            "sync.interval_seconds=1", *LODGING_SETTINGS, *overrides])
        app = KioskApplication(cfg)
        qtbot.addWidget(app.window)
        app.show()
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()


@pytest.fixture
def staff(monkeypatch):
    """A member of staff answers the operator check (the PIN dialog in production)."""
    asked = []

    def ask(parent):
        asked.append(parent)
        return True

    monkeypatch.setattr(operator_check, "ask_operator", ask)
    return asked


def tr(context: str, text: str) -> str:
    """What the screen shows for a source string (Vietnamese once translated)."""
    return QCoreApplication.translate(context, text)


def review_of(kiosk):
    return kiosk.window.screens[Stage.REVIEW]


def assert_card_values_never_asked(kiosk):
    """Every value a card gave is on screen read-only, and the form does not ask for it."""
    form = review_of(kiosk).form
    draft = kiosk.controller.session.draft
    asked = set(draft.fields_to_ask())
    proven = 0
    for path, row in form.rows.items():
        fv = draft.value(path)
        if fv.source is not None and fv.source.proven_by_card:
            proven += 1
            assert row.read_only, f"{path} came from a card but can be edited"
            assert path not in asked and path not in form.unanswered()
    assert proven, "no card value reached the form"


# --- birth ---------------------------------------------------------------------------------------

def test_birth_group_three_cards_end_to_end(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("birth_registration_group")
    present = kiosk.window.screens[Stage.PRESENT]
    assert not present.skip.isVisible()  # the requester's card is required
    visit.present_card("adult-2021")
    assert "Người mẹ" in present.title.text() and present.skip.isVisible()
    visit.present_card("mother-2021")
    visit.present_card("father-2021")

    form = review_of(kiosk).form
    mother, father = load_identity("mother-2021"), load_identity("father-2021")
    assert form.rows["mother.full_name"].editor.text() == mother["full_name"]
    assert form.rows["father.id_number"].editor.text() == father["id_number"]
    assert form.rows["mother.full_name"].source.text() == "từ chip, đã xác thực"
    assert_card_values_never_asked(kiosk)
    # the child is typed: nothing of it comes from a card
    assert "child.full_name" in form.unanswered()

    visit.fill_form()
    code = visit.consent_and_submit()
    visit.wait_delivered(code)
    kiosk.admin.close()
    visit.finish()
    assert kiosk.controller.session is None


def test_birth_group_father_not_here(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("birth_registration_group")
    visit.present_card("adult-2021")
    visit.present_card("mother-2021")
    visit.skip_card()  # "This person is not here"
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    # the father's details are typed instead, and can be
    assert "father.full_name" in form.unanswered()
    assert not form.rows["father.full_name"].read_only
    # unticking "declare the father" removes his fields from the form
    declared = form.rows["father.declared"].editor
    declared.setChecked(False)
    assert not form.rows["father.full_name"].editor.isVisibleTo(form)
    assert "father.full_name" not in form.unanswered()
    declared.setChecked(True)
    assert form.rows["father.full_name"].editor.isVisibleTo(form)
    visit.fill_form()
    assert visit.consent_and_submit()


# --- death ---------------------------------------------------------------------------------------

def test_death_group_end_to_end(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    code = run_visit(kiosk, "death_registration_group", ["adult-2021", "elderly-2021"],
                     wait=waiter(qtbot))
    assert code
    assert kiosk.controller.session is None


def test_death_group_refuses_the_requesters_own_card_as_the_deceaseds(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("death_registration_group")
    visit.present_card("adult-2021")
    present = kiosk.window.screens[Stage.PRESENT]
    # the requester's own card again, for the deceased (its number typed this time)
    from app.ui.scripted import type_text
    type_text(present.number, load_identity("adult-2021")["id_number"])
    click(present, "useNumberButton")
    assert kiosk.controller.session.access is not None
    kiosk.operator_panel.select("adult-2021")
    click(kiosk.operator_panel, "simInsertCard")
    qtbot.waitUntil(lambda: kiosk.controller.stage is Stage.PRESENT
                    and "không được trùng" in present.notice.text(), timeout=15000)
    assert kiosk.controller.session.current_turn.role_id == "deceased"
    assert len(kiosk.controller.session.records) == 1
    click(kiosk.operator_panel, "simRemoveCard")
    click(kiosk.operator_panel, "simClearCamera")
    visit.present_card("elderly-2021")  # the right card goes on
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    assert form.rows["deceased.full_name"].editor.text() == load_identity("elderly-2021")[
        "full_name"]
    assert_card_values_never_asked(kiosk)


def test_a_card_already_read_in_the_visit_is_not_taken_for_the_next_person(qtbot, make_kiosk):
    """The requester's card still in front of the camera as the deceased's turn starts: its QR
    must not become the key for the next card (that card's chip would refuse it)."""
    kiosk = make_kiosk("public-admin")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("death_registration_group")
    visit.present_card("adult-2021")
    present = kiosk.window.screens[Stage.PRESENT]
    kiosk.operator_panel.select("adult-2021")
    click(kiosk.operator_panel, "simShowQr")
    qtbot.waitUntil(lambda: "đã được đọc" in present.notice.text(), timeout=15000)
    assert kiosk.controller.session.access is None
    assert kiosk.controller.session.current_turn.role_id == "deceased"
    click(kiosk.operator_panel, "simClearCamera")
    visit.present_card("elderly-2021")
    visit.at(Stage.REVIEW)
    assert review_of(kiosk).form.rows["deceased.full_name"].editor.text() == \
        load_identity("elderly-2021")["full_name"]


def test_death_group_bank_fields_follow_the_payment_choice(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("death_registration_group")
    visit.present_card("adult-2021")
    visit.present_card("elderly-2021")
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    method = form.rows["funeral.payment_method"].editor
    method.setCurrentIndex(method.findData("cash"))
    method.activated.emit(method.currentIndex())
    assert not form.rows["funeral.bank_account"].editor.isVisibleTo(form)
    method.setCurrentIndex(method.findData("bank"))
    method.activated.emit(method.currentIndex())
    assert form.rows["funeral.bank_account"].editor.isVisibleTo(form)
    assert "funeral.bank_account" in form.unanswered()


# --- hospital ------------------------------------------------------------------------------------

def test_hospital_valid_insurance_shown_prefilled_and_queue_ticket(qtbot, make_kiosk, tmp_path):
    kiosk = make_kiosk("hospital")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card("adult-2021")
    review = review_of(kiosk)
    panel = review.insurance
    qtbot.waitUntil(lambda: panel.outcome == "valid")
    assert panel.isVisible()
    assert panel.headline.text() == tr("InsurancePanel", "Your health-insurance card is valid")
    card_no = kiosk.controller.flows.hospital.result.card_number
    assert card_no in panel.details.text()
    # the looked-up values are in the form, read-only, marked as looked up
    row = review.form.rows["insurance.card_number"]
    assert row.editor.text() == card_no and row.read_only
    assert row.source.text() == "tra cứu"
    assert kiosk.controller.session.draft.value("insurance.card_number").source is Source.LOOKUP

    visit.fill_form({"visit.department": "nhi"})
    code = visit.consent_and_submit()
    receipt = kiosk.window.screens[Stage.RECEIPT]
    assert receipt.queue.isVisible()
    assert receipt.queue.number.text() == "NHI-001"
    assert "Nhi" in receipt.queue.department.text()
    # the number is kept per department in the data folder
    db = sqlite3.connect(tmp_path / "queue.sqlite3")
    assert db.execute("select last_number from queue_numbers where department='nhi'"
                      ).fetchone() == (1,)
    db.close()
    # and printed as a ticket (the simulated printer's journal)
    journal = kiosk.services.printer_worker.journal
    qtbot.waitUntil(lambda: any(e.document.kind == "ticket" and e.state == "printed"
                                for e in journal.entries()), timeout=10000)
    ticket = next(e.document for e in journal.entries() if e.document.kind == "ticket")
    assert ticket.big_number == "NHI-001"
    visit.wait_delivered(code)
    kiosk.admin.close()
    visit.finish()
    assert not receipt.queue.isVisible()


def test_hospital_gateway_down_does_not_block_the_check_in(qtbot, make_kiosk):
    kiosk = make_kiosk("hospital")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card("card-2024")  # ID number ending in 3: the simulated gateway is down
    panel = review_of(kiosk).insurance
    qtbot.waitUntil(lambda: panel.outcome == "down")
    assert "quầy tiếp đón" in panel.advice.text()
    assert kiosk.controller.session.draft.extras["insurance_lookup"] == {
        "ok": False, "reason": "gateway_down"}
    visit.fill_form()
    assert visit.consent_and_submit()
    assert kiosk.window.screens[Stage.RECEIPT].queue.number.text() == "NOI-001"


@pytest.mark.parametrize("scenario,outcome,words", [
    ("expired", "expired", "đã hết hạn"),
    ("not_found", "not_found", "Không tìm thấy thông tin thẻ BHYT"),
])
def test_hospital_expired_and_not_found_explained(qtbot, make_kiosk, monkeypatch, scenario,
                                                  outcome, words):
    import app.hospital
    from app.hospital.insurance import SimulatedInsuranceGateway

    person = load_identity("adult-2021")
    monkeypatch.setattr(app.hospital, "gateway_from_config", lambda cfg: SimulatedInsuranceGateway(
        scenarios={person["id_number"]: scenario}))
    kiosk = make_kiosk("hospital")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card("adult-2021")
    panel = review_of(kiosk).insurance
    qtbot.waitUntil(lambda: panel.outcome == outcome)
    assert words in panel.advice.text()  # the gateway's words, in Vietnamese first
    assert "quầy tiếp đón" in panel.advice.text()
    visit.fill_form()
    assert visit.consent_and_submit()


def test_hospital_slow_gateway_times_out_off_the_main_thread(qtbot, make_kiosk):
    kiosk = make_kiosk("hospital", "hospital.insurance_timeout_seconds=0.5")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card("elderly-2021")  # ID number ending in 4: the gateway is slow
    panel = review_of(kiosk).insurance
    # the screen is there while the gateway thinks: the patient can type meanwhile
    assert kiosk.controller.stage is Stage.REVIEW
    qtbot.waitUntil(lambda: panel.outcome == "down", timeout=5000)
    assert kiosk.controller.session.draft.extras["insurance_lookup"]["reason"] == "timeout"


# --- lodging -------------------------------------------------------------------------------------

def test_lodging_guests_in_one_room_register_deadline_and_check_out(qtbot, make_kiosk, tmp_path,
                                                                    staff):
    kiosk = make_kiosk("lodging")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("lodging_residence_notification")
    visit.present_card("adult-2021")
    review = review_of(kiosk)
    assert review.add_person.isVisible()
    # the establishment comes from the configuration, locked
    assert review.form.rows["establishment.name"].editor.text() == "Khách sạn Sông Hồng"
    assert review.form.rows["establishment.name"].read_only
    visit.add_person()
    assert "Khách lưu trú" in kiosk.window.screens[Stage.PRESENT].title.text()
    visit.present_card("card-2024")
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    assert form.rows["guests[1].full_name"].editor.text() == load_identity("card-2024")[
        "full_name"]
    assert_card_values_never_asked(kiosk)
    # the deadline by the 23:00 / 08:00 rule, shown before submitting
    deadline = kiosk.controller.session.draft.deadline()
    assert deadline is not None and deadline.hour in (23, 8)
    assert deadline.strftime("%H:%M %d/%m/%Y") in review.deadline.text.text()
    assert review.deadline.isVisible()
    # a guest who arrived after 23:00 is due by 08:00 the next morning: the note follows
    from datetime import timedelta

    from app.procedures.vntime import now_vn
    from app.ui.scripted import enter

    late = (now_vn() - timedelta(days=1)).replace(hour=23, minute=30)
    enter(form.rows["stay.arrival"].editor, late.strftime("%d/%m/%Y %H:%M"))
    morning = (late + timedelta(days=1)).replace(hour=8, minute=0)
    assert morning.strftime("08:00 %d/%m/%Y") in review.deadline.text.text()
    deadline = kiosk.controller.session.draft.deadline()
    assert (deadline.hour, deadline.date()) == (8, morning.date())

    visit.fill_form()
    code = visit.consent_and_submit()
    receipt = kiosk.window.screens[Stage.RECEIPT]
    qtbot.waitUntil(lambda: receipt.lodging.isVisible())
    assert "203" in receipt.lodging.text.text()
    # the outbox knows the legal deadline of this notification
    db = sqlite3.connect(tmp_path / "outbox.sqlite3")
    (stored,) = db.execute("select deadline from outbox where dossier_code = ?",
                           (code,)).fetchone()
    db.close()
    assert stored == pytest.approx(deadline.timestamp())
    # the register has both guests in room 203, with that deadline
    from app.lodging.register import GuestRegister

    stays = GuestRegister(tmp_path / "guests.sqlite3").in_house("203")
    assert len(stays) == 2 and all(s.deadline == deadline for s in stays)
    visit.wait_delivered(code)
    kiosk.admin.close()
    visit.finish()

    # staff: the guest register from the choose screen, then a check-out
    click(kiosk.window, "startButton")
    visit.at(Stage.CHOOSE)
    click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
    assert staff, "the register is for staff only"
    visit.at(Stage.STAYS)
    screen = kiosk.window.screens[Stage.STAYS]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2)
    assert screen.table.item(0, 0).text() == "203"
    click(screen, f"checkOut:{stays[0].id}")
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    assert GuestRegister(tmp_path / "guests.sqlite3").get(stays[0].id).checked_out
    click(screen, "backButton")
    visit.at(Stage.ATTRACT)


def test_lodging_staff_list_warns_of_missed_deadlines(qtbot, make_kiosk, tmp_path, staff):
    from datetime import timedelta

    from app.lodging.register import Guest, GuestRegister
    from app.procedures.vntime import now_vn

    GuestRegister(tmp_path / "guests.sqlite3").check_in(
        "305", [Guest("Khách Thử", id_number="001090012345")],
        arrival=now_vn() - timedelta(days=2))
    kiosk = make_kiosk("lodging")
    click(kiosk.window, "startButton")
    click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
    screen = kiosk.window.screens[Stage.STAYS]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    assert "Phòng 305: đã quá hạn" in screen.warnings.text()
    assert "⛔" in screen.table.item(0, 3).text()


def test_lodging_register_needs_staff(qtbot, make_kiosk, monkeypatch):
    monkeypatch.setattr(operator_check, "ask_operator", lambda parent: False)
    kiosk = make_kiosk("lodging")
    click(kiosk.window, "startButton")
    click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
    assert kiosk.controller.stage is Stage.CHOOSE


def test_lodging_foreign_guests_by_passport(qtbot, make_kiosk):
    kiosk = make_kiosk("lodging")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("lodging_residence_notification")
    present = kiosk.window.screens[Stage.PRESENT]
    assert present.passport_toggle.isVisible() and not present.passport.isVisible()
    click(present, "passportButton")
    assert present.passport.isVisible()
    # a wrong passport number is refused before any chip is touched
    from app.ui.scripted import find, type_text
    type_text(find(present, "passportNumber"), "??")
    click(present, "passportReadChip")
    assert "hộ chiếu" in present.notice.text()
    assert kiosk.controller.session.access is None

    # the MRZ key typed (the simulated card's own MRZ values) opens the chip with BAC
    visit.present_passport("card-2024")
    visit.at(Stage.REVIEW)
    draft = kiosk.controller.session.draft
    person = load_identity("card-2024")
    assert draft.raw("guests[0].kind") == "foreigner"
    assert draft.raw("guests[0].passport_number") == person["id_number"][-9:]
    assert draft.value("guests[0].full_name").source.proven_by_card
    assert review_of(kiosk).form.rows["guests[0].passport_number"].read_only
    # another foreign guest, no chip: the typed details fill the form
    visit.add_person()
    visit.present_passport("mother-2021", chip=False)
    visit.at(Stage.REVIEW)
    assert draft.raw("guests[1].kind") == "foreigner"
    assert draft.value("guests[1].passport_number").source is Source.TYPED
    assert draft.raw("guests[1].nationality") == "Nhật Bản"
    assert "guests[1].full_name" in review_of(kiosk).form.unanswered()
    visit.fill_form()
    assert visit.consent_and_submit()


def test_lodging_passport_key_scanned_from_the_mrz(qtbot, make_kiosk):
    kiosk = make_kiosk("lodging")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("lodging_residence_notification")
    visit.at(Stage.PRESENT)
    scanner = kiosk.services.devices.scanner.impl.simulator
    scanner.scan("IDVNM<<<<BROKEN<<<<")  # a misread zone: said so, nothing opened
    present = kiosk.window.screens[Stage.PRESENT]
    qtbot.waitUntil(lambda: bool(present.notice.text()), timeout=10000)
    assert kiosk.controller.session.access is None
    # the card's own 3 x 30 zone (cccd.md), as a scanner that drops the line breaks sends it
    scanner.scan(build_mrz(load_profile(profiles_dir() / "card-2024.json")))
    qtbot.waitUntil(lambda: kiosk.controller.session.access is not None, timeout=10000)
    assert kiosk.controller.session.access.mrz.document_number == "301000123"
    kiosk.operator_panel.select("card-2024")
    visit._read_card("reading")
    visit.at(Stage.REVIEW)
    draft = kiosk.controller.session.draft
    assert draft.raw("guests[0].kind") == "foreigner"
    assert draft.raw("guests[0].passport_number") == "301000123"


def test_lodging_guest_added_by_mistake_is_removed(qtbot, make_kiosk):
    kiosk = make_kiosk("lodging")
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("lodging_residence_notification")
    visit.present_card("adult-2021")
    visit.add_person()
    visit.present_card("card-2024")
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    assert form.findChild(QWidget, "remove:guest[1]") is not None
    remove = form.findChild(QWidget, "remove:guest[0]")
    assert remove.text() == tr("FormView", "Remove this person") != "Remove this person"
    QTest.mouseClick(kiosk.window.lang_button, Qt.LeftButton)  # the button follows the switch
    qtbot.waitUntil(lambda: remove.text() == "Remove this person")
    click(form, "remove:guest[0]")
    visit.at(Stage.REVIEW)
    form = review_of(kiosk).form
    session = kiosk.controller.session
    assert session.draft.count("guests") == 1
    assert form.rows["guests[0].full_name"].editor.text() == load_identity("card-2024")[
        "full_name"]
    assert [(t.role_id, t.index) for t, _ in session.records] == [("guest", 0)]
    assert session.records[0][1].id_number == load_identity("card-2024")["id_number"]
    # the last person cannot be removed: no button any more
    assert form.findChild(QWidget, "remove:guest[0]") is None
    assert session.cards_done


def test_lodging_stay_is_marked_notified_when_delivery_comes_after_the_visit(qtbot, make_kiosk,
                                                                             tmp_path):
    from app.lodging.register import GuestRegister

    kiosk = make_kiosk("lodging")
    sync = kiosk.services.sync_service
    qtbot.waitUntil(lambda: sync in kiosk.services.started)
    sync.stop()  # offline: the notification waits in the outbox
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("lodging_residence_notification")
    visit.present_card("adult-2021")
    visit.fill_form()
    code = visit.consent_and_submit()
    register = GuestRegister(tmp_path / "guests.sqlite3")
    qtbot.waitUntil(lambda: len(register.in_house()) == 1)
    visit.finish()  # the receipt is gone before the notification is delivered
    assert register.in_house()[0].notified_at is None
    sync.start()
    kiosk.services.outbox_worker.refresh()
    qtbot.waitUntil(lambda: register.in_house()[0].notified_at is not None, timeout=20000)
    assert register.in_house()[0].notification_ref == code  # this visit's notification
