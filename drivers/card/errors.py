"""Typed errors of the chip-reading stack. Each has a stable `reason` the app maps to a message."""

from __future__ import annotations

from drivers.card.interface import CardError


class CardProtocolError(CardError):
    """The chip sent something malformed, hostile or unexpected (bad TLV, oversize file...)."""

    reason = "protocol_error"


class AccessDeniedError(CardError):
    """No access key opened the chip (wrong CAN / MRZ data), after a bounded number of tries."""

    reason = "access_denied"


class SecureMessagingError(CardError):
    """A protected response failed its MAC check or could not be decrypted."""

    reason = "secure_messaging"


class StatusWordError(CardError):
    """The chip answered with an error status word. `sw` is the 16-bit value."""

    reason = "status_word"

    def __init__(self, sw: int, context: str = "") -> None:
        super().__init__(f"{context or 'command'} failed: SW {sw:04X}")
        self.sw = sw


class FileNotFoundOnCardError(StatusWordError):
    reason = "file_not_found"


class SecurityStatusError(StatusWordError):
    """6982: the file needs access control first (or EAC, which the kiosk does not do)."""

    reason = "security_status"


class WrongLengthError(StatusWordError):
    reason = "wrong_length"


class NotSupportedError(StatusWordError):
    reason = "not_supported"


class AuthenticationFailedError(StatusWordError):
    """63xx / 6300 on a mutual authentication: the key is wrong."""

    reason = "authentication_failed"


class ReadCancelledError(CardError):
    reason = "cancelled"
