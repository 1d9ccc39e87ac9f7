"""Asking for a member of staff before a staff-only action (unlocking a card value, the guest
register). Uses the admin PIN dialog (app.ui.admin_pin_dialog.ask_admin_pin) when it exists;
until then a plain confirmation that staff must answer.

Call it through the module (`operator_check.ask_operator(parent)`) so tests can replace it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_operator(parent: QWidget | None) -> bool:
    """True when a member of staff confirmed. Never leaves the kiosk waiting without an end:
    the dialog is modal on the kiosk window and the idle timeout still runs behind it."""
    try:
        from app.ui.admin_pin_dialog import ask_admin_pin
    except ImportError:
        ask_admin_pin = None
    if ask_admin_pin is not None:
        return bool(ask_admin_pin(parent))
    # TODO(admin PIN): remove this fallback once app.ui.admin_pin_dialog ships.
    tr = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setObjectName("operatorConfirm")
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(tr("OperatorCheck", "Staff only"))
    box.setText(tr("OperatorCheck", "This action is for staff only. Staff: confirm to go on."))
    box.setStandardButtons(QMessageBox.Ok | QMessageBox.Cancel)
    box.button(QMessageBox.Ok).setText(tr("OperatorCheck", "I am staff"))
    box.button(QMessageBox.Cancel).setText(tr("OperatorCheck", "Cancel"))
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Ok
