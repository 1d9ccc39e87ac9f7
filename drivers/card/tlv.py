"""BER-TLV as ICAO 9303 uses it: multi-byte tags, long-form lengths, nesting. Hostile input is
capped (length, depth, count) and every malformation is a CardProtocolError."""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.card.errors import CardProtocolError

MAX_DEPTH = 8
MAX_ITEMS = 4096
MAX_LENGTH = 1 << 20  # nothing on an ID card is near a megabyte


@dataclass
class Tlv:
    tag: int
    value: bytes
    children: list["Tlv"] = field(default_factory=list)

    @property
    def constructed(self) -> bool:
        return _is_constructed(self.tag)

    def find(self, tag: int) -> "Tlv | None":
        for c in self.children:
            if c.tag == tag:
                return c
        return None


def _is_constructed(tag: int) -> bool:
    first = tag
    while first > 0xFF:
        first >>= 8
    return bool(first & 0x20)


def read_header(data: bytes, pos: int = 0) -> tuple[int, int, int]:
    """Returns (tag, length, header size) of the TLV at `pos`; the value may extend beyond `data`
    (useful to learn a file's size from its first bytes)."""
    n = len(data)
    if pos >= n:
        raise CardProtocolError("TLV: missing tag")
    start = pos
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        for _ in range(3):
            if pos >= n:
                raise CardProtocolError("TLV: truncated tag")
            b = data[pos]
            pos += 1
            tag = (tag << 8) | b
            if not b & 0x80:
                break
        else:
            raise CardProtocolError("TLV: tag too long")
    if pos >= n:
        raise CardProtocolError("TLV: missing length")
    first = data[pos]
    pos += 1
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise CardProtocolError("TLV: indefinite length")
    else:
        count = first & 0x7F
        if count > 4 or pos + count > n:
            raise CardProtocolError("TLV: bad long-form length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if length > MAX_LENGTH:
        raise CardProtocolError("TLV: length over cap")
    return tag, length, pos - start


def parse(data: bytes, *, depth: int = MAX_DEPTH, recurse: bool = True) -> list[Tlv]:
    """Parse a concatenation of TLVs; constructed ones are parsed into children (down to `depth`)."""
    counter = [0]
    return _parse(bytes(data), depth if recurse else 0, counter)


def _parse(data: bytes, depth: int, counter: list[int]) -> list[Tlv]:
    out: list[Tlv] = []
    pos = 0
    while pos < len(data):
        if data[pos] in (0x00, 0xFF) and not any(data[pos:].strip(b"\x00\xff")):
            break  # padding at the end of a file
        tag, length, hlen = read_header(data, pos)
        end = pos + hlen + length
        if end > len(data):
            raise CardProtocolError("TLV: value runs past the end")
        counter[0] += 1
        if counter[0] > MAX_ITEMS:
            raise CardProtocolError("TLV: too many items")
        value = data[pos + hlen:end]
        item = Tlv(tag, value)
        if _is_constructed(tag) and depth > 0:
            item.children = _parse(value, depth - 1, counter)
        out.append(item)
        pos = end
    return out


def parse_one(data: bytes, expected_tag: int | None = None, **kw) -> Tlv:
    items = parse(data, **kw)
    if not items:
        raise CardProtocolError("TLV: empty")
    if expected_tag is not None and items[0].tag != expected_tag:
        raise CardProtocolError(f"TLV: expected tag {expected_tag:X}, got {items[0].tag:X}")
    return items[0]


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value
