"""SecurityInfos of EF.CardAccess and DG14 (ICAO 9303-11 §9.2): which PACE, Chip Authentication
and Active Authentication variants the chip offers. OIDs decoded with asn1crypto; the SET of
loosely-typed SEQUENCEs is walked with our capped TLV parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import core, keys

from drivers.card import tlv
from drivers.card.errors import CardProtocolError

BSI = "0.4.0.127.0.7.2.2"
PACE_PREFIX = BSI + ".4."
CA_PREFIX = BSI + ".3."
PK_ECDH = BSI + ".1.2"
PK_DH = BSI + ".1.1"
AA_INFO = "2.23.136.1.1.5"

# id-PACE-ECDH-GM-*  ->  cipher
PACE_ECDH_GM = {
    PACE_PREFIX + "2.1": "3des",
    PACE_PREFIX + "2.2": "aes128",
    PACE_PREFIX + "2.3": "aes192",
    PACE_PREFIX + "2.4": "aes256",
}
# id-CA-ECDH-*  ->  cipher
CA_ECDH = {
    CA_PREFIX + "2.1": "3des",
    CA_PREFIX + "2.2": "aes128",
    CA_PREFIX + "2.3": "aes192",
    CA_PREFIX + "2.4": "aes256",
}


@dataclass
class PaceInfo:
    oid: str
    version: int
    parameter_id: int | None


@dataclass
class ChipAuthInfo:
    oid: str
    version: int
    key_id: int | None


@dataclass
class ChipAuthPublicKey:
    oid: str
    public_key: keys.PublicKeyInfo
    key_id: int | None


@dataclass
class SecurityInfos:
    pace: list[PaceInfo] = field(default_factory=list)
    chip_auth: list[ChipAuthInfo] = field(default_factory=list)
    chip_auth_keys: list[ChipAuthPublicKey] = field(default_factory=list)
    active_auth_signature_oid: str | None = None
    unknown: list[str] = field(default_factory=list)

    def supported_pace(self) -> PaceInfo | None:
        """ECDH Generic Mapping with a curve we know, strongest cipher first."""
        from drivers.card.ec import BY_PARAMETER_ID

        ok = [p for p in self.pace if p.oid in PACE_ECDH_GM and p.oid != PACE_PREFIX + "2.1"
              and p.parameter_id in BY_PARAMETER_ID]
        ok.sort(key=lambda p: p.oid, reverse=True)
        return ok[0] if ok else None


def _oid(value: bytes) -> str:
    try:
        return core.ObjectIdentifier.load(tlv.encode(0x06, value)).dotted
    except Exception:  # asn1crypto raises ValueError/TypeError on garbage  # noqa: BLE001
        raise CardProtocolError("SecurityInfo: bad OID") from None


def _int(item: tlv.Tlv) -> int:
    if item.tag != 0x02 or not item.value or len(item.value) > 8:
        raise CardProtocolError("SecurityInfo: bad INTEGER")
    return int.from_bytes(item.value, "big", signed=True)


def parse(data: bytes) -> SecurityInfos:
    """Parse a DER `SET OF SecurityInfo` (EF.CardAccess content, or the inside of DG14)."""
    top = tlv.parse_one(data, 0x31, depth=2)
    out = SecurityInfos()
    for seq in top.children:
        if seq.tag != 0x30 or not seq.children or seq.children[0].tag != 0x06:
            raise CardProtocolError("SecurityInfo: not a SEQUENCE starting with an OID")
        oid = _oid(seq.children[0].value)
        try:
            _one(out, oid, seq.children[1:])
        except CardProtocolError:
            # One entry we do not understand (e.g. PACEDomainParameterInfo, which shares the
            # PACE prefix) must not hide the others.
            out.unknown.append(oid)
    return out


def _one(out: SecurityInfos, oid: str, rest: list[tlv.Tlv]) -> None:
    if oid in PACE_ECDH_GM or (oid.startswith(PACE_PREFIX) and rest and rest[0].tag == 0x02):
        pid = _int(rest[1]) if len(rest) > 1 and rest[1].tag == 0x02 else None
        out.pace.append(PaceInfo(oid, _int(rest[0]), pid))
    elif oid.startswith(CA_PREFIX) and rest and rest[0].tag == 0x02:
        kid = _int(rest[1]) if len(rest) > 1 else None
        out.chip_auth.append(ChipAuthInfo(oid, _int(rest[0]), kid))
    elif oid in (PK_ECDH, PK_DH) and rest and rest[0].tag == 0x30:
        try:
            spki = keys.PublicKeyInfo.load(tlv.encode(rest[0].tag, rest[0].value))
            spki.native  # force a full parse now: garbage fails here, typed
        except Exception:  # noqa: BLE001 - asn1crypto's errors are untyped
            raise CardProtocolError("ChipAuthenticationPublicKeyInfo: bad key") from None
        kid = _int(rest[1]) if len(rest) > 1 else None
        out.chip_auth_keys.append(ChipAuthPublicKey(oid, spki, kid))
    elif oid == AA_INFO and len(rest) > 1 and rest[1].tag == 0x06:
        out.active_auth_signature_oid = _oid(rest[1].value)
    else:
        out.unknown.append(oid)


def encode_oid(dotted: str) -> bytes:
    """DER value bytes (no tag/length) of an OID."""
    return core.ObjectIdentifier(dotted).contents
