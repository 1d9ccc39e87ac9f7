"""The admin view through its widgets: devices and the printer's status, the network (endpoint
reachable, last sync), outbox counts, the oldest pending age, deadline warnings, retry, reprint,
the diagnostic bundle (no personal data after a whole simulated session), and its screenshots."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.fixtures.kiosk import make_kiosk, waiter
from tests.fixtures.logs import redacted_log_file


def click(w) -> None:
    QTest.mouseClick(w, Qt.LeftButton)


def open_admin(qtbot, app):
    app.open_admin()
    qtbot.waitUntil(app.admin.isVisible)
    return app.admin


def test_devices_printer_status_and_network(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path) as app:
        admin = open_admin(qtbot, app)
        text = admin.devices.text()
        for kind in ("Card reader", "Camera", "Scanner", "Printer"):
            assert f"{kind} (simulator): ready" in text
        qtbot.waitUntil(lambda: admin.printer_label.text() == "Printer: ready", timeout=10000)
        qtbot.waitUntil(lambda: "reachable" in admin.network.text()
                        and "not reachable" not in admin.network.text(), timeout=10000)
        qtbot.waitUntil(lambda: app.ops.last_sync_at is not None, timeout=10000)
        qtbot.waitUntil(lambda: "Last sync: not yet" not in admin.network.text(), timeout=10000)
        assert "Last sync: " in admin.network.text()
        assert "Spoken prompts turned off" in admin.speech.text()

        # what the workers see now: a reader unplugged shows at once
        qtbot.waitUntil(lambda: "1 reader(s) attached" in admin.devices.text(), timeout=10000)
        qtbot.waitUntil(lambda: "Camera (simulator): ready · working" in admin.devices.text(),
                        timeout=10000)  # the worker's state in words, not its code ("ok")
        assert "Scanner (simulator): ready · connected" in admin.devices.text()
        app.services.devices.card.impl.detach_reader()
        qtbot.waitUntil(lambda: "0 reader(s) attached" in admin.devices.text(), timeout=10000)
        app.services.devices.card.impl.attach_reader()

        simulator = app.services.devices.printer.impl.simulator
        simulator.set_status(paper_out=True, cover_open=True)
        click(admin.check_now)
        qtbot.waitUntil(lambda: "out of paper" in admin.printer_label.text(), timeout=10000)
        assert "cover open" in admin.printer_label.text()
        simulator.set_status(paper_near_end=True)
        click(admin.check_now)
        qtbot.waitUntil(lambda: admin.printer_label.text() == "Printer: paper near end",
                        timeout=10000)


def test_endpoint_down_is_shown(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path, "sync.embedded_endpoint=false",
                    "sync.endpoint_url=http://127.0.0.1:9") as app:
        admin = open_admin(qtbot, app)
        qtbot.waitUntil(lambda: "not reachable" in admin.network.text(), timeout=10000)


def own_outbox(app):
    from app.outbox import Outbox

    cfg = app.cfg
    return Outbox.open(cfg.path("outbox.path", "outbox.sqlite3"),
                       cfg.path("outbox.key_file", "outbox.key"))


def test_outbox_counts_deadlines_and_retry(qtbot, tmp_path):
    with make_kiosk(qtbot, tmp_path, "lodging.warn_minutes_before_deadline=60") as app:
        qtbot.waitUntil(lambda: app.services.sync_service.running, timeout=10000)
        app.services.sync_service.stop()  # the items stay where this test puts them
        ob = own_outbox(app)
        now = datetime.now(timezone.utc)
        late = ob.submit("lodging_residence_notification", {"room": "1"},
                         deadline=now - timedelta(minutes=5)).dossier_code
        soon = ob.submit("lodging_residence_notification", {"room": "2"},
                         deadline=now + timedelta(minutes=30)).dossier_code
        later = ob.submit("lodging_residence_notification", {"room": "3"},
                          deadline=now + timedelta(hours=5)).dossier_code
        rejected = ob.submit("hospital_bhyt_checkin", {"x": "1"}).dossier_code
        claims = ob.claim(10)
        assert len(claims) == 4
        for c in claims:  # one refused; the others back to the queue, as after a 503
            if c.dossier_code == rejected:
                ob.mark_rejected(c, "bad_payload")
            else:
                ob.mark_retry(c, "http_503")
        ob.close()

        admin = open_admin(qtbot, app)
        admin.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: admin.state_of(rejected) == "rejected", timeout=10000)
        assert "rejected: 1" in admin.counts.text()
        assert "waiting to be sent: 3" in admin.counts.text()
        qtbot.waitUntil(lambda: "Oldest dossier waiting" in admin.oldest.text())
        warn = admin.deadlines.text()
        assert f"{late}: deadline PASSED" in warn
        assert f"{soon}: deadline at" in warn and "minute" in warn
        assert later not in warn

        # retry: only a held or rejected dossier can be sent again
        admin.select_dossier(soon)
        assert not admin.retry.isEnabled()
        admin.select_dossier(rejected)
        assert admin.retry.isEnabled()
        click(admin.retry)
        qtbot.waitUntil(lambda: admin.state_of(rejected) == "queued", timeout=10000)
        assert admin.retry_message.text() == f"{rejected} is queued to be sent again"
        # the refreshed outbox keeps the selection, and the button follows its new state
        assert admin._selected_code() == rejected
        assert not admin.retry.isEnabled()


def test_reprint_from_the_print_journal(qtbot, tmp_path):
    from app.printing import sample_receipt

    with make_kiosk(qtbot, tmp_path) as app:
        printer = app.services.printer_worker
        simulator = app.services.devices.printer.impl.simulator
        simulator.set_status(paper_out=True)
        with qtbot.waitSignal(printer.print_failed, timeout=30000) as failed:
            printer.print_document(sample_receipt())
        entry_id = failed.args[0]

        admin = open_admin(qtbot, app)
        admin.tabs.setCurrentIndex(2)
        admin.select_entry(entry_id)
        assert admin.journal.item(0, 2).text() == "failed"
        assert admin.journal.item(0, 3).text() == "out of paper"  # in words, not its code
        assert admin.reprint.isEnabled()
        simulator.set_status()
        with qtbot.waitSignal(printer.printed, timeout=30000):
            click(admin.reprint)
        qtbot.waitUntil(lambda: admin.print_message.text() == "Printed")
        assert admin.journal.item(0, 2).text() == "printed"
        assert len(simulator.receipts) == 1


def test_diagnostic_bundle_holds_no_personal_data(qtbot, tmp_path):
    from app.ui.scripted import load_identity, run_visit

    with redacted_log_file(tmp_path / "logs" / "kiosk.log") as handler:
        with make_kiosk(qtbot, tmp_path, "admin.pin_hash=scrypt$1$1$1$00$00") as app:
            code = run_visit(app, "hospital_bhyt_checkin", ["adult-2021"], wait=waiter(qtbot))
            # a careless line with the person's data, written after the session was wiped
            # (the session's own masks are gone): the bundle's scan must still catch the
            # ID number, the dates, the phone
            person = load_identity("adult-2021")
            handler.stream.write(f"stray {person['id_number']} {person['birth_date']} "
                                 f"0912345678\n")
            handler.flush()
            admin = open_admin(qtbot, app)
            admin.tabs.setCurrentIndex(3)
            admin.diag_folder.setText(str(tmp_path / "support"))
            click(admin.make_bundle)
            qtbot.waitUntil(lambda: admin.last_bundle is not None, timeout=20000)
            assert admin.diag_result.text().startswith("Saved: ")
            bundle = admin.last_bundle

    assert bundle.parent == tmp_path / "support"
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        text = {n: zf.read(n).decode("utf-8") for n in names}
    assert {"version.json", "config.toml", "devices.json", "outbox.json", "print-journal.json",
            "manifest.json", "logs/kiosk.log"} <= names
    assert code in text["outbox.json"]  # metadata is there: the dossier code, its state
    assert "session started" in text["logs/kiosk.log"]
    assert "scrypt$" not in text["config.toml"] and "[set, masked]" in text["config.toml"]
    d = person["birth_date"]
    secrets = [person["id_number"], person["full_name"], person["place_of_residence"], d,
               f"{d[8:10]}/{d[5:7]}/{d[0:4]}", f"{d[8:10]}{d[5:7]}{d[0:4]}", "0912345678",
               person["id_number"][-6:]]
    for key in ("place_of_origin", "father_name", "mother_name"):
        if person.get(key):
            secrets.append(person[key])
    for name, body in text.items():
        for secret in secrets:
            assert secret not in body, f"personal data in {name}"


def test_admin_screenshots(qtbot, tmp_path):
    """Every admin tab and the PIN dialog as PNGs (make screenshots writes docs/screenshots)."""
    with make_kiosk(qtbot, tmp_path) as app:
        admin = open_admin(qtbot, app)
        qtbot.waitUntil(lambda: admin.printer_label.text() == "Printer: ready", timeout=10000)
        saved = admin.save_screenshots(tmp_path)
    assert [p.name for p in saved] == ["admin-status.png", "admin-outbox.png",
                                       "admin-printing.png", "admin-diagnostics.png",
                                       "admin-pin.png"]
    for p in saved:
        assert p.stat().st_size > 2000
