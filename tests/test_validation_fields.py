"""Validators on their own (app/procedures/validation.py), with hypothesis where it helps."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.procedures import validation as v

PROVINCES = sorted(v.ID_PROVINCE_CODES)


def make_id(province: str, birth: date, female: bool, tail: int) -> str:
    digit = v.id_century_sex_digit(birth.year, v.FEMALE if female else v.MALE)
    return f"{province}{digit}{birth.year % 100:02d}{tail:06d}"


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROVINCES), births, st.booleans(), st.integers(0, 999999))
def test_consistent_id_numbers_pass(province, birth, female, tail):
    number = make_id(province, birth, female, tail)
    assert v.check_id_number(number, birth_date=birth, sex="Nữ" if female else "Nam") == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROVINCES), births, st.booleans(), st.integers(0, 999999))
def test_wrong_sex_is_caught(province, birth, female, tail):
    number = make_id(province, birth, female, tail)
    reasons = [e.reason for e in v.check_id_number(number, birth_date=birth,
                                                   sex="male" if female else "female")]
    assert reasons == ["id_number_sex_mismatch"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROVINCES), births, births, st.booleans(), st.integers(0, 999999))
def test_other_birth_year_is_caught(province, birth, other, female, tail):
    number = make_id(province, birth, female, tail)
    errors = v.check_id_number(number, birth_date=other)
    if other.year == birth.year:
        assert errors == []
    else:
        assert [e.reason for e in errors] in (["id_number_century_mismatch"],
                                              ["id_number_year_mismatch"])
        assert all(e.severity == v.ERROR for e in errors)


@given(st.text(max_size=14))
def test_anything_not_twelve_digits_is_a_format_error(text):
    errors = v.check_id_number(text)
    if len(text.strip()) == 12 and text.strip().isascii() and text.strip().isdigit():
        assert all(e.reason != "id_number_format" for e in errors)
    else:
        assert [e.reason for e in errors] == ["id_number_format"]


def test_unknown_province_is_a_warning_only():
    errors = v.check_id_number("999090012345", birth_date=date(1990, 5, 1), sex="Nam")
    assert [(e.reason, e.severity) for e in errors] == [("id_number_province_unknown",
                                                         v.WARNING)]


def test_phone_numbers():
    for good in ("0912345678", "091 234 5678", "+84912345678", "84 912 345 678", "0327.123.456",
                 "02438251234", "(028) 3822 1234"):
        assert v.check_phone(good) == [], good
    for bad in ("", "12345", "0112345678", "091234567", "09123456789", "+1 415 555 0100",
                "0212345678"):
        assert [e.reason for e in v.check_phone(bad)] == ["phone_format"], bad
    assert v.normalize_phone("+84 912 345 678") == "0912345678"


def test_emails():
    assert v.check_email("an.nguyen@example.com.vn") == []
    for bad in ("an", "an@", "an@example", "a b@example.com", "an@@example.com"):
        assert v.check_email(bad), bad


def test_bank_accounts():
    assert v.check_bank_account("0011 0023 45678") == []
    assert v.check_bank_account("12345")[0].reason == "bank_account_format"
    assert v.check_bank_account("1" * 20)[0].reason == "bank_account_format"
    assert v.check_bank_account("12AB5678")[0].reason == "bank_account_format"


def test_dates():
    today = date(2026, 3, 2)
    assert v.check_date("02/03/2026", today=today, past_only=True) == []
    assert v.check_date("03/03/2026", today=today, past_only=True)[0].reason == "date_in_future"
    assert v.check_date("31/02/2026", today=today)[0].reason == "date_format"
    assert v.parse_date("15011990") == date(1990, 1, 15)  # as on the QR
    assert v.check_date_order("2000-01-01", "1999-12-31", reason="death_before_birth")[0] \
        .message_en.startswith("The date of death")
    assert v.check_date_order("2000-01-01", "2000-01-01") == []
    assert v.check_time("25:00")[0].reason == "time_format"


@given(births, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_age_under_six_matches_birthday_arithmetic(birth, on):
    errors = v.check_age_under(birth, 6, today=on)
    sixth = date(birth.year + 6, birth.month, birth.day if (birth.month, birth.day) != (2, 29)
                 else 28)
    if (birth.month, birth.day) == (2, 29):
        sixth = date(birth.year + 6, 3, 1)  # a leap-day child turns six on 1 March
    assert (errors == []) == (on < sixth)


def test_messages_are_bilingual_and_carry_no_value():
    for errors in (v.check_id_number("0010900123"), v.check_phone("0912"),
                   v.check_email("x@"), v.check_bank_account("12"),
                   v.check_id_number("001190012345", sex="Nam")):
        for e in errors:
            assert e.message("vi") != e.message("en")
            assert "0912" not in e.message_en and "0010900123" not in e.message_en
