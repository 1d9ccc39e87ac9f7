"""The guest register learns from the outbox which notifications were delivered (LodgingFlow):
each delivered notification is looked up until it is settled, and no longer after that."""

import threading
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QThreadPool

from app import config
from app.identity.model import IdentityRecord, Source
from app.lodging import Guest, GuestRegister
from app.outbox.store import OutboxItem
from app.procedures import FormDraft, load_catalog
from app.procedures.vntime import VN_TZ
from app.ui.family_flows import LodgingFlow

LODGING = "lodging_residence_notification"
T0 = datetime(2026, 11, 23, 14, 0, tzinfo=VN_TZ)


@pytest.fixture
def flow(qtbot, tmp_path):
    controller = SimpleNamespace(cfg=config.load(overrides=[f"kiosk.data_dir={tmp_path}"]),
                                 lang="vi", session=None,
                                 services=SimpleNamespace(outbox_worker=None,
                                                          catalog=load_catalog()))
    return LodgingFlow(controller)


@pytest.fixture
def lookups(monkeypatch):
    """The references the register is asked about, in order."""
    seen: list[str] = []
    real = GuestRegister.mark_notified_by_reference

    def counting(self, reference, **kw):
        seen.append(reference)
        return real(self, reference, **kw)

    monkeypatch.setattr(GuestRegister, "mark_notified_by_reference", counting)
    return seen


def delivered(*codes: str, procedure: str = LODGING) -> list[OutboxItem]:
    return [OutboxItem(code, procedure, "delivered", None, T0, T0, 1, None, None)
            for code in codes]


def snapshot(qtbot, flow, items) -> int:
    """Hand the flow an outbox snapshot; how many of its notifications had stays."""
    with qtbot.waitSignal(flow.notifications_recorded, timeout=5000) as blocker:
        flow.on_outbox_snapshot(items, {})
    return blocker.args[0]


def test_a_notification_without_stays_is_looked_up_once(qtbot, flow, lookups, tmp_path):
    register = GuestRegister(tmp_path / "guests.sqlite3")
    stay = register.check_in("101", [Guest("Khách Một", id_number="001090012345")],
                             notification_ref="HS-A")[0]
    # HS-B: delivered, but its check-in failed (no stays will ever carry it)
    assert snapshot(qtbot, flow, delivered("HS-A", "HS-B")) == 1
    assert register.get(stay.id).notified_at is not None
    register.check_in("102", [Guest("Khách Hai", id_number="079301000123")],
                      notification_ref="HS-C")
    assert snapshot(qtbot, flow, delivered("HS-A", "HS-B", "HS-C")) == 1
    assert lookups == ["HS-A", "HS-B", "HS-C"]  # neither HS-A nor HS-B asked about again


def test_other_procedures_and_undelivered_notifications_are_not_looked_up(qtbot, flow,
                                                                          lookups):
    items = delivered("HS-H", procedure="hospital_bhyt_checkin") + [
        OutboxItem("HS-Q", LODGING, "queued", None, T0, T0, 0, None, None)]
    flow.on_outbox_snapshot(items, {})  # nothing to look up: no work started
    assert snapshot(qtbot, flow, items + delivered("HS-D")) == 0
    assert lookups == ["HS-D"]


@pytest.fixture
def two_pool_threads():
    """The held check-in below takes one of Qt's pool threads and the lookup needs another:
    a one-core machine has only one by default."""
    pool = QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(max(2, before))
    yield
    pool.setMaxThreadCount(before)


def test_a_notification_delivered_while_its_check_in_is_written_is_looked_up_again(
        qtbot, flow, lookups, monkeypatch, tmp_path, two_pool_threads):
    release = threading.Event()
    real = GuestRegister.check_in_from_draft

    def slow(self, draft, **kw):
        assert release.wait(10)
        return real(self, draft, **kw)

    monkeypatch.setattr(GuestRegister, "check_in_from_draft", slow)
    draft = FormDraft(load_catalog().get(LODGING), clock=lambda: T0)
    draft.apply_identity("guest", IdentityRecord(
        source=Source.CHIP, id_number="079195001234", full_name="Trần Thị Bình",
        birth_date=date(1995, 4, 2), sex="Nữ", place_of_residence="Phường Bến Thành, TP HCM"))
    draft.set("stay.room", "101")
    session = SimpleNamespace(procedure=load_catalog().get(LODGING), draft=draft)
    flow.c.session = session
    flow.submitted(session, SimpleNamespace(dossier_code="HS-E"))
    assert snapshot(qtbot, flow, delivered("HS-E")) == 0  # the stays are not written yet
    with qtbot.waitSignal(flow.checked_in, timeout=5000):
        release.set()
    assert snapshot(qtbot, flow, delivered("HS-E")) == 1
    assert lookups == ["HS-E", "HS-E"]
    [stay] = GuestRegister(tmp_path / "guests.sqlite3").in_house()
    assert stay.notification_ref == "HS-E" and stay.notified_at is not None


def test_the_staff_list_shows_a_notification_delivered_while_it_is_open(qtbot, tmp_path,
                                                                       monkeypatch):
    from app.ui import operator_check
    from app.ui.controller import Stage
    from app.ui.scripted import click
    from tests.fixtures.kiosk import make_kiosk

    monkeypatch.setattr(operator_check, "ask_operator", lambda parent: True)  # staff
    GuestRegister(tmp_path / "guests.sqlite3").check_in(
        "305", [Guest("Khách Thử", id_number="001090012345")], notification_ref="HS-F")
    with make_kiosk(qtbot, tmp_path, "kiosk.profile=lodging") as kiosk:
        click(kiosk.window, "startButton")
        click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
        table = kiosk.window.screens[Stage.STAYS].table
        qtbot.waitUntil(lambda: table.rowCount() == 1)
        assert table.item(0, 3).text() != "notified"
        kiosk.controller.flows.lodging.on_outbox_snapshot(delivered("HS-F"), {})
        qtbot.waitUntil(lambda: table.item(0, 3).text() == "notified")  # no Refresh pressed


def test_staff_see_a_visit_the_register_could_not_take(qtbot, tmp_path, monkeypatch):
    """The guest's notification is queued for the police, but the register write failed (a
    disk error, say): the staff list says which visit, until staff mark it seen."""
    import sqlite3

    from app.ui import operator_check
    from app.ui.controller import Stage
    from app.ui.scripted import ScriptedVisit, click
    from tests.fixtures.kiosk import make_kiosk, waiter

    def broken(self, draft, **kw):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(GuestRegister, "check_in_from_draft", broken)
    monkeypatch.setattr(operator_check, "ask_operator", lambda parent: True)  # staff
    with make_kiosk(qtbot, tmp_path, "kiosk.profile=lodging") as kiosk:
        visit = ScriptedVisit(kiosk, waiter(qtbot))
        visit.start(LODGING)
        visit.present_card("adult-2021")
        visit.fill_form()
        code = visit.consent_and_submit()
        flow = kiosk.controller.flows.lodging
        qtbot.waitUntil(lambda: [c for c, _ in flow.unrecorded] == [code])
        visit.finish()
        click(kiosk.window, "startButton")
        click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
        screen = kiosk.window.screens[Stage.STAYS]
        visit.at(Stage.STAYS)
        assert screen.unrecorded.isVisible() and code in screen.unrecorded.text()
        assert "Enter these guests in your register yourself" in screen.unrecorded.text()
        click(screen, "unrecordedSeenButton")
        assert not screen.unrecorded.isVisible() and flow.unrecorded == []
        assert code in [i.dossier_code for i in kiosk.services.outbox_worker.outbox.items()]
