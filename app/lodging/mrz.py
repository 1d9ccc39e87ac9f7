"""The MRZ key of a foreign guest's passport: what opens the passport chip (BAC).

The key is the document number, the date of birth and the date of expiry, each with its ICAO
9303 check digit. It comes from the MRZ text (scanned by the document scanner or typed from the
passport's last lines) or from the three values typed one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.errors import KioskError

_WEIGHTS = (7, 3, 1)


class MrzError(KioskError):
    code = "mrz_error"

    def __init__(self, reason: str, vi: str, en: str) -> None:
        super().__init__(vi, en)
        self.reason = reason


def check_digit(text: str) -> str:
    """ICAO 9303 check digit: digits as themselves, A-Z as 10-35, '<' as 0; weights 7, 3, 1."""
    total = 0
    for i, ch in enumerate(text):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        elif ch == "<":
            value = 0
        else:
            raise MrzError("mrz_character", "Ký tự không hợp lệ trong vùng MRZ.",
                           "A character that cannot be in an MRZ.")
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


@dataclass(frozen=True)
class MrzKey:
    document_number: str  # as in the MRZ, without filler
    birth_date: str  # YYMMDD
    expiry_date: str  # YYMMDD
    nationality: str = ""  # 3-letter code when read from the MRZ

    @property
    def seed(self) -> str:
        """The BAC key-seed input: number (padded to 9) + check, birth + check, expiry + check."""
        doc = self.document_number.ljust(9, "<")
        return (doc + check_digit(doc) + self.birth_date + check_digit(self.birth_date)
                + self.expiry_date + check_digit(self.expiry_date))


def _yymmdd(value: date | str, what_vi: str, what_en: str) -> str:
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    text = re.sub(r"\D", "", value)
    if len(text) == 8:  # ddmmyyyy, as typed in Vietnam
        text = text[6:8] + text[2:4] + text[0:2]
    if not re.fullmatch(r"\d{6}", text):
        raise MrzError("mrz_date", f"{what_vi} không hợp lệ.", f"The {what_en} is not valid.")
    return text


def mrz_key(document_number: str, birth_date: date | str, expiry_date: date | str) -> MrzKey:
    """The key from three typed values (dates as date, YYMMDD or dd/mm/yyyy)."""
    doc = re.sub(r"[\s<]", "", document_number.upper())
    if not re.fullmatch(r"[A-Z0-9]{1,20}", doc):
        raise MrzError("mrz_document_number", "Số hộ chiếu không hợp lệ.",
                       "The passport number is not valid.")
    return MrzKey(doc, _yymmdd(birth_date, "Ngày sinh", "date of birth"),
                  _yymmdd(expiry_date, "Ngày hết hạn", "expiry date"))


def _verify(field: str, digit: str, what_vi: str, what_en: str) -> None:
    if check_digit(field) != digit:
        raise MrzError("mrz_check_digit", f"Sai số kiểm tra ở {what_vi}; hãy quét hoặc nhập lại.",
                       f"The check digit of the {what_en} is wrong; scan or type it again.")


def mrz_key_from_text(text: str) -> MrzKey:
    """The key from MRZ text: TD3 (passport, 2 x 44), TD2 (2 x 36) or TD1 (card, 3 x 30).
    Check digits are verified, so a misread line is caught here rather than at the chip."""
    lines = [re.sub(r"\s", "", ln).upper() for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) == 1 and len(lines[0]) in (88, 72, 90):  # scanners that drop the line break
        n = {88: 44, 72: 36, 90: 30}[len(lines[0])]
        lines = [lines[0][i:i + n] for i in range(0, len(lines[0]), n)]
    lengths = [len(ln) for ln in lines]
    if lengths in ([44, 44], [36, 36]):
        l2 = lines[1]
        doc, doc_cd = l2[0:9], l2[9]
        nat, birth, birth_cd, expiry, expiry_cd = l2[10:13], l2[13:19], l2[19], l2[21:27], l2[27]
    elif lengths == [30, 30, 30]:
        l1, l2 = lines[0], lines[1]
        doc, doc_cd = l1[5:14], l1[14]
        birth, birth_cd, expiry, expiry_cd, nat = l2[0:6], l2[6], l2[8:14], l2[14], l2[15:18]
        if doc_cd == "<":  # long document number continues in the optional field (9303 Part 5)
            rest = l1[15:30].split("<", 1)[0]
            doc, doc_cd = doc + rest[:-1], rest[-1:]
    else:
        raise MrzError("mrz_format", "Không đọc được vùng MRZ (cần 2 dòng 44 ký tự hoặc 3 dòng "
                       "30 ký tự).",
                       "The MRZ could not be read (expected 2 lines of 44 or 3 lines of 30).")
    _verify(doc, doc_cd, "số hộ chiếu", "document number")
    _verify(birth, birth_cd, "ngày sinh", "date of birth")
    _verify(expiry, expiry_cd, "ngày hết hạn", "expiry date")
    return MrzKey(doc.rstrip("<"), birth, expiry, nat.rstrip("<"))
