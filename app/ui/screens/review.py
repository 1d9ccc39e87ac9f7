"""Review the prefilled form: values the cards gave are locked and marked with their source;
the citizen fills in the rest, corrects what is not from a card, and continues to consent.
Hospital: the insurance lookup's outcome above the form. Lodging: the notification deadline."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from app.identity.model import Source
from app.ui.form_view import FormView
from app.ui.screens.base import Screen, button, label
from app.ui.screens.hospital import InsurancePanel
from app.ui.screens.lodging import DeadlineNote


class ReviewScreen(Screen):
    stage_name = "review"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.hint = label("hint")
        self.general_errors = label("error")
        self.general_errors.setObjectName("formErrors")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.insurance = InsurancePanel(controller)
        self.deadline = DeadlineNote(controller)
        for w in (self.title, self.hint, self.general_errors):
            self.layout_.addWidget(w)
        # the family's notes scroll with the form, so the keyboard leaves the form its room
        page = QWidget()
        self.page_layout = QVBoxLayout(page)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.addWidget(self.insurance)
        self.page_layout.addWidget(self.deadline)
        self.scroll.setWidget(page)
        self.layout_.addWidget(self.scroll, 1)
        row = QHBoxLayout()
        self.cancel = button(role="secondary", name="cancelButton")
        self.cancel.clicked.connect(controller.end_session)
        self.add_person = button(role="secondary", name="addPersonButton")
        self.add_person.clicked.connect(self._add_person)
        self.cont = button(name="continueButton")
        self.cont.clicked.connect(self._continue)
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(self.add_person)
        row.addWidget(self.cont)
        self.layout_.addLayout(row)
        self.form: FormView | None = None
        # the errors not shown at a field, as continue found them (None: none shown); the line
        # is written in retranslate, in the visit's language
        self.unplaced: list | None = None
        controller.flows.hospital.insurance_changed.connect(self._insurance_changed)
        self.retranslate()

    def enter(self) -> None:
        session = self.controller.session
        if session is None:
            return
        if self.form is not None:
            self._drop_form()
        self.form = FormView(session.draft, self.lang, self.source_text)
        self.form.remove_requested.connect(self.controller.remove_person)
        self.form.changed.connect(self.deadline.refresh)
        self.page_layout.addWidget(self.form, 1)
        self.unplaced = None
        self.insurance.retranslate()
        self.deadline.refresh()
        self.retranslate()

    def _insurance_changed(self) -> None:
        """The lookup answered: its values appear in the form (locked, "looked up")."""
        if self.form is not None and self.controller.session is not None:
            self.form.refresh()

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form.close_form()
            self.page_layout.removeWidget(self.form)
            self.form.hide()
            self.form.deleteLater()
        self.form = None

    def clear(self) -> None:
        self._drop_form()
        self.unplaced = None
        self.general_errors.clear()
        self.insurance.retranslate()
        self.deadline.refresh()

    def _repeatable_role(self):
        session = self.controller.session
        if session is None:
            return None
        return next((r for r in session.procedure.roles if r.many and r.card != "none"), None)

    def _add_person(self) -> None:
        role = self._repeatable_role()
        if role is not None:
            self.controller.add_person(role.id)

    def _continue(self) -> None:
        if self.form is None:
            return
        errors = self.controller.session.draft.errors(self.lang)
        if not errors:
            self.controller.to_consent()
            return
        first = self.form.show_errors(errors)
        self.unplaced = [e for e in errors if e.path not in self.form.rows]
        self._show_general_errors()
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            first.setFocus()

    def _show_general_errors(self) -> None:
        if self.unplaced is None:
            self.general_errors.clear()
        else:
            self.general_errors.setText("\n".join(e.message(self.lang) for e in self.unplaced)
                                        or self.tr("Please correct the fields marked in red."))

    def source_text(self, source: Source | None, origin: str) -> str:
        if source is None:
            return ""
        return {
            Source.CHIP_VERIFIED: self.tr("from the chip, verified"),
            Source.CHIP: self.tr("from the chip"),
            Source.QR: self.tr("from the QR code, not yet confirmed by the chip"),
            Source.SCANNER: self.tr("from the QR code (scanner)"),
            Source.LOOKUP: self.tr("looked up"),
            Source.TYPED: self.tr("typed") if origin != "operator" else self.tr("corrected by staff"),
        }[source] if origin != "config" else self.tr("from the kiosk's settings")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Check your details"))
        self.hint.setText(self.tr("Details from your card are locked. Fill in the remaining "
                                  "fields (marked *), then continue."))
        self.cancel.setText(self.tr("Cancel"))
        self.cont.setText(self.tr("Continue"))
        role = self._repeatable_role()
        self.add_person.setVisible(role is not None)
        self.add_person.setText(self.tr("Add another person"))
        if self.form is not None and self.form.lang != self.lang:
            self.form.set_language(self.lang)
        self._show_general_errors()
        self.insurance.retranslate()
        self.deadline.refresh()
