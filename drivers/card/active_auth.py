"""Active Authentication (ICAO 9303-11 §6.1): INTERNAL AUTHENTICATE with a random challenge,
verified with the DG15 key (ECDSA with plain r||s, or RSA with ISO/IEC 9796-2 scheme 1)."""

from __future__ import annotations

import hashlib
import hmac
import os

from asn1crypto import keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from drivers.card import apdu
from drivers.card.errors import CardProtocolError
from drivers.card.pubkeys import load_public_key
from drivers.card.interface import Transceiver

_ECDSA_HASH = {"1.2.840.10045.4.1": hashes.SHA1, "1.2.840.10045.4.3.1": hashes.SHA224,
               "1.2.840.10045.4.3.2": hashes.SHA256, "1.2.840.10045.4.3.3": hashes.SHA384,
               "1.2.840.10045.4.3.4": hashes.SHA512}
_9796_TRAILER = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}


def _verify_rsa_9796(key: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> bool:
    nums = key.public_numbers()
    k = (nums.n.bit_length() + 7) // 8
    if k < 64:  # under 512 bits: not a real AA key (and too short for any 9796-2 layout)
        return False
    s = int.from_bytes(signature, "big")
    for m_int in (pow(s, nums.e, nums.n), (nums.n - pow(s, nums.e, nums.n)) % nums.n):
        m = m_int.to_bytes(k, "big")
        if m[-1] == 0xBC:
            name, tlen = "sha1", 1
        elif m[-1] == 0xCC and m[-2] in _9796_TRAILER:
            name, tlen = _9796_TRAILER[m[-2]], 2
        else:
            continue
        hlen = hashlib.new(name).digest_size
        if len(m) < hlen + tlen + 2 or m[0] & 0xC0 != 0x40:
            continue
        m1 = m[1:k - hlen - tlen]
        d = m[k - hlen - tlen:k - tlen]
        if hmac.compare_digest(hashlib.new(name, m1 + challenge).digest(), d):
            return True
    return False


def authenticate(t: Transceiver, dg15_key: keys.PublicKeyInfo, signature_oid: str | None) -> bool:
    """True when the chip proved it holds the DG15 private key."""
    key = load_public_key(dg15_key)
    challenge = os.urandom(8)
    sig = apdu.check(t.transmit(apdu.command(0x00, 0x88, 0, 0, challenge, 256)), "INTERNAL AUTHENTICATE")
    if isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        if len(sig) != 2 * size:
            return False
        der = encode_dss_signature(int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big"))
        h = _ECDSA_HASH.get(signature_oid or "", hashes.SHA256)()
        try:
            key.verify(der, challenge, ec.ECDSA(h))
        except InvalidSignature:
            return False
        return True
    if isinstance(key, rsa.RSAPublicKey):
        return _verify_rsa_9796(key, sig, challenge)
    raise CardProtocolError("DG15: key type not supported")
