"""The attract screen: what the kiosk is, and one large button to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.session import Stage
from app.ui.screens.base import Screen, button, label


class AttractScreen(Screen):
    stage_name = "attract"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.layout_.addStretch(1)
        self.title = label("title")
        self.title.setAlignment(Qt.AlignCenter)
        self.hint = label("hint")
        self.hint.setAlignment(Qt.AlignCenter)
        self.start = button(name="startButton")
        self.start.setMinimumHeight(120)
        self.start.clicked.connect(lambda: controller.go(Stage.CHOOSE))
        for w in (self.title, self.hint):
            self.layout_.addWidget(w)
        self.layout_.addSpacing(40)
        self.layout_.addWidget(self.start, 0, Qt.AlignHCenter)
        self.layout_.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Citizen reception kiosk"))
        self.hint.setText(self.tr("Submit your application with your chip ID card: "
                                  "the kiosk fills in what the card already proves."))
        self.start.setText(self.tr("Touch here to start"))
