"""EF.COM: LDS version and the list of data groups present."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.card import tlv
from drivers.card.lds import TAG_TO_DG


@dataclass
class Com:
    lds_version: str
    unicode_version: str
    data_groups: list[int]


def parse(data: bytes) -> Com:
    top = tlv.parse_one(data, 0x60, depth=1)
    ver = top.find(0x5F01)
    uni = top.find(0x5F36)
    tags = top.find(0x5C)
    dgs = [TAG_TO_DG[t] for t in (tags.value if tags else b"") if t in TAG_TO_DG]
    return Com(ver.value.decode("ascii", "replace") if ver else "",
               uni.value.decode("ascii", "replace") if uni else "", dgs)


def build(data_groups: list[int]) -> bytes:
    inverse = {v: k for k, v in TAG_TO_DG.items()}
    return tlv.encode(0x60, tlv.encode(0x5F01, b"0107") + tlv.encode(0x5F36, b"040000")
                      + tlv.encode(0x5C, bytes(inverse[d] for d in data_groups)))
