"""The idle timeout through the widgets: a visible countdown, then the session is wiped from the
screens (typed card number, form, face, receipt), from memory (session, draft, identity records,
log masks) and from disk (no file in DATA_DIR holds the person, except the simulator's embedded
endpoint database, which stands for the remote service and receives the submission by design).

The countdown's tick is shortened through the controller's idle QTimer (IDLE_TICK_MS in the
controller; the test sets the running timer's interval directly)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app import logs
from app.session import Stage
from app.ui.scripted import enter, load_identity, type_text
from tests.fixtures.kiosk import make_kiosk, waiter

ENDPOINT_DB = "endpoint.sqlite3"  # the simulated remote service: holds payloads by design


def fast_idle(app, tick_ms: int = 20) -> None:
    app.controller._idle.setInterval(tick_ms)
    app.controller.touch()


def files_holding(folder: Path, needles: list[bytes], skip=(ENDPOINT_DB,)) -> list[str]:
    found = []
    for f in folder.rglob("*"):
        if not f.is_file() or f.name.startswith(skip):
            continue
        data = f.read_bytes()
        found += [f"{f.name}: {n[:12]!r}" for n in needles if n and n in data]
    return found


def test_idle_countdown_then_wipe_on_the_review_screen(qtbot, tmp_path):
    from app.ui.scripted import ScriptedVisit

    started = time.time()
    with make_kiosk(qtbot, tmp_path, "kiosk.idle_timeout_seconds=10") as app:
        c, window = app.controller, app.window
        visit = ScriptedVisit(app, waiter(qtbot))
        visit.start("hospital_bhyt_checkin")
        visit.at(Stage.PRESENT)
        person = load_identity("adult-2021")
        present = window.screens[Stage.PRESENT]
        type_text(present.number, person["id_number"])  # begun typing, then showed the QR
        visit.present_card("adult-2021")
        visit.at(Stage.REVIEW)
        review, reading = window.screens[Stage.REVIEW], window.screens[Stage.READING]
        enter(review.form.rows["patient.phone"].editor, "0912345678")
        draft = c.session.draft
        assert review.form.rows["patient.id_number"].editor.text() == person["id_number"]
        assert not reading.face.pixmap().isNull()  # the chip's portrait was shown
        records = [r for _, r in c.session.records]
        face = records[0].face_jpeg
        assert face and records[0].full_name == person["full_name"]
        assert logs.redact(person["full_name"]) == "[redacted]"  # masked while the visit runs

        # the countdown shows, in words, with the seconds left
        with qtbot.waitSignal(c.idle_warning, check_params_cb=lambda s: s > 0, timeout=5000):
            fast_idle(app)
        assert window.idle_banner.isVisible()
        assert "second" in window.idle_banner.text()
        assert any(ch.isdigit() for ch in window.idle_banner.text())

        # a touch puts it off
        QTest.mouseClick(review, Qt.LeftButton)
        assert not window.idle_banner.isVisible()
        assert c.stage is Stage.REVIEW

        # then nobody touches: wiped, back to the attract screen
        qtbot.waitUntil(lambda: c.stage is Stage.ATTRACT, timeout=5000)
        assert c.session is None and c.last_result is None
        assert not window.idle_banner.isVisible()
        assert review.form is None
        assert present.number.text() == ""
        assert reading.face.pixmap().isNull()
        assert draft.raw("patient.phone") is None and draft.raw("patient.full_name") is None
        for r in records:
            assert r.id_number == "" and r.full_name == "" and r.face_jpeg is None
        assert logs.redact(person["full_name"]) == person["full_name"]  # masks forgotten

        needles = [person["id_number"].encode(), person["full_name"].encode(),
                   person["place_of_residence"].encode(), face[200:264]]
        assert files_holding(tmp_path, needles) == []
    # nothing of the person's in a new temporary file either
    tmp = Path(tempfile.gettempdir())
    new = [f for f in tmp.iterdir() if f.is_file() and f.stat().st_mtime >= started]
    for f in new:
        try:
            data = f.read_bytes()[:5_000_000]
        except OSError:
            continue
        assert person["id_number"].encode() not in data and face[200:264] not in data


def test_idle_on_the_receipt_clears_it(qtbot, tmp_path):
    from app.ui.scripted import ScriptedVisit

    with make_kiosk(qtbot, tmp_path, "kiosk.idle_timeout_seconds=10") as app:
        visit = ScriptedVisit(app, waiter(qtbot))
        visit.start("hospital_bhyt_checkin")
        visit.present_card("adult-2021")
        visit.fill_form()
        code = visit.consent_and_submit()
        receipt = app.window.screens[Stage.RECEIPT]
        assert receipt.code.text() == code and not receipt.qr.pixmap().isNull()
        fast_idle(app)
        qtbot.waitUntil(lambda: app.controller.stage is Stage.ATTRACT, timeout=5000)
        assert receipt.code.text() == "" and receipt.qr.pixmap().isNull()
        assert receipt.status.text() == ""
        # what stays on disk, and why it holds no personal data: the outbox (encrypted
        # payload, metadata), the print journal and simulated receipts (dossier code,
        # procedure, time, agencies), logs (redacted)
        person = load_identity("adult-2021")
        assert files_holding(tmp_path, [person["id_number"].encode(),
                                        person["full_name"].encode()]) == []


def test_idle_on_the_choose_screen_goes_back_to_attract(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path, "kiosk.idle_timeout_seconds=10") as app:
        QTest.mouseClick(app.window.findChild(object, "startButton"), Qt.LeftButton)
        assert app.controller.stage is Stage.CHOOSE
        fast_idle(app)
        qtbot.waitUntil(lambda: app.controller.stage is Stage.ATTRACT, timeout=5000)
        # the attract screen has no countdown
        assert not app.controller._idle.isActive()
