"""Choose a procedure: one large button for each procedure the deployment profile offers."""

from __future__ import annotations

import textwrap

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.session import Stage
from app.ui.screens.base import Screen, button, label, pick


WRAP = 60  # characters a line on a procedure button


class ChooseScreen(Screen):
    stage_name = "choose"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.layout_.addWidget(self.title)
        self.list_host = QWidget()
        self.list_ = QVBoxLayout(self.list_host)
        self.list_.setSpacing(16)
        self.layout_.addWidget(self.list_host)
        self.layout_.addStretch(1)
        self.back = button(role="secondary", name="backButton")
        self.back.clicked.connect(controller.end_session)
        # lodging: the staff's guest register (current stays, deadlines, check-out)
        self.register = button(role="secondary", name="guestRegisterButton")
        self.register.clicked.connect(self._open_register)
        self.register.setVisible(controller.cfg["kiosk.profile"] == "lodging")
        bottom = QHBoxLayout()
        bottom.addWidget(self.back)
        bottom.addStretch(1)
        bottom.addWidget(self.register)
        self.layout_.addLayout(bottom)
        self.buttons: dict[str, object] = {}
        self._build()
        self.retranslate()

    def _build(self) -> None:
        for proc in self.controller.procedures():
            b = button(role="procedure", name=f"procedure:{proc.id}")
            b.clicked.connect(lambda _=False, pid=proc.id: self.controller.start_procedure(pid))
            self.list_.addWidget(b)
            self.buttons[proc.id] = (b, proc)

    def _open_register(self) -> None:
        from app.ui import operator_check

        if operator_check.ask_operator(self):
            self.controller.go(Stage.STAYS)

    def retranslate(self) -> None:
        self.title.setText(self.tr("What would you like to do?"))
        self.back.setText(self.tr("Back"))
        self.register.setText(self.tr("Guest register (staff)"))
        for b, proc in self.buttons.values():
            summary = pick(getattr(proc, "summary", {}) or {}, self.lang)
            # push buttons do not wrap: break long titles so the screen fits 1280 px
            text = textwrap.fill(pick(proc.title, self.lang), WRAP)
            b.setText(text + (f"\n{textwrap.fill(summary, WRAP)}" if summary else ""))
