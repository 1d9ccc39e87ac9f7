"""The admin view: devices, the outbox (counts, oldest pending, each dossier's state) and
actions (sync now, retry). Shows no personal data: the outbox lists metadata only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from app.ui.screens.base import button, label

COLUMNS = ("dossier_code", "procedure_id", "state", "agency_status", "attempts", "created_at",
           "last_error")


class AdminView(QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.setObjectName("adminView")
        self.controller = controller
        self.setWindowTitle("vn-kiosk admin")
        self.resize(1100, 700)
        lay = QVBoxLayout(self)
        self.title = label("title")
        lay.addWidget(self.title)
        self.devices = QLabel()
        self.devices.setObjectName("adminDevices")
        self.devices.setWordWrap(True)
        lay.addWidget(self.devices)
        self.counts = QLabel()
        self.counts.setObjectName("adminCounts")
        lay.addWidget(self.counts)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("outboxTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.sync_now = button(role="secondary", name="syncNowButton")
        self.sync_now.clicked.connect(self._sync_now)
        self.close_ = button(name="closeAdminButton")
        self.close_.clicked.connect(self.close)
        row.addWidget(self.sync_now)
        row.addStretch(1)
        row.addWidget(self.close_)
        lay.addLayout(row)
        self.items: list = []
        controller.services.outbox_worker.snapshot.connect(self.show_snapshot)
        self.retranslate()

    def _sync_now(self) -> None:
        svc = self.controller.services.sync_service
        if svc is not None:
            svc.wake()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._show_devices()
        super().showEvent(event)

    def _show_devices(self) -> None:
        lines = []
        for dev in self.controller.services.devices.all():
            state = self.tr("ready") if dev.available else self.tr("unavailable: %s") % dev.error
            sim = " (simulator)" if dev.simulated else ""
            lines.append(f"{dev.kind}{sim}: {state}")
        self.devices.setText(" · ".join(lines))

    def state_of(self, dossier_code: str) -> str | None:
        for item in self.items:
            if item.dossier_code == dossier_code:
                return item.state
        return None

    def show_snapshot(self, items: list, counts: dict) -> None:
        self.items = list(items)
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            for c, col in enumerate(COLUMNS):
                value = getattr(item, col, "")
                if isinstance(value, datetime):
                    value = value.strftime("%Y-%m-%d %H:%M")
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.counts.setText(" · ".join(f"{k}: {v}" for k, v in sorted(counts.items())))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Administration"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Dossier"), self.tr("Procedure"), self.tr("State"), self.tr("Agency status"),
            self.tr("Attempts"), self.tr("Created"), self.tr("Last error")])
        self.sync_now.setText(self.tr("Sync now"))
        self.close_.setText(self.tr("Close"))
