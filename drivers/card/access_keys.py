"""Access keys (CAN for PACE, MRZ information for BAC/PACE) and the ordered candidates a kiosk
tries for a Vietnamese card known from its QR code.

Why this order: PACE-CAN needs only the ID number, which the QR always gives. BAC needs the
expiry date, which the QR does not carry; cccd.md's renewal-age rule predicts it, with the next
milestone and 991231 as fallbacks for the ambiguous boundary days.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from drivers.card.mrz import check_digit, yymmdd

MAX_ATTEMPTS = 4  # whether real cards throttle after failures is unconfirmed: stay well below


@dataclass(frozen=True)
class AccessKey:
    kind: str  # "can" or "mrz"
    can_number: str = ""
    document_number: str = ""
    birth_date: str = ""  # YYMMDD
    expiry_date: str = ""  # YYMMDD

    @classmethod
    def can(cls, number: str) -> "AccessKey":
        if not (number.isdigit() and len(number) == 6):
            raise ValueError("a CAN is 6 digits")
        return cls("can", can_number=number)

    @classmethod
    def mrz(cls, document_number: str, birth: date | str, expiry: date | str | None) -> "AccessKey":
        b = birth if isinstance(birth, str) else yymmdd(birth)
        e = expiry if isinstance(expiry, str) else yymmdd(expiry)
        return cls("mrz", document_number=document_number, birth_date=b, expiry_date=e)

    def mrz_information(self) -> str:
        doc = self.document_number.ljust(9, "<")
        return (doc + check_digit(doc) + self.birth_date + check_digit(self.birth_date)
                + self.expiry_date + check_digit(self.expiry_date))

    def password(self) -> bytes:
        """PACE password bytes: the CAN as ASCII, or SHA-1 of the MRZ information."""
        if self.kind == "can":
            return self.can_number.encode("ascii")
        return hashlib.sha1(self.mrz_information().encode("ascii")).digest()

    @property
    def password_reference(self) -> int:
        return 2 if self.kind == "can" else 1

    def __repr__(self) -> str:  # never print the key material
        return f"AccessKey({self.kind})"


RENEWAL_AGES_2014 = (25, 40, 60)
RENEWAL_AGES_2024 = (14, 25, 40, 60)  # cards issued from 1 July 2024
LAW_2024 = date(2024, 7, 1)


def _birthday_at(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February
        return date(birth.year + age, 3, 1)


def expiry_by_rule(birth: date, issue: date) -> tuple[date | None, date | None]:
    """(expiry by the renewal-age rule, the next milestone after it); None = no expiry."""
    ages = RENEWAL_AGES_2024 if issue >= LAW_2024 else RENEWAL_AGES_2014
    milestones: list[date | None] = [_birthday_at(birth, a) for a in ages] + [None]
    for i, age in enumerate(ages):
        m = milestones[i]
        if m is None or m <= issue:
            continue
        if issue >= _birthday_at(birth, age - 2):  # issued within 2 years before: skip one
            return milestones[i + 1], milestones[i + 2] if i + 2 < len(milestones) else None
        return m, milestones[i + 1]
    return None, None


def predicted_expiries(birth: date, issue: date) -> list[date | None]:
    """Expiry candidates, most likely first: rule, next milestone, then no expiry (991231)."""
    rule, following = expiry_by_rule(birth, issue)
    out: list[date | None] = []
    for d in (rule, following, None):
        if d not in out:
            out.append(d)
    return out


def keys_from_identity(id_number: str, birth_date: date | None, issue_date: date | None = None,
                       today: date | None = None, *, limit: int = MAX_ATTEMPTS) -> list[AccessKey]:
    """Ordered candidates for a card known by its 12-digit ID number (from the QR): the CAN
    first, then BAC keys with the predicted expiry dates. At most `limit` keys."""
    keys: list[AccessKey] = []
    if len(id_number) >= 6 and id_number[-6:].isdigit():
        keys.append(AccessKey.can(id_number[-6:]))
    if birth_date is not None:
        ref = issue_date or today or date.today()
        for exp in predicted_expiries(birth_date, ref):
            keys.append(AccessKey.mrz(id_number[-9:], birth_date, exp))
    return keys[:limit]
