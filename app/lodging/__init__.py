"""Lodging: the guest register, the residence-notification deadline, passport MRZ keys.
Plain Python, no Qt."""

from app.lodging.deadline import (DeadlineWarning, deadline_state, notification_deadline)
from app.lodging.guests import apply_passport
from app.lodging.mrz import MrzError, MrzKey, check_digit, mrz_key, mrz_key_from_text
from app.lodging.register import (CITIZEN, FOREIGNER, Guest, GuestRegister, RegisterError, Stay,
                                  register_from_config, warning_window)

__all__ = ["apply_passport", "CITIZEN", "FOREIGNER", "DeadlineWarning", "Guest", "GuestRegister", "MrzError",
           "MrzKey", "RegisterError", "Stay", "check_digit", "deadline_state", "mrz_key",
           "mrz_key_from_text", "notification_deadline", "register_from_config", "warning_window"]
