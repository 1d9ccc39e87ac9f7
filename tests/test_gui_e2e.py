"""The whole kiosk end to end on simulators, through the real widgets (pytest-qt): attract,
choose, present the card (QR to the camera, card on the reader), reading, review, consent,
submit, receipt; the submission in the SQLite outbox, delivered by the sync worker to the
embedded reference endpoint, shown delivered in the admin view.

And the log test: a whole simulated session, then every log line is searched for the person.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from PySide6.QtCore import Qt

from app import config
from app.session import Stage
from app.ui.scripted import load_identity
from tests.fixtures.kiosk import waiter
from tests.fixtures.logs import redacted_log_file


def observe_threads(kiosk) -> set:
    """The threads on which the controller takes a card's key (from a QR code): a direct
    connection runs on whichever thread emits the signal."""
    seen: set = set()
    kiosk.controller.access_changed.connect(lambda: seen.add(threading.current_thread()),
                                            Qt.DirectConnection)
    return seen


def test_hospital_check_in_end_to_end(qtbot, kiosk, tmp_path):
    from app.ui.scripted import ScriptedVisit

    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    handled_on = observe_threads(kiosk)
    visit.present_card("adult-2021")
    assert handled_on == {threading.main_thread()}  # the camera's code, on the GUI thread
    person = load_identity("adult-2021")

    # the review shows the chip's values, locked, and asks only for what the card cannot give
    review = kiosk.window.screens[Stage.REVIEW]
    id_field = review.form.rows["patient.id_number"].editor
    assert id_field.text() == person["id_number"]
    assert id_field.isReadOnly()
    assert review.form.rows["patient.full_name"].editor.text() == person["full_name"]
    asked = review.form.unanswered()
    assert "patient.id_number" not in asked and "patient.full_name" not in asked
    assert "patient.phone" in asked

    # continuing with a required field empty is refused, with the message at the field
    from app.ui.scripted import click
    click(review, "continueButton")
    assert kiosk.controller.stage is Stage.REVIEW
    assert review.form.rows["patient.phone"].error.text()

    visit.fill_form()
    code = visit.consent_and_submit()
    assert code
    assert kiosk.window.screens[Stage.RECEIPT].code.text() == code

    # durably in the outbox file, with the personal payload encrypted at rest
    db = sqlite3.connect(tmp_path / "outbox.sqlite3")
    dump = "\n".join(str(row) for table in
                     [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
                     for row in db.execute(f"select * from {table}"))
    db.close()
    assert code in dump
    assert person["full_name"] not in dump and person["id_number"] not in dump

    visit.wait_delivered(code)
    kiosk.admin.close()
    visit.finish()
    # the session is wiped: no screen holds the person any more
    assert kiosk.controller.session is None
    assert review.form is None
    assert kiosk.window.screens[Stage.RECEIPT].code.text() == ""


def test_no_personal_data_in_any_log(qtbot, kiosk, tmp_path, caplog):
    from app.ui.scripted import run_visit

    caplog.set_level(logging.DEBUG)
    log_file = tmp_path / "all.log"
    with redacted_log_file(log_file):
        run_visit(kiosk, "hospital_bhyt_checkin", ["adult-2021"], wait=waiter(qtbot))
    person = load_identity("adult-2021")
    written = log_file.read_text(encoding="utf-8")
    assert "session started" in written and "submission queued" in written
    secrets = [person["id_number"], person["full_name"], person["place_of_residence"],
               person["birth_date"], person["id_number"][-6:]]
    d = person["birth_date"]
    secrets += [f"{d[8:10]}/{d[5:7]}/{d[0:4]}", f"{d[8:10]}{d[5:7]}{d[0:4]}"]
    for secret in secrets:
        assert secret not in written, "personal data reached the log file"
    # caplog sees records before the handlers' filters: the call sites themselves must be clean
    raw = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets[:3]:
        assert secret not in raw, "a call site logged personal data"


def test_missing_camera_leaves_the_kiosk_running(qtbot, tmp_path):
    from app.ui.application import KioskApplication

    cfg = config.load(None, simulate=True, overrides=[
        f"kiosk.data_dir={tmp_path}", "camera.driver=opencv", "camera.device=/dev/no-such-camera",
        "kiosk.profile=hospital"])
    app = KioskApplication(cfg)
    qtbot.addWidget(app.window)
    try:
        app.show()
        assert app.window.isVisible()
        app.open_admin()
        qtbot.waitUntil(lambda: "Camera" in app.admin.devices.text())
        assert app.controller.stage is Stage.ATTRACT
    finally:
        sync = app.services.sync_service
        app.shutdown()
    # shut down while the outbox was still opening: its late "opened" must not start the sync
    # thread, which would outlive the kiosk
    qtbot.wait(300)
    assert not sync.running


def test_hand_scanner_gives_the_key_to_the_chip(qtbot, kiosk):
    """The hospital desk's hand-held scanner (serial, on a pty) instead of the camera."""
    from app.identity.model import Source
    from app.ui.scripted import ScriptedVisit, click

    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.at(Stage.PRESENT)
    qtbot.waitUntil(lambda: kiosk.services.scanner_worker.state == "ready")
    handled_on = observe_threads(kiosk)
    kiosk.operator_panel.select("adult-2021")
    click(kiosk.operator_panel, "simScanQr")
    qtbot.waitUntil(lambda: kiosk.controller.session.access is not None, timeout=10000)
    assert handled_on == {threading.main_thread()}  # the scanner's code, on the GUI thread
    assert kiosk.controller.session.access.qr_record.source is Source.SCANNER
    assert kiosk.controller.session.access.id_number == load_identity("adult-2021")["id_number"]
    visit.present_card("adult-2021", via_qr=False)
    review = kiosk.window.screens[Stage.REVIEW]
    assert review.form.rows["patient.full_name"].editor.text() == load_identity("adult-2021")["full_name"]


def test_a_print_failure_reaches_the_receipt_screen_on_the_gui_thread(qtbot, tmp_path,
                                                                       monkeypatch):
    from app.printing import sample_receipt
    from app.ui.screens.receipt import ReceiptScreen
    from tests.fixtures.kiosk import make_kiosk

    seen: set = set()
    shown = ReceiptScreen._show_print_error

    def spy(self, words):
        seen.add(threading.current_thread())
        shown(self, words)

    monkeypatch.setattr(ReceiptScreen, "_show_print_error", spy)
    with make_kiosk(qtbot, tmp_path) as app:
        app.services.devices.printer.impl.simulator.set_status(paper_out=True)
        receipt = app.window.screens[Stage.RECEIPT]
        app.services.printer_worker.print_document(sample_receipt())
        qtbot.waitUntil(lambda: receipt.print_error.text() != "", timeout=30000)
    assert seen == {threading.main_thread()}  # not the printer worker's thread
