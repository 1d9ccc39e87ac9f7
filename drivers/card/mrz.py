"""Machine-readable zone (DG1): ICAO 7-3-1 check digits, TD1 (3 x 30) and TD3 (2 x 44) parsing,
and the Vietnamese TD1 layout (used by the virtual card to personalise itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from drivers.card.errors import CardProtocolError

_WEIGHTS = (7, 3, 1)


def _value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    raise ValueError(f"not an MRZ character: {c!r}")


def check_digit(text: str) -> str:
    return str(sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


@dataclass
class Mrz:
    lines: list[str]
    document_type: str
    issuing_state: str
    document_number: str
    birth_date: str  # YYMMDD as in the MRZ
    sex: str
    expiry_date: str  # YYMMDD
    nationality: str
    name: str
    optional_data: str = ""
    check_digits: dict[str, bool] = field(default_factory=dict)

    @property
    def check_digits_ok(self) -> bool:
        return all(self.check_digits.values())

    def to_json(self) -> dict:
        return {
            "lines": self.lines,
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "nationality": self.nationality,
            "name": self.name,
            "optional_data": self.optional_data,
            "check_digits_ok": self.check_digits_ok,
        }


def _ok(field_text: str, digit: str) -> bool:
    try:
        return check_digit(field_text) == digit
    except ValueError:
        return False


def parse(text: str) -> Mrz:
    """Parse a TD1 (90 characters) or TD3 (88) MRZ. Check-digit failures are reported in the
    result (the chip data is what it is), not raised; an impossible length is raised."""
    text = text.replace("\n", "").replace("\r", "")
    if len(text) == 90:
        return _td1([text[0:30], text[30:60], text[60:90]])
    if len(text) == 88:
        return _td3([text[0:44], text[44:88]])
    raise CardProtocolError(f"MRZ of unexpected length {len(text)}")


def _td1(lines: list[str]) -> Mrz:
    l1, l2, l3 = lines
    doc = l1[5:14]
    opt1 = l1[15:30]
    digits = {
        "document_number": _ok(doc, l1[14]),
        "birth_date": _ok(l2[0:6], l2[6]),
        "expiry_date": _ok(l2[8:14], l2[14]),
        "composite": _ok(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    }
    return Mrz(lines, l1[0:2].strip("<"), l1[2:5], doc.rstrip("<"), l2[0:6], l2[7], l2[8:14],
               l2[15:18], _name(l3), opt1.rstrip("<") + l2[18:29].rstrip("<"), digits)


def _td3(lines: list[str]) -> Mrz:
    l1, l2 = lines
    digits = {
        "document_number": _ok(l2[0:9], l2[9]),
        "birth_date": _ok(l2[13:19], l2[19]),
        "expiry_date": _ok(l2[21:27], l2[27]),
        "composite": _ok(l2[0:10] + l2[13:20] + l2[21:43], l2[43]),
    }
    return Mrz(lines, l1[0:2].strip("<"), l1[2:5], l2[0:9].rstrip("<"), l2[13:19], l2[20],
               l2[21:27], l2[10:13], _name(l1[5:44]), l2[28:42].rstrip("<"), digits)


def _name(field_text: str) -> str:
    surname, _, given = field_text.partition("<<")
    return " ".join(p for p in (surname.replace("<", " ").strip(),
                                given.replace("<", " ").strip()) if p)


def yymmdd(d: date | None) -> str:
    return "991231" if d is None else d.strftime("%y%m%d")


def build_vn_td1(id_number: str, birth: date, sex: str, expiry: date | None, name_ascii: str) -> str:
    """The Vietnamese TD1: line 1 = IDVNM + last 9 digits + check + 12 digits + << + check."""
    doc = id_number[-9:]
    opt = (id_number + "<<" + check_digit(id_number)).ljust(15, "<")[:15]
    l1 = ("IDVNM" + doc + check_digit(doc) + opt).ljust(30, "<")
    b, e = yymmdd(birth), yymmdd(expiry)
    s = {"Nam": "M", "Nữ": "F"}.get(sex, "<")
    l2 = b + check_digit(b) + s + e + check_digit(e) + "VNM" + "<" * 11
    l2 = l2 + check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    parts = name_ascii.upper().split()
    name = (parts[0] + "<<" + "<".join(parts[1:])) if parts else ""
    l3 = name.ljust(30, "<")[:30]
    return l1 + l2 + l3
