"""The receipt: the dossier code, a QR code to look the status up, where it goes, print or finish."""

from __future__ import annotations

import io
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout

from app import messages
from app.ui.screens.base import Screen, button, label, pick


class ReceiptScreen(Screen):
    stage_name = "receipt"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.code = label("code")
        self.code.setObjectName("dossierCode")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.qr = label()
        self.qr.setObjectName("lookupQr")
        self.details = label("hint")
        self.status = label("hint")
        self.status.setObjectName("deliveryStatus")
        self.print_error = label("error")
        self.print_error.setObjectName("printError")
        from app.ui.screens.hospital import QueuePanel
        from app.ui.screens.lodging import LodgingReceiptPanel

        self.queue = QueuePanel(controller)  # hospital: the queue number, big
        self.lodging = LodgingReceiptPanel(controller)  # lodging: room and police deadline
        beside_qr = QHBoxLayout()  # the family's part sits beside the QR: all fits 800 px
        beside_qr.addWidget(self.qr)
        beside_qr.addWidget(self.queue, 1)
        beside_qr.addWidget(self.lodging, 1)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.code)
        self.layout_.addLayout(beside_qr)
        for w in (self.details, self.status, self.print_error):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        self.print_ = button(role="secondary", name="printButton")
        self.print_.clicked.connect(controller.print_receipt)
        self.done = button(name="doneButton")
        self.done.clicked.connect(controller.end_session)
        row.addWidget(self.print_)
        row.addStretch(1)
        row.addWidget(self.done)
        self.layout_.addLayout(row)
        self.receipt = None
        controller.submitted.connect(self._show)
        controller.delivery_status.connect(self._status)
        printer = controller.services.printer_worker
        if printer is not None:
            # methods, not lambdas: Qt runs them on this screen's (the GUI) thread; a lambda
            # would run on the sender's, the printer worker's thread
            printer.print_failed.connect(self._print_failed)
            printer.printed.connect(self._printed)
        self._state = ""
        self._agency = ""
        self._print_error: Callable[[str], str] | None = None  # why printing failed: words(lang)
        self.retranslate()

    def _show(self, receipt) -> None:
        self.receipt = receipt
        self.code.setText(receipt.dossier_code)
        import segno

        buf = io.BytesIO()
        segno.make(self.controller.lookup_url(receipt.dossier_code)).save(buf, kind="png",
                                                                           scale=6, border=2)
        pix = QPixmap()
        pix.loadFromData(buf.getvalue())
        self.qr.setPixmap(pix)
        self.retranslate()

    def _status(self, state: str, agency_status: str) -> None:
        self._state, self._agency = state, agency_status
        self.retranslate()

    def _print_failed(self, _entry: str, words: Callable[[str], str]) -> None:
        self._show_print_error(words)

    def _printed(self, _entry: str) -> None:
        self._show_print_error(None)

    def _show_print_error(self, words: Callable[[str], str] | None) -> None:
        self._print_error = words
        self.print_error.setText(words(self.lang) if words is not None else "")

    def clear(self) -> None:
        self.receipt = None
        self._state = self._agency = ""
        self._print_error = None
        self.print_error.clear()
        self.code.clear()
        self.qr.clear()
        self.status.clear()
        self.queue.clear()
        self.lodging.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your application has been received"))
        self.queue.retranslate()
        self.lodging.retranslate()
        session = self.controller.session
        if session is not None:
            agencies = ", ".join(pick(a["name"], self.lang) if isinstance(a, dict) else
                                 pick(a.name, self.lang) for a in session.procedure.agencies)
            self.details.setText(self.tr("Keep this code to follow your application. "
                                         "It goes to: %s") % agencies)
        self.print_.setText(self.tr("Print receipt"))
        self.print_.setVisible(self.controller.services.printer_available)
        self.done.setText(self.tr("Finish"))
        self.print_error.setText(self._print_error(self.lang) if self._print_error else "")
        words = {
            "queued": self.tr("Status: waiting to be sent"),
            "sending": self.tr("Status: sending"),
            "delivered": self.tr("Status: delivered to the agencies"),
            "rejected": self.tr("Status: not accepted, please ask a member of staff"),
            "held": self.tr("Status: waiting for a member of staff"),
        }
        text = words.get(self._state, words["queued"]) if self.receipt is not None else ""
        if self._agency:
            text += " · " + messages.agency_status_text(self._agency, self.lang)
        self.status.setText(text)
