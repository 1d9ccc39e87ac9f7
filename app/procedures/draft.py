"""A form being filled in: values with their provenance, prefill from cards, validation, and the
payload handed to the outbox.

Paths name one field of one person: "section.field", or "section[i].field" for a section of a
role with many people (lodging guests). Prefill ranks sources by Source.rank (chip verified >
chip > QR > scanner > lookup > typed) and never replaces a stronger value with a weaker one.
Values a card proved are locked: the citizen is never asked for them again, and only an operator
can unlock one to correct it (the card's value is kept as `original`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Callable, Iterator

from app.identity.model import IdentityRecord, Source
from app.procedures import validation as v
from app.procedures.definitions import CheckDef, Condition, FieldDef, ProcedureDef, SectionDef
from app.procedures.errors import (ConsentError, FieldLockedError, ProcedureError,
                                   SubmissionInvalidError, UnknownFieldError)
from app.procedures.validation import FieldError
from app.procedures.vntime import now_vn

if TYPE_CHECKING:
    from app.addresses import AddressConversion
    from app.procedures.consent import ConsentRecord

SUBMISSION_SCHEMA = "vn-kiosk/submission/1"
_PATH = re.compile(r"([a-z][a-z0-9_]*)(?:\[(\d+)\])?\.([a-z][a-z0-9_]*)")


@dataclass(frozen=True)
class FieldValue:
    """What a field holds. `source` is None while the field is empty. `original` is the value a
    card gave, kept when an operator corrected it (else None)."""

    value: Any
    source: Source | None
    locked: bool
    original: str | None
    origin: str = ""  # identity | insurance | config | default | typed | operator | submission
    unlocked: bool = False

    @property
    def filled(self) -> bool:
        return not v.is_empty(self.value)


@dataclass
class _Slot:
    value: Any = None
    source: Source | None = None
    locked: bool = False
    original: str | None = None
    origin: str = ""
    unlocked: bool = False
    operator_edited: bool = False

    def view(self) -> FieldValue:
        return FieldValue(self.value, self.source, self.locked, self.original, self.origin,
                          self.unlocked)


def _text_of(value: Any) -> str:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return "" if value is None else str(value)


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def normalize(fdef: FieldDef, value: Any) -> Any:
    """The stored form of a value: dates as date objects, choices as the option's value, text
    trimmed. A value that cannot be read is kept as given: errors() reports it."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    t = fdef.type
    if t == "date":
        return v.parse_date(value) or value
    if t == "time":
        return v.parse_time(value) or value
    if t == "datetime":
        return v.parse_datetime(value) or value
    if t == "choice":
        opt = fdef.option(value) if isinstance(value, str) else None
        return opt.value if opt else value
    if t == "bool" and isinstance(value, str):
        return {"true": True, "có": True, "yes": True, "false": False, "không": False,
                "no": False}.get(value.casefold(), value)
    if t == "integer" and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    if t == "phone" and isinstance(value, str):
        norm = v.normalize_phone(value)
        return norm if not v.check_phone(norm) else value
    if t in ("id_number", "bank_account") and isinstance(value, str):
        return re.sub(r"[\s.\-]", "", value)
    return value


class FormDraft:
    def __init__(self, procedure: ProcedureDef, *,
                 clock: Callable[[], datetime] = now_vn) -> None:
        self.procedure = procedure
        self._clock = clock
        self._slots: dict[str, _Slot] = {}
        self._counts: dict[str, int] = {r.id: 1 for r in procedure.roles if r.many}
        self._people: dict[tuple[str, int], str] = {}  # (role, index) -> source of the card read
        self._addresses: dict[str, AddressConversion] = {}
        self.extras: dict[str, Any] = {}  # e.g. the queue ticket, the insurance lookup outcome
        for sec in procedure.sections:
            for i in range(self.count(sec)):
                self._apply_defaults(sec, i)

    # --- addressing -------------------------------------------------------------------------

    def count(self, section: SectionDef | str) -> int:
        """How many instances a section has (people of a repeated role; else 1)."""
        sec = self.procedure.section(section) if isinstance(section, str) else section
        if sec is None:
            raise UnknownFieldError(str(section))
        return self._counts.get(sec.role or "", 1) if sec.repeated else 1

    def people(self, role: str) -> int:
        return self._counts.get(role, 1)

    def add_person(self, role: str) -> int:
        """Another person of a role with many = true (another guest in the room); returns the
        index to use in paths."""
        rdef = self.procedure.role(role)
        if rdef is None or not rdef.many:
            raise ProcedureError("not_repeated", f"Vai trò \"{role}\" không nhận nhiều người.",
                                 f"Role \"{role}\" does not take several people.")
        index = self._counts[role]
        self._counts[role] = index + 1
        for sec in self.procedure.sections_for_role(role):
            self._apply_defaults(sec, index)
        return index

    def remove_person(self, role: str, index: int) -> None:
        """Drop one person of a repeated role; later people move up one index."""
        n = self._counts.get(role, 0)
        if not 0 <= index < n or n <= 1:
            raise ProcedureError("cannot_remove", "Không thể xoá người này khỏi hồ sơ.",
                                 "This person cannot be removed from the form.")
        for sec in self.procedure.sections_for_role(role):
            for i in range(index, n):
                for f in sec.fields:
                    nxt = self._slots.pop(self.path(sec, f, i + 1), None) if i + 1 < n else None
                    self._slots.pop(self.path(sec, f, i), None)
                    if nxt is not None:
                        self._slots[self.path(sec, f, i)] = nxt
        people = {}
        for (r, i), src in self._people.items():
            if r != role or i < index:
                people[(r, i)] = src
            elif i > index:
                people[(r, i - 1)] = src
        self._people = people
        self._counts[role] = n - 1

    def clear_person(self, role: str, index: int = 0) -> None:
        """Forget what was filled for one person (the wrong card was read, or the card was
        taken away before the end): their fields go back to empty or their default, locks and
        all, so the next card read fills them afresh."""
        if self.procedure.role(role) is None or index >= self.people(role) or index < 0:
            raise UnknownFieldError(f"{role}[{index}]")
        for sec in self.procedure.sections_for_role(role):
            for f in sec.fields:
                p = self.path(sec, f, index)
                self._slots.pop(p, None)
                self._addresses.pop(p, None)
            self._apply_defaults(sec, index)
        self._people.pop((role, index), None)

    @staticmethod
    def path(section: SectionDef, fdef: FieldDef, index: int = 0) -> str:
        return (f"{section.id}[{index}].{fdef.id}" if section.repeated
                else f"{section.id}.{fdef.id}")

    def resolve(self, path: str) -> tuple[SectionDef, FieldDef, int, str]:
        """(section, field, index, canonical path). "guests.x" means "guests[0].x"."""
        m = _PATH.fullmatch(path.strip())
        sec = self.procedure.section(m.group(1)) if m else None
        fdef = sec.field(m.group(3)) if (m and sec) else None
        if not m or sec is None or fdef is None:
            raise UnknownFieldError(path)
        index = int(m.group(2) or 0)
        if (m.group(2) is not None and not sec.repeated) or index >= self.count(sec):
            raise UnknownFieldError(path)
        return sec, fdef, index, self.path(sec, fdef, index)

    def iter_fields(self) -> Iterator[tuple[SectionDef, FieldDef, int, str]]:
        for sec in self.procedure.sections:
            for i in range(self.count(sec)):
                for f in sec.fields:
                    yield sec, f, i, self.path(sec, f, i)

    # --- reading ------------------------------------------------------------------------------

    def value(self, path: str) -> FieldValue:
        """The field's value and provenance. `locked` is true for card-proven values and for
        lookup/configuration-only fields (ask = false) until an operator unlocks them."""
        _, fdef, _, canonical = self.resolve(path)
        fv = self._slots.get(canonical, _Slot()).view()
        if not fdef.ask and not fv.unlocked and not fv.locked:
            fv = FieldValue(fv.value, fv.source, True, fv.original, fv.origin, fv.unlocked)
        return fv

    def raw(self, path: str) -> Any:
        return self.value(path).value

    def _cond_value(self, cond: Condition, section: SectionDef, index: int,
                    _depth: int = 0) -> Any:
        sec_id, _, fid = cond.field.partition(".")
        target = self.procedure.section(sec_id)
        i = index if (target is not None and target.repeated and target.id == section.id) else 0
        tfield = target.field(fid) if target is not None else None
        # A field that is not part of the form (its own `when` fails) counts as empty, so a
        # chain of conditions (claim -> payment method -> bank fields) holds together.
        if target is None or tfield is None or (tfield is not None and tfield.when is not None
                                                 and _depth < 8
                                                 and not tfield.when.holds(self._cond_value(
                                                     tfield.when, target, i, _depth + 1))):
            return None
        slot = self._slots.get(f"{sec_id}[{i}].{fid}" if target.repeated else cond.field)
        return slot.value if slot else None

    def applies(self, section: SectionDef, fdef: FieldDef, index: int) -> bool:
        """Whether the field is part of the form right now (its `when` holds)."""
        return fdef.when is None or fdef.when.holds(self._cond_value(fdef.when, section, index))

    def is_required(self, section: SectionDef, fdef: FieldDef, index: int) -> bool:
        if not self.applies(section, fdef, index):
            return False
        if isinstance(fdef.required, Condition):
            return fdef.required.holds(self._cond_value(fdef.required, section, index))
        return bool(fdef.required)

    # --- filling ------------------------------------------------------------------------------

    def _apply_defaults(self, sec: SectionDef, index: int) -> None:
        for f in sec.fields:
            if f.default is None:
                continue
            now = self._clock()
            value = {"now": now.replace(second=0, microsecond=0, tzinfo=None)
                     if f.type == "datetime" else now, "today": now.date()}.get(f.default, f.default) \
                if isinstance(f.default, str) else f.default
            self._slots[self.path(sec, f, index)] = _Slot(normalize(f, value), Source.TYPED,
                                                          origin="default")

    def _fill(self, path: str, fdef: FieldDef, value: Any, source: Source, origin: str) -> bool:
        """Prefill one field unless a stronger (or operator-corrected) value is there."""
        value = normalize(fdef, value)
        if v.is_empty(value):
            return False
        slot = self._slots.get(path)
        if slot is not None and slot.value is not None and slot.origin != "default":
            if slot.operator_edited or (slot.source and slot.source.rank > source.rank):
                return False
        proven = source.proven_by_card
        self._slots[path] = _Slot(value, source, proven, _text_of(value) if proven else None,
                                  origin)
        return True

    def apply_source(self, namespace: str, values: dict[str, Any], source: Source, *,
                     role: str | None = None, index: int = 0, section: str | None = None) -> list[str]:
        """Prefill every field whose sources name `namespace.key` for a key in `values`; limited
        to a role's sections (or one section) when given. Returns the paths filled."""
        filled = []
        for sec in self.procedure.sections:
            if (role is not None and sec.role != role) or (section is not None and
                                                           sec.id != section):
                continue
            i = index if sec.repeated else 0
            for f in sec.fields:
                for src in f.sources:
                    ns, _, attr = src.partition(".")
                    if ns == namespace and attr in values and not v.is_empty(values[attr]):
                        p = self.path(sec, f, i)
                        if self._fill(p, f, values[attr], source, namespace):
                            filled.append(p)
                        break  # the first source the data has is the one that counts
        return filled

    def apply_identity(self, role: str, record: IdentityRecord, *, index: int = 0) -> list[str]:
        """Prefill the role's fields from one card read. For a repeated role, index == the
        current count adds the person."""
        rdef = self.procedure.role(role)
        if rdef is None:
            raise ProcedureError("unknown_role", f"Thủ tục không có vai trò \"{role}\".",
                                 f"The procedure has no role \"{role}\".")
        if rdef.many and index == self._counts[role]:
            self.add_person(role)
        elif rdef.many and index > self._counts[role] or (not rdef.many and index != 0):
            raise UnknownFieldError(f"{role}[{index}]")
        filled = self.apply_source("identity", record.present_fields(), record.source,
                                   role=role, index=index)
        prev = self._people.get((role, index))
        if prev is None or Source(prev).rank <= record.source.rank:
            self._people[(role, index)] = record.source.value
        return filled

    def apply_config(self, config: Any) -> list[str]:
        """Fields whose sources name "config.section.key" (the lodging establishment)."""
        wanted = {src.partition(".")[2] for _, f, _, _ in self.iter_fields() for src in f.sources
                  if src.startswith("config.")}
        return self.apply_source("config", {k: config[k] for k in wanted}, Source.LOOKUP)

    def set(self, path: str, value: Any, *, source: Source = Source.TYPED) -> None:
        sec, fdef, index, canonical = self.resolve(path)
        slot = self._slots.get(canonical, _Slot())
        # Card values, and values only a lookup or the configuration may give (the insurance
        # record, the establishment), are not the citizen's to change.
        if slot.locked or (not fdef.ask and not slot.unlocked):
            raise FieldLockedError(canonical)
        value = normalize(fdef, value)
        if slot.unlocked:
            # An operator's correction of a card value: keep the card's value beside it.
            self._slots[canonical] = _Slot(value, source, False, slot.original, "operator",
                                           True, True)
            self._addresses.pop(canonical, None)
            return
        proven = source.proven_by_card
        self._slots[canonical] = _Slot(value, None if value is None else source, proven,
                                       _text_of(value) if proven else None,
                                       "typed" if source == Source.TYPED else source.value)
        self._addresses.pop(canonical, None)

    def unlock(self, path: str, *, operator: bool = False) -> None:
        """Let an operator correct a card value. The citizen alone cannot."""
        if not operator:
            raise ProcedureError("operator_required",
                                 "Chỉ cán bộ mới có thể mở khoá thông tin đọc từ thẻ.",
                                 "Only staff can unlock a value read from the card.")
        *_, canonical = self.resolve(path)
        slot = self._slots.setdefault(canonical, _Slot())
        slot.locked = False
        slot.unlocked = True

    # --- what is left to do ---------------------------------------------------------------------

    def fields_to_ask(self, *, required_only: bool = False) -> list[str]:
        """Paths the citizen still has to fill, in form order: empty, part of the form now, not
        lookup/configuration-only. A value a card gave is never listed."""
        out = []
        for sec, f, i, p in self.iter_fields():
            if not f.ask or not self.applies(sec, f, i):
                continue
            slot = self._slots.get(p)
            if slot is not None and (slot.locked or not v.is_empty(slot.value)):
                continue
            if required_only and not self.is_required(sec, f, i):
                continue
            out.append(p)
        return out

    def issues(self) -> list[FieldError]:
        today = self._clock().date()
        now = self._clock()
        out: list[FieldError] = []
        for sec, f, i, p in self.iter_fields():
            if not self.applies(sec, f, i):
                continue
            val = self._slots.get(p, _Slot()).value
            if v.is_empty(val):
                if self.is_required(sec, f, i):
                    out.append(v.required_error(p))
                continue
            out.extend(e.at(p) for e in self._check_value(f, val, today, now))
        for check in self.procedure.checks:
            out.extend(self._run_check(check, today))
        return out

    def errors(self, lang: str = "vi") -> list[FieldError]:
        """Everything that blocks the submission (warnings excluded: see warnings())."""
        return [e for e in self.issues() if e.severity == v.ERROR]

    def warnings(self, lang: str = "vi") -> list[FieldError]:
        return [e for e in self.issues() if e.severity == v.WARNING]

    @staticmethod
    def _check_value(f: FieldDef, val: Any, today: date, now: datetime) -> list[FieldError]:
        t = f.type
        if t in ("text", "address"):
            return v.check_text(val, max_length=f.max_length, min_length=f.min_length,
                                pattern=f.pattern)
        if t == "date":
            return v.check_date(val, today=today, past_only=f.past_only)
        if t == "time":
            return v.check_time(val)
        if t == "datetime":
            return v.check_datetime(val, now=now, past_only=f.past_only)
        if t == "choice":
            return [] if any(o.value == val for o in f.options) else [v.choice_error()]
        if t == "bool":
            return [] if isinstance(val, bool) else [v.choice_error()]
        if t == "phone":
            return v.check_phone(val)
        if t == "email":
            return v.check_email(val)
        if t == "id_number":
            return v.check_id_number(val)
        if t == "integer":
            return v.check_integer(val, minimum=f.minimum, maximum=f.maximum)
        if t == "bank_account":
            return v.check_bank_account(val)
        return []

    def _instances(self, paths: list[str]) -> list[dict[str, str]]:
        """A check's paths for each person when they point into a repeated section."""
        secs = {p.partition(".")[0] for p in paths}
        repeated = [s for s in secs if (sd := self.procedure.section(s)) and sd.repeated]
        n = max((self.count(s) for s in repeated), default=1)
        return [{p: (f"{p.partition('.')[0]}[{i}].{p.partition('.')[2]}"
                     if p.partition(".")[0] in repeated else p) for p in paths} for i in range(n)]

    def _run_check(self, check: CheckDef, today: date) -> list[FieldError]:
        params = check.params
        paths = [p for k, p in params.items() if k not in ("years", "reason", "fields")]
        paths += params.get("fields", [])
        out: list[FieldError] = []
        for idx, inst in enumerate(self._instances(paths)):
            def val(p: str) -> Any:
                slot = self._slots.get(inst[p])
                return slot.value if slot else None
            if check.when is not None:
                sec = self.procedure.section(check.when.field.partition(".")[0])
                if sec is None or not check.when.holds(self._cond_value(check.when, sec, idx)):
                    continue
            kind = check.kind
            if kind == "id_consistent":
                idv = val(params["id"])
                if v.is_empty(idv):
                    continue
                birth = v.parse_date(val(params["birth_date"])) if "birth_date" in params else None
                sex = val(params["sex"]) if "sex" in params else None
                out.extend(e.at(inst[params["id"]]) for e in
                           v.check_id_number(idv, birth_date=birth, sex=sex)
                           if e.reason.endswith("_mismatch"))
            elif kind == "date_order":
                out.extend(e.at(inst[params["later"]]) for e in v.check_date_order(
                    val(params["earlier"]), val(params["later"]),
                    reason=params.get("reason", "date_order")))
            elif kind == "age_under":
                out.extend(e.at(inst[params["field"]]) for e in v.check_age_under(
                    val(params["field"]), params["years"], today=today))
            elif kind == "different":
                seen: dict[Any, str] = {}
                for p in params["fields"]:
                    x = val(p)
                    if v.is_empty(x):
                        continue
                    x = x if isinstance(x, (str, int, date)) else repr(x)  # hashable
                    if x in seen:
                        e = v.same_person_error(inst[p])
                        if params.get("reason"):
                            e = FieldError(e.path, params["reason"], e.message_vi, e.message_en)
                        out.append(e)
                    seen[x] = p
        return out

    # --- addresses ------------------------------------------------------------------------------

    def address(self, path: str) -> AddressConversion | None:
        """The address of an address field in today's administrative units, beside the original
        (computed once per value). None when the field is empty."""
        from app.addresses import convert_address
        _, fdef, _, canonical = self.resolve(path)
        val = self._slots.get(canonical, _Slot()).value
        if fdef.type != "address" or v.is_empty(val):
            return None
        if canonical not in self._addresses or self._addresses[canonical].original != val:
            self._addresses[canonical] = convert_address(str(val))
        return self._addresses[canonical]

    # --- the payload ----------------------------------------------------------------------------

    def to_submission(self, consent: ConsentRecord) -> dict[str, Any]:
        """The JSON-ready payload for the outbox. Refuses a draft with errors or a consent given
        to another procedure's text."""
        if consent is None or consent.text_id != self.procedure.consent_id:
            raise ConsentError("consent_mismatch",
                               "Chưa có sự đồng ý cho đúng thủ tục này.",
                               "Consent for this procedure's text is missing.")
        errors = self.errors()
        if errors:
            raise SubmissionInvalidError(errors)
        fields_out: dict[str, Any] = {}
        addresses: dict[str, Any] = {}
        for sec, f, i, p in self.iter_fields():
            slot = self._slots.get(p)
            if slot is None or v.is_empty(slot.value) or not self.applies(sec, f, i):
                continue
            entry = {"value": to_json(slot.value), "source": slot.source.value if slot.source
                     else None, "origin": slot.origin, "locked": slot.locked}
            if slot.original is not None and slot.operator_edited:
                entry["original"] = slot.original
                entry["corrected_by_operator"] = True
            fields_out[p] = entry
            if f.type == "address":
                conv = self.address(p)
                if conv is not None:
                    addresses[p] = conv.as_dict()
        return {
            "schema": SUBMISSION_SCHEMA,
            "procedure_id": self.procedure.id,
            "procedure_version": self.procedure.version,
            "family": self.procedure.family,
            "agencies": [{"id": a["id"], "name": dict(a["name"])} for a in self.procedure.agencies],
            "created_at": self._clock().isoformat(),
            "consent": consent.as_dict(),
            "people": [{"role": r, "index": i, "card_source": s}
                       for (r, i), s in sorted(self._people.items())],
            "fields": fields_out,
            "addresses": addresses,
            "deadline": deadline.isoformat() if (deadline := self.deadline()) else None,
            "warnings": [{"path": w.path, "reason": w.reason} for w in self.warnings()],
            "extras": {k: to_json(x) for k, x in self.extras.items()},
        }

    def deadline(self) -> datetime | None:
        """The legal deadline of this submission, when its family has one: a lodging
        notification is due by the 23:00 / 08:00 rule from the arrival (the outbox sends the
        most urgent first)."""
        if self.procedure.family != "lodging" or self.procedure.section("stay") is None:
            return None
        from app.lodging.deadline import notification_deadline
        arrival = v.parse_datetime(self._slots.get("stay.arrival", _Slot()).value)
        return notification_deadline(arrival) if arrival else None

    def wipe(self) -> None:
        """Drop every value (the session ended or timed out)."""
        self._slots.clear()
        self._people.clear()
        self._addresses.clear()
        self.extras.clear()
        self._counts = {r.id: 1 for r in self.procedure.roles if r.many}
        for sec in self.procedure.sections:
            self._apply_defaults(sec, 0)
