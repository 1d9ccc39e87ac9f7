"""The receipt: the dossier code, a QR code to look the status up, where it goes, print or finish."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout

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
        for w in (self.title, self.code, self.qr, self.details, self.status):
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

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def clear(self) -> None:
        self.receipt = None
        self.code.clear()
        self.qr.clear()
        self.status.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your application has been received"))
        session = self.controller.session
        if session is not None:
            agencies = ", ".join(pick(a["name"], self.lang) if isinstance(a, dict) else
                                 pick(a.name, self.lang) for a in session.procedure.agencies)
            self.details.setText(self.tr("Keep this code to follow your application. "
                                         "It goes to: %s") % agencies)
        self.print_.setText(self.tr("Print receipt"))
        self.print_.setVisible(self.controller.services.printer_available)
        self.done.setText(self.tr("Finish"))
        if self.receipt is not None and not self.status.text():
            self.status.setText(self.tr("Status: waiting to be sent"))
