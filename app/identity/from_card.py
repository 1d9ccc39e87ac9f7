"""A chip read (drivers.card.reading.CardReadResult) -> IdentityRecord.

Source.CHIP_VERIFIED only when passive authentication fully held (hashes, signature, and a
trusted signer through the chain or the online service) and no clone check failed; otherwise
Source.CHIP. No Qt here.
"""

from __future__ import annotations

from datetime import date

from app.identity.model import IdentityRecord, Source
from drivers.card.reading import CardReadResult


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def identity_from_card(result: CardReadResult) -> IdentityRecord:
    ident = result.identity
    text = lambda key: str(ident.get(key) or "")  # noqa: E731
    return IdentityRecord(
        source=Source.CHIP_VERIFIED if result.auth.verified else Source.CHIP,
        id_number=text("id_number"),
        full_name=text("full_name"),
        birth_date=_date(ident.get("birth_date")),
        sex=text("sex"),
        place_of_residence=text("place_of_residence"),
        issue_date=_date(ident.get("issue_date")),
        old_id_number=text("old_id_number"),
        nationality=text("nationality"),
        ethnicity=text("ethnicity"),
        religion=text("religion"),
        place_of_origin=text("place_of_origin"),
        identifying_marks=text("identifying_marks"),
        expiry_date=_date(ident.get("expiry_date")),
        expiry_text=text("expiry_text"),
        father_name=text("father_name"),
        mother_name=text("mother_name"),
        spouse_name=text("spouse_name"),
        extras={f"dg13_{k}": str(v) for k, v in (ident.get("unknown_fields") or {}).items()},
        face_jpeg=result.face_jpeg,
    )
