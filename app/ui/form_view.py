"""Renders any procedure's form definition (assets/forms) as touch-friendly widgets over a
FormDraft. The draft holds values, provenance and rules; this view only shows them and passes
what the citizen types back to `draft.set`.

A value a card gave is shown read-only with its source ("from the chip, verified"); the citizen
is never asked for it again. Beside it, "Unlock" lets a member of staff (operator_check) correct
it; the draft keeps the card's value as `original`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app.identity.model import Source
from app.ui import operator_check
from app.ui.screens.base import button, label, pick

_KEYBOARD_HINTS = {"digits": Qt.ImhDigitsOnly, "phone": Qt.ImhDialableCharactersOnly,
                   "email": Qt.ImhEmailCharactersOnly}
_TYPE_HINTS = {"date": Qt.ImhPreferNumbers, "time": Qt.ImhPreferNumbers,
               "datetime": Qt.ImhPreferNumbers}
_PLACEHOLDERS = {"date": "dd/mm/yyyy", "time": "hh:mm", "datetime": "dd/mm/yyyy hh:mm"}


def display_text(value: Any) -> str:
    """How a stored value reads on screen: Vietnamese date order, times without seconds."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return ""
    return "" if value is None else str(value)


class FieldRow:
    """One field on screen: label, editor, where the value came from, and its error line."""

    def __init__(self, view: "FormView", section, fdef, index: int, path: str) -> None:
        self.view, self.section, self.fdef, self.index, self.path = view, section, fdef, index, path
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.source = label("source")
        self.error = label("error")
        self.error.setObjectName(f"error:{path}")
        self.problem = None  # what the error line says (its message(lang)), in the visit's language
        self.editor = self._make_editor()
        self.editor.setObjectName(f"field:{path}")
        self.unlock = button(role="unlock", name=f"unlock:{path}")
        self.unlock.clicked.connect(self._unlock)
        self.unlock.hide()

    def _make_editor(self) -> QWidget:
        t = self.fdef.type
        if t == "choice":
            w = QComboBox()
            w.addItem("", None)
            for opt in self.fdef.options:
                w.addItem(pick(opt.label, self.view.lang), opt.value)
            w.activated.connect(lambda _: self.commit())
            return w
        if t == "bool":
            w = QCheckBox()
            w.toggled.connect(lambda _: self.commit())
            return w
        w = QLineEdit()
        if self.fdef.max_length:
            w.setMaxLength(self.fdef.max_length)
        w.setInputMethodHints(_KEYBOARD_HINTS.get(self.fdef.keyboard)
                              or _TYPE_HINTS.get(self.fdef.type, Qt.ImhNone))
        w.editingFinished.connect(self.commit)
        return w

    def _unlock(self) -> None:
        self.view.request_unlock(self.path)

    def commit(self) -> None:
        if (self.view.loading or self.view.closed
                or self.view.draft.value(self.path).locked):
            return
        e = self.editor
        if isinstance(e, QComboBox):
            value = e.currentData()
        elif isinstance(e, QCheckBox):
            value = e.isChecked()
        else:
            value = e.text()
        self.view.set_value(self.path, value)

    def load(self) -> None:
        fv = self.view.draft.value(self.path)
        e = self.editor
        if isinstance(e, QComboBox):
            e.setCurrentIndex(max(0, e.findData(fv.value)))
            e.setEnabled(not fv.locked)
        elif isinstance(e, QCheckBox):
            e.setChecked(bool(fv.value))
            e.setEnabled(not fv.locked)
        else:
            e.setText(display_text(fv.value))
            e.setReadOnly(fv.locked)
            e.style().unpolish(e)
            e.style().polish(e)
        self.source.setText("" if fv.origin == "default" else
                            self.view.source_text(fv.source, fv.origin))
        self.unlock.setVisible(fv.locked and fv.filled and self.editor.isVisibleTo(self.view))

    def retranslate(self) -> None:
        lang = self.view.lang
        required = self.view.draft.is_required(self.section, self.fdef, self.index)
        self.label.setText(pick(self.fdef.label, lang) + (" *" if required else ""))
        if isinstance(self.editor, QLineEdit):
            self.editor.setPlaceholderText(
                pick(self.fdef.help, lang) if self.fdef.help else
                _PLACEHOLDERS.get(self.fdef.type, ""))
        if isinstance(self.editor, QComboBox):
            for i, opt in enumerate(self.fdef.options, start=1):
                self.editor.setItemText(i, pick(opt.label, lang))
        self.error.setText(self.problem.message(lang) if self.problem is not None else "")

    @property
    def read_only(self) -> bool:
        """Whether the citizen can change this field on screen."""
        e = self.editor
        return e.isReadOnly() if isinstance(e, QLineEdit) else not e.isEnabled()

    def set_visible(self, on: bool) -> None:
        for w in (self.label, self.editor, self.source, self.error):
            w.setVisible(on)
        if not on:
            self.error.setVisible(False)
            self.unlock.setVisible(False)

    def show_error(self, problem) -> None:
        """`problem`: a FieldError or ProcedureError (message(lang)), or None to clear."""
        self.problem = problem
        text = problem.message(self.view.lang) if problem is not None else ""
        self.error.setText(text)
        self.error.setVisible(bool(text) and self.editor.isVisibleTo(self.view))
        if isinstance(self.editor, QLineEdit):
            self.editor.setProperty("invalid", bool(text))
            self.editor.style().unpolish(self.editor)
            self.editor.style().polish(self.editor)


class FormView(QWidget):
    changed = Signal()
    remove_requested = Signal(str, int)  # role, index: a repeated person to take out

    def __init__(self, draft, lang: str, source_text: Callable[[Source | None, str], str]) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.source_text = source_text
        self.loading = False
        self.closed = False  # the visit ended: nothing is written back to the draft
        self.rows: dict[str, FieldRow] = {}
        self.boxes: list[tuple[QGroupBox, Any, int]] = []
        self.remove_buttons: list[QPushButton] = []
        outer = QVBoxLayout(self)
        outer.setSpacing(24)
        for section in draft.procedure.sections:
            for index in range(draft.count(section)):
                box = QGroupBox()
                grid = QGridLayout(box)
                grid.setColumnStretch(1, 1)
                r = 0
                if self._removable(section, index):
                    remove = QPushButton()  # its text: refresh, in the visit's language
                    self.remove_buttons.append(remove)
                    remove.setProperty("role", "secondary")
                    remove.setObjectName(f"remove:{section.role}[{index}]")
                    remove.clicked.connect(lambda _=False, role=section.role, i=index:
                                           self.remove_requested.emit(role, i))
                    grid.addWidget(remove, r, 0, 1, 4)
                    r += 1
                for fdef in section.fields:
                    if not fdef.ask and not fdef.sources:
                        continue  # filled by a lookup or the configuration, shown elsewhere
                    path = draft.path(section, fdef, index)
                    row = FieldRow(self, section, fdef, index, path)
                    grid.addWidget(row.label, r, 0)
                    grid.addWidget(row.editor, r, 1)
                    grid.addWidget(row.source, r, 2)
                    grid.addWidget(row.unlock, r, 3)
                    grid.addWidget(row.error, r + 1, 1, 1, 2)
                    row.error.hide()
                    self.rows[path] = row
                    r += 2
                outer.addWidget(box)
                self.boxes.append((box, section, index))
        outer.addStretch(1)
        self.refresh()

    def _removable(self, section, index: int) -> bool:
        """One remove button per person: on the first section of a repeated role, and only
        while more than one person is in it (the form needs at least one)."""
        if not section.repeated or not section.role:
            return False
        first = self.draft.procedure.sections_for_role(section.role)[0]
        return first.id == section.id and self.draft.count(section) > 1

    def set_value(self, path: str, value: Any) -> None:
        try:
            self.draft.set(path, value)
        except Exception as exc:  # noqa: BLE001 - a typed ProcedureError, shown at the field
            self.rows[path].show_error(exc if hasattr(exc, "message") else None)
            return
        self.rows[path].show_error(None)
        self.refresh()
        self.changed.emit()

    def request_unlock(self, path: str) -> None:
        """Staff only: let a card (or lookup) value be corrected."""
        if not operator_check.ask_operator(self):
            return
        self.draft.unlock(path, operator=True)
        self.refresh()
        editor = self.rows[path].editor
        editor.setFocus()
        self.changed.emit()

    def refresh(self) -> None:
        """Reload values and show only the fields that are part of the form now."""
        self.loading = True
        try:
            for box, section, index in self.boxes:
                title = pick(section.title, self.lang)
                box.setTitle(f"{title} ({index + 1})" if section.repeated else title)
            for remove in self.remove_buttons:
                remove.setText(self.tr("Remove this person"))
            for row in self.rows.values():
                row.set_visible(self.draft.applies(row.section, row.fdef, row.index))
                row.retranslate()
                row.unlock.setText(self.tr("Unlock (staff)"))
                row.load()
        finally:
            self.loading = False

    def set_language(self, lang: str) -> None:
        """The language switch (from ReviewScreen.retranslate, once the translator is in): the
        labels and the source texts, which come from the translator, are reloaded."""
        self.lang = lang
        self.refresh()

    def close_form(self) -> None:
        """The visit ended: forget every value on screen and never write to the draft again
        (a field losing the focus as the screen goes would otherwise commit into it)."""
        self.closed = True
        for row in self.rows.values():
            e = row.editor
            if isinstance(e, QLineEdit):
                e.clear()
            elif isinstance(e, QComboBox):
                e.setCurrentIndex(0)
            row.source.clear()
            row.problem = None
            row.error.clear()

    def show_errors(self, errors: list) -> QWidget | None:
        """Put each error next to its field; returns the first field at fault."""
        by_path: dict[str, Any] = {}
        for err in errors:
            by_path.setdefault(err.path, err)
        first = None
        for path, row in self.rows.items():
            err = by_path.get(path)
            row.show_error(err)
            if err is not None and first is None:
                first = row.editor
        return first

    def unanswered(self) -> list[str]:
        return [p for p in self.draft.fields_to_ask() if p in self.rows]
