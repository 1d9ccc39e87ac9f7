"""Validators for the values a procedure collects, each with a Vietnamese and an English message.

Usable on its own (no draft, no form definition needed): every `check_*` function takes a value
and returns a list of FieldError (empty when the value is fine). The draft calls them with the
field's path; other code (the CLI, the outbox) can call them directly.

Messages never contain the value itself: they may be logged or sent to the endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class FieldError:
    """One problem with one field. `reason` is stable (tests and the UI key on it)."""

    path: str
    reason: str
    message_vi: str
    message_en: str
    severity: str = ERROR  # "error" blocks the submission; "warning" is shown, not blocking

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def at(self, path: str) -> FieldError:
        return replace(self, path=path)


def _err(reason: str, vi: str, en: str, path: str = "", severity: str = ERROR) -> FieldError:
    return FieldError(path, reason, vi, en, severity)


# --- parsing of typed values -------------------------------------------------------------------

def parse_date(value: object) -> date | None:
    """A date from a date, an ISO string, `dd/mm/yyyy`, `dd-mm-yyyy` or `ddmmyyyy` (as on the QR)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_time(value: object) -> time | None:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        return None
    for fmt in ("%H:%M", "%H:%M:%S", "%Hh%M", "%Hg%M"):
        try:
            return datetime.strptime(value.strip(), fmt).time()
        except ValueError:
            continue
    return None


def parse_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%H:%M %d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


# --- the ID number (cccd.md §2) ---------------------------------------------------------------

# Province and city codes of the 12-digit personal ID number (Circular 59/2021/TT-BCA, the
# 63 provinces before the 2025 merger; cards keep the code they were issued with). The table
# changed in 2024 and 2025, so an unknown code is only a warning.
ID_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh",
    "024": "Bắc Giang", "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh",
    "030": "Hải Dương", "031": "Hải Phòng", "033": "Hưng Yên", "034": "Thái Bình",
    "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An",
    "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận",
    "062": "Kon Tum", "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

MALE = "male"
FEMALE = "female"
_SEX_WORDS = {"nam": MALE, "male": MALE, "m": MALE, "nữ": FEMALE, "nu": FEMALE,
              "female": FEMALE, "f": FEMALE}


def normalize_sex(value: object) -> str | None:
    """"male"/"female" from the card's "Nam"/"Nữ", a form code or an English word; else None."""
    if not isinstance(value, str):
        return None
    return _SEX_WORDS.get(value.strip().lower())


def id_century_sex_digit(birth_year: int, sex: str) -> int:
    """The 4th digit: 0/1 for 1900s male/female, 2/3 for 2000s, 4/5 for 2100s, and so on."""
    century_index = (birth_year // 100) - 19
    return century_index * 2 + (1 if sex == FEMALE else 0)


def check_id_number(value: object, *, birth_date: date | None = None, sex: object = None,
                    path: str = "") -> list[FieldError]:
    """The 12-digit personal ID number: shape, province code (warning), century/sex digit and
    birth year against the person's birth date and sex when they are known."""
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"\d{12}", text):
        return [_err("id_number_format", "Số định danh cá nhân phải gồm đúng 12 chữ số.",
                     "The personal ID number must have exactly 12 digits.", path)]
    out: list[FieldError] = []
    if text[:3] not in ID_PROVINCE_CODES:
        out.append(_err("id_number_province_unknown",
                        "Mã tỉnh trong số định danh không có trong danh mục đã biết; "
                        "hãy kiểm tra lại số trên thẻ.",
                        "The province code of the ID number is not a known one; "
                        "check the number on the card.", path, WARNING))
    digit = int(text[3])
    if birth_date is not None:
        if digit // 2 != (birth_date.year // 100) - 19:
            out.append(_err("id_number_century_mismatch",
                            "Chữ số thế kỷ trong số định danh không khớp với năm sinh.",
                            "The century digit of the ID number does not match the year of birth.",
                            path))
        elif text[4:6] != f"{birth_date.year % 100:02d}":
            out.append(_err("id_number_year_mismatch",
                            "Hai chữ số năm sinh trong số định danh không khớp với ngày sinh.",
                            "The birth-year digits of the ID number do not match the date of birth.",
                            path))
    norm_sex = normalize_sex(sex)
    if norm_sex is not None and (digit % 2 == 1) != (norm_sex == FEMALE):
        out.append(_err("id_number_sex_mismatch",
                        "Chữ số giới tính trong số định danh không khớp với giới tính.",
                        "The sex digit of the ID number does not match the sex.", path))
    return out


# --- dates --------------------------------------------------------------------------------------

def check_date(value: object, *, today: date, past_only: bool = False,
               path: str = "") -> list[FieldError]:
    d = parse_date(value)
    if d is None:
        return [_err("date_format", "Ngày không hợp lệ (nhập theo dạng ngày/tháng/năm).",
                     "Not a valid date (enter day/month/year).", path)]
    if past_only and d > today:
        return [_err("date_in_future", "Ngày không được ở tương lai.",
                     "The date cannot be in the future.", path)]
    if d.year < 1900:
        return [_err("date_too_old", "Ngày quá xa trong quá khứ.", "The date is too far in the past.",
                     path)]
    return []


def check_time(value: object, *, path: str = "") -> list[FieldError]:
    if parse_time(value) is None:
        return [_err("time_format", "Giờ không hợp lệ (nhập theo dạng giờ:phút).",
                     "Not a valid time (enter hours:minutes).", path)]
    return []


def check_datetime(value: object, *, now: datetime, past_only: bool = False,
                   path: str = "") -> list[FieldError]:
    dt = parse_datetime(value)
    if dt is None:
        return [_err("datetime_format", "Ngày giờ không hợp lệ.", "Not a valid date and time.",
                     path)]
    if past_only:
        ref = now if (dt.tzinfo is None) == (now.tzinfo is None) else (
            now.replace(tzinfo=None) if dt.tzinfo is None else now.astimezone())
        if dt > ref:
            return [_err("date_in_future", "Ngày giờ không được ở tương lai.",
                         "The date and time cannot be in the future.", path)]
    return []


def check_date_order(earlier: object, later: object, *, path: str = "",
                     reason: str = "date_order") -> list[FieldError]:
    """`later` must not be before `earlier` (e.g. death not before birth). Silent when either is
    missing or unparsable: those have their own errors."""
    a, b = parse_date(earlier), parse_date(later)
    if a is None or b is None or b >= a:
        return []
    vi, en = _ORDER_MESSAGES.get(reason, _ORDER_MESSAGES["date_order"])
    return [_err(reason, vi, en, path)]


_ORDER_MESSAGES = {
    "date_order": ("Ngày này không thể trước ngày liên quan.",
                   "This date cannot be before the related date."),
    "death_before_birth": ("Ngày mất không thể trước ngày sinh.",
                           "The date of death cannot be before the date of birth."),
    "child_before_parent": ("Ngày sinh của trẻ không thể trước ngày sinh của cha/mẹ.",
                            "The child's date of birth cannot be before the parent's."),
    "departure_before_arrival": ("Ngày đi không thể trước ngày đến.",
                                 "The departure date cannot be before the arrival."),
}


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_age_under(birth: object, years: int, *, today: date, path: str = "") -> list[FieldError]:
    """The person is younger than `years` on `today` (the insurance part of the birth group)."""
    d = parse_date(birth)
    if d is None:
        return []
    if age_on(d, today) >= years:
        return [_err("age_limit", f"Trẻ phải dưới {years} tuổi vào ngày nộp hồ sơ.",
                     f"The child must be under {years} on the day of submission.", path)]
    return []


# --- contact details ---------------------------------------------------------------------------

# Mobile: 10 digits, networks 03x, 05x, 07x, 08x, 09x. Landline: 11 digits, 02 + area code
# (since the 2017 renumbering). Both may be written with +84 or 84 instead of the leading 0.
_MOBILE = re.compile(r"0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")
_LANDLINE = re.compile(r"02\d{9}")


def normalize_phone(value: str) -> str:
    """Digits only, with the leading 0 (`+84 912 345 678` -> `0912345678`)."""
    text = re.sub(r"[\s.\-()]", "", value)
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    return text


def check_phone(value: object, *, path: str = "") -> list[FieldError]:
    if not isinstance(value, str):
        value = ""
    text = normalize_phone(value)
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return []
    return [_err("phone_format",
                 "Số điện thoại không hợp lệ (di động 10 số, cố định 11 số bắt đầu bằng 02).",
                 "Not a valid Vietnamese phone number (mobile: 10 digits; landline: 11 digits "
                 "starting 02).", path)]


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def check_email(value: object, *, path: str = "") -> list[FieldError]:
    if isinstance(value, str) and _EMAIL.fullmatch(value.strip()):
        return []
    return [_err("email_format", "Địa chỉ email không hợp lệ.", "Not a valid email address.", path)]


# --- bank account ------------------------------------------------------------------------------

def check_bank_account(value: object, *, path: str = "") -> list[FieldError]:
    """Vietnamese bank account numbers are 6 to 19 digits depending on the bank."""
    text = re.sub(r"[\s.\-]", "", value) if isinstance(value, str) else ""
    if re.fullmatch(r"\d{6,19}", text):
        return []
    return [_err("bank_account_format", "Số tài khoản ngân hàng phải gồm 6 đến 19 chữ số.",
                 "The bank account number must have 6 to 19 digits.", path)]


def check_integer(value: object, *, minimum: int | None = None, maximum: int | None = None,
                  path: str = "") -> list[FieldError]:
    try:
        n = int(value) if not isinstance(value, bool) else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        n = None
    if n is None:
        return [_err("integer_format", "Phải là một số nguyên.", "Must be a whole number.", path)]
    if (minimum is not None and n < minimum) or (maximum is not None and n > maximum):
        return [_err("integer_range", "Số nằm ngoài khoảng cho phép.",
                     "The number is outside the allowed range.", path)]
    return []


def check_text(value: object, *, max_length: int | None = None, min_length: int | None = None,
               pattern: str | None = None, path: str = "") -> list[FieldError]:
    text = value if isinstance(value, str) else str(value)
    if max_length is not None and len(text) > max_length:
        return [_err("too_long", f"Tối đa {max_length} ký tự.", f"At most {max_length} characters.",
                     path)]
    if min_length is not None and len(text.strip()) < min_length:
        return [_err("too_short", f"Tối thiểu {min_length} ký tự.",
                     f"At least {min_length} characters.", path)]
    if pattern is not None and not re.fullmatch(pattern, text.strip()):
        return [_err("pattern", "Giá trị không đúng định dạng.", "The value has the wrong format.",
                     path)]
    return []


def required_error(path: str = "") -> FieldError:
    return _err("required", "Thông tin này là bắt buộc.", "This information is required.", path)


def choice_error(path: str = "") -> FieldError:
    return _err("choice_invalid", "Hãy chọn một trong các lựa chọn có sẵn.",
                "Choose one of the options offered.", path)


def same_person_error(path: str = "") -> FieldError:
    return _err("same_card", "Thẻ của người đi làm thủ tục không được trùng với thẻ này "
                "(ví dụ: thẻ của người đã mất).",
                "The requester's card cannot be this card (for example the deceased's).", path)
