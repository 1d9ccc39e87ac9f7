"""Basic Access Control (ICAO 9303-11 §4.3): key derivation from the MRZ information and the
GET CHALLENGE / EXTERNAL AUTHENTICATE mutual authentication. Result: 3DES secure messaging."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Callable

from drivers.card import apdu, crypto
from drivers.card.access_keys import AccessKey
from drivers.card.errors import AuthenticationFailedError, CardProtocolError
from drivers.card.interface import Transceiver
from drivers.card.sm import SecureMessaging


def key_seed(mrz_information: str) -> bytes:
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def derive_keys(seed: bytes) -> tuple[bytes, bytes]:
    return crypto.kdf(seed, crypto.KDF_ENC, "3des"), crypto.kdf(seed, crypto.KDF_MAC, "3des")


def session_from_exchange(k_enc: bytes, k_mac: bytes, rnd_ifd: bytes, rnd_ic: bytes, k_ifd: bytes,
                          response: bytes) -> SecureMessaging:
    """Check the chip's EXTERNAL AUTHENTICATE answer and derive the session. Raises
    AuthenticationFailedError when the chip's cryptogram does not verify (wrong key)."""
    if len(response) != 40:
        raise CardProtocolError("BAC: answer of unexpected length")
    e_ic, m_ic = response[:32], response[32:]
    if not hmac.compare_digest(crypto.retail_mac(k_mac, crypto.pad(e_ic, 8)), m_ic):
        raise AuthenticationFailedError(0x6300, "BAC chip cryptogram")
    r = crypto.des3_cbc_decrypt(k_enc, e_ic)
    if r[:8] != rnd_ic or r[8:16] != rnd_ifd:
        raise AuthenticationFailedError(0x6300, "BAC nonces")
    k_ic = r[16:32]
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
    ks_enc, ks_mac = derive_keys(seed)
    ssc = int.from_bytes(rnd_ic[4:8] + rnd_ifd[4:8], "big")
    return SecureMessaging("3des", ks_enc, ks_mac, ssc)


def external_authenticate_data(k_enc: bytes, k_mac: bytes, rnd_ifd: bytes, rnd_ic: bytes,
                               k_ifd: bytes) -> bytes:
    e_ifd = crypto.des3_cbc_encrypt(k_enc, rnd_ifd + rnd_ic + k_ifd)
    return e_ifd + crypto.retail_mac(k_mac, crypto.pad(e_ifd, 8))


def authenticate(transceiver: Transceiver, key: AccessKey,
                 random: Callable[[int], bytes] = os.urandom) -> SecureMessaging:
    k_enc, k_mac = derive_keys(key_seed(key.mrz_information()))
    rnd_ic = apdu.check(transceiver.transmit(apdu.command(0x00, 0x84, 0, 0, le=8)), "GET CHALLENGE")
    if len(rnd_ic) != 8:
        raise CardProtocolError("BAC: challenge of unexpected length")
    rnd_ifd, k_ifd = random(8), random(16)
    data = external_authenticate_data(k_enc, k_mac, rnd_ifd, rnd_ic, k_ifd)
    resp = apdu.check(transceiver.transmit(apdu.command(0x00, 0x82, 0, 0, data, 40)),
                      "EXTERNAL AUTHENTICATE")
    return session_from_exchange(k_enc, k_mac, rnd_ifd, rnd_ic, k_ifd, resp)
