"""Dossier codes a citizen can read aloud or type: `HS-YYMMDD-XXXXXX`.

The six characters come from an alphabet without look-alikes (no 0/O, 1/I/L, U/V pairs), so a
code written on a receipt survives being read over the phone. 30^6 ≈ 7.3e8 codes a day: a
collision is retried by the unique constraint, never silently accepted.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta, timezone

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # 29 symbols: no 0 O 1 I L U V
VN_TZ = timezone(timedelta(hours=7), "ICT")  # Vietnam has no daylight saving time
CODE_RE = re.compile(r"^HS-\d{6}-[" + ALPHABET + r"]{6}$")


def new_dossier_code(now: datetime) -> str:
    day = now.astimezone(VN_TZ).strftime("%y%m%d")
    tail = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"HS-{day}-{tail}"


def normalize_code(text: str) -> str:
    """Accept what a person types: lower case, spaces, O for 0 is not needed (no 0 used)."""
    return text.strip().upper().replace(" ", "")


def is_dossier_code(text: str) -> bool:
    return bool(CODE_RE.match(normalize_code(text)))
