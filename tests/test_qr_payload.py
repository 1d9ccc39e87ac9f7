"""The CCCD QR payload parser: both card generations, extras, every error reason, mojibake."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.identity.model import Source
from app.identity.qr_payload import (REASONS, QrPayloadError, decode_payload_bytes,
                                     looks_like_mojibake, parse_qr_payload)
from drivers.camera.synthetic import random_cccd_payload

# the fake examples of reference/cccd.md section 1
GEN_2021 = ("001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|"
            "10042021")
GEN_2024 = "079301000123||Trần Thị Bình|02032001|Nữ|Tổ 5, Phường X, TP. Hồ Chí Minh|20082024||||"


def reason_of(text: str) -> str:
    with pytest.raises(QrPayloadError) as exc:
        parse_qr_payload(text)
    err = exc.value
    assert err.reason in REASONS
    assert err.vi and err.en and err.vi != err.en
    return err.reason


def test_2021_card():
    r = parse_qr_payload(GEN_2021)
    assert r.source is Source.QR
    assert (r.id_number, r.old_id_number, r.full_name) == ("001090012345", "012345678",
                                                          "Nguyễn Văn An")
    assert r.birth_date == date(1990, 1, 15) and r.issue_date == date(2021, 4, 10)
    assert r.sex == "Nam" and r.place_of_residence == "Số 1, Phố C, Phường D, Hà Nội"
    assert r.extras == {}


def test_2024_card_keeps_extras():
    r = parse_qr_payload(GEN_2024)
    assert r.old_id_number == "" and r.sex == "Nữ" and r.birth_date == date(2001, 3, 2)
    assert r.extras == {"field_7": "", "field_8": "", "field_9": "", "field_10": ""}
    filled = GEN_2024[:-4] + "|036187000111|Trần Văn Cha|Lê Thị Mẹ|"
    r = parse_qr_payload(filled)
    assert r.extras["field_8"] == "Trần Văn Cha" and len(r.extras) == 4


def test_scanner_source_trailing_line_ending_and_nfd():
    import unicodedata

    r = parse_qr_payload(unicodedata.normalize("NFD", GEN_2021) + "\r\n", source=Source.SCANNER)
    assert r.source is Source.SCANNER and r.full_name == "Nguyễn Văn An"


@pytest.mark.parametrize("text,reason", [
    ("", "empty"),
    ("   \r\n", "empty"),
    ("001090012345|012345678|Nguyễn Văn An|15011990|Nam", "too_few_fields"),
    ("00109001234|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "bad_id_number"),
    ("00109001234X|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "bad_id_number"),
    ("001090012345|0123|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "bad_id_number"),
    ("001090012345|012345678|Nguyễn Văn An|31021990|Nam|Hà Nội|10042021", "bad_date"),
    ("001090012345|012345678|Nguyễn Văn An|1501199|Nam|Hà Nội|10042021", "bad_date"),
    ("001090012345|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042099", "bad_date"),
    ("001090012345|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10041980", "bad_date"),
    ("001090012345|012345678|Nguyễn Văn An|15011990|Male|Hà Nội|10042021", "bad_sex"),
    ("001090012345|012345678||15011990|Nam|Hà Nội|10042021", "missing_name"),
    ("001190012345|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "inconsistent"),
    ("001091012345|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "inconsistent"),
    ("001290012345|012345678|Nguyễn Văn An|15011990|Nam|Hà Nội|10042021", "inconsistent"),
    ("x" * 3000, "too_long"),
])
def test_error_reasons(text, reason):
    assert reason_of(text) == reason


@pytest.mark.parametrize("text", [
    # VietQR / EMVCo merchant-presented code
    "00020101021238570010A00000072701270006970436011300110123456780208QRIBFTTA53037045802VN"
    "62150811Chuyen tien6304ABCD",
    # health-insurance (BHYT) card: card code, name as hex UTF-8
    "HS4010123456789|4e677579e1bb856e2056c4836e2041|15/01/1990|1|01 - 123|01/01/2024|-|4|",
    "GD4797912345678|5472e1baa7e2054686b8b20426c3ac6e68|02/03/2001|2|79 - 001|01/01/2025|",
    # VNeID app codes and other URLs / JSON
    "https://vneid.gov.vn/verify?token=abc",
    '{"type":"vneid","id":"x"}',
    "VNEID:ABCDEF0123",
    "just some text",
])
def test_other_kinds_of_qr(text):
    assert reason_of(text) == "other_kind"


def shift_jis_misread(text: str) -> str | None:
    """What zbar returns for UTF-8 bytes it takes for Shift-JIS (zbar issues 212, 244)."""
    try:
        return text.encode("utf-8").decode("shift_jis")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("name", ["Lương Thị Bình", "Nguyễn Văn Lượng", "Trịnh Đức Thắng",
                                  "Hồ Thị Ửng", "Phạm Quốc Việt"])
@pytest.mark.parametrize("misread", ["shift_jis", "cp1252", "latin-1"])
def test_mojibake_rejected(name, misread):
    good = f"079301000123||{name}|02032001|Nữ|Tổ 5, Phường X, TP. Hồ Chí Minh|20082024"
    parse_qr_payload(good)
    if misread == "shift_jis":
        bad = good.encode("utf-8").decode("shift_jis", errors="replace")
    else:
        bad = good.encode("utf-8").decode(misread, errors="replace")
    assert reason_of(bad) == "mojibake"
    # and, carried once more as UTF-8 bytes (a scanner re-encoding what it misread)
    with pytest.raises(QrPayloadError) as exc:
        decode_payload_bytes(bad.encode("utf-8"))
    assert exc.value.reason == "mojibake"


def test_zbar_style_misreads_of_generated_payloads_all_rejected():
    """zbar garbles the payloads whose bytes are also valid Shift-JIS. Python's codec is
    stricter than zbar's iconv on whole payloads, so each field is misread on its own where its
    bytes are valid Shift-JIS: the same katakana/kanji the card holder's name turns into."""
    seen = 0
    for seed in range(1500):
        payload = random_cccd_payload(seed)
        misread = "|".join(shift_jis_misread(f) or f for f in payload.split("|"))
        if misread == payload:
            continue
        seen += 1
        assert reason_of(misread) == "mojibake"
    assert seen >= 10


def test_decode_payload_bytes():
    assert decode_payload_bytes(GEN_2021.encode("utf-8")) == GEN_2021
    assert decode_payload_bytes(b"\xef\xbb\xbf" + GEN_2021.encode("utf-8")) == GEN_2021
    with pytest.raises(QrPayloadError) as exc:
        decode_payload_bytes(GEN_2021.encode("cp1258", errors="replace"))
    assert exc.value.reason == "not_utf8"
    with pytest.raises(QrPayloadError) as exc:
        decode_payload_bytes("Nguyễn".encode("utf-16"))
    assert exc.value.reason == "not_utf8"


def test_vietnamese_text_is_not_mojibake():
    for seed in range(500):
        assert not looks_like_mojibake(random_cccd_payload(seed))
    assert not looks_like_mojibake("NGÃ TƯ SỞ, ĐỐNG ĐA, HÀ NỘI")


def test_messages_carry_no_personal_data():
    with pytest.raises(QrPayloadError) as exc:
        parse_qr_payload(GEN_2021.replace("15011990", "15131990"))
    err = exc.value
    for part in ("001090012345", "Nguyễn", "15131990"):
        assert part not in err.vi and part not in err.en and part not in str(err)


def test_generated_payloads_parse():
    for seed in range(300):
        r = parse_qr_payload(random_cccd_payload(seed))
        assert len(r.id_number) == 12 and r.birth_date and r.issue_date


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_fuzz_text_only_payload_errors(text):
    try:
        parse_qr_payload(text)
    except QrPayloadError as exc:
        assert exc.reason in REASONS


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.from_regex(r"[0-9]{8,12}", fullmatch=True),
                          st.sampled_from(["Nam", "Nữ", "", "15011990", "001090012345"])),
                min_size=0, max_size=14))
def test_fuzz_fields_only_payload_errors(parts):
    try:
        parse_qr_payload("|".join(parts))
    except QrPayloadError as exc:
        assert exc.reason in REASONS


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_bytes_only_payload_errors(raw):
    try:
        parse_qr_payload(decode_payload_bytes(raw))
    except QrPayloadError as exc:
        assert exc.reason in REASONS
