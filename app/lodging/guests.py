"""Filling a lodging notification's guest from a foreign passport.

A passport chip (opened with the MRZ key, app/lodging/mrz.py) or its MRZ gives the same person
data as a Vietnamese card, but its document number is a passport number, not a personal ID
number: it must land in `passport_number` with the guest marked as a foreigner, never in
`id_number`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.identity.model import IdentityRecord
from app.lodging.register import FOREIGNER

if TYPE_CHECKING:
    from app.procedures.draft import FormDraft


def apply_passport(draft: FormDraft, record: IdentityRecord, *, index: int,
                   role: str = "guest", section: str = "guests") -> list[str]:
    """Prefill guest `index` (index == the current count adds a guest) from a passport read;
    `record.id_number` holds the passport number. Returns the paths filled."""
    if index == draft.people(role):
        draft.add_person(role)
    draft.set(f"{section}[{index}].kind", FOREIGNER)
    values = record.present_fields()
    number = str(values.pop("id_number", "") or "")
    filled = draft.apply_source("identity", values, record.source, role=role, index=index)
    if number:
        draft.set(f"{section}[{index}].passport_number", number, source=record.source)
        filled.append(f"{section}[{index}].passport_number")
    return filled
