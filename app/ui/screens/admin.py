"""The admin view, for staff and technicians. Four tabs:

- Status: each device (reader, camera, scanner, printer with its paper/cover/offline status),
  the network (endpoint reachable, last sync, last heartbeat), spoken prompts; "sync now".
- Outbox: counts by state, the oldest pending item's age, deadline warnings (lodging
  notifications near or past their legal deadline), each dossier's state; retry a held or
  rejected dossier.
- Printing: the print journal; reprint a receipt or ticket.
- Diagnostics: a zip for support without personal data (app/diagnostics.py).

Reached through the admin PIN (app/ui/kiosk_mode.py) and, in simulator mode, from the operator
panel. Shows no personal data: the outbox lists metadata only, the journal no documents.
Every slow call (printer status, endpoint check, bundle) runs off the main thread.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

import shiboken6

from app import messages
from app.procedures.vntime import local_text
from app.ui.screens.base import button, label, pick
from app.ui.tasks import run_in_background

COLUMNS = ("dossier_code", "procedure_id", "state", "agency_status", "attempts", "created_at",
           "deadline", "last_error")
JOURNAL_COLUMNS = ("created_at", "kind", "state", "reason", "attempts", "id")
ROW_PX = 52  # table rows are touch targets too (>= 9 mm)
RETRYABLE = ("held", "rejected")

ADMIN_STYLE = """
QTabBar::tab { min-height: 56px; min-width: 180px; padding: 0 20px; font-size: 22px; }
QTableWidget { font-size: 18px; }
QLabel[role="section"] { font-size: 24px; font-weight: bold; }
"""


def _table(columns: int, name: str) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setObjectName(name)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.verticalHeader().setDefaultSectionSize(ROW_PX)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class AdminView(QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.setObjectName("adminView")
        self.controller = controller
        self.services = controller.services
        self.ops = None  # app.ui.kiosk_mode.Ops, attached by install()
        self.setWindowTitle("vn-kiosk admin")
        self.setStyleSheet(ADMIN_STYLE)
        self.resize(1200, 800)
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = label("title")
        head.addWidget(self.title, 1)
        self.exit_kiosk = button(role="danger", name="exitKioskButton")
        self.exit_kiosk.clicked.connect(self._exit_kiosk)
        self.close_ = button(name="closeAdminButton")
        self.close_.clicked.connect(self.close)
        head.addWidget(self.exit_kiosk)
        head.addWidget(self.close_)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        lay.addWidget(self.tabs, 1)
        self._build_status()
        self._build_outbox()
        self._build_printing()
        self._build_diagnostics()

        self.items: list = []
        self.outbox_counts: dict = {}
        self.health: dict = {}
        # the result lines of staff actions (retry, reprint, bundle): label -> its text in the
        # current language, written again by retranslate
        self.notes: dict[QLabel, Callable[[], str]] = {}
        self.printer_state: tuple[str, Any] = ("unknown", None)
        self.endpoint_state: str = "unknown"
        ob = self.services.outbox_worker
        ob.snapshot.connect(self.show_snapshot)
        ob.health.connect(self.show_health)
        ob.retried.connect(self._retried)
        if self.services.sync_bridge is not None:
            self.services.sync_bridge.report.connect(self._on_sync_report)
        for worker, signal in ((self.services.card_worker, "readers_changed"),
                               (self.services.camera_worker, "camera_state"),
                               (self.services.scanner_worker, "state_changed")):
            if worker is not None and hasattr(worker, signal):
                getattr(worker, signal).connect(self._show_devices)
        pw = self.services.printer_worker
        if pw is not None:
            pw.printed.connect(self._printed)
            pw.print_failed.connect(self._print_failed)
        self.retranslate()

    # -- building ----------------------------------------------------------------------------------
    def _page(self, name: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        page.setObjectName(name)
        lay = QVBoxLayout(page)
        lay.setSpacing(12)
        self.tabs.addTab(page, "")
        return page, lay

    def _build_status(self) -> None:
        _, lay = self._page("adminStatusTab")
        self.devices_title = label("section")
        self.devices = QLabel()
        self.devices.setObjectName("adminDevices")
        self.devices.setWordWrap(True)
        self.printer_label = label(text="")
        self.printer_label.setObjectName("adminPrinterStatus")
        self.network_title = label("section")
        self.network = label()
        self.network.setObjectName("adminNetwork")
        self.speech = label()
        self.speech.setObjectName("adminSpeech")
        for w in (self.devices_title, self.devices, self.printer_label, self.network_title,
                  self.network, self.speech):
            lay.addWidget(w)
        lay.addStretch(1)
        row = QHBoxLayout()
        self.check_now = button(role="secondary", name="checkNowButton")
        self.check_now.clicked.connect(self.check_now_clicked)
        self.sync_now = button(role="secondary", name="syncNowButton")
        self.sync_now.clicked.connect(self._sync_now)
        row.addWidget(self.check_now)
        row.addWidget(self.sync_now)
        row.addStretch(1)
        lay.addLayout(row)

    def _build_outbox(self) -> None:
        _, lay = self._page("adminOutboxTab")
        self.counts = QLabel()
        self.counts.setObjectName("adminCounts")
        self.oldest = label()
        self.oldest.setObjectName("adminOldest")
        self.deadlines = label("error")
        self.deadlines.setObjectName("adminDeadlines")
        self.table = _table(len(COLUMNS), "outboxTable")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        for w in (self.counts, self.oldest, self.deadlines):
            lay.addWidget(w)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.retry = button(role="secondary", name="retryButton")
        self.retry.clicked.connect(self._retry)
        self.retry.setEnabled(False)
        self.retry_message = label()
        self.retry_message.setObjectName("retryMessage")
        row.addWidget(self.retry)
        row.addWidget(self.retry_message, 1)
        lay.addLayout(row)

    def _build_printing(self) -> None:
        _, lay = self._page("adminPrintingTab")
        self.journal_hint = label("hint")
        self.journal = _table(len(JOURNAL_COLUMNS), "journalTable")
        self.journal.itemSelectionChanged.connect(self._selection_changed)
        lay.addWidget(self.journal_hint)
        lay.addWidget(self.journal, 1)
        row = QHBoxLayout()
        self.reprint = button(role="secondary", name="reprintButton")
        self.reprint.clicked.connect(self._reprint)
        self.reprint.setEnabled(False)
        self.print_message = label()
        self.print_message.setObjectName("printMessage")
        row.addWidget(self.reprint)
        row.addWidget(self.print_message, 1)
        lay.addLayout(row)

    def _build_diagnostics(self) -> None:
        _, lay = self._page("adminDiagnosticsTab")
        self.diag_hint = label("hint")
        lay.addWidget(self.diag_hint)
        row = QHBoxLayout()
        self.diag_folder = QLineEdit(str(self.controller.cfg.data_dir / "diagnostics"))
        self.diag_folder.setObjectName("diagnosticsFolder")
        self.choose_folder = button(role="secondary", name="chooseFolderButton")
        self.choose_folder.clicked.connect(self._choose_folder)
        row.addWidget(self.diag_folder, 1)
        row.addWidget(self.choose_folder)
        lay.addLayout(row)
        self.make_bundle = button(name="diagnosticsButton")
        self.make_bundle.clicked.connect(self.create_bundle)
        lay.addWidget(self.make_bundle, 0, Qt.AlignLeft)
        self.diag_result = label()
        self.diag_result.setObjectName("diagnosticsResult")
        self.diag_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.diag_result)
        lay.addStretch(1)
        self.last_bundle: Path | None = None

    def attach(self, ops) -> None:
        self.ops = ops
        self.retranslate()

    # -- showing -----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._show_devices()
        self._show_network()
        self._show_journal()
        self.check_now_clicked()
        super().showEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.ops is not None:
            self.ops.admin_closed()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def lang(self) -> str:
        return self.controller.lang

    def _show_devices(self, *_changed: Any) -> None:
        live = self.ops.live_states() if self.ops is not None else {}
        card_worker = self.services.card_worker
        lines = []
        for dev in self.services.devices.all():
            state = self.tr("ready") if dev.available else self.tr("unavailable: %s") % dev.error
            kind = self._device_names().get(dev.kind, dev.kind)
            sim = " " + self.tr("(simulator)") if dev.simulated else ""
            now = live.get(dev.kind, "")
            now = self._live_words().get(now, now)  # the workers' state codes, in words
            if dev.kind == "card" and card_worker is not None:
                now = self.tr("%n reader(s) attached", "", card_worker.reader_count)
            lines.append(f"{kind}{sim}: {state}" + (f" · {now}" if now else ""))
        self.devices.setText("\n".join(lines))
        self._show_printer()

    def _device_names(self) -> dict[str, str]:
        return {"card": self.tr("Card reader"), "camera": self.tr("Camera"),
                "scanner": self.tr("Scanner"), "printer": self.tr("Printer")}

    def _live_words(self) -> dict[str, str]:
        """The camera's and the scanner's worker states (the heartbeat sends the codes)."""
        return {"ok": self.tr("working"), "ready": self.tr("connected"),
                "starting": self.tr("starting"), "unavailable": self.tr("not connected"),
                "reconnecting": self.tr("reconnecting"), "no_picture": self.tr("no picture")}

    def _journal_words(self) -> dict[str, str]:
        """The print journal's codes (document kind, state, why it failed), in words."""
        return {"receipt": self.tr("receipt"), "ticket": self.tr("queue ticket"),
                "test": self.tr("test page"), "pending": self.tr("printing"),
                "printed": self.tr("printed"), "failed": self.tr("failed"),
                "printer_error": self.tr("printer error"),
                "printer_not_ready": self.tr("printer not ready"),
                "printer_timeout": self.tr("no answer"),
                "device_unavailable": self.tr("not connected"), **self._printer_words()}

    def _printer_words(self) -> dict[str, str]:
        return {"paper_out": self.tr("out of paper"), "paper_near_end": self.tr("paper near end"),
                "cover_open": self.tr("cover open"), "offline": self.tr("offline"),
                "printer_fault": self.tr("printer fault")}

    def _show_printer(self) -> None:
        state, status = self.printer_state
        if not self.services.devices.printer.available:
            text = self.tr("Printer: not in use")
        elif state == "checking":
            text = self.tr("Printer: checking…")
        elif state == "error":
            text = self.tr("Printer: not responding")
        elif state == "ok" and status is not None:
            words = self._printer_words()
            problems = [words.get(p, p) for p in status.problems() + status.warnings()]
            text = (self.tr("Printer: ready") if not problems
                    else self.tr("Printer: %s") % ", ".join(problems))
        else:
            text = self.tr("Printer: not checked yet")
        self.printer_label.setText(text)

    def _show_network(self) -> None:
        ops = self.ops
        reach = {"ok": self.tr("reachable"), "down": self.tr("not reachable"),
                 "checking": self.tr("checking…")}.get(self.endpoint_state, self.tr("unknown"))
        lines = [self.tr("Endpoint %1: %2").replace("%1", self.services.endpoint_url or "-")
                 .replace("%2", reach)]
        last = ops.last_sync_at if ops else None
        if last is None:
            lines.append(self.tr("Last sync: not yet"))
        else:
            line = self.tr("Last sync: %s") % local_text(last)
            report = ops.last_report
            if report is not None and report.offline:
                line += " — " + self.tr("offline")
            elif report is not None and report.error:
                line += " — " + report.error
            lines.append(line)
        hb = ops.heartbeat if ops else None
        if hb is None:
            lines.append(self.tr("Heartbeat: off"))
        elif hb.last_sent_at is not None:
            lines.append(self.tr("Heartbeat: last sent %s") % local_text(hb.last_sent_at))
        else:
            lines.append(self.tr("Heartbeat: not sent yet"))
        self.network.setText("\n".join(lines))
        self._show_speech()

    def _on_sync_report(self, _report: Any) -> None:
        if self.isVisible():
            self._show_network()

    def _show_speech(self) -> None:
        if self.ops is None:
            return
        code, detail = self.ops.speaker.status()
        text = {
            "ready": self.tr("Spoken prompts: a Vietnamese voice is ready (%s)") % detail,
            "no_voice": self.tr("Spoken prompts off: no Vietnamese voice is installed"),
            "no_engine": self.tr("Spoken prompts off: no speech engine (%s)") % (detail or "-"),
            "no_module": self.tr("Spoken prompts off: Qt TextToSpeech cannot load (%s)")
            % (detail or "-"),
            "off": self.tr("Spoken prompts turned off in the configuration"),
        }.get(code, code)
        self.speech.setText(text)

    # -- checks (off the main thread) -------------------------------------------------------------
    def check_now_clicked(self) -> None:
        self._check_printer()
        self._check_endpoint()

    def _check_printer(self) -> None:
        printer = self.services.devices.printer.impl
        if printer is None or self.printer_state[0] == "checking":
            self._show_printer()
            return
        self.printer_state = ("checking", None)
        self._show_printer()

        def ok(status) -> None:
            if not shiboken6.isValid(self):
                return
            self.printer_state = ("ok", status)
            if self.ops is not None:
                self.ops.printer_status = status
            self._show_printer()

        def failed(_exc) -> None:
            if not shiboken6.isValid(self):
                return
            self.printer_state = ("error", None)
            self._show_printer()

        run_in_background(lambda: printer.status(timeout=2.0), ok, failed)

    def _check_endpoint(self) -> None:
        url = self.services.endpoint_url
        if not url or self.endpoint_state == "checking":
            return
        self.endpoint_state = "checking"
        self._show_network()
        ca = self.controller.cfg["sync.ca_file"] or None

        def probe() -> bool:
            import ssl

            import httpx

            verify: Any = ssl.create_default_context(cafile=ca) if ca else True
            r = httpx.get(url.rstrip("/") + "/healthz", timeout=3.0, verify=verify,
                          trust_env=False)
            return r.status_code == 200

        def done(ok: bool) -> None:
            if not shiboken6.isValid(self):
                return
            self.endpoint_state = "ok" if ok else "down"
            self._show_network()

        run_in_background(probe, done, lambda _exc: done(False))

    def _sync_now(self) -> None:
        svc = self.services.sync_service
        if svc is not None:
            svc.wake()
        if self.ops is not None and self.ops.heartbeat is not None:
            self.ops.heartbeat.wake()

    # -- outbox ------------------------------------------------------------------------------------
    def state_of(self, dossier_code: str) -> str | None:
        for item in self.items:
            if item.dossier_code == dossier_code:
                return item.state
        return None

    def show_snapshot(self, items: list, counts: dict) -> None:
        selected = self._selected_code()
        self.items, self.outbox_counts = list(items), dict(counts)
        self._show_outbox(selected)

    def _show_outbox(self, selected: str | None) -> None:
        """The outbox table and counts, in the current language (states, titles, statuses)."""
        self.table.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            for c, col in enumerate(COLUMNS):
                value = getattr(item, col, "")
                if isinstance(value, datetime):
                    value = local_text(value)
                elif col == "state":
                    value = self._state_word(value)
                elif col == "procedure_id":
                    value = self._procedure_title(value)
                elif col == "agency_status" and value:
                    value = messages.agency_status_text(value, self.lang)
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
            if item.dossier_code == selected:
                self.table.selectRow(r)
        self.counts.setText(" · ".join(f"{self._state_word(k)}: {v}"
                                       for k, v in sorted(self.outbox_counts.items())))
        self._selection_changed()  # reselecting the same row emits nothing: its state may be new

    def _state_word(self, state: str) -> str:
        """The outbox state in the staff's language (the code stays in the diagnostics)."""
        return {"queued": self.tr("waiting to be sent"), "sending": self.tr("sending"),
                "delivered": self.tr("delivered"), "rejected": self.tr("rejected"),
                "held": self.tr("held for staff")}.get(state, state)

    def _procedure_title(self, procedure_id: str) -> str:
        try:
            return pick(self.services.catalog.get(procedure_id).title, self.lang)
        except Exception:  # noqa: BLE001 - a procedure this kiosk no longer offers: its id
            return procedure_id

    def show_health(self, health: dict) -> None:
        self.health = dict(health)
        age = health.get("oldest_pending_age_seconds")
        self.oldest.setText(self.tr("No dossier is waiting to be sent") if age is None
                            else self.tr("Oldest dossier waiting: %s") % self._duration(age))
        lines = []
        now = time.time()
        for item in health.get("deadline_warnings") or []:
            when = item.deadline.timestamp() if item.deadline else now
            if when <= now:
                text = self.tr("%1: deadline PASSED at %2")
            else:
                text = self.tr("%1: deadline at %2, in %3")
            lines.append(text.replace("%1", item.dossier_code)
                         .replace("%2", local_text(item.deadline))
                         .replace("%3", self._duration(when - now)))
        self.deadlines.setText("\n".join(lines))

    def _duration(self, seconds: float) -> str:
        seconds = int(max(0, seconds))
        if seconds < 120:
            return self.tr("%n second(s)", "", seconds)
        if seconds < 7200:
            return self.tr("%n minute(s)", "", seconds // 60)
        if seconds < 172800:
            return self.tr("%n hour(s)", "", seconds // 3600)
        return self.tr("%n day(s)", "", seconds // 86400)

    def _selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.items):
            return None
        return self.items[rows[0].row()].dossier_code

    def _selection_changed(self) -> None:
        code = self._selected_code()
        self.retry.setEnabled(code is not None and self.state_of(code) in RETRYABLE)
        self.reprint.setEnabled(self.services.printer_worker is not None
                                and self._selected_entry() is not None)

    def select_dossier(self, code: str) -> None:
        for r, item in enumerate(self.items):
            if item.dossier_code == code:
                self.table.selectRow(r)
                return

    def _retry(self) -> None:
        code = self._selected_code()
        if code:
            self.retry.setEnabled(False)
            self.services.outbox_worker.retry(code)

    def _retried(self, code: str, exc: Any) -> None:
        if exc is None:
            self._note(self.retry_message, lambda: self.tr("%s is queued to be sent again") % code)
            if self.services.sync_service is not None:
                self.services.sync_service.wake()
        else:
            words = messages.words_of(exc)
            self._note(self.retry_message, lambda: words(self.lang))
        self._selection_changed()

    # -- print journal -----------------------------------------------------------------------------
    def _entries(self) -> list:
        pw = self.services.printer_worker
        return pw.journal.entries() if pw is not None else []

    def _show_journal(self) -> None:
        entries = self._entries()
        selected = self._selected_entry()
        self._journal_entries = entries
        self.journal.setRowCount(len(entries))
        words = self._journal_words()
        for r, e in enumerate(entries):
            values = {"created_at": local_text(e.created_at),
                      "kind": words.get(e.document.kind, e.document.kind),
                      "state": words.get(e.state, e.state),
                      "reason": words.get(e.reason, e.reason), "attempts": str(e.attempts),
                      "id": e.id}
            for c, col in enumerate(JOURNAL_COLUMNS):
                self.journal.setItem(r, c, QTableWidgetItem(values[col]))
            if e.id == selected:
                self.journal.selectRow(r)
        self._selection_changed()

    def _selected_entry(self) -> str | None:
        model = self.journal.selectionModel()
        rows = model.selectedRows() if model else []
        entries = getattr(self, "_journal_entries", [])
        if not rows or rows[0].row() >= len(entries):
            return None
        return entries[rows[0].row()].id

    def select_entry(self, entry_id: str) -> None:
        for r, e in enumerate(getattr(self, "_journal_entries", [])):
            if e.id == entry_id:
                self.journal.selectRow(r)
                return

    def _reprint(self) -> None:
        entry = self._selected_entry()
        pw = self.services.printer_worker
        if entry and pw is not None:
            self.reprint.setEnabled(False)
            self._note(self.print_message, lambda: self.tr("Printing…"))
            pw.reprint(entry)

    def _printed(self, entry_id: str) -> None:
        self._note(self.print_message, lambda: self.tr("Printed"))
        self._show_journal()

    def _print_failed(self, entry_id: str, words: Callable[[str], str]) -> None:
        self._note(self.print_message, lambda: words(self.lang))
        self._show_journal()

    # -- diagnostics -------------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the bundle"),
                                                  self.diag_folder.text())
        if folder:
            self.diag_folder.setText(folder)

    def create_bundle(self) -> None:
        from app import __version__
        from app.diagnostics import build_bundle
        from app.heartbeat import device_states

        cfg = self.controller.cfg
        folder = Path(self.diag_folder.text().strip() or cfg.data_dir / "diagnostics")
        status = self.printer_state[1] if self.printer_state[0] == "ok" else None
        devices = device_states(self.services.devices, status)
        extra: dict[str, Any] = {"qt": _qt_version(), "app_version": __version__}
        if self.ops is not None:
            extra["speech"] = self.ops.speaker.status()[0]
            extra["last_sync_at"] = self.ops.last_sync_at
            extra["endpoint"] = self.endpoint_state
        self.make_bundle.setEnabled(False)
        self._note(self.diag_result, lambda: self.tr("Creating the bundle…"))

        def done(path: Path) -> None:
            if not shiboken6.isValid(self):
                return
            self.last_bundle = path
            self.make_bundle.setEnabled(True)
            self._note(self.diag_result, lambda: self.tr("Saved: %s") % path)

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            self.make_bundle.setEnabled(True)
            self._note(self.diag_result, lambda: self.tr("The bundle could not be written: %s")
                       % type(exc).__name__)

        run_in_background(lambda: build_bundle(cfg, folder, devices=devices, extra=extra),
                          done, failed)

    # -- exit ----------------------------------------------------------------------------------------
    def _exit_kiosk(self) -> None:
        if self.ops is not None:
            self.ops.exit_kiosk()

    # -- words -------------------------------------------------------------------------------------
    def _note(self, line: QLabel, text: Callable[[], str]) -> None:
        """Show a result line, and show it again in the new language after a switch."""
        self.notes[line] = text
        line.setText(text())

    def retranslate(self) -> None:
        self.title.setText(self.tr("Administration"))
        for i, text in enumerate((self.tr("Status"), self.tr("Outbox"), self.tr("Printing"),
                                  self.tr("Diagnostics"))):
            self.tabs.setTabText(i, text)
        self.devices_title.setText(self.tr("Devices"))
        self.network_title.setText(self.tr("Network"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Dossier"), self.tr("Procedure"), self.tr("State"), self.tr("Agency status"),
            self.tr("Attempts"), self.tr("Created"), self.tr("Deadline"), self.tr("Last error")])
        self.journal.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Kind"), self.tr("State"), self.tr("Reason"),
            self.tr("Attempts"), self.tr("Entry")])
        self.journal_hint.setText(self.tr("Receipts and tickets printed or attempted, newest "
                                          "first. Select one to print it again."))
        self.diag_hint.setText(self.tr("A zip file for support: versions, settings without "
                                       "secrets, device states, outbox counts and the logs. "
                                       "It holds no personal data."))
        self.check_now.setText(self.tr("Check devices"))
        self.sync_now.setText(self.tr("Sync now"))
        self.retry.setText(self.tr("Send again"))
        self.reprint.setText(self.tr("Reprint"))
        self.choose_folder.setText(self.tr("Choose folder"))
        self.make_bundle.setText(self.tr("Create diagnostic bundle"))
        self.exit_kiosk.setText(self.tr("Exit kiosk"))
        self.close_.setText(self.tr("Close"))
        if self.ops is not None:
            self._show_devices()
            self._show_network()
        if self.health:
            self.show_health(self.health)
        self._show_outbox(self._selected_code())
        self._show_journal()
        for line, text in self.notes.items():
            line.setText(text())

    # -- screenshots (make screenshots) --------------------------------------------------------------
    def save_screenshots(self, folder: Path, prefix: str = "admin-") -> list[Path]:
        """Every tab as a PNG, and the PIN dialog."""
        from PySide6.QtWidgets import QApplication

        from app.ui.admin_pin_dialog import PinDialog, current_guard

        Path(folder).mkdir(parents=True, exist_ok=True)
        saved = []
        names = ("status", "outbox", "printing", "diagnostics")
        current = self.tabs.currentIndex()
        for i, name in enumerate(names):
            self.tabs.setCurrentIndex(i)
            for _ in range(10):
                QApplication.processEvents()
            path = Path(folder) / f"{prefix}{name}.png"
            self.grab().save(str(path))
            saved.append(path)
        self.tabs.setCurrentIndex(current)
        dialog = PinDialog(current_guard())
        dialog.edit.setText("123")
        dialog.resize(520, 760)
        dialog.ensurePolished()
        path = Path(folder) / f"{prefix}pin.png"
        dialog.grab().save(str(path))
        dialog.deleteLater()
        saved.append(path)
        return saved


def _qt_version() -> str:
    import PySide6

    return PySide6.__version__


def capture_admin_screens(out: Path, lang: str = "vi") -> list[Path]:
    """`make screenshots` (admin part): a simulated kiosk after one delivered visit, with a
    lodging notification near its deadline, one past it, a rejected dossier and a receipt that
    failed to print (paper out); then every admin tab and the PIN dialog as PNGs."""
    import sys
    import tempfile

    from PySide6.QtWidgets import QApplication

    from app import config
    from app.outbox import Outbox
    from app.printing import sample_receipt
    from app.ui.application import KioskApplication
    from app.ui.scripted import default_wait, run_visit

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    data = tempfile.mkdtemp(prefix="kiosk-admin-shots-")
    cfg = config.load(None, simulate=True, overrides=[
        f"kiosk.data_dir={data}", "kiosk.profile=hospital", f"kiosk.language={lang}",
        "sync.interval_seconds=1", "accessibility.speech=false"])
    kiosk = KioskApplication(cfg, qapp)
    kiosk.show()
    try:
        run_visit(kiosk, "hospital_bhyt_checkin", ["adult-2021"])
        s = kiosk.services
        s.sync_service.stop()
        ob = Outbox.open(cfg.path("outbox.path", "outbox.sqlite3"),
                         cfg.path("outbox.key_file", "outbox.key"))
        now = datetime.now(timezone.utc)
        ob.submit("lodging_residence_notification", {"room": "203"},
                  deadline=now - timedelta(minutes=20))
        ob.submit("lodging_residence_notification", {"room": "105"},
                  deadline=now + timedelta(minutes=35))
        bad = ob.submit("hospital_bhyt_checkin", {"x": "1"}).dossier_code
        for claim in ob.claim(10):
            if claim.dossier_code == bad:
                ob.mark_rejected(claim, "bad_payload")
            else:
                ob.mark_retry(claim, "http_503")
        ob.close()
        simulator = s.devices.printer.impl.simulator
        simulator.set_status(paper_out=True)
        journal = s.printer_worker.journal
        s.printer_worker.print_document(sample_receipt())
        default_wait(lambda: bool(journal.failed()), 30)
        kiosk.open_admin()
        admin = kiosk.admin
        admin.resize(1280, 800)
        s.outbox_worker.refresh()
        default_wait(lambda: admin.state_of(bad) == "rejected", 10)
        default_wait(lambda: admin.printer_state[0] == "ok" and admin.endpoint_state == "ok", 10)
        admin.select_dossier(bad)
        admin._show_journal()
        admin.select_entry(journal.failed()[0].id)
        return admin.save_screenshots(Path(out))
    finally:
        kiosk.shutdown()


def capture_accessibility_screen(out: Path, lang: str = "vi") -> Path:
    """The review screen with large text and high contrast on (accessibility-review.png)."""
    import sys
    import tempfile

    from PySide6.QtWidgets import QApplication

    from app import config
    from app.session import Stage
    from app.ui.application import KioskApplication
    from app.ui.scripted import ScriptedVisit

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    cfg = config.load(None, simulate=True, overrides=[
        f"kiosk.data_dir={tempfile.mkdtemp(prefix='kiosk-a11y-shots-')}",
        "kiosk.profile=hospital", f"kiosk.language={lang}", "accessibility.speech=false",
        "accessibility.large_text=true", "accessibility.high_contrast=true"])
    kiosk = KioskApplication(cfg, qapp)
    kiosk.window.resize(1280, 800)
    kiosk.show()
    try:
        visit = ScriptedVisit(kiosk)
        visit.start("hospital_bhyt_checkin")
        visit.present_card("adult-2021")
        visit.at(Stage.REVIEW)
        for _ in range(20):
            qapp.processEvents()
        path = Path(out) / "accessibility-review.png"
        kiosk.window.grab().save(str(path))
        return path
    finally:
        kiosk.shutdown()


if __name__ == "__main__":  # python -m app.ui.screens.admin [OUT] [--lang en]
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="screenshots of the admin view")
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    args = parser.parse_args()
    for p in capture_admin_screens(Path(args.out), args.lang):
        print(p)
    print(capture_accessibility_screen(Path(args.out), args.lang))
    sys.exit(0)
