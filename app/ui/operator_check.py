"""Asking for a member of staff before a staff-only action (unlocking a card value for a
correction, the lodging guest register): the admin PIN dialog (app/ui/admin_pin_dialog.py,
its own keypad, lockout and timeout).

Call it through the module (`operator_check.ask_operator(parent)`) so tests can stand in for
the member of staff.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def ask_operator(parent: QWidget | None) -> bool:
    """True when a member of staff gave the admin PIN. The dialog gives up by itself after a
    while: an unattended kiosk never waits for ever."""
    from app.ui.admin_pin_dialog import ask_admin_pin

    return bool(ask_admin_pin(parent))
