"""Simulator mode only: the operator panel stands in for the citizen's hands. It inserts and
removes simulated cards, shows a card's QR code to the simulated camera, and opens the admin
view. Everything it does goes through the devices' own interfaces (the simulated reader's slot,
the simulated camera's picture), never into the app's state."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from app.ui.screens.base import button

log = logging.getLogger(__name__)


class OperatorPanel(QWidget):
    def __init__(self, services, profiles: list[Path], open_admin) -> None:
        super().__init__()
        self.setObjectName("operatorPanel")
        self.setFixedWidth(300)
        self.services = services
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<b>Simulator / Giả lập</b>"))
        self.profiles = QComboBox()
        self.profiles.setObjectName("profileChooser")
        for p in profiles:
            self.profiles.addItem(p.stem, str(p))
        lay.addWidget(self.profiles)
        for text, name, slot in (
            ("Show QR to camera", "simShowQr", self.show_qr),
            ("Scan QR with hand scanner", "simScanQr", self.scan_qr),
            ("Insert card on reader", "simInsertCard", self.insert_card),
            ("Remove card", "simRemoveCard", self.remove_card),
            ("Clear camera", "simClearCamera", self.clear_camera),
            ("Admin view", "simAdmin", open_admin),
        ):
            b = button(text, role="secondary", name=name)
            b.clicked.connect(slot)
            lay.addWidget(b)
        self.state = QLabel()
        self.state.setWordWrap(True)
        lay.addWidget(self.state)
        lay.addStretch(1)

    def profile_path(self) -> Path:
        return Path(self.profiles.currentData())

    def select(self, stem: str) -> None:
        self.profiles.setCurrentIndex(self.profiles.findText(stem))

    def insert_card(self) -> None:
        from drivers.card.virtual import VirtualCard, load_profile

        backend = self.services.devices.card.impl
        if backend is None or not hasattr(backend, "insert"):
            self.state.setText("no simulated reader")
            return
        backend.insert(VirtualCard(load_profile(self.profile_path())))
        self.state.setText(f"card {self.profile_path().stem} on the reader")

    def remove_card(self) -> None:
        backend = self.services.devices.card.impl
        if backend is not None and hasattr(backend, "remove"):
            backend.remove()
            self.state.setText("card removed")

    def show_qr(self) -> None:
        from drivers.camera.synthetic import render_card_frame

        camera = self.services.simulated_camera()
        if camera is None:
            self.state.setText("no simulated camera")
            return
        profile = json.loads(self.profile_path().read_text(encoding="utf-8"))
        camera.show_image(render_card_frame(qr_text_for_profile(profile), seed=1))
        self.state.setText(f"camera shows {self.profile_path().stem}'s QR code")

    def scan_qr(self) -> None:
        """The simulated hand-held scanner writes the card's QR text on its serial line."""
        scanner = self.services.devices.scanner.impl
        simulator = getattr(scanner, "simulator", None)
        if simulator is None:
            self.state.setText("no simulated scanner")
            return
        profile = json.loads(self.profile_path().read_text(encoding="utf-8"))
        simulator.scan(qr_text_for_profile(profile))
        self.state.setText(f"scanner read {self.profile_path().stem}'s QR code")

    def clear_camera(self) -> None:
        camera = self.services.simulated_camera()
        if camera is not None:
            camera.show_blank()


def qr_text_for_profile(profile: dict) -> str:
    """The text printed in the QR of the card a profile describes (cccd.md section 1)."""
    ident = profile.get("identity", profile)

    def ddmmyyyy(iso: str | None) -> str:
        return "" if not iso else iso[8:10] + iso[5:7] + iso[0:4]

    fields = [ident.get("id_number", ""), ident.get("old_id_number") or "",
              ident.get("full_name", ""), ddmmyyyy(ident.get("birth_date")),
              ident.get("sex", ""), ident.get("place_of_residence", ""),
              ddmmyyyy(ident.get("issue_date"))]
    return "|".join(fields)
