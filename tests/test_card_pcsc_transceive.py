"""GET RESPONSE (61xx), wrong Le (6Cxx), long responses, and the APDU trace, over a scripted
transceiver that fails on any command it was not told to expect."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.card.apdu_trace import ApduTrace
from drivers.card.interface import CardRemovedError, TransportError
from drivers.card.pcsc_transceive import MAX_GET_RESPONSE_ROUNDS, ResponseChaining


class Scripted:
    def __init__(self, script: list[tuple[str, str]]) -> None:
        self.script = [(bytes.fromhex(c), bytes.fromhex(r)) for c, r in script]
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        assert self.script, f"unexpected command {apdu.hex()}"
        expected, response = self.script.pop(0)
        assert apdu == expected, f"expected {expected.hex()}, got {apdu.hex()}"
        self.sent.append(apdu)
        return response

    def done(self) -> None:
        assert not self.script, "commands left unsent"


def test_plain_response_passes_through() -> None:
    card = Scripted([("00A4040C07A0000002471001", "9000")])
    assert ResponseChaining(card).transmit(bytes.fromhex("00A4040C07A0000002471001")) == b"\x90\x00"
    card.done()


def test_get_response_loop_accumulates_data() -> None:
    card = Scripted([
        ("00B0000000", "0102" + "6104"),
        ("00C0000004", "03040506" + "6102"),
        ("00C0000002", "0708" + "9000"),
    ])
    out = ResponseChaining(card).transmit(bytes.fromhex("00B0000000"))
    assert out == bytes.fromhex("0102030405060708 9000")
    card.done()


def test_get_response_keeps_channel_and_drops_sm_bits() -> None:
    card = Scripted([("0DB0000000", "6100"), ("01C0000000", "AA" * 256 + "9000")])
    out = ResponseChaining(card).transmit(bytes.fromhex("0DB0000000"))
    assert out == b"\xAA" * 256 + b"\x90\x00"


def test_wrong_le_is_resent_with_the_cards_le() -> None:
    card = Scripted([("00B0000000", "6C10"), ("00B0000010", "11" * 16 + "9000")])
    assert ResponseChaining(card).transmit(bytes.fromhex("00B0000000")) == b"\x11" * 16 + b"\x90\x00"
    card.done()


def test_wrong_le_on_case_4_and_case_1_commands() -> None:
    card = Scripted([("0088000008" + "11" * 8 + "00", "6C08"), ("0088000008" + "11" * 8 + "08", "22" * 8 + "9000")])
    ResponseChaining(card).transmit(bytes.fromhex("0088000008" + "11" * 8 + "00"))
    card = Scripted([("00CA0101", "6C02"), ("00CA010102", "AABB9000")])
    assert ResponseChaining(card).transmit(bytes.fromhex("00CA0101")) == bytes.fromhex("AABB9000")


def test_wrong_le_then_more_data() -> None:
    card = Scripted([("00B0000005", "6CFF"), ("00B00000FF", "00" * 255 + "6105"), ("00C0000005", "01" * 5 + "9000")])
    out = ResponseChaining(card).transmit(bytes.fromhex("00B0000005"))
    assert len(out) == 262 and out[-2:] == b"\x90\x00"


def test_second_wrong_le_is_returned_not_looped() -> None:
    card = Scripted([("00B0000000", "6C10"), ("00B0000010", "6C20")])
    assert ResponseChaining(card).transmit(bytes.fromhex("00B0000000")) == bytes.fromhex("6C20")


def test_extended_length_response_longer_than_258_bytes() -> None:
    body = bytes(range(256)) * 4 + b"\x42" * 100  # 1124 bytes in one extended response
    card = Scripted([("00B00000000464", body.hex() + "9000")])
    out = ResponseChaining(card).transmit(bytes.fromhex("00B00000000464"))
    assert out == body + b"\x90\x00"


def test_extended_case_2_wrong_le() -> None:
    card = Scripted([("00B00000000800", "6C80"), ("00B00000000080", "00" * 128 + "9000")])
    assert len(ResponseChaining(card).transmit(bytes.fromhex("00B00000000800"))) == 130


def test_endless_61xx_is_bounded() -> None:
    class Endless:
        calls = 0

        def transmit(self, apdu: bytes) -> bytes:
            self.calls += 1
            return b"\x00" * 10 + b"\x61\x0A"

    card = Endless()
    with pytest.raises(TransportError):
        ResponseChaining(card).transmit(bytes.fromhex("00B0000000"))
    assert card.calls <= MAX_GET_RESPONSE_ROUNDS + 1


def test_response_without_status_word_is_a_transport_error() -> None:
    card = Scripted([("00B0000000", "90")])
    with pytest.raises(TransportError):
        ResponseChaining(card).transmit(bytes.fromhex("00B0000000"))


def test_card_errors_propagate_unchanged() -> None:
    class Gone:
        def transmit(self, apdu: bytes) -> bytes:
            raise CardRemovedError("gone")

    with pytest.raises(CardRemovedError):
        ResponseChaining(Gone()).transmit(bytes.fromhex("00B0000000"))


# -- the trace ---------------------------------------------------------------------------------

SECRET = "4E475559454E"  # "NGUYEN": what must never reach the log unasked


def test_trace_logs_header_lengths_sw_but_no_data(caplog: pytest.LogCaptureFixture) -> None:
    card = Scripted([("00A4020C02011E", "9000"), ("00B0000006", SECRET + "9000")])
    trace = ApduTrace(card, show_data=False)
    with caplog.at_level(logging.DEBUG, logger="drivers.card.apdu"):
        trace.transmit(bytes.fromhex("00A4020C02011E"))
        trace.transmit(bytes.fromhex("00B0000006"))
    text = caplog.text.upper()
    assert "00 A4 02 0C" in text and "LC=2" in text and "SW=9000" in text
    assert "00 B0 00 00" in text and "LE=6" in text and "6 BYTES" in text
    assert SECRET not in text and "011E" not in text


def test_trace_support_switch_masks_everything_after_access_control(caplog: pytest.LogCaptureFixture) -> None:
    card = Scripted([
        ("00B0000004", "31140600" + "9000"),         # EF.CardAccess, before access control
        ("0CB000000D970104" + "8E08" + "00" * 8 + "00", SECRET + "9000"),  # SM: personal data
        ("00B0000006", SECRET + "9000"),             # even a plain command afterwards
    ])
    trace = ApduTrace(card, show_data=True)
    with caplog.at_level(logging.DEBUG, logger="drivers.card.apdu"):
        trace.transmit(bytes.fromhex("00B0000004"))
        trace.transmit(bytes.fromhex("0CB000000D970104" + "8E08" + "00" * 8 + "00"))
        trace.transmit(bytes.fromhex("00B0000006"))
    assert "31140600" in caplog.text.upper()
    assert SECRET not in caplog.text.upper()


def test_trace_off_costs_nothing_and_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    card = Scripted([("00B0000006", SECRET + "9000")])
    with caplog.at_level(logging.INFO, logger="drivers.card.apdu"):
        ApduTrace(card, show_data=True).transmit(bytes.fromhex("00B0000006"))
    assert caplog.text == ""


@settings(max_examples=200, deadline=None)
@given(command=st.binary(min_size=4, max_size=300),
       responses=st.lists(st.binary(max_size=300), min_size=1, max_size=8))
def test_any_card_answers_end_in_a_response_or_a_transport_error(command: bytes, responses: list[bytes]) -> None:
    """Whatever a hostile card answers, the wrapper ends: a full response or TransportError."""
    class Hostile:
        def __init__(self) -> None:
            self.i = 0

        def transmit(self, apdu: bytes) -> bytes:
            answer = responses[self.i % len(responses)]
            self.i += 1
            return answer

    try:
        out = ResponseChaining(Hostile()).transmit(command)
    except TransportError:
        return
    assert len(out) >= 2
