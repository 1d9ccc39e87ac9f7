"""The kiosk window: a top bar (where you are, language switch), the current screen, the idle
warning, and in simulator mode the operator panel on the side."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from app.session import Stage
from app.ui.screens.base import Screen, button, pick


class MainWindow(QMainWindow):
    def __init__(self, controller, screens: dict[Stage, Screen],
                 operator_panel: QWidget | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.screens = screens
        self.setWindowTitle("vn-kiosk")
        root = QWidget()
        outer = QHBoxLayout(root)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        main = QVBoxLayout()
        main.setSpacing(0)
        outer.addLayout(main, 1)

        top = QWidget()
        top.setObjectName("topbar")
        bar = QHBoxLayout(top)
        bar.setContentsMargins(24, 10, 24, 10)
        self.where = QLabel()
        self.where.setObjectName("whereLabel")
        self.where.setWordWrap(True)  # a long procedure title must not widen the window
        self.lang_button = button(name="languageButton")
        self.lang_button.clicked.connect(self._toggle_language)
        bar.addWidget(self.where, 1)
        bar.addWidget(self.lang_button)
        main.addWidget(top)

        self.idle_banner = QLabel()
        self.idle_banner.setObjectName("idleBanner")
        self.idle_banner.setAlignment(Qt.AlignCenter)
        self.idle_banner.hide()
        main.addWidget(self.idle_banner)

        self.stack = QStackedWidget()
        for screen in screens.values():
            self.stack.addWidget(screen)
        main.addWidget(self.stack, 1)
        from app.ui.keyboard import OnScreenKeyboard

        self.keyboard = OnScreenKeyboard()  # shows itself under a focused text field
        main.addWidget(self.keyboard)
        if operator_panel is not None:
            outer.addWidget(operator_panel)
        self.setCentralWidget(root)

        controller.stage_changed.connect(self.show_stage)
        controller.language_changed.connect(lambda _: self.retranslate())
        controller.session_changed.connect(self.retranslate)
        controller.idle_warning.connect(self._idle_warning)
        controller.session_changed.connect(self._wipe_screens_if_ended)
        self.show_stage(controller.stage)

    def show_stage(self, stage: Stage) -> None:
        screen = self.screens[stage]
        for other in self.screens.values():  # only the screen on show sizes the window
            policy = QSizePolicy.Preferred if other is screen else QSizePolicy.Ignored
            other.setSizePolicy(policy, policy)
        screen.enter()
        self.stack.setCurrentWidget(screen)
        self.retranslate()

    def current_screen(self) -> Screen:
        return self.stack.currentWidget()

    def _toggle_language(self) -> None:
        self.controller.touch()
        self.controller.set_language("en" if self.controller.lang == "vi" else "vi")

    def _wipe_screens_if_ended(self) -> None:
        if self.controller.session is None:
            for screen in self.screens.values():
                screen.clear()

    def _idle_warning(self, seconds: int) -> None:
        if seconds <= 0:
            self.idle_banner.hide()
            return
        self.idle_banner.setText(self.tr("Are you still there? The kiosk will clear your data in "
                                         "%n second(s). Touch the screen to continue.", "", seconds))
        self.idle_banner.show()

    def retranslate(self) -> None:
        # the button names the other language, in that language
        self.lang_button.setText("English" if self.controller.lang == "vi" else "Tiếng Việt")
        session = self.controller.session
        self.where.setText(pick(session.procedure.title, self.controller.lang) if session
                           else self.tr("Citizen reception kiosk"))


class ActivityFilter(QObject):
    """Every touch, click or key anywhere resets the idle countdown."""

    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.MouseButtonPress, QEvent.KeyPress, QEvent.TouchBegin):
            self.controller.touch()
        return False
