"""Hostile input: the TLV/ASN.1, data-group and secure-messaging parsers and the virtual card
never hang and raise nothing but typed CardErrors."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.card import apdu, mrz, security_infos, tlv
from drivers.card.errors import CardProtocolError, SecureMessagingError
from drivers.card.files import BinaryReader
from drivers.card.interface import CardError
from drivers.card.lds import com, dg1, dg2, dg13, dg14, dg15, sod
from drivers.card.sm import SecureMessaging
from drivers.card.virtual import VirtualCard, load_profile, profiles_dir
from drivers.card.virtual.personalize import personalise

FUZZ = settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
PROFILE = load_profile(profiles_dir() / "adult-2021.json")
FILES = personalise(PROFILE).files
PARSERS = {0x011E: com.parse, 0x0101: dg1.parse, 0x0102: dg2.parse, 0x010D: dg13.parse,
           0x010E: dg14.parse, 0x010F: dg15.parse, 0x011D: sod.parse}


def _typed(fn, data):
    try:
        fn(data)
    except CardError:
        pass


@FUZZ
@given(st.binary(max_size=600))
def test_tlv_random_bytes(data):
    _typed(tlv.parse, data)


@FUZZ
@given(st.integers(1, 5000))
def test_tlv_nesting_bomb(depth):
    data = b""
    for _ in range(min(depth, 400)):
        data = tlv.encode(0x30, data)
    items = tlv.parse(data)  # parses (depth capped: deeper levels kept as raw values)
    assert items[0].tag == 0x30


def test_tlv_claimed_huge_length_is_refused():
    with pytest.raises(CardProtocolError):
        tlv.read_header(b"\x77\x84\xff\xff\xff\xff")
    with pytest.raises(CardProtocolError):
        tlv.parse(b"\x30\x82\x01\x00\x01")  # runs past the end


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), st.data())
def test_mutated_files_parse_or_fail_typed(fid, data):
    raw = bytearray(FILES[fid])
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    _typed(PARSERS[fid], bytes(raw))


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), st.binary(max_size=400))
def test_random_files_fail_typed(fid, data):
    _typed(PARSERS[fid], data)


@FUZZ
@given(st.recursive(st.binary(max_size=20).map(lambda b: tlv.encode(0x0C, b)),
                    lambda kids: st.lists(kids, max_size=4).map(lambda xs: tlv.encode(0x30, b"".join(xs))),
                    max_leaves=12),
       st.integers(1, 40))
def test_dg13_with_odd_nesting(value, number):
    entry = tlv.encode(0x30, tlv.encode(0x02, bytes([number])) + value)
    body = tlv.encode(0x02, b"\x01") + tlv.encode(0x06, bytes.fromhex("28D316010008")) + tlv.encode(0x31, entry)
    parsed = dg13.parse(tlv.encode(0x6D, tlv.encode(0x30, body)))
    assert isinstance(parsed.unknown_fields, dict)


def test_dg13_parents_nesting_variants():
    def dg(entry13: bytes) -> dg13.Dg13:
        body = (tlv.encode(0x02, b"\x01") + tlv.encode(0x06, bytes.fromhex("28D316010008"))
                + tlv.encode(0x31, tlv.encode(0x30, tlv.encode(0x02, b"\x0d") + entry13)))
        return dg13.parse(tlv.encode(0x6D, tlv.encode(0x30, body)))

    u = lambda s: tlv.encode(0x0C, s.encode())  # noqa: E731
    for variant in (u("Cha") + u("Mẹ"),
                    tlv.encode(0x30, u("Cha")) + tlv.encode(0x30, u("Mẹ")),
                    tlv.encode(0x30, tlv.encode(0x30, u("Cha")) + tlv.encode(0x30, u("Mẹ")))):
        d = dg(variant)
        assert (d.father_name, d.mother_name) == ("Cha", "Mẹ")
    d = dg(tlv.encode(0x30, u("") + u("Mẹ")))  # father unknown: the mother stays the mother
    assert (d.father_name, d.mother_name) == ("", "Mẹ")


def test_dg13_field_16_as_old_id_fallback_and_dates():
    entries = b"".join(tlv.encode(0x30, tlv.encode(0x02, bytes([n])) + tlv.encode(0x0C, v.encode()))
                       for n, v in ((1, "001090012345"), (3, "15/01/1990"), (12, "Không thời hạn"),
                                    (16, "012345678"), (21, "mới")))
    body = tlv.encode(0x02, b"\x01") + tlv.encode(0x06, bytes.fromhex("28D316010008")) + tlv.encode(0x31, entries)
    d = dg13.parse(tlv.encode(0x6D, tlv.encode(0x30, body)))
    assert d.birth_date == date(1990, 1, 15)
    assert d.expiry_date is None and d.expiry_text == "Không thời hạn"
    assert d.old_id_number == "012345678"
    assert d.unknown_fields == {"16": "012345678", "21": "mới"}


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["3des", "aes"]))
def test_sm_unwrap_response_random(data, cipher):
    sm = SecureMessaging(cipher, bytes(16), bytes(range(16)), 0)
    try:
        sm.unwrap_response(data)
    except (SecureMessagingError, CardProtocolError):
        pass


@FUZZ
@given(st.binary(min_size=4, max_size=300), st.sampled_from(["3des", "aes"]))
def test_sm_unwrap_command_random(data, cipher):
    sm = SecureMessaging(cipher, bytes(16), bytes(range(16)), 0)
    try:
        sm.unwrap_command(data)
    except (SecureMessagingError, CardProtocolError):
        pass


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["3des", "aes"]))
def test_sm_unwrap_of_validly_macd_garbage(payload, cipher):
    """Objects that pass the MAC but carry nonsense (a hostile chip with the keys)."""
    card = SecureMessaging(cipher, bytes(16), bytes(range(16)), 0)
    term = SecureMessaging(cipher, bytes(16), bytes(range(16)), 0)
    term.ssc = card.ssc = 7
    do87 = tlv.encode(0x87, b"\x01" + payload)
    do99 = tlv.encode(0x99, b"\x90\x00")
    card.ssc += 1
    mac = card.mac(do87 + do99)
    try:
        term.unwrap_response(do87 + do99 + tlv.encode(0x8E, mac) + b"\x90\x00")
    except (SecureMessagingError, CardProtocolError):
        pass


@FUZZ
@given(st.binary(max_size=300))
def test_security_infos_random(data):
    _typed(security_infos.parse, data)


@FUZZ
@given(st.binary(max_size=300))
def test_apdu_parse_random(data):
    _typed(apdu.parse_command, data)


@FUZZ
@given(st.text(alphabet="ABCXYZ0123456789<", min_size=0, max_size=100))
def test_mrz_parse_random(text):
    try:
        m = mrz.parse(text)
    except CardProtocolError:
        return
    assert isinstance(m.check_digits_ok, bool)


@FUZZ
@given(st.lists(st.binary(min_size=4, max_size=40), max_size=20))
def test_virtual_card_answers_any_apdu_with_a_status_word(apdus):
    card = VirtualCard(PROFILE)
    for a in apdus:
        response = card.process(a)
        assert len(response) >= 2


class _HostileChip:
    """Claims a 4 GB file, or feeds a file byte by byte."""

    def __init__(self, content: bytes, max_chunk: int = 1000) -> None:
        self.content, self.max_chunk, self.reads = content, max_chunk, 0

    def transmit(self, a: bytes) -> bytes:
        if a[1] == 0xA4:
            return b"\x90\x00"
        self.reads += 1
        off = (a[2] << 8) | a[3]
        return self.content[off:off + self.max_chunk] + b"\x90\x00"


def test_a_chip_claiming_4gb_is_stopped_at_the_header():
    chip = _HostileChip(b"\x75\x84\xff\xff\xff\xf0" + bytes(100))
    with pytest.raises(CardProtocolError):
        BinaryReader().read_file(chip, 0x0102, 64 * 1024)
    assert chip.reads == 1


def test_file_over_the_cap_is_refused():
    chip = _HostileChip(tlv.encode(0x6D, bytes(9000)))
    with pytest.raises(CardProtocolError):
        BinaryReader().read_file(chip, 0x010D, 8 * 1024)


def test_tiny_chunks_and_odd_offsets_still_assemble_the_file():
    content = tlv.encode(0x61, bytes(range(256)) * 3)
    chip = _HostileChip(content, max_chunk=7)
    assert BinaryReader(allow_extended=False).read_file(chip, 0x0101, 4096) == content
    assert hashlib.sha256(content).digest()  # sanity: the content is what we hashed


class _StrictChip(_HostileChip):
    """Answers 6700 to any Le beyond the end of the file (or above `max_le`)."""

    def __init__(self, content: bytes, max_le: int) -> None:
        super().__init__(content)
        self.max_le = max_le

    def transmit(self, a: bytes) -> bytes:
        if a[1] == 0xA4:
            return b"\x90\x00"
        self.reads += 1
        off = (a[2] << 8) | a[3]
        le = int.from_bytes(a[5:7], "big") if len(a) == 7 else (a[4] or 256)
        if len(a) == 7 or le > self.max_le or off + le > len(self.content):
            return b"\x67\x00"
        return self.content[off:off + le] + b"\x90\x00"


@pytest.mark.parametrize("size", [3, 20, 250, 300, 5000])
@pytest.mark.parametrize("max_le", [256, 223, 100])
def test_strict_chip_short_files_and_small_blocks(size, max_le):
    content = tlv.encode(0x5F1F, bytes(range(256)) * (size // 256) + bytes(size % 256))[: max(size, 3)]
    content = tlv.encode(0x61, content)
    chip = _StrictChip(content, max_le)
    reader = BinaryReader(allow_extended=True)
    assert reader.read_file(chip, 0x0101, 64 * 1024) == content
    assert reader.extended is False
    if len(content) > max_le:
        assert reader.block <= max_le


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_passive_auth_on_mutated_sods_only_sets_facts(trust, data):
    from drivers.card import passive_auth
    from drivers.card.facts import AuthFacts

    raw = bytearray(FILES[0x011D])
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(4, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    try:
        parsed = sod.parse(bytes(raw))
    except CardProtocolError:
        return
    facts = AuthFacts()
    passive_auth.check_hashes(parsed, {1: FILES[0x0101], 13: FILES[0x010D]}, facts)
    ds = passive_auth.load_ds_certificate(parsed)
    passive_auth.check_signature(parsed, ds, facts)
    passive_auth.check_chain(parsed, ds, trust, facts)
    assert facts.sod_signature in ("passed", "failed", "not_supported")
    assert facts.certificate_chain in ("passed", "failed")


@FUZZ
@given(st.data(), st.binary(min_size=0, max_size=140))
def test_active_and_chip_authentication_with_hostile_keys_and_answers(data, answer):
    """Mutated DG14/DG15 keys and random chip answers: a bool or a typed error, nothing else."""
    from drivers.card import active_auth, chip_auth
    from drivers.card.sm import SecureMessaging, SecureTransceiver

    def mutate(raw: bytes) -> bytes:
        raw = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 3))):
            raw[data.draw(st.integers(2, len(raw) - 1))] = data.draw(st.integers(0, 255))
        return bytes(raw)

    class Chip:
        def transmit(self, apdu: bytes) -> bytes:
            return answer + b"\x90\x00"

    try:
        # random bytes never prove the key: a bool that is False, or a typed error
        assert active_auth.authenticate(Chip(), dg15.parse(mutate(FILES[0x010F])), None) is False
    except CardError:
        pass
    try:
        infos = dg14.parse(mutate(FILES[0x010E]))
        chip_auth.authenticate(SecureTransceiver(Chip(), SecureMessaging("aes", bytes(16), bytes(16))), infos)
    except CardError:
        pass
