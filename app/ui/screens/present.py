"""Present the card: show its QR code to the camera (or type the number), lay it on the reader.

The QR (or the typed number) gives the key that opens the chip; both orders work. The screen
shows which of the two steps are done; the controller starts the read when both are.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.ui.screens.base import Screen, button, label, pick


class PresentScreen(Screen):
    stage_name = "present"

    def __init__(self, controller, preview: QWidget | None = None) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.layout_.addWidget(self.title)
        row = QHBoxLayout()
        self.layout_.addLayout(row, 1)
        self.preview = preview
        if preview is not None:
            preview.setMinimumSize(480, 300)
            row.addWidget(preview, 1)
        steps = QVBoxLayout()
        row.addLayout(steps, 1)
        self.step_qr = label("hint")
        self.step_card = label("hint")
        self.notice = label("error")
        self.notice.setObjectName("presentNotice")
        steps.addWidget(self.step_qr)
        steps.addWidget(self.step_card)
        steps.addWidget(self.notice)
        steps.addStretch(1)

        typed = QHBoxLayout()
        self.number = QLineEdit()
        self.number.setObjectName("idNumberInput")
        self.number.setMaxLength(12)
        self.number.setInputMethodHints(Qt.ImhDigitsOnly)
        self.number.returnPressed.connect(self._typed)
        self.use_number = button(role="secondary", name="useNumberButton")
        self.use_number.clicked.connect(self._typed)
        typed.addWidget(self.number, 1)
        typed.addWidget(self.use_number)
        steps.addLayout(typed)
        from app.ui.screens.lodging import PassportPanel

        self.passport = PassportPanel(controller)  # lodging: a foreign guest's passport
        steps.addWidget(self.passport)
        self.passport_open = False
        self.passport_toggle = button(role="secondary", name="passportButton")
        self.passport_toggle.clicked.connect(self._toggle_passport)

        buttons = QHBoxLayout()
        self.cancel = button(role="secondary", name="cancelButton")
        self.cancel.clicked.connect(controller.end_session)
        self.qr_only = button(role="secondary", name="qrOnlyButton")
        self.qr_only.clicked.connect(controller.use_qr_only)
        self.skip = button(role="secondary", name="skipButton")
        self.skip.clicked.connect(controller.skip_card)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.qr_only)
        buttons.addWidget(self.passport_toggle)
        buttons.addWidget(self.skip)
        self.layout_.addLayout(buttons)

        controller.access_changed.connect(self.retranslate)
        controller.card_state_changed.connect(lambda _: self.retranslate())
        controller.session_changed.connect(self.retranslate)
        controller.notice.connect(self.notice.setText)
        self.retranslate()

    def _toggle_passport(self) -> None:
        """A passport instead of the ID card: its typed details replace the camera's QR."""
        self.passport_open = not self.passport_open
        self.retranslate()

    def _typed(self) -> None:
        self.controller.on_typed_number(self.number.text().strip())

    def enter(self) -> None:
        self.number.clear()
        self.passport.clear()
        self.passport_open = False
        self.retranslate()

    def clear(self) -> None:
        self.number.clear()
        self.passport.clear()
        self.notice.clear()

    def retranslate(self) -> None:
        session = self.controller.session
        turn = session.current_turn if session else None
        whose = pick(turn.title, self.lang) if turn else ""
        self.title.setText(self.tr("ID card of: %s") % whose if whose else self.tr("ID card"))
        have_key = bool(session and session.access)
        card = self.controller.services.card_worker
        on_reader = bool(card and card.card_present)
        done, todo = "✔", "①"
        self.step_qr.setText(
            (done if have_key else todo) + " " +
            (self.tr("QR code read") if have_key else
             self.tr("Show the QR code on the card to the camera, or type the 12-digit ID "
                     "number below")))
        self.step_card.setText(
            (done if on_reader else "②") + " " +
            (self.tr("Card on the reader") if on_reader else
             self.tr("Lay the card flat on the reader and leave it there")))
        self.notice.setText(self.controller.notice_text())  # in the language now shown
        self.use_number.setText(self.tr("Use this number"))
        self.number.setPlaceholderText(self.tr("ID number (12 digits)"))
        self.cancel.setText(self.tr("Cancel"))
        self.skip.setText(self.tr("This person is not here"))
        self.skip.setVisible(bool(turn and not turn.required))
        lodging = bool(turn and session.procedure.family == "lodging")
        self.passport_toggle.setVisible(lodging)
        self.passport_toggle.setText(self.tr("Vietnamese ID card") if self.passport_open
                                     else self.tr("Foreign guest (passport)"))
        self.passport.retranslate()  # a plain widget: its texts follow the screen's
        self.passport.setVisible(lodging and self.passport_open)
        by_card = not (lodging and self.passport_open)
        for w in (self.preview, self.step_qr, self.number, self.use_number):
            if w is not None:
                w.setVisible(by_card)
        self.qr_only.setText(self.tr("Continue without the chip"))
        has_qr = bool(session and session.access and session.access.qr_record)
        self.qr_only.setVisible(has_qr and not (card and card.backend_ready))
