"""Errors a person can act on, each with a Vietnamese and an English message.

Anything that is not a KioskError (or a driver error mapped in app/messages.py) is a bug, and is
shown as one. Messages never contain personal data: they may be logged.
"""

from __future__ import annotations

from typing import Any


class KioskError(Exception):
    """Base for errors shown to a person: `vi` and `en` say what happened and what to do."""

    code = "kiosk_error"

    def __init__(self, vi: str, en: str, *, code: str | None = None) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        if code:
            self.code = code

    def message(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


class ConfigError(KioskError):
    """A configuration key with a value that cannot be used. Names the key and what it expects."""

    code = "config_error"

    def __init__(self, key: str, expected: str, got: Any) -> None:
        got_text = repr(got) if not isinstance(got, str) else f'"{got}"'
        en = f"configuration: {key} must be {expected} (got {got_text})"
        vi = f"cấu hình: {key} phải là {expected} (giá trị hiện tại {got_text})"
        super().__init__(vi, en)
        self.key = key
        self.expected = expected
