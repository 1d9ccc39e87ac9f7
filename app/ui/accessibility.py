"""Large text, high contrast and the touch-target rule.

`Accessibility` holds the two modes (defaults from [accessibility] in the configuration) and
applies them as style sheets layered on kiosk.qss: high_contrast.qss, then large_text.qss.
`AccessibilityBar` is the pair of toggles the top bar shows on every screen. A visit that
turned them on keeps them until the session ends; the next citizen gets the configured defaults.

Touch targets: at least 9 mm on the kiosk's screen. The kiosk cannot measure its screen, so
the density is configuration ([accessibility] screen_dpi, 96 by default: 9 mm = 34 px); a
15.6" 1920x1080 panel is 141 dpi (50 px), set it there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from app.ui.screens.base import button

STYLES = Path(__file__).resolve().parent.parent.parent / "assets" / "styles"
TARGET_MM = 9.0


def min_target_px(dpi: float) -> int:
    """9 mm in pixels at `dpi` (96 dpi -> 34 px)."""
    return round(TARGET_MM / 25.4 * dpi)


class Accessibility(QObject):
    changed = Signal()

    def __init__(self, qapp: QApplication, large_text: bool = False,
                 high_contrast: bool = False) -> None:
        super().__init__()
        self.qapp = qapp
        self.defaults = (large_text, high_contrast)
        self.large_text, self.high_contrast = large_text, high_contrast
        self._base = (STYLES / "kiosk.qss").read_text(encoding="utf-8")
        self._sheets = {name: (STYLES / f"{name}.qss").read_text(encoding="utf-8")
                        for name in ("high_contrast", "large_text")}
        if large_text or high_contrast:  # the plain sheet is the kiosk's own: set already
            self.apply()

    def style_sheet(self) -> str:
        parts = [self._base]
        if self.high_contrast:
            parts.append(self._sheets["high_contrast"])
        if self.large_text:
            parts.append(self._sheets["large_text"])
        return "\n".join(parts)

    def apply(self) -> None:
        self.qapp.setStyleSheet(self.style_sheet())
        self.changed.emit()

    def set_large_text(self, on: bool) -> None:
        if on != self.large_text:
            self.large_text = on
            self.apply()

    def set_high_contrast(self, on: bool) -> None:
        if on != self.high_contrast:
            self.high_contrast = on
            self.apply()

    def reset(self) -> None:
        """Back to the configured defaults (the session ended)."""
        if (self.large_text, self.high_contrast) != self.defaults:
            self.large_text, self.high_contrast = self.defaults
            self.apply()


class AccessibilityBar(QWidget):
    """Two toggles for the top bar: large text and high contrast."""

    def __init__(self, access: Accessibility, on_touch=None) -> None:
        super().__init__()
        self.setObjectName("accessibilityBar")
        self.access = access
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.large = button(name="largeTextButton")
        self.contrast = button(name="highContrastButton")
        for b in (self.large, self.contrast):
            b.setCheckable(True)
            lay.addWidget(b)
        self.large.toggled.connect(access.set_large_text)
        self.contrast.toggled.connect(access.set_high_contrast)
        if on_touch is not None:
            self.large.clicked.connect(lambda _=False: on_touch())
            self.contrast.clicked.connect(lambda _=False: on_touch())
        access.changed.connect(self.sync)
        self.sync()
        self.retranslate()

    def sync(self) -> None:
        for b, on in ((self.large, self.access.large_text),
                      (self.contrast, self.access.high_contrast)):
            if b.isChecked() != on:
                b.blockSignals(True)
                b.setChecked(on)
                b.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.large.setText(self.tr("Large text"))
        self.large.setToolTip(self.tr("Make the text larger"))
        self.contrast.setText(self.tr("High contrast"))
        self.contrast.setToolTip(self.tr("Light text on a dark background"))
