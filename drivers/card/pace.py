"""PACE v2 with ECDH Generic Mapping (ICAO 9303-11 §4.4), AES secure messaging afterwards.

Steps: MSE:Set AT (protocol OID, password reference 1 = MRZ / 2 = CAN), then four chained
GENERAL AUTHENTICATEs: encrypted nonce, mapping keys (G' = s*G + H), ephemeral keys on G',
authentication tokens. Key material comes from `random` so the worked example can be replayed.
"""

from __future__ import annotations

import hmac
import os
from typing import Callable

from drivers.card import apdu, crypto, tlv
from drivers.card.access_keys import AccessKey
from drivers.card.ec import BY_PARAMETER_ID, Curve
from drivers.card.errors import AuthenticationFailedError, CardProtocolError
from drivers.card.interface import Transceiver
from drivers.card.security_infos import PACE_ECDH_GM, PaceInfo, encode_oid
from drivers.card.sm import SecureMessaging


def k_pi(key: AccessKey, cipher: str) -> bytes:
    return crypto.kdf(key.password(), crypto.KDF_PACE, cipher)


def decrypt_nonce(kpi: bytes, encrypted: bytes) -> bytes:
    if len(encrypted) % 16 or not encrypted:
        raise CardProtocolError("PACE: encrypted nonce of bad length")
    return crypto.aes_cbc_decrypt(kpi, encrypted)


def encrypt_nonce(kpi: bytes, nonce: bytes) -> bytes:
    return crypto.aes_cbc_encrypt(kpi, nonce)


def map_generator(curve: Curve, nonce: bytes, own_private: int, peer_public: tuple[int, int]):
    """Generic Mapping: G' = s*G + H with H = own_private * peer_public."""
    h = curve.mul(own_private, peer_public)
    g = curve.add(curve.mul_g(int.from_bytes(nonce, "big")), h)
    if g is None:
        raise CardProtocolError("PACE: mapped generator is the point at infinity")
    return g


def token_input(oid: str, public_point: bytes) -> bytes:
    return tlv.encode(0x7F49, tlv.encode(0x06, encode_oid(oid)) + tlv.encode(0x86, public_point))


def auth_token(ks_mac: bytes, oid: str, public_point: bytes) -> bytes:
    return crypto.aes_cmac(ks_mac, token_input(oid, public_point))[:8]


def session_keys(shared_x: bytes, cipher: str) -> tuple[bytes, bytes]:
    return crypto.kdf(shared_x, crypto.KDF_ENC, cipher), crypto.kdf(shared_x, crypto.KDF_MAC, cipher)


def _random_scalar(curve: Curve, random: Callable[[int], bytes]) -> int:
    while True:
        k = int.from_bytes(random(curve.size), "big") % curve.n
        if k:
            return k


def _ga(transceiver: Transceiver, tag: int, value: bytes, last: bool, step: str) -> tlv.Tlv:
    data = tlv.encode(0x7C, tlv.encode(tag, value) if tag else b"")
    resp = apdu.check(transceiver.transmit(apdu.command(0x00 if last else 0x10, 0x86, 0, 0, data, 256)),
                      f"PACE {step}")
    return tlv.parse_one(resp, 0x7C, depth=1)


def _child(item: tlv.Tlv, tag: int, step: str) -> bytes:
    c = item.find(tag)
    if c is None:
        raise CardProtocolError(f"PACE {step}: tag {tag:02X} missing")
    return c.value


def mse_set_at(oid: str, password_reference: int, parameter_id: int | None = None) -> bytes:
    """`parameter_id` only when the chip offers several domain parameters (ICAO 9303-11: 84 is
    required then, and left out otherwise, as in the worked example)."""
    data = tlv.encode(0x80, encode_oid(oid)) + tlv.encode(0x83, bytes([password_reference]))
    if parameter_id is not None:
        data += tlv.encode(0x84, bytes([parameter_id]))
    return apdu.command(0x00, 0x22, 0xC1, 0xA4, data)


def authenticate(transceiver: Transceiver, key: AccessKey, info: PaceInfo,
                 random: Callable[[int], bytes] = os.urandom, *,
                 ambiguous: bool = False) -> SecureMessaging:
    cipher = PACE_ECDH_GM.get(info.oid)
    curve = BY_PARAMETER_ID.get(info.parameter_id or -1)
    if cipher is None or cipher == "3des" or curve is None:
        raise CardProtocolError("PACE: variant not supported")
    mse = mse_set_at(info.oid, key.password_reference, info.parameter_id if ambiguous else None)
    apdu.check(transceiver.transmit(mse), "PACE MSE:Set AT")

    nonce = decrypt_nonce(k_pi(key, cipher), _child(_ga(transceiver, 0, b"", False, "nonce"), 0x80, "nonce"))

    map_priv = _random_scalar(curve, random)
    map_pub = curve.encode(curve.mul_g(map_priv))
    chip_map = curve.decode(_child(_ga(transceiver, 0x81, map_pub, False, "map"), 0x82, "map"))
    g_mapped = map_generator(curve, nonce, map_priv, chip_map)

    eph_priv = _random_scalar(curve, random)
    eph_pub = curve.encode(curve.mul(eph_priv, g_mapped))
    chip_eph_raw = _child(_ga(transceiver, 0x83, eph_pub, False, "key agreement"), 0x84, "key agreement")
    chip_eph = curve.decode(chip_eph_raw)
    if chip_eph_raw == eph_pub:
        raise CardProtocolError("PACE: chip echoed our ephemeral key")
    shared = curve.mul(eph_priv, chip_eph)
    if shared is None:
        raise CardProtocolError("PACE: shared secret at infinity")
    ks_enc, ks_mac = session_keys(shared[0].to_bytes(curve.size, "big"), cipher)

    t_ifd = auth_token(ks_mac, info.oid, chip_eph_raw)
    answer = _ga(transceiver, 0x85, t_ifd, True, "mutual authentication")
    t_ic = _child(answer, 0x86, "mutual authentication")
    if not hmac.compare_digest(t_ic, auth_token(ks_mac, info.oid, eph_pub)):
        raise AuthenticationFailedError(0x6300, "PACE chip token")
    return SecureMessaging("aes", ks_enc, ks_mac, 0)
