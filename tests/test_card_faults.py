"""Every injected fault of the virtual card ends in a typed CardError with a stable reason (the
lead maps reasons to on-screen messages), or, for the recoverable ones, in a good read."""

from __future__ import annotations

from datetime import date

import pytest

from drivers.card.access_keys import keys_from_identity
from drivers.card.interface import CardError
from drivers.card.reading import ReadOptions, read_document
from drivers.card.virtual import FaultPlan, VirtualCard, load_profile, profiles_dir


def _profile(**card):
    p = load_profile(profiles_dir() / "adult-2021.json")
    for k, v in card.items():
        setattr(p.card, k, v)
    return p


def _read(faults: FaultPlan, options: ReadOptions | None = None, **card):
    p = _profile(**card)
    card_ = VirtualCard(p, faults)
    keys = keys_from_identity("001090012345", date(1990, 1, 15), date(2021, 4, 10), date(2026, 1, 1))
    return card_, read_document(card_, keys, options or ReadOptions())


def _apdus_of_a_good_read(options: ReadOptions | None = None, **card) -> int:
    card_, _ = _read(FaultPlan(), options, **card)
    return card_.apdu_count


@pytest.mark.parametrize("at", [1, 3, 8, 12, 20])
def test_card_removed_mid_read(at):
    with pytest.raises(CardError) as exc:
        _read(FaultPlan(remove_at_apdu=at))
    assert exc.value.reason == "card_removed"


@pytest.mark.parametrize("field, expected", [
    ("bad_mac_at", {"secure_messaging"}),
    ("corrupt_response_at", {"secure_messaging", "protocol_error"}),
    ("truncate_response_at", {"secure_messaging", "protocol_error"}),
])
# APDU layout of the default read: 1-8 access (CardAccess, PACE, SELECT), 9-10 EF.COM, 11-12 DG14,
# 13-15 Chip Authentication and its proof, 16- DG1, DG13, DG2, DG15, SOD, Active Authentication.
@pytest.mark.parametrize("at", [10, 17, 19])  # inside the secure channel, outside CA
def test_damaged_protected_responses(field, expected, at):
    with pytest.raises(CardError) as exc:
        _read(FaultPlan(**{field: at}))
    assert exc.value.reason in expected


@pytest.mark.parametrize("at", [1, 2, 4, 6])
def test_damaged_responses_during_access_control_are_typed(at):
    for field in ("corrupt_response_at", "truncate_response_at"):
        try:
            _read(FaultPlan(**{field: at}))
        except CardError as exc:
            assert exc.reason in {"secure_messaging", "protocol_error", "access_denied",
                                  "status_word", "not_supported", "wrong_length"}


@pytest.mark.parametrize("name", ["DG13", "DG1"])
def test_malformed_tlv_in_a_mandatory_file_is_a_protocol_error(name):
    with pytest.raises(CardError) as exc:
        _read(FaultPlan(malformed_file=name))
    assert exc.value.reason == "protocol_error"


@pytest.mark.parametrize("name", ["DG2", "DG14", "DG15", "SOD", "COM", "CardAccess"])
def test_malformed_optional_file_is_recorded_not_raised(name):
    _card, r = _read(FaultPlan(malformed_file=name), pace=name != "CardAccess" or True)
    assert r.identity["id_number"] == "001090012345"
    if name in ("DG2", "DG14", "DG15", "SOD"):
        assert not r.auth.verified
    if name == "CardAccess":  # no usable PACE info: BAC with the MRZ key
        assert r.stats.protocol == "BAC-3DES"


def test_extended_length_refused_falls_back_to_short_reads():
    good = _apdus_of_a_good_read()
    card_, r = _read(FaultPlan(refuse_extended_length=True))
    assert r.face_jpeg is not None and r.auth.data_group_hashes == "passed"
    assert r.stats.extended_length is False and r.stats.block_size == 256
    assert card_.apdu_count > good


@pytest.mark.parametrize("at", [9, 10, 11, 12] + list(range(17, 45, 3)))
def test_transient_error_resumes_from_the_last_good_offset(at):
    options = ReadOptions(allow_extended_length=False)
    card_, r = _read(FaultPlan(transient_error_at=at), options)
    assert r.auth.data_group_hashes == "passed"
    assert r.face_jpeg == _profile().face_image.read_bytes()
    assert card_.apdu_count == _apdus_of_a_good_read(options) + 1  # one retry, nothing read twice


def test_cloned_chip_fails_chip_and_active_authentication(tmp_path):
    from drivers.card.virtual import write_test_trust_store

    ts = write_test_trust_store(tmp_path / "ts")
    _card, r = _read(FaultPlan(cloned=True), ReadOptions(trust_store=ts))
    a = r.auth
    assert (a.data_group_hashes, a.sod_signature, a.certificate_chain) == ("passed",) * 3
    assert a.chip_authentication == "failed"
    assert a.active_authentication == "failed"
    assert a.verified is False


def test_link_model_records_modelled_time_without_sleeping():
    card_, r = _read(FaultPlan(bit_rate=424_000, latency=0.005))
    expected = card_.apdu_count * 0.005 + (card_.bytes_in + card_.bytes_out) * 8 / 424_000
    assert card_.modelled_seconds == pytest.approx(expected)
    assert r.stats.seconds < card_.modelled_seconds  # nothing slept


def test_a_driver_exception_of_any_kind_becomes_a_transport_error():
    class Flaky:
        def transmit(self, apdu: bytes) -> bytes:
            raise OSError("reader unplugged")

    with pytest.raises(CardError) as exc:
        read_document(Flaky(), keys_from_identity("001090012345", date(1990, 1, 15)), ReadOptions())
    assert exc.value.reason == "transport_error"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_AT = st.one_of(st.none(), st.integers(1, 40))


@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(FaultPlan, remove_at_apdu=_AT, corrupt_response_at=_AT, truncate_response_at=_AT,
                 bad_mac_at=_AT, transient_error_at=_AT, link_error_at=_AT,
                 malformed_file=st.sampled_from([None, "DG1", "DG2", "DG13", "DG14", "DG15", "SOD", "COM", "CardAccess"]),
                 refuse_extended_length=st.booleans(), cloned=st.booleans(),
                 tampered_file=st.sampled_from([None, "DG1", "DG2", "DG13"])),
       st.booleans(), st.booleans())
def test_any_combination_of_faults_ends_in_a_result_or_a_typed_error(trust, plan, pace, face):
    try:
        _card, r = _read(plan, ReadOptions(face=face, trust_store=trust), pace=pace)
    except CardError as exc:
        assert exc.reason and isinstance(exc.reason, str)
        return
    assert r.identity["id_number"] == "001090012345"
    damaged = (plan.cloned or plan.tampered_file in ("DG1", "DG13") or plan.malformed_file == "SOD"
               or (face and plan.tampered_file == "DG2"))
    if damaged:
        assert not r.auth.verified
    elif plan.malformed_file is None and (plan.bad_mac_at, plan.corrupt_response_at,
                                          plan.truncate_response_at) == (None, None, None):
        assert r.auth.verified


@pytest.mark.parametrize("at", [2, 5, 9, 12, 15, 18, 21, 24])
def test_lost_response_reopens_the_session_and_resumes(at):
    """A response lost by the reader (inside or outside secure messaging) costs a new session,
    not the read."""
    options = ReadOptions(allow_extended_length=False)
    card_, r = _read(FaultPlan(link_error_at=at), options)
    assert r.auth.data_group_hashes == "passed"
    assert r.face_jpeg == _profile().face_image.read_bytes()
    assert card_.apdu_count > _apdus_of_a_good_read(options)


def test_a_dead_link_still_ends_in_a_transport_error():
    class Dead:
        def __init__(self, card):
            self.card, self.n = card, 0

        def transmit(self, apdu):
            self.n += 1
            if self.n > 14:
                raise OSError("gone")
            return self.card.process(apdu)

    keys = keys_from_identity("001090012345", date(1990, 1, 15), date(2021, 4, 10), date(2026, 1, 1))
    with pytest.raises(CardError) as exc:
        read_document(Dead(VirtualCard(_profile())), keys, ReadOptions())
    assert exc.value.reason == "transport_error"


@pytest.mark.parametrize("field", ["bad_mac_at", "corrupt_response_at", "truncate_response_at",
                                   "transient_error_at", "link_error_at"])
@pytest.mark.parametrize("at", [13, 14, 15])
def test_trouble_during_chip_authentication_is_recorded_and_the_read_goes_on(field, at):
    card_, r = _read(FaultPlan(**{field: at}))
    assert r.auth.chip_authentication in ("failed", "not_checked")
    assert r.auth.data_group_hashes == "passed"
    assert r.identity["id_number"] == "001090012345"
