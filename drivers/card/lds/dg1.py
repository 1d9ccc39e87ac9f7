"""DG1: the MRZ (tag 61 { 5F1F mrz })."""

from __future__ import annotations

from drivers.card import mrz, tlv
from drivers.card.errors import CardProtocolError


def parse(data: bytes) -> mrz.Mrz:
    top = tlv.parse_one(data, 0x61, depth=1)
    item = top.find(0x5F1F)
    if item is None:
        raise CardProtocolError("DG1 without MRZ")
    try:
        text = item.value.decode("ascii")
    except UnicodeDecodeError:
        raise CardProtocolError("DG1: MRZ not ASCII") from None
    return mrz.parse(text)


def build(mrz_text: str) -> bytes:
    return tlv.encode(0x61, tlv.encode(0x5F1F, mrz_text.encode("ascii")))
