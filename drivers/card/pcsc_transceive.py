"""ISO 7816-4 transport-level status words, handled once for every reader: 61xx (more data, fetch it
with GET RESPONSE) and 6Cxx (wrong Le, send the same command again with Le = xx).

T=0 readers surface both; T=1 and contactless readers usually do not, but some cards send them
anyway, so the wrapper sits on every connection. It is a Transceiver decorator (like pyscard's
CardConnectionDecorator) so secure messaging and the trace wrap it without knowing it is there.
"""

from __future__ import annotations

from drivers.card.interface import Transceiver, TransportError

# A hostile or broken card could answer 61xx forever; 256 chunks of up to 256 bytes is more than
# the largest extended-length response (65536 bytes) a command can legitimately produce.
MAX_GET_RESPONSE_ROUNDS = 257
MAX_RESPONSE_BYTES = 65536 + 2


def _with_le(apdu: bytes, le: int) -> bytes:
    """The same command with its short Le replaced (or added, for a case 1 / case 3 command)."""
    if len(apdu) < 4:
        raise TransportError("command APDU shorter than its header")
    if len(apdu) == 4:  # case 1: no body
        return apdu + bytes([le])
    if len(apdu) == 5:  # case 2 short: the fifth byte is Le
        return apdu[:4] + bytes([le])
    lc = apdu[4]
    if lc != 0:  # short case 3 / case 4
        return apdu[: 5 + lc] + bytes([le])
    # Extended length: body is 00 Lc1 Lc2 data [Le1 Le2]; 6Cxx only ever carries a short Le.
    if len(apdu) == 7:  # extended case 2
        return apdu[:5] + bytes([0, le])
    lc_ext = int.from_bytes(apdu[5:7], "big")
    return apdu[: 7 + lc_ext] + bytes([0, le])


class ResponseChaining:
    """Wraps a raw transceiver: loops GET RESPONSE on 61xx, re-sends with the right Le on 6Cxx,
    and returns one complete response (data + final SW1 SW2), however long."""

    def __init__(self, inner: Transceiver) -> None:
        self.inner = inner

    def _raw(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        if len(response) < 2:
            raise TransportError(f"response of {len(response)} bytes has no status word")
        return response

    def transmit(self, apdu: bytes) -> bytes:
        response = self._raw(apdu)
        if response[-2] == 0x6C:
            # Wrong Le: the card tells us the right one. Only once, a second 6C is an error SW.
            response = self._raw(_with_le(apdu, response[-1]))
        data = bytearray(response[:-2])
        sw1, sw2 = response[-2], response[-1]
        # GET RESPONSE keeps the logical channel bits of the command, never its SM bits.
        cla = apdu[0] & 0x03
        rounds = 0
        while sw1 == 0x61:
            rounds += 1
            if rounds > MAX_GET_RESPONSE_ROUNDS:
                raise TransportError("card kept answering 61xx: too many GET RESPONSE rounds")
            get_response = bytes([cla, 0xC0, 0x00, 0x00, sw2])
            chunk = self._raw(get_response)
            if chunk[-2] == 0x6C:
                chunk = self._raw(_with_le(get_response, chunk[-1]))
            data += chunk[:-2]
            sw1, sw2 = chunk[-2], chunk[-1]
            if len(data) > MAX_RESPONSE_BYTES:
                raise TransportError("chained response larger than any APDU response can be")
        return bytes(data) + bytes([sw1, sw2])
