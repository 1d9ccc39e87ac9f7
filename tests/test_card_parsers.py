"""Unit tests of the smaller pieces: MRZ (TD1/TD3), DG2 (JPEG and JPEG 2000), EF.COM,
EF.CardAccess, APDU building, status-word mapping, access keys."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from drivers.card import apdu, errors, mrz, security_infos
from drivers.card.access_keys import AccessKey
from drivers.card.lds import com, dg2
from drivers.card.virtual.personalize import card_access
from drivers.card.virtual.profile import CardProfile


def test_td3_icao_specimen():
    m = mrz.parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    assert (m.document_number, m.birth_date, m.expiry_date, m.sex) == ("L898902C3", "740812", "120415", "F")
    assert m.name == "ERIKSSON ANNA MARIA"
    assert m.check_digits_ok


def test_vietnamese_td1_round_trip_and_bad_check_digit():
    text = mrz.build_vn_td1("001090012345", date(1990, 1, 15), "Nam", date(2030, 1, 15), "Nguyen Van An")
    m = mrz.parse(text)
    assert m.document_number == "090012345" and m.optional_data.startswith("001090012345")
    assert m.check_digits_ok and m.sex == "M" and m.name == "NGUYEN VAN AN"
    broken = text[:14] + ("0" if text[14] != "0" else "1") + text[15:]
    assert mrz.parse(broken).check_digits["document_number"] is False
    with pytest.raises(errors.CardProtocolError):
        mrz.parse("TOO SHORT")


def _jpeg(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 40), (120, 90, 60)).save(buf, fmt)
    return buf.getvalue()


def test_dg2_jpeg_and_jpeg2000():
    jpeg = _jpeg("JPEG")
    face = dg2.parse(dg2.build(jpeg, 32, 40))
    assert (face.format, face.width, face.height, face.data) == ("jpeg", 32, 40, jpeg)
    jp2 = _jpeg("JPEG2000")
    face = dg2.parse(dg2.build(jp2, 32, 40, jpeg2000=True))
    assert face.format == "jpeg2000"
    converted = dg2.to_jpeg(face)
    assert converted is not None and converted.startswith(b"\xff\xd8")


def test_dg2_unknown_image_is_a_protocol_error():
    with pytest.raises(errors.CardProtocolError):
        dg2.parse(dg2.build(b"GIF89a" + bytes(50), 1, 1))


def test_ef_com_lists_data_groups():
    assert com.parse(com.build([1, 2, 3, 13, 14, 15])).data_groups == [1, 2, 3, 13, 14, 15]


def test_card_access_announces_pace_gm_aes128_brainpool():
    p = CardProfile.from_json({"id_number": "001090012345", "full_name": "X", "birth_date": "1990-01-15"})
    infos = security_infos.parse(card_access(p))
    pace = infos.supported_pace()
    assert pace is not None and pace.parameter_id == 13 and pace.oid.endswith(".4.2.2")
    assert infos.chip_auth and infos.chip_auth[0].oid.endswith(".3.2.2")


def test_card_access_with_only_unknown_protocols_offers_no_pace():
    # PACE-ECDH-IM (.4.6.2) and an unknown curve id: nothing we run
    raw = bytes.fromhex("3128" "3012060A04007F0007020204060202010202010D"
                        "3012060A04007F0007020204020202010202011F")
    assert security_infos.parse(raw).supported_pace() is None


@pytest.mark.parametrize("args, expected", [
    ((0x00, 0xB0, 0, 0, b"", 256), "00B0000000"),
    ((0x00, 0xB0, 0x12, 0x34, b"", 4096), "00B01234001000"),
    ((0x00, 0xA4, 2, 0x0C, b"\x01\x1e", None), "00A4020C02011E"),
    ((0x00, 0x86, 0, 0, b"\x7c\x00", 256), "00860000027C0000"),
    ((0x00, 0xD6, 0, 0, bytes(300), 65536), "00D60000" + "00012C" + "00" * 300 + "0000"),
])
def test_apdu_building_and_parsing(args, expected):
    built = apdu.command(*args)
    assert built.hex().upper() == expected
    cla, ins, p1, p2, data, le = apdu.parse_command(built)
    assert (cla, ins, p1, p2, data, le) == args


@pytest.mark.parametrize("sw, cls, reason", [
    (0x6A82, errors.FileNotFoundOnCardError, "file_not_found"),
    (0x6982, errors.SecurityStatusError, "security_status"),
    (0x6988, errors.SecureMessagingError, "secure_messaging"),
    (0x6700, errors.WrongLengthError, "wrong_length"),
    (0x6C10, errors.WrongLengthError, "wrong_length"),
    (0x6D00, errors.NotSupportedError, "not_supported"),
    (0x63C2, errors.AuthenticationFailedError, "authentication_failed"),
    (0x6F00, errors.StatusWordError, "status_word"),
])
def test_status_words_map_to_typed_errors(sw, cls, reason):
    exc = apdu.error_for(sw)
    assert type(exc) is cls and exc.reason == reason
    with pytest.raises(cls):
        apdu.check(sw.to_bytes(2, "big"))
    assert apdu.check(b"\x01\x90\x00") == b"\x01"


def test_access_keys_never_show_their_values():
    k = AccessKey.mrz("090012345", date(1990, 1, 15), None)
    assert k.expiry_date == "991231" and "090012345" not in repr(k)
    assert "012345" not in repr(AccessKey.can("012345"))
    with pytest.raises(ValueError):
        AccessKey.can("12345")


def test_card_access_tolerates_entries_it_does_not_understand():
    # PACEDomainParameterInfo (the PACE prefix with an AlgorithmIdentifier), a TA info, then a
    # PACEInfo we can use.
    from drivers.card import tlv
    from drivers.card.security_infos import encode_oid

    def seq(*parts: bytes) -> bytes:
        return tlv.encode(0x30, b"".join(parts))

    def oid(d: str) -> bytes:
        return tlv.encode(0x06, encode_oid(d))

    raw = tlv.encode(0x31, seq(oid("0.4.0.127.0.7.2.2.4.2"), seq(oid("1.2.840.10045.2.1")))
                     + seq(oid("0.4.0.127.0.7.2.2.2"), tlv.encode(0x02, b"\x02"))
                     + seq(oid("0.4.0.127.0.7.2.2.4.2.2"), tlv.encode(0x02, b"\x02"), tlv.encode(0x02, b"\x0d")))
    infos = security_infos.parse(raw)
    assert infos.supported_pace().parameter_id == 13
    assert "0.4.0.127.0.7.2.2.4.2" in infos.unknown and "0.4.0.127.0.7.2.2.2" in infos.unknown


@pytest.mark.parametrize("trailer", ["sha1", "sha256"])
def test_active_authentication_rsa_iso9796_2(trailer):
    import hashlib
    import os

    from asn1crypto import keys as akeys
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from drivers.card import active_auth

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    n, d = key.public_key().public_numbers().n, key.private_numbers().d
    k = (n.bit_length() + 7) // 8
    h = hashlib.new(trailer)
    tail = b"\xbc" if trailer == "sha1" else b"\x34\xcc"
    m1 = os.urandom(k - h.digest_size - len(tail) - 1)

    class Chip:
        def __init__(self, tamper: bool) -> None:
            self.tamper = tamper

        def transmit(self, apdu: bytes) -> bytes:
            challenge = apdu[5:13]
            digest = hashlib.new(trailer, m1 + challenge).digest()
            m = b"\x6a" + m1 + (bytes(len(digest)) if self.tamper else digest) + tail
            return pow(int.from_bytes(m, "big"), d, n).to_bytes(k, "big") + b"\x90\x00"

    spki = akeys.PublicKeyInfo.load(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert active_auth.authenticate(Chip(False), spki, None) is True
    assert active_auth.authenticate(Chip(True), spki, None) is False


def test_dg13_built_like_the_observed_card_layout():
    """Prefixes public readers match on real cards: ID, dates, old ID as PrintableString, field
    14 without a value when there is no spouse, field 16 with 16 characters."""
    from drivers.card.lds import dg13

    person = {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "1990-01-15",
              "sex": "Nam", "issue_date": "2021-04-10", "expiry_date": "2030-01-15",
              "old_id_number": "012345678", "father_name": "A", "mother_name": "B"}
    raw = dg13.build(person)
    assert bytes([48, 17, 2, 1, 1, 19, 12]) + b"001090012345" in raw
    assert bytes([48, 15, 2, 1, 3, 19, 10]) + b"15/01/1990" in raw
    assert bytes([48, 15, 2, 1, 11, 19, 10]) + b"10/04/2021" in raw
    assert bytes([48, 3, 2, 1, 14]) in raw
    assert bytes([48, 14, 2, 1, 15, 19, 9]) + b"012345678" in raw
    assert bytes([48, 21, 2, 1, 16, 19, 16]) in raw
    parsed = dg13.parse(raw)
    assert (parsed.father_name, parsed.mother_name, parsed.spouse_name) == ("A", "B", "")
    assert parsed.old_id_number == "012345678" and parsed.issue_date == date(2021, 4, 10)
