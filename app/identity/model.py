"""A person's identity as read from one source, and where each value came from.

The QR parser (app/identity/qr_payload.py) and the chip adapter (app/identity/from_card.py)
both produce an IdentityRecord; the procedures prefill forms from them, ranking sources by
Source.rank. No Qt here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from datetime import date


class Source(enum.Enum):
    """Where a value came from, strongest first. Recorded with every prefilled field."""

    CHIP_VERIFIED = "chip_verified"  # chip, and passive authentication held for its data group
    CHIP = "chip"  # chip, not (fully) verified
    QR = "qr"  # camera read of the printed QR
    SCANNER = "scanner"  # hand-held serial scanner read of the printed QR
    LOOKUP = "lookup"  # an online service (insurance gateway)
    TYPED = "typed"  # typed by the citizen or the operator

    @property
    def rank(self) -> int:
        """Higher wins when two sources fill the same field."""
        return {Source.CHIP_VERIFIED: 50, Source.CHIP: 40, Source.QR: 30, Source.SCANNER: 25,
                Source.LOOKUP: 20, Source.TYPED: 10}[self]

    @property
    def proven_by_card(self) -> bool:
        """Values the citizen must not be asked for again (read-only unless an operator unlocks)."""
        return self in (Source.CHIP_VERIFIED, Source.CHIP, Source.QR, Source.SCANNER)


@dataclass
class IdentityRecord:
    source: Source
    id_number: str
    full_name: str
    birth_date: date | None = None
    sex: str = ""  # "Nam" or "Nữ", as on the card
    place_of_residence: str = ""
    issue_date: date | None = None
    old_id_number: str = ""
    nationality: str = ""
    ethnicity: str = ""
    religion: str = ""
    place_of_origin: str = ""
    identifying_marks: str = ""
    expiry_date: date | None = None
    expiry_text: str = ""  # cards without an expiry date carry a text instead
    father_name: str = ""
    mother_name: str = ""
    spouse_name: str = ""
    extras: dict[str, str] = field(default_factory=dict)  # unknown QR fields / DG13 tags, kept
    face_jpeg: bytes | None = None

    def present_fields(self) -> dict[str, object]:
        """The person fields this source actually gave (empty ones left out)."""
        skip = {"source", "extras", "face_jpeg"}
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in skip and getattr(self, f.name) not in ("", None)}

    def wipe(self) -> None:
        """Drop every personal value (the session ended). Python strings cannot be zeroed in
        place; dropping the only references is what this can do."""
        for f in fields(self):
            if f.name == "source":
                continue
            setattr(self, f.name, {} if f.name == "extras" else
                    (None if f.type in ("date | None", "bytes | None") else ""))
