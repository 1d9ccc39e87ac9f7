"""Hospital check-in on screen: the insurance lookup's outcome in plain words (review screen) and
the queue number, big (receipt). The lookup and the numbering run in app/ui/family_flows.py."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout

from app.ui.family_flows import DONE, FAILED, PENDING, family_of
from app.ui.screens.base import label


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


class InsurancePanel(QFrame):
    """What the insurance gateway said, for the patient: the card and what it covers, or what to
    do when the card has expired, is not found, or the gateway is down (check-in goes on)."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.setObjectName("insurancePanel")
        self.controller = controller
        self.flow = controller.flows.hospital
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 12, 20, 12)
        self.headline = label("hint")
        self.headline.setObjectName("insuranceHeadline")
        self.details = label()
        self.details.setObjectName("insuranceDetails")
        self.details.setTextFormat(Qt.RichText)
        self.advice = label()
        self.advice.setObjectName("insuranceAdvice")
        for w in (self.headline, self.details, self.advice):
            lay.addWidget(w)
        self.flow.insurance_changed.connect(self.retranslate)
        self.retranslate()

    @property
    def outcome(self) -> str:
        """valid | expired | not_found | down | pending | "" (for tests and the style)."""
        if self.flow.state == PENDING:
            return "pending"
        if self.flow.state == FAILED:
            return "down"
        if self.flow.state == DONE and self.flow.result is not None:
            return self.flow.result.result_code
        return ""

    def retranslate(self) -> None:
        session = self.controller.session
        on = family_of(session) == "hospital" and self.flow.state != "idle"
        self.setVisible(on)
        outcome = self.outcome
        self.setProperty("outcome", outcome)
        self.style().unpolish(self)
        self.style().polish(self)
        if not on:
            return
        r = self.flow.result
        self.details.clear()
        self.advice.clear()
        if outcome == "pending":
            self.headline.setText(self.tr("Looking up your health insurance…"))
            self.advice.setText(self.tr("You can go on filling in the form meanwhile."))
            return
        go_on = self.tr("You can still check in.")
        if outcome == "down":  # the gateway's own words (app.hospital), then what to do
            self.headline.setText(self.tr("Your health insurance could not be checked now"))
            self.advice.setText(f"{self.flow.error.message(self.controller.lang)} {go_on}")
            return
        if outcome == "not_found":
            self.headline.setText(self.tr("No health-insurance card was found for your ID "
                                          "number"))
            self.advice.setText(f"{r.message(self.controller.lang)} {go_on}")
            return
        rows = [(self.tr("Insurance card number"), r.card_number),
                (self.tr("Valid"), f"{_day(r.valid_from)} – {_day(r.valid_to)}"),
                (self.tr("Benefit level"), r.benefit_level or "—"),
                (self.tr("Primary-care facility"), r.primary_care_facility or "—")]
        self.details.setText("<table>" + "".join(
            f"<tr><td>{k}:&nbsp;&nbsp;</td><td><b>{v}</b></td></tr>" for k, v in rows)
            + "</table>")
        if outcome == "expired":
            self.headline.setText(self.tr("Your health-insurance card has expired"))
            self.advice.setText(f"{r.message(self.controller.lang)} {go_on}")
        else:
            self.headline.setText(self.tr("Your health-insurance card is valid"))


class QueuePanel(QFrame):
    """The queue number, big, with the department (receipt screen, hospital only)."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.setObjectName("queuePanel")
        self.controller = controller
        self.flow = controller.flows.hospital
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 4, 12, 4)
        lay.setSpacing(0)
        self.caption = label("hint")
        self.caption.setAlignment(Qt.AlignCenter)
        self.number = label("queue")
        self.number.setObjectName("queueNumber")
        self.number.setAlignment(Qt.AlignCenter)
        self.department = label("hint")
        self.department.setObjectName("queueDepartment")
        self.department.setAlignment(Qt.AlignCenter)
        for w in (self.caption, self.number, self.department):
            lay.addWidget(w)
        self.flow.ticket_changed.connect(self.retranslate)
        self.retranslate()

    def clear(self) -> None:
        self.number.clear()
        self.department.clear()
        self.hide()

    def retranslate(self) -> None:
        ticket = self.flow.ticket
        session = self.controller.session
        self.setVisible(ticket is not None and session is not None)
        if ticket is None or session is None:
            return
        self.caption.setText(self.tr("Your queue number"))
        self.number.setText(ticket.label)
        self.department.setText(self.tr("Department: %s") % self.flow.department_label(
            session, self.controller.lang))
