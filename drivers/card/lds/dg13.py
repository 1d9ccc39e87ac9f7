"""DG13, Vietnam's personal-data group (cccd.md §4):
`6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value... } } } }`.

Tolerant by design: public parsers disagree on the nesting of the parents' names (field 13) and
2024 cards may add fields, so every field's strings are collected depth-first, known fields are
mapped by number, and unknown numbers are kept as text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from drivers.card import tlv
from drivers.card.errors import CardProtocolError

UTF8_OID = "1.0.10646.1.0.8"
STRING_TAGS = {0x0C, 0x13, 0x16, 0x14, 0x1E, 0x04, 0x1A}

FIELDS = {
    1: "id_number", 2: "full_name", 3: "birth_date", 4: "sex", 5: "nationality",
    6: "ethnicity", 7: "religion", 8: "place_of_origin", 9: "place_of_residence",
    10: "identifying_marks", 11: "issue_date", 12: "expiry_date", 13: "parents",
    14: "spouse_name", 15: "old_id_number", 16: "field_16",
}


@dataclass
class Dg13:
    id_number: str = ""
    full_name: str = ""
    birth_date: date | None = None
    sex: str = ""
    nationality: str = ""
    ethnicity: str = ""
    religion: str = ""
    place_of_origin: str = ""
    place_of_residence: str = ""
    identifying_marks: str = ""
    issue_date: date | None = None
    expiry_date: date | None = None
    expiry_text: str = ""
    father_name: str = ""
    mother_name: str = ""
    spouse_name: str = ""
    old_id_number: str = ""
    unknown_fields: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {}
        for k, v in self.__dict__.items():
            out[k] = v.isoformat() if isinstance(v, date) else v
        out["unknown_fields"] = dict(self.unknown_fields)
        return out


def _text(item: tlv.Tlv) -> str:
    raw = item.value
    if item.tag == 0x1E:
        return raw.decode("utf-16-be", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _strings(items: list[tlv.Tlv]) -> list[str]:
    out: list[str] = []
    for it in items:
        if it.tag in STRING_TAGS:
            out.append(_text(it).strip())
        elif it.children:
            out.extend(_strings(it.children))
    return out


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> date | None:
    """dd/MM/yyyy (the card's format), ddMMyyyy or ISO; None when the text is not a date."""
    t = text.strip()
    m = _DMY.match(t)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{8}", t):
            return date(int(t[4:]), int(t[2:4]), int(t[:2]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return date.fromisoformat(t)
    except ValueError:
        return None
    return None


def _field_entries(top: tlv.Tlv) -> list[tlv.Tlv]:
    """The SEQUENCEs {INTEGER n, ...}, wherever the SET holding them sits."""
    stack = [top]
    while stack:
        node = stack.pop(0)
        for c in node.children:
            if c.tag == 0x31:
                return [e for e in c.children if e.tag == 0x30]
        stack.extend(c for c in node.children if c.children)
    # No SET: fall back to sequences that start with an INTEGER, anywhere under the top.
    found: list[tlv.Tlv] = []

    def walk(n: tlv.Tlv) -> None:
        for c in n.children:
            if c.tag == 0x30 and c.children and c.children[0].tag == 0x02 and len(c.children) > 1:
                found.append(c)
            elif c.children:
                walk(c)

    walk(top)
    return found


def parse(data: bytes) -> Dg13:
    top = tlv.parse_one(data, 0x6D, depth=6)
    entries = _field_entries(top)
    if not entries:
        raise CardProtocolError("DG13: no fields")
    out = Dg13()
    field_16 = ""
    for e in entries:
        if not e.children or e.children[0].tag != 0x02 or not 0 < len(e.children[0].value) <= 2:
            continue
        n = int.from_bytes(e.children[0].value, "big")
        values = _strings(e.children[1:])
        first = values[0] if values else ""
        name = FIELDS.get(n)
        if name is None:
            out.unknown_fields[str(n)] = " | ".join(values)
        elif name in ("birth_date", "issue_date"):
            setattr(out, name, parse_date(first))
            if getattr(out, name) is None and first:
                out.unknown_fields[str(n)] = first
        elif name == "expiry_date":
            out.expiry_date = parse_date(first)
            out.expiry_text = "" if out.expiry_date else first  # e.g. "Không thời hạn"
        elif name == "parents":
            # By position, empty strings included: a card with only the mother's name carries an
            # empty father's name first.
            out.father_name = values[0] if values else ""
            out.mother_name = values[1] if len(values) > 1 else ""
        elif name == "field_16":
            field_16 = first
            out.unknown_fields["16"] = first
        else:
            setattr(out, name, first)
    if not out.old_id_number and len(field_16) == 9 and field_16.isdigit():
        out.old_id_number = field_16  # one source calls field 16 the old ID
    return out


# --- building (the virtual card) ---
def _utf8(s: str) -> bytes:
    return tlv.encode(0x0C, s.encode("utf-8"))


def _entry(n: int, value: bytes) -> bytes:
    return tlv.encode(0x30, tlv.encode(0x02, bytes([n])) + value)


def _printable(s: str) -> bytes:
    return tlv.encode(0x13, s.encode("ascii", "replace"))


def build(person: dict, generation: int = 2021) -> bytes:
    """DG13 in the layout public readers observed on real cards (from an identity dict in the
    `kiosk card read --json` schema): PrintableString for the ID number, dates and the old ID,
    UTF8String for text, parents as two nested SEQUENCEs, field 14 without a value when there is
    no spouse, field 16 a 16-character value of unknown meaning. What the 2024 card changes is
    unconfirmed; here it leaves out optional fields that are empty instead of sending them empty.
    """
    def dmy(iso: str | None) -> str:
        if not iso:
            return ""
        d = date.fromisoformat(iso)
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"

    expiry = dmy(person.get("expiry_date")) or person.get("expiry_text", "")
    texts = [(5, person.get("nationality") or "Việt Nam"), (6, person.get("ethnicity", "")),
             (7, person.get("religion", "")), (8, person.get("place_of_origin", "")),
             (9, person.get("place_of_residence", "")), (10, person.get("identifying_marks", ""))]
    entries = [
        _entry(1, _printable(person["id_number"])),
        _entry(2, _utf8(person["full_name"])),
        _entry(3, _printable(dmy(person.get("birth_date")))),
        _entry(4, _utf8(person.get("sex", ""))),
    ]
    entries += [_entry(n, _utf8(v)) for n, v in texts if v or generation < 2024]
    entries += [
        _entry(11, _printable(dmy(person.get("issue_date")))),
        _entry(12, _utf8(expiry)),
        _entry(13, tlv.encode(0x30, _utf8(person.get("father_name", "")))
               + tlv.encode(0x30, _utf8(person.get("mother_name", "")))),
        _entry(14, tlv.encode(0x30, _utf8(person["spouse_name"])) if person.get("spouse_name") else b""),
    ]
    if person.get("old_id_number"):
        entries.append(_entry(15, _printable(person["old_id_number"])))
    unknown = dict(person.get("unknown_fields") or {})
    unknown.setdefault("16", hashlib.sha256(person["id_number"].encode()).hexdigest()[:16].upper())
    for k, v in sorted(unknown.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 999):
        if k.isdigit() and 0 < int(k) < 256 and (int(k) not in FIELDS or k == "16"):
            entries.append(_entry(int(k), _printable(v) if v.isascii() else _utf8(v)))
    body = (tlv.encode(0x02, b"\x01") + tlv.encode(0x06, bytes.fromhex("28D316010008"))  # 1.0.10646.1.0.8
            + tlv.encode(0x31, b"".join(entries)))
    return tlv.encode(0x6D, tlv.encode(0x30, body))
