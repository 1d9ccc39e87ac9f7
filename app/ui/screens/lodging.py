"""Lodging on screen: the notification deadline (review and receipt), the foreign guest's
passport (present screen), and the staff's guest register (current stays, deadline warnings,
check-out). The register and the deadline rule are app/lodging; the calls go through
app/ui/family_flows.py."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QHeaderView, QLineEdit, QTableWidget,
                               QTableWidgetItem, QWidget)

from app.procedures.vntime import to_vn
from app.session import Stage
from app.ui.family_flows import family_of
from app.ui.screens.base import Screen, button, label


def _when(moment: datetime) -> str:
    return to_vn(moment).strftime("%H:%M %d/%m/%Y")


class DeadlineNote(QWidget):
    """When the police must be notified of this stay (the 23:00 / 08:00 rule)."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = label("deadline")
        self.text.setObjectName("lodgingDeadline")
        lay.addWidget(self.text, 1)
        self.deadline: datetime | None = None
        self.refresh()

    def refresh(self) -> None:
        session = self.controller.session
        on = family_of(session) == "lodging"
        self.deadline = self.controller.flows.lodging.deadline(session) if on else None
        self.setVisible(on)
        if not on:
            return
        if self.deadline is None:
            self.text.setText(self.tr("The stay must be notified to the police before 23:00 "
                                      "on the day of arrival (before 08:00 the next day for "
                                      "arrivals after 23:00)."))
        else:
            self.text.setText(self.tr("Notify the police of this stay by %s.")
                              % _when(self.deadline))

    def retranslate(self) -> None:
        self.refresh()


class PassportPanel(QWidget):
    """A foreign guest: the passport's number, birth date and expiry open its chip (BAC), or,
    without a chip, fill the guest's details."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.setObjectName("passportPanel")
        self.controller = controller
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.heading = label("hint")
        grid.addWidget(self.heading, 0, 0, 1, 4)
        self.number = QLineEdit()
        self.number.setObjectName("passportNumber")
        self.number.setMaxLength(20)
        self.birth = QLineEdit()
        self.birth.setObjectName("passportBirth")
        self.birth.setInputMethodHints(Qt.ImhDigitsOnly)
        self.expiry = QLineEdit()
        self.expiry.setObjectName("passportExpiry")
        self.expiry.setInputMethodHints(Qt.ImhDigitsOnly)
        self.nationality = QLineEdit()
        self.nationality.setObjectName("passportNationality")
        self.nationality.setMaxLength(60)
        self.labels = [label() for _ in range(4)]
        # two fields a row: number and nationality, then the two dates
        for i, (lab, edit) in enumerate(zip(self.labels, (self.number, self.nationality,
                                                          self.birth, self.expiry))):
            grid.addWidget(lab, 1 + i // 2, (i % 2) * 2)
            grid.addWidget(edit, 1 + i // 2, (i % 2) * 2 + 1)
        row = QHBoxLayout()
        self.read_chip = button(name="passportReadChip")
        self.read_chip.clicked.connect(self._read_chip)
        self.no_chip = button(role="secondary", name="passportNoChip")
        self.no_chip.clicked.connect(self._no_chip)
        row.addWidget(self.read_chip)
        row.addWidget(self.no_chip)
        grid.addLayout(row, 3, 0, 1, 4)
        self.retranslate()

    def values(self) -> tuple[str, str, str]:
        return self.number.text().strip(), self.birth.text().strip(), self.expiry.text().strip()

    def _read_chip(self) -> None:
        self.controller.on_passport(*self.values())

    def _no_chip(self) -> None:
        self.controller.passport_without_chip(*self.values(), self.nationality.text().strip())

    def clear(self) -> None:
        for e in (self.number, self.birth, self.expiry, self.nationality):
            e.clear()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Foreign guest: type the passport details"))
        for lab, text in zip(self.labels, (self.tr("Passport number"),
                                           self.tr("Nationality"),
                                           self.tr("Date of birth"),
                                           self.tr("Passport expiry date"))):
            lab.setText(text)
        self.birth.setPlaceholderText("dd/mm/yyyy")
        self.expiry.setPlaceholderText("dd/mm/yyyy")
        self.read_chip.setText(self.tr("Read the passport chip"))
        self.no_chip.setText(self.tr("No chip: use these details"))


class LodgingReceiptPanel(QWidget):
    """After submission: the guests are in the register, and the notification's deadline."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = label("hint")
        self.text.setObjectName("lodgingReceipt")
        lay.addWidget(self.text, 1)
        controller.flows.lodging.checked_in.connect(self.retranslate)
        self.retranslate()

    def clear(self) -> None:
        self.text.clear()
        self.hide()

    def retranslate(self) -> None:
        session = self.controller.session
        stays = self.controller.flows.lodging.stays
        self.setVisible(family_of(session) == "lodging" and bool(stays))
        if not stays:
            return
        self.text.setText(self.tr("%n guest(s) checked in to room %1. The police must be "
                                  "notified by %2; the kiosk sends it now.", "", len(stays))
                          .replace("%1", stays[0].room).replace("%2",
                                                                _when(stays[0].deadline)))


COLUMNS = 5


class StaysScreen(Screen):
    """Staff only (reached from the choose screen after the staff check): who is in which room,
    each notification's deadline, and check-out."""

    stage_name = "stays"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.flow = controller.flows.lodging
        self.title = label("title")
        self.warnings = label("error")
        self.warnings.setObjectName("stayWarnings")
        self.message = label("error")
        self.message.setObjectName("registerMessage")
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("staysTable")
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(72)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)
        for w in (self.title, self.warnings, self.message):
            self.layout_.addWidget(w)
        missed = QHBoxLayout()  # visits the register could not take, until staff mark them seen
        self.unrecorded = label("error")
        self.unrecorded.setObjectName("unrecordedCheckIns")
        self.unrecorded_seen = button(role="secondary", name="unrecordedSeenButton")
        self.unrecorded_seen.clicked.connect(self.flow.unrecorded_seen)
        missed.addWidget(self.unrecorded, 1)
        missed.addWidget(self.unrecorded_seen)
        self.layout_.addLayout(missed)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.back = button(role="secondary", name="backButton")
        self.back.clicked.connect(controller.end_session)
        self.reload = button(role="secondary", name="reloadStaysButton")
        self.reload.clicked.connect(self.flow.load_stays)
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.reload)
        self.layout_.addLayout(row)
        self.stays: list = []
        self.deadline_warnings: list = []
        self.flow.stays_loaded.connect(self._show)
        self.flow.notifications_recorded.connect(self._notifications_recorded)
        self.flow.register_failed.connect(self._show_message)
        self.flow.unrecorded_changed.connect(self._show_unrecorded)
        self._message: Callable[[str], str] | None = None  # the register's refusal: words(lang)
        self.retranslate()

    def enter(self) -> None:
        self._show_message(None)
        self.flow.load_stays()

    def clear(self) -> None:
        self.stays, self.deadline_warnings = [], []
        self.table.setRowCount(0)
        self.warnings.clear()
        self._show_message(None)

    def _show_message(self, words: Callable[[str], str] | None) -> None:
        self._message = words
        self.message.setText(words(self.lang) if words is not None else "")

    def _show(self, stays: list, warnings: list) -> None:
        if self.controller.stage is not Stage.STAYS:
            return
        self.stays, self.deadline_warnings = list(stays), list(warnings)
        self.retranslate()

    def _show_unrecorded(self) -> None:
        missed = self.flow.unrecorded
        self.unrecorded.setText(self.tr(
            "Not written to the guest register, though their police notification is queued: "
            "%1. Enter these guests in your register yourself.").replace(
                "%1", ", ".join(f"{code} ({_when(at)})" for code, at in missed)) if missed else "")
        self.unrecorded.setVisible(bool(missed))
        self.unrecorded_seen.setText(self.tr("Seen"))
        self.unrecorded_seen.setVisible(bool(missed))

    def _notifications_recorded(self, count: int) -> None:
        """A notification was delivered while staff look at the list: show it as notified."""
        if count and self.controller.stage is Stage.STAYS:
            self.flow.load_stays()

    def _check_out(self, stay_id: int) -> None:
        self.controller.touch()
        self.flow.check_out(stay_id)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Guests in house"))
        self.back.setText(self.tr("Back"))
        self.reload.setText(self.tr("Refresh"))
        self.message.setText(self._message(self.lang) if self._message is not None else "")
        self._show_unrecorded()
        self.table.setHorizontalHeaderLabels([
            self.tr("Room"), self.tr("Guest"), self.tr("Arrival"),
            self.tr("Notify police by"), ""])
        self.warnings.setText("\n".join(w.message(self.lang) for w in self.deadline_warnings))
        state = {w.stay_id: w.state for w in self.deadline_warnings}
        self.table.setRowCount(len(self.stays))
        for r, stay in enumerate(self.stays):
            notified = stay.notified_at is not None
            due = (self.tr("notified") if notified else _when(stay.deadline)
                   + {"near": " ⚠", "missed": " ⛔"}.get(state.get(stay.id, ""), ""))
            for c, text in enumerate((stay.room, stay.guest.full_name, _when(stay.arrival),
                                      due)):
                self.table.setItem(r, c, QTableWidgetItem(text))
            out = button(self.tr("Check out"), role="secondary", name=f"checkOut:{stay.id}")
            out.setMinimumHeight(64)
            out.clicked.connect(lambda _=False, sid=stay.id: self._check_out(sid))
            self.table.setCellWidget(r, COLUMNS - 1, out)
