"""Build a virtual card's files and keys from a CardProfile (cached per profile and mode)."""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from drivers.card import mrz, tlv
from drivers.card.ec import BRAINPOOL_P256R1
from drivers.card.lds import com, dg1, dg2, dg13, dg14, dg15
from drivers.card.security_infos import AA_INFO, CA_ECDH, PK_ECDH, encode_oid
from drivers.card.virtual.pki import derived_key, test_pki
from drivers.card.virtual.profile import CardProfile

PACE_OID = "0.4.0.127.0.7.2.2.4.2.2"  # id-PACE-ECDH-GM-AES-CBC-CMAC-128
CA_OID = next(k for k, v in CA_ECDH.items() if v == "aes128")
ECDSA_SHA256 = "1.2.840.10045.4.3.2"
BRAINPOOL_P256R1_ID = 13


@dataclass
class Personalisation:
    files: dict[int, bytes]  # fid -> content
    mrz_text: str
    can: str
    ca_key: ec.EllipticCurvePrivateKey | None  # what the chip holds (differs from DG14 if cloned)
    aa_key: ec.EllipticCurvePrivateKey | None


def ascii_name(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _seq(*parts: bytes) -> bytes:
    return tlv.encode(0x30, b"".join(parts))


def _int(n: int) -> bytes:
    return tlv.encode(0x02, bytes([n]))


def _oid(dotted: str) -> bytes:
    return tlv.encode(0x06, encode_oid(dotted))


def card_access(profile: CardProfile) -> bytes:
    infos = []
    if profile.card.pace:
        infos.append(_seq(_oid(PACE_OID), _int(2), _int(BRAINPOOL_P256R1_ID)))
    if profile.card.chip_auth:
        infos.append(_seq(_oid(CA_OID), _int(1)))
    return tlv.encode(0x31, b"".join(infos))


def _face_jpeg(profile: CardProfile) -> tuple[bytes, int, int] | None:
    if profile.face_image is None:
        return None
    data = profile.face_image.read_bytes()
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return data, im.width, im.height


@functools.lru_cache(maxsize=16)
def _chip_keys(label: str) -> tuple[ec.EllipticCurvePrivateKey, ec.EllipticCurvePrivateKey]:
    return derived_key("CA " + label), derived_key("AA " + label)


def _spki(key: ec.EllipticCurvePrivateKey, explicit: bool = False) -> bytes:
    """SubjectPublicKeyInfo, with a named curve or (as many eMRTDs do) explicit parameters."""
    if not explicit:
        return key.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    from asn1crypto import core, keys

    c = BRAINPOOL_P256R1
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    domain = keys.SpecifiedECDomain({
        "version": "ecdpVer1",
        "field_id": {"field_type": "prime_field", "parameters": core.Integer(c.p)},
        "curve": {"a": c.a.to_bytes(c.size, "big"), "b": c.b.to_bytes(c.size, "big")},
        "base": c.encode(c.g),
        "order": c.n,
        "cofactor": 1,
    })
    return keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters("specified", domain)},
        "public_key": point,
    }).dump()


def build_mrz(profile: CardProfile) -> str:
    """The card's TD1. Overrides ("mrz" in the profile): "lines" (the exact lines, e.g. copied
    from a `--json` read) or "expiry_date" / "birth_date" as YYMMDD, to make the MRZ (and so
    the BAC key) differ from DG13 the way a misprinted or misread card would."""
    ident = profile.identity
    expiry = date.fromisoformat(ident["expiry_date"]) if ident.get("expiry_date") else None
    text = mrz.build_vn_td1(ident["id_number"], date.fromisoformat(ident["birth_date"]),
                            ident.get("sex", ""), expiry, ascii_name(ident["full_name"]))
    o = profile.mrz_overrides
    for key, start in (("birth_date", 30), ("expiry_date", 38)):
        value = o.get(key)
        if isinstance(value, str) and len(value) == 6 and value.isdigit():
            text = text[:start] + value + mrz.check_digit(value) + text[start + 7:]
    if o.get("birth_date") or o.get("expiry_date"):
        l1, l2 = text[:30], text[30:60]
        l2 = l2[:29] + mrz.check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        text = l1 + l2 + text[60:]
    lines = o.get("lines")
    if isinstance(lines, list) and all(isinstance(x, str) for x in lines):
        text = "".join(lines)
    return text


@functools.lru_cache(maxsize=32)
def _personalise(key: str, profile: CardProfile, cloned: bool, tampered: str | None,
                 malformed: str | None) -> Personalisation:
    ident = profile.identity
    mrz_text = build_mrz(profile)
    dgs: dict[int, bytes] = {1: dg1.build(mrz_text), 13: dg13.build(ident, profile.card.generation)}
    face = _face_jpeg(profile)
    if face is not None:
        dgs[2] = dg2.build(*face)
    genuine_ca, genuine_aa = _chip_keys(ident["id_number"])
    if profile.card.chip_auth or profile.card.active_auth:
        infos = []
        if profile.card.chip_auth:
            infos.append(_seq(_oid(CA_OID), _int(1)))
            infos.append(_seq(_oid(PK_ECDH), _spki(genuine_ca, profile.card.explicit_ec_parameters)))
        if profile.card.active_auth:
            infos.append(_seq(_oid(AA_INFO), _int(1), _oid(ECDSA_SHA256)))
        dgs[14] = dg14.build(tlv.encode(0x31, b"".join(infos)))
    if profile.card.active_auth:
        dgs[15] = dg15.build(_spki(genuine_aa, profile.card.explicit_ec_parameters))
    sod = test_pki().sign_sod({n: hashlib.sha256(v).digest() for n, v in dgs.items()})
    numbers = {"DG1": 1, "DG2": 2, "DG13": 13, "DG14": 14, "DG15": 15}
    if tampered in numbers and numbers[tampered] in dgs:
        n = numbers[tampered]
        # Same structure, one byte of content changed: parses, but no longer matches the SOD.
        dgs[n] = dgs[n][:-1] + bytes([dgs[n][-1] ^ 0x01])
    files = {0x011E: com.build(sorted(set(dgs) | {3})), 0x011D: sod}
    files.update({0x0100 + n: v for n, v in dgs.items()})
    files[0x011C] = card_access(profile)
    if malformed:
        fid = {"COM": 0x011E, "SOD": 0x011D, "CardAccess": 0x011C}.get(malformed)
        fid = fid or (0x0100 + numbers[malformed] if malformed in numbers else None)
        if fid in files:
            # Keep the outer header (so the size is known) but break the inside: an inner
            # length that runs past the end.
            raw = files[fid]
            _t, _l, hlen = tlv.read_header(raw)
            files[fid] = raw[:hlen] + b"\x30\x84\x7f\xff\xff\xff" + raw[hlen + 6:]
    ca_key, aa_key = genuine_ca, genuine_aa
    if cloned:
        ca_key, aa_key = _chip_keys("clone:" + ident["id_number"])
    return Personalisation(files, mrz_text, ident["id_number"][-6:],
                           ca_key if profile.card.chip_auth else None,
                           aa_key if profile.card.active_auth else None)


def personalise(profile: CardProfile, *, cloned: bool = False, tampered: str | None = None,
                malformed: str | None = None) -> Personalisation:
    return _personalise(profile.key, _Hashable(profile), cloned, tampered, malformed)


class _Hashable(CardProfile):
    """Lets lru_cache key on the profile's JSON while still passing the object."""

    def __init__(self, p: CardProfile) -> None:
        self.__dict__.update(p.__dict__)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CardProfile) and self.key == other.key
