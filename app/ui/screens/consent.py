"""Consent (Decree 13/2023/NĐ-CP): what is collected, why, who receives it, how long it is kept.
The submission records the time and the version of the text the citizen agreed to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QScrollArea

from app.ui.screens.base import Screen, button, label, pick


def consent_html(text, lang: str) -> str:
    """The consent text with its headings, in the order the decree's notice requires."""
    from html import escape

    from app.procedures.consent import PARTS

    out = [f"<h2>{escape(pick(text.title, lang))}</h2>"]
    for part in PARTS:
        body = escape(text.parts[part][lang]).replace("\n", "<br>")
        out.append(f"<h3>{escape(text.heading(part, lang))}</h3><p>{body}</p>")
    return "".join(out)


class ConsentScreen(Screen):
    stage_name = "consent"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.body = label()
        self.body.setObjectName("consentText")
        self.body.setTextFormat(Qt.RichText)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.agree_box = QCheckBox()
        self.agree_box.setObjectName("consentCheck")
        self.agree_box.toggled.connect(lambda on: self.submit.setEnabled(on))
        self.error = label("error")
        self.error.setObjectName("submitError")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(scroll, 1)
        self.layout_.addWidget(self.agree_box)
        self.layout_.addWidget(self.error)
        row = QHBoxLayout()
        self.back = button(role="secondary", name="backButton")
        self.back.clicked.connect(lambda: controller.go(controller.stage.REVIEW))
        self.submit = button(name="submitButton")
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._submit)
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.submit)
        self.layout_.addLayout(row)
        controller.submit_error.connect(self._failed)
        self.text = None
        self.failure = None  # why the submission was not taken: words(lang), see retranslate
        self.retranslate()

    def enter(self) -> None:
        from app.procedures.consent import load_consent

        session = self.controller.session
        self.text = load_consent(session.procedure.consent_id) if session else None
        self.agree_box.setChecked(False)
        self.failure = None
        self.retranslate()

    def _submit(self) -> None:
        if self.text is None:
            return
        self.submit.setEnabled(False)
        self.failure = None
        self.error.clear()
        self.controller.submit(self.text.accept(self.lang))

    def _failed(self, words) -> None:
        self.failure = words
        self.error.setText(words(self.lang))
        self.submit.setEnabled(self.agree_box.isChecked())

    def clear(self) -> None:
        self.agree_box.setChecked(False)
        self.failure = None
        self.error.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your consent"))
        self.body.setText(consent_html(self.text, self.lang) if self.text is not None else "")
        self.agree_box.setText(pick(self.text.accept_label, self.lang) if self.text is not None
                               else self.tr("I have read this and I agree"))
        self.back.setText(self.tr("Back"))
        self.submit.setText(self.tr("Agree and submit"))
        self.error.setText(self.failure(self.lang) if self.failure is not None else "")
