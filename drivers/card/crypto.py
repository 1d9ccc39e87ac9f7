"""Symmetric primitives of ICAO 9303 (3DES, AES, retail MAC, CMAC, padding, KDF) over `cryptography`.

Only the glue is written here: ISO 9797-1 padding, the MAC algorithm 3 chaining (cryptography has
no retail MAC) and the ICAO key derivation function.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.ciphers.algorithms import AES

try:  # cryptography >= 43 moved 3DES to "decrepit"; the old path warns (warnings are errors)
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES

ZERO8 = bytes(8)
ZERO16 = bytes(16)


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros to the block size."""
    data = data + b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    """Reverse of pad(); raises ValueError when the padding is not there."""
    i = data.rfind(b"\x80")
    if i < 0 or any(data[i + 1:]):
        raise ValueError("bad padding")
    return data[:i]


def _3des_key(key: bytes) -> bytes:
    return key + key[:8] if len(key) == 16 else key


def des3_cbc_encrypt(key: bytes, data: bytes, iv: bytes = ZERO8) -> bytes:
    enc = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def des3_cbc_decrypt(key: bytes, data: bytes, iv: bytes = ZERO8) -> bytes:
    dec = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 (single-DES CBC with K1, then 3DES on the last block).
    `data` must already be padded."""
    k1, k2 = key[:8], key[8:16]
    # Single DES = 3DES with K1|K1|K1.
    enc = Cipher(TripleDES(k1 * 3), modes.CBC(ZERO8)).encryptor()
    h = (enc.update(data) + enc.finalize())[-8:]
    dec = Cipher(TripleDES(k2 * 3), modes.ECB()).decryptor()
    h = dec.update(h) + dec.finalize()
    enc2 = Cipher(TripleDES(k1 * 3), modes.ECB()).encryptor()
    return enc2.update(h) + enc2.finalize()


def aes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = ZERO16) -> bytes:
    enc = Cipher(AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = ZERO16) -> bytes:
    dec = Cipher(AES(key), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    enc = Cipher(AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """Full 16-byte CMAC; ICAO truncates it to 8 bytes."""
    c = cmac.CMAC(AES(key))
    c.update(data)
    return c.finalize()


def adjust_parity(key: bytes) -> bytes:
    """DES keys carry odd parity in the low bit of each byte (ICAO's worked examples do this)."""
    out = bytearray()
    for b in key:
        b &= 0xFE
        out.append(b | (bin(b).count("1") + 1) % 2)
    return bytes(out)


KDF_ENC, KDF_MAC, KDF_PACE = 1, 2, 3


def kdf(secret: bytes, counter: int, cipher: str) -> bytes:
    """ICAO 9303-11 §9.7.1: SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256."""
    data = secret + counter.to_bytes(4, "big")
    if cipher == "3des":
        return adjust_parity(hashlib.sha1(data).digest()[:16])
    if cipher == "aes128":
        return hashlib.sha1(data).digest()[:16]
    if cipher == "aes192":
        return hashlib.sha256(data).digest()[:24]
    if cipher == "aes256":
        return hashlib.sha256(data).digest()
    raise ValueError(f"unknown cipher {cipher}")
