"""What every screen shares: retranslation on language change, and clearing on session end."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def pick(texts: dict | str, lang: str) -> str:
    """A text from a definition's {"vi": ..., "en": ...}, in `lang`, falling back to Vietnamese."""
    if isinstance(texts, str):
        return texts
    return texts.get(lang) or texts.get("vi") or next(iter(texts.values()), "")


def label(role: str = "", text: str = "", wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if role:
        w.setProperty("role", role)
    w.setWordWrap(wrap)
    return w


def button(text: str = "", role: str = "", name: str = "") -> QPushButton:
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    if name:
        b.setObjectName(name)
    b.setCursor(Qt.PointingHandCursor)
    return b


class Screen(QWidget):
    """A full-window page. Subclasses build widgets in __init__ and set texts in retranslate()."""

    stage_name = ""

    def __init__(self, controller) -> None:  # controller: app.ui.controller.Controller
        super().__init__()
        self.setObjectName("screen")
        self.controller = controller
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(48, 32, 48, 32)
        self.layout_.setSpacing(20)

    @property
    def lang(self) -> str:
        return self.controller.lang

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text for the current language."""

    def enter(self) -> None:
        """Called when the screen is shown for the current session."""

    def clear(self) -> None:
        """Drop anything personal the screen shows (the session ended)."""
