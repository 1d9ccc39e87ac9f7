"""One citizen's visit at the kiosk, from choosing a procedure to the receipt. No Qt.

The session knows which procedure was chosen, whose cards are still to be read (the procedure's
roles), what was read, and the draft form. `wipe()` drops all of it; the UI calls it when the
visit ends or times out, and clears its widgets.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from app import logs
from app.identity.model import IdentityRecord

log = logging.getLogger(__name__)


class Stage(enum.Enum):
    ATTRACT = "attract"
    CHOOSE = "choose"
    PRESENT = "present"  # waiting for a card (and the key to open it)
    READING = "reading"
    REVIEW = "review"
    CONSENT = "consent"
    RECEIPT = "receipt"
    STAYS = "stays"  # lodging staff: the guest register (current stays, check-out)


@dataclass(frozen=True)
class CardTurn:
    """Whose card is asked for now: a role of the procedure, and which one of several."""

    role_id: str
    index: int
    required: bool
    title: dict  # {"vi": ..., "en": ...}


@dataclass
class AccessInput:
    """What opens the chip: from the QR (full identity) or typed (ID number, maybe birth date)."""

    id_number: str
    birth_date: date | None = None
    issue_date: date | None = None
    qr_record: IdentityRecord | None = None
    mrz: object | None = None  # app.lodging.mrz.MrzKey: a passport opened with its typed MRZ key


@dataclass
class Session:
    procedure: object  # app.procedures.ProcedureDef
    draft: object  # app.procedures.FormDraft
    turns: list[CardTurn] = field(default_factory=list)
    position: int = 0
    records: list[tuple[CardTurn, IdentityRecord]] = field(default_factory=list)
    access: AccessInput | None = None
    started_at: datetime = field(default_factory=datetime.now)
    dossier_code: str = ""

    @classmethod
    def start(cls, procedure: object) -> "Session":
        from app.procedures import FormDraft

        turns = [CardTurn(role.id, 0, role.card == "required", role.title)
                 for role in procedure.roles if role.card != "none"]
        return cls(procedure=procedure, draft=FormDraft(procedure), turns=turns)

    @property
    def current_turn(self) -> CardTurn | None:
        return self.turns[self.position] if self.position < len(self.turns) else None

    def add_turn_for(self, role_id: str, index: int) -> CardTurn:
        """One more person in a role that can repeat (another guest in the same room)."""
        role = next(r for r in self.procedure.roles if r.id == role_id)
        turn = CardTurn(role.id, index, role.card == "required", role.title)
        self.turns.insert(self.position, turn)
        return turn

    def accept(self, record: IdentityRecord) -> None:
        """A card (or its QR) was read for the current turn: prefill, then move to the next."""
        turn = self.current_turn
        if turn is None:
            raise RuntimeError("no card is expected now")
        logs.register_sensitive(record.full_name, record.place_of_residence, record.id_number,
                                record.place_of_origin, record.father_name, record.mother_name)
        self.draft.apply_identity(turn.role_id, record, index=turn.index)
        self.records.append((turn, record))
        self.access = None
        self.position += 1

    def skip(self) -> None:
        """Skip an optional card (the father may be absent): the form asks for typed values."""
        turn = self.current_turn
        if turn is not None and not turn.required:
            self.access = None
            self.position += 1

    def already_read(self, record: IdentityRecord) -> CardTurn | None:
        """The turn whose card this is, when the same card was read before in this visit (the
        deceased's card must not be the requester's; a guest is not checked in twice)."""
        for turn, earlier in self.records:
            if record.id_number and earlier.id_number == record.id_number:
                return turn
        return None

    def remove_person(self, role_id: str, index: int) -> None:
        """Take out one person of a repeatable role (a guest added by mistake): their card turn
        and what was read from it go, and the people after them move up one place, as in the
        draft (FormDraft.remove_person)."""
        self.draft.remove_person(role_id, index)

        def moved(turn: CardTurn) -> CardTurn:
            if turn.role_id == role_id and turn.index > index:
                return replace(turn, index=turn.index - 1)
            return turn

        gone = [i for i, t in enumerate(self.turns) if t.role_id == role_id and t.index == index]
        self.position -= sum(1 for i in gone if i < self.position)
        self.turns = [moved(t) for i, t in enumerate(self.turns) if i not in gone]
        kept = []
        for turn, record in self.records:
            if turn.role_id == role_id and turn.index == index:
                record.wipe()
            else:
                kept.append((moved(turn), record))
        self.records = kept

    @property
    def cards_done(self) -> bool:
        return self.current_turn is None

    def wipe(self) -> None:
        """Drop every personal value this session held, and the log masks that went with them."""
        for _, record in self.records:
            record.wipe()
        if self.access and self.access.qr_record:
            self.access.qr_record.wipe()
        self.records.clear()
        self.access = None
        wipe = getattr(self.draft, "wipe", None)
        if wipe:
            wipe()
        logs.forget_sensitive()
        log.info("session wiped")
