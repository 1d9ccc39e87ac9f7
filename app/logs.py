"""Logging that never writes personal data.

Two defences. Call sites log codes, counts and states, never values from a card or a form (the
rule). And a filter on every handler masks what looks like personal data anyway (the net):
12-digit and 9-digit ID numbers, dates, and every string registered as sensitive for the current
session (names, addresses) through `register_sensitive`, cleared with the session.
A test runs a whole simulated session and searches every log line for the person's data.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from pathlib import Path

_ID_NUMBER = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")
_DATE = re.compile(r"(?<!\d)(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}|\d{8})(?!\d)")
_MASK = "[redacted]"

_lock = threading.Lock()
_sensitive: set[str] = set()


def register_sensitive(*values: object) -> None:
    """Mark strings of the current session (a name, an address) to be masked in any log line."""
    with _lock:
        for v in values:
            if isinstance(v, str) and len(v.strip()) >= 3:
                _sensitive.add(v.strip())


def forget_sensitive() -> None:
    """Called when a session ends: the masks go with the data."""
    with _lock:
        _sensitive.clear()


def redact(text: str) -> str:
    with _lock:
        values = sorted(_sensitive, key=len, reverse=True)
    for v in values:
        text = text.replace(v, _MASK)
    text = _ID_NUMBER.sub(_MASK, text)
    return _DATE.sub(_MASK, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(level: int = logging.INFO, log_file: Path | None = None) -> None:
    """Configure the root logger: stderr (and a file when given), every handler redacting."""
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        root.removeHandler(h)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for h in handlers:
        h.addFilter(RedactingFilter())
        h.setFormatter(fmt)
        root.addHandler(h)
