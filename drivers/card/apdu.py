"""Command APDUs (short and extended length) and the ONE place status words become typed errors."""

from __future__ import annotations

from drivers.card import errors

SW_OK = 0x9000


def command(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None,
            *, extended: bool = False) -> bytes:
    """Build a command APDU. `le` = 0 means "as much as possible" (256, or 65536 when extended)."""
    extended = extended or len(data) > 255 or (le is not None and le > 256)
    out = bytearray([cla, ins, p1, p2])
    if data:
        if extended:
            out += b"\x00" + len(data).to_bytes(2, "big")
        else:
            out.append(len(data))
        out += data
    if le is not None:
        if extended:
            if not data:
                out.append(0)
            out += (le if le < 65536 else 0).to_bytes(2, "big")
        else:
            out.append(le if le < 256 else 0)
    return bytes(out)


def parse_command(apdu: bytes) -> tuple[int, int, int, int, bytes, int | None]:
    """Split a command APDU into (cla, ins, p1, p2, data, le); le 0 -> 256 / 65536. Raises
    CardProtocolError on a malformed APDU (the virtual card answers 6700 for that)."""
    if len(apdu) < 4:
        raise errors.CardProtocolError("APDU shorter than 4 bytes")
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return cla, ins, p1, p2, b"", None
    if len(body) == 1:
        return cla, ins, p1, p2, b"", body[0] or 256
    if body[0] != 0:
        lc = body[0]
        if len(body) == 1 + lc:
            return cla, ins, p1, p2, body[1:], None
        if len(body) == 2 + lc:
            return cla, ins, p1, p2, body[1:1 + lc], body[-1] or 256
        raise errors.CardProtocolError("APDU: Lc does not match")
    # extended
    if len(body) == 3:
        return cla, ins, p1, p2, b"", int.from_bytes(body[1:3], "big") or 65536
    lc = int.from_bytes(body[1:3], "big")
    if len(body) == 3 + lc and lc:
        return cla, ins, p1, p2, body[3:], None
    if len(body) == 5 + lc and lc:
        return cla, ins, p1, p2, body[3:3 + lc], int.from_bytes(body[-2:], "big") or 65536
    raise errors.CardProtocolError("APDU: extended Lc does not match")


def split(response: bytes) -> tuple[bytes, int]:
    if len(response) < 2:
        raise errors.CardProtocolError("response shorter than a status word")
    return response[:-2], int.from_bytes(response[-2:], "big")


def error_for(sw: int, context: str = "") -> errors.CardError:
    """Map an error status word to its typed error."""
    if sw in (0x6A82, 0x6A83):
        return errors.FileNotFoundOnCardError(sw, context)
    if sw in (0x6982, 0x6985, 0x6986):
        return errors.SecurityStatusError(sw, context)
    if sw in (0x6987, 0x6988):
        return errors.SecureMessagingError(f"{context}: SM data objects rejected (SW {sw:04X})")
    if sw == 0x6700 or sw >> 8 == 0x6C:
        return errors.WrongLengthError(sw, context)
    if sw in (0x6D00, 0x6E00, 0x6A81, 0x6A86, 0x6B00, 0x6A80):
        return errors.NotSupportedError(sw, context)
    if sw == 0x6300 or sw >> 8 == 0x63 or sw == 0x6983:
        return errors.AuthenticationFailedError(sw, context)
    return errors.StatusWordError(sw, context)


def check(response: bytes, context: str = "") -> bytes:
    """Return the data of a 9000 response (62xx warnings with data are accepted too, such as
    6282 "end of file reached before Le bytes"), else raise the typed error."""
    data, sw = split(response)
    if sw == SW_OK or sw == 0x6282:
        return data
    raise error_for(sw, context)
