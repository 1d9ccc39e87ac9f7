"""The citizen ID card's printed QR payload -> IdentityRecord.

Payload (reference/cccd.md section 1): UTF-8 text, `|`-separated, seven or more fields:
  0 ID number (12 digits) | 1 old 9-digit CMND or empty | 2 full name | 3 birth ddMMyyyy |
  4 sex Nam/Nữ | 5 place of residence | 6 issue date ddMMyyyy | [extras...]
The 2024 card adds trailing fields (seen empty); they are kept in `extras` as "field_7"...,
never a reason to reject a card.

Both the camera (raw bytes -> `decode_payload_bytes`) and the serial scanner (text) end here.
Every failure is a QrPayloadError with a stable `reason` and a vi/en message without personal
data (messages may be logged). No Qt, no drivers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.errors import KioskError
from app.identity.model import IdentityRecord, Source

MIN_FIELDS = 7
# A real payload is ~150 bytes; anything far larger is not a card (and must not cost us time).
MAX_PAYLOAD_CHARS = 2000

# reason -> (vi, en). Stable reasons: tests, logs and the UI key on them.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("Mã QR không có nội dung. Vui lòng đưa lại mặt có mã QR của thẻ căn cước.",
              "The QR code is empty. Please show the QR side of your citizen ID card again."),
    "too_few_fields": (
        "Mã QR thiếu thông tin, không phải mã QR đầy đủ của thẻ căn cước. Vui lòng thử lại.",
        "The QR code has too few fields for a citizen ID card. Please try again."),
    "bad_id_number": ("Số định danh trong mã QR không hợp lệ (phải có 12 chữ số).",
                      "The ID number in the QR code is not valid (it must have 12 digits)."),
    "inconsistent": (
        "Số định danh trong mã QR không khớp với ngày sinh hoặc giới tính. "
        "Vui lòng đặt thẻ lên đầu đọc chip hoặc liên hệ nhân viên.",
        "The ID number in the QR code does not match the birth date or sex. "
        "Please place the card on the chip reader or ask the staff."),
    "bad_date": ("Ngày tháng trong mã QR không hợp lệ.",
                 "A date in the QR code is not valid."),
    "bad_sex": ("Giới tính trong mã QR không hợp lệ (phải là Nam hoặc Nữ).",
                "The sex in the QR code is not valid (must be Nam or Nữ)."),
    "missing_name": ("Mã QR không có họ tên.", "The QR code has no name."),
    "not_utf8": ("Không đọc được ký tự trong mã QR. Vui lòng thử lại hoặc dùng đầu đọc chip.",
                 "The QR code's characters could not be read. Please try again or use the "
                 "chip reader."),
    "mojibake": ("Mã QR bị đọc sai dấu tiếng Việt. Vui lòng thử lại hoặc dùng đầu đọc chip.",
                 "The QR code's Vietnamese characters were misread. Please try again or use "
                 "the chip reader."),
    "other_kind": (
        "Đây không phải mã QR của thẻ căn cước (có thể là mã ngân hàng, BHYT hoặc VNeID). "
        "Vui lòng đưa mã QR in trên thẻ căn cước.",
        "This is not a citizen ID card QR code (it may be a bank, health-insurance or VNeID "
        "code). Please show the QR code printed on your citizen ID card."),
    "too_long": ("Mã QR quá dài, không phải mã của thẻ căn cước.",
                 "The QR code is too long to be a citizen ID card code."),
}
REASONS = tuple(MESSAGES)


class QrPayloadError(KioskError):
    """A QR payload that is not a usable citizen ID card payload. `reason` is in REASONS."""

    code = "qr_payload_error"

    def __init__(self, reason: str, detail: str = "") -> None:
        vi, en = MESSAGES[reason]
        super().__init__(vi, en)
        self.reason = reason
        # `detail` says which field failed (e.g. "birth_date"): never a personal value.
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}{' (' + self.detail + ')' if self.detail else ''}: {self.en}"


# --- mojibake ---------------------------------------------------------------------------------
# Vietnamese is Latin script: ASCII, a few Latin-1 letters, Ă Đ Ĩ Ũ Ơ Ư and the U+1EA0-U+1EF9
# block (plus combining marks when text arrives decomposed).
# Ð/ð (U+00D0/U+00F0) stand in for Đ/đ in text from legacy converters; misdecoded Vietnamese
# UTF-8 never yields them (0xD0/0xF0 are not among its lead or continuation bytes).
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýÐð")
_VI_EXTRA = set("ĂăĐđĨĩŨũƠơƯư")
_VI_COMBINING = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B}

# cp1252 punctuation that UTF-8-read-as-cp1252 produces ("Ä‘", "á»™"), and only rarely real text.
_CP1252_SPECIALS = set("€‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•˜™š›œžŸ")


def _is_vietnamese_char(ch: str) -> bool:
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in _VI_LATIN1 or ch in _VI_EXTRA
            or 0x1EA0 <= o <= 0x1EF9 or o in _VI_COMBINING)


def _suspicious_char(ch: str) -> bool:
    """A character that Vietnamese card text never holds but misdecoded UTF-8 typically does."""
    o = ord(ch)
    if o < 0x20 or 0x7F <= o <= 0xBF:  # controls, C1 controls, Latin-1 symbols (¡©³¹º...)
        return True
    if 0xC0 <= o <= 0xFF:  # Latin-1 letters that are not Vietnamese (Ä Æ Ç Ñ Ö ß ...)
        return ch not in _VI_LATIN1
    if ch in _CP1252_SPECIALS or o == 0xFFFD:
        return True
    # Shift-JIS misreads (zbar issues 212/244): kana, half-width kana, CJK, Hangul, full-width.
    return (0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0xE000 <= o <= 0xF8FF)


def looks_like_mojibake(text: str) -> bool:
    """True when Vietnamese text shows the marks of bytes decoded with the wrong encoding."""
    return any(_suspicious_char(ch) for ch in text)


def decode_payload_bytes(raw: bytes) -> str:
    """The QR's raw bytes as text: strict UTF-8 (a BOM is dropped), never a guessed encoding.

    Raises QrPayloadError("not_utf8") or ("mojibake": the bytes are UTF-8 of text that was
    already misdecoded once, e.g. by a scanner converting Latin-1 or Shift-JIS to UTF-8).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise QrPayloadError("not_utf8") from None
    # Only the card's text fields must be Vietnamese; other kinds of QR are judged by the parser.
    if "|" in text and looks_like_mojibake(text.replace("\r", "").replace("\n", "")):
        raise QrPayloadError("mojibake")
    return text


# --- other kinds of QR --------------------------------------------------------------------------
_BHYT_CODE = re.compile(r"[A-Z]{2}[0-9]{13}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def _other_kind(text: str, fields: list[str]) -> bool:
    low = text[:64].lower()
    if text.startswith("000201"):  # EMVCo merchant QR: VietQR and other bank payment codes
        return True
    if low.startswith(("http://", "https://", "{", "[")) or "vneid" in low:
        return True
    # Health-insurance card: 15-char card code, then the name hex-encoded UTF-8.
    if _BHYT_CODE.fullmatch(fields[0]):
        return True
    if len(fields) > 1 and len(fields[1]) >= 4 and _HEX.fullmatch(fields[1]) \
            and not fields[1].isdigit():
        return True
    return False


# --- fields -----------------------------------------------------------------------------------
_ID12 = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"[0-9]{9}|[0-9]{12}")
_DATE = re.compile(r"[0-9]{8}")


def _date(value: str, name: str) -> date:
    if not _DATE.fullmatch(value):
        raise QrPayloadError("bad_date", name)
    try:
        d = date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise QrPayloadError("bad_date", name) from None
    if d.year < 1900 or d > date.today():
        raise QrPayloadError("bad_date", name)
    return d


def _sex(value: str) -> str:
    v = unicodedata.normalize("NFC", value.strip()).lower()
    if v == "nam":
        return "Nam"
    if v == "nữ":
        return "Nữ"
    raise QrPayloadError("bad_sex", "sex")


def _check_id_against(id_number: str, birth: date, sex: str) -> None:
    """Digit 4 encodes century and sex (0/1: 1900s male/female, 2/3: 2000s ...), digits 5-6 the
    birth year's last two digits. A mismatch means a misread or a forged code."""
    digit = int(id_number[3])
    century = 1900 + 100 * (digit // 2)
    female = digit % 2 == 1
    if birth.year // 100 * 100 != century or int(id_number[4:6]) != birth.year % 100:
        raise QrPayloadError("inconsistent", "birth_date")
    if female != (sex == "Nữ"):
        raise QrPayloadError("inconsistent", "sex")


def parse_qr_payload(text: str, *, source: Source = Source.QR) -> IdentityRecord:
    """Parse a CCCD / 2024 ID card QR payload. Raises QrPayloadError (never anything else)."""
    if not isinstance(text, str):
        raise QrPayloadError("not_utf8")
    text = text.strip("\r\n\t \x00")
    if not text:
        raise QrPayloadError("empty")
    if len(text) > MAX_PAYLOAD_CHARS:
        raise QrPayloadError("too_long")
    fields = [unicodedata.normalize("NFC", f) for f in text.split("|")]
    if _other_kind(text, fields) or len(fields) == 1:
        raise QrPayloadError("other_kind")
    if len(fields) < MIN_FIELDS:
        raise QrPayloadError("too_few_fields")

    id_number, old_id, name, birth, sex, residence, issued = (f.strip() for f in fields[:7])
    if not _ID12.fullmatch(id_number):
        raise QrPayloadError("bad_id_number", "id_number")
    if old_id and not _OLD_ID.fullmatch(old_id):
        raise QrPayloadError("bad_id_number", "old_id_number")
    # Mojibake before the other checks: a misread name is the likeliest real-world failure.
    if not name:
        raise QrPayloadError("missing_name", "full_name")
    if not all(_is_vietnamese_char(ch) for ch in name):
        raise QrPayloadError("mojibake", "full_name")
    for i, f in enumerate(fields):
        if i != 2 and looks_like_mojibake(f):
            raise QrPayloadError("mojibake", f"field_{i}")
    birth_date = _date(birth, "birth_date")
    issue_date = _date(issued, "issue_date")
    if issue_date < birth_date:
        raise QrPayloadError("bad_date", "issue_date")
    sex_value = _sex(sex)
    _check_id_against(id_number, birth_date, sex_value)

    return IdentityRecord(
        source=source,
        id_number=id_number,
        old_id_number=old_id,
        full_name=" ".join(name.split()),
        birth_date=birth_date,
        sex=sex_value,
        place_of_residence=residence,
        issue_date=issue_date,
        extras={f"field_{i}": v for i, v in enumerate(fields[7:], start=7)},
    )

