"""DG15: the Active Authentication public key (tag 6F { SubjectPublicKeyInfo })."""

from __future__ import annotations

from asn1crypto import keys

from drivers.card import tlv
from drivers.card.errors import CardProtocolError


def parse(data: bytes) -> keys.PublicKeyInfo:
    top = tlv.parse_one(data, 0x6F, recurse=False)
    try:
        spki = keys.PublicKeyInfo.load(top.value)
        spki.native
        return spki
    except Exception:  # noqa: BLE001 - asn1crypto's errors are untyped
        raise CardProtocolError("DG15: bad public key") from None


def build(spki_der: bytes) -> bytes:
    return tlv.encode(0x6F, spki_der)
