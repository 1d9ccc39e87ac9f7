"""DG14: SecurityInfos for Chip Authentication (and the Active Authentication algorithm)."""

from __future__ import annotations

from drivers.card import security_infos, tlv


def parse(data: bytes) -> security_infos.SecurityInfos:
    top = tlv.parse_one(data, 0x6E, recurse=False)
    return security_infos.parse(top.value)


def build(security_infos_der: bytes) -> bytes:
    return tlv.encode(0x6E, security_infos_der)
