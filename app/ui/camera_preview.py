"""The camera preview: the latest frame from CameraWorker.frame_ready, with a card guide.

Painting only: no capture, no decoding, no scaling of full frames here (the worker sends a small
QImage). The guide is a card-shaped frame with a square where the QR should sit: holding the
card to fill the guide puts the QR at ~4 px per module at 1280x720 (cccd.md section 1).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

CARD_ASPECT = 85.6 / 54.0


class CameraPreview(QWidget):
    def __init__(self, parent: QWidget | None = None, *, guide: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self.guide = guide
        self.state = ""
        self.highlight = False  # the guide turns green for a moment when a code was read

    @Slot(QImage)
    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    @Slot(str)
    def show_state(self, state: str) -> None:
        self.state = state
        if state != "ok":
            self._image = None
        self.update()

    @Slot()
    def flash(self, *_code: object) -> None:
        """A code was read (connected to CameraWorker.code_read: raw, text)."""
        self.highlight = True
        self.update()

    def clear(self) -> None:
        self._image = None
        self.highlight = False
        self.update()

    def has_frame(self) -> bool:
        return self._image is not None

    def guide_rect(self) -> QRectF:
        w, h = self.width(), self.height()
        gw = min(w * 0.8, h * 0.8 * CARD_ASPECT)
        gh = gw / CARD_ASPECT
        return QRectF((w - gw) / 2, (h - gh) / 2, gw, gh)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(30, 30, 30))
        if self._image is not None and not self._image.isNull():
            img = self._image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.FastTransformation)
            # Mirror: people move a card more easily when the preview behaves like a mirror.
            img = img.flipped(Qt.Orientation.Horizontal)
            p.drawImage((self.width() - img.width()) // 2, (self.height() - img.height()) // 2,
                        img)
        if self.guide:
            r = self.guide_rect()
            colour = QColor(60, 200, 90) if self.highlight else QColor(255, 255, 255, 220)
            p.setPen(QPen(colour, 4))
            p.drawRoundedRect(r, 12, 12)
            # Where the QR sits on the card's QR side (right part of the card), ~21% of its width
            q = r.width() * 0.24
            qr = QRectF(r.right() - q - r.width() * 0.05, r.center().y() - q / 2, q, q)
            p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            p.drawRect(qr)
        p.end()
