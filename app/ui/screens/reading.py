"""Reading the card: progress per data group, then the face and one badge per authentication fact,
in words a citizen understands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from app.ui.screens.base import Screen, button, label

# Steps the pipeline reports, in the order the citizen sees them.
STEPS = ("access", "DG1", "DG13", "DG2", "SOD", "passive_auth", "chip_auth")


class ReadingScreen(Screen):
    stage_name = "reading"

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.title = label("title")
        self.hint = label("hint")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.hint)
        body = QHBoxLayout()
        self.layout_.addLayout(body, 1)
        grid_host = QWidget()
        self.grid = QGridLayout(grid_host)
        body.addWidget(grid_host, 2)
        self.rows: dict[str, tuple] = {}
        for i, step in enumerate(STEPS):
            name, bar = label(), QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(0)
            self.grid.addWidget(name, i, 0)
            self.grid.addWidget(bar, i, 1)
            self.rows[step] = (name, bar)
        side = QVBoxLayout()
        body.addLayout(side, 1)
        side.setSpacing(8)
        self.face = label()
        self.face.setObjectName("faceImage")
        self.face.setAlignment(Qt.AlignCenter)
        self.face.setMinimumSize(160, 200)  # the whole screen fits 800 px in height
        side.addWidget(self.face)
        self.badges_host = QWidget()
        self.badges = QVBoxLayout(self.badges_host)
        side.addWidget(self.badges_host)
        side.addStretch(1)
        self.cont = button(name="continueButton")
        self.cont.clicked.connect(controller.continue_after_read)
        self.cont.setEnabled(False)
        self.layout_.addWidget(self.cont, 0, Qt.AlignRight)
        controller.read_progress.connect(self._progress)
        controller.read_result.connect(self._result)
        self._facts: list[tuple[str, str]] = []
        self._current = ""
        self.retranslate()

    def _names(self) -> dict[str, str]:
        return {"access": self.tr("Opening the chip"), "DG1": self.tr("Document data"),
                "DG13": self.tr("Personal data"), "DG2": self.tr("Portrait"),
                "SOD": self.tr("Security data"), "passive_auth": self.tr("Checking the data"),
                "chip_auth": self.tr("Checking the chip")}

    def retranslate(self) -> None:
        self.title.setText(self.tr("Reading your card"))
        self.hint.setText(self.tr("Keep the card on the reader until reading is complete."))
        for step, (name, _) in self.rows.items():
            name.setText(self._names()[step])
        self.cont.setText(self.tr("Continue"))
        self._show_badges()

    def enter(self) -> None:
        self.clear()
        session = self.controller.session
        needs_face = bool(session and session.procedure.needs_face)
        for w in self.rows["DG2"]:
            w.setVisible(needs_face)

    def clear(self) -> None:
        for _, bar in self.rows.values():
            bar.setValue(0)
        self.face.clear()
        self._facts = []
        self._current = ""
        self._show_badges()
        self.cont.setEnabled(False)

    def _progress(self, step: str, done: int, total: int) -> None:
        """A step reports as it starts and as bytes arrive; the previous one is then complete."""
        step = {"active_auth": "chip_auth"}.get(step, step)
        if step not in self.rows:
            return  # files the citizen need not see (EF.COM, DG14, DG15) and the final "done"
        if self._current and self._current != step:
            self.rows[self._current][1].setValue(100)
        self._current = step
        if total > 0:
            self.rows[step][1].setValue(min(100, int(100 * done / total)))

    def _result(self, result, record) -> None:
        for _, bar in self.rows.values():
            if bar.value() == 0:
                bar.setValue(100)  # skipped or instant steps
        face = getattr(result, "face_jpeg", None)
        if face:
            pix = QPixmap()
            if pix.loadFromData(face):
                self.face.setPixmap(pix.scaled(160, 200, Qt.KeepAspectRatio,
                                               Qt.SmoothTransformation))
        self._facts = badge_facts(getattr(result, "auth", None))
        self._show_badges()
        self.cont.setEnabled(True)
        self.cont.setFocus()

    def _show_badges(self) -> None:
        while self.badges.count():
            item = self.badges.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        words = {
            ("data_group_hashes", "passed"): self.tr("The data has not been altered"),
            ("data_group_hashes", "failed"): self.tr("The data on the chip has been altered"),
            ("sod_signature", "passed"): self.tr("Signed by the issuing authority"),
            ("sod_signature", "failed"): self.tr("The issuer's signature is not valid"),
            ("certificate_chain", "passed"): self.tr("Issuer certificate trusted"),
            ("certificate_chain", "failed"): self.tr("Issuer certificate not trusted"),
            ("certificate_chain", "not_checked"): self.tr("Issuer certificate not checked here"),
            ("chip_authentication", "passed"): self.tr("Genuine chip (not a copy)"),
            ("chip_authentication", "failed"): self.tr("The chip may be a copy"),
            ("active_authentication", "passed"): self.tr("Genuine chip (not a copy)"),
            ("active_authentication", "failed"): self.tr("The chip may be a copy"),
            ("online_verification", "passed"): self.tr("Confirmed by the identity service"),
            ("online_verification", "failed"): self.tr("Not confirmed by the identity service"),
        }
        seen = set()
        for fact, state in self._facts:
            text = words.get((fact, state))
            if not text or text in seen:
                continue
            seen.add(text)
            role = {"passed": "badge-ok", "failed": "badge-bad"}.get(state, "badge-warn")
            badge = label(role, text)
            badge.setObjectName(f"badge:{fact}:{state}")
            self.badges.addWidget(badge)


def badge_facts(auth) -> list[tuple[str, str]]:
    """(fact, state) pairs from the read's authentication facts, whatever their container."""
    if auth is None:
        return []
    data = auth.to_json() if hasattr(auth, "to_json") else (
        auth if isinstance(auth, dict) else vars(auth))
    out = []
    for fact, state in data.items():
        if isinstance(state, dict):
            state = state.get("result") or state.get("state") or state.get("status")
        if isinstance(state, str):
            out.append((fact, state))
    return out
