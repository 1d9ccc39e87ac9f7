"""Chip Authentication (ICAO 9303-11 §6.2) with the DG14 key, ECDH and AES: MSE:Set AT +
GENERAL AUTHENTICATE inside the current secure channel, then restart secure messaging with
keys from the new shared secret. Proof of success is that the next protected command works."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from drivers.card import apdu, crypto, tlv
from drivers.card.errors import CardProtocolError, NotSupportedError
from drivers.card.pubkeys import load_public_key
from drivers.card.security_infos import CA_ECDH, SecurityInfos, encode_oid
from drivers.card.sm import SecureMessaging, SecureTransceiver


def authenticate(channel: SecureTransceiver, infos: SecurityInfos,
                 ephemeral: ec.EllipticCurvePrivateKey | None = None) -> None:
    """Run CA; on success `channel.sm` is replaced by the new session. Raises NotSupportedError
    for variants the kiosk does not implement (DH, 3DES), CardError subclasses on failure.
    `ephemeral` is for replaying recorded sessions in tests."""
    key = next((k for k in infos.chip_auth_keys if k.public_key.algorithm == "ec"), None)
    if key is None:
        raise NotSupportedError(0x6A81, "chip authentication: no EC key in DG14")
    info = next((i for i in infos.chip_auth if i.oid in CA_ECDH
                 and (key.key_id is None or i.key_id in (None, key.key_id))), None)
    if info is None or CA_ECDH[info.oid] == "3des":
        raise NotSupportedError(0x6A81, "chip authentication: variant not supported")
    cipher = CA_ECDH[info.oid]
    chip_key = load_public_key(key.public_key)
    if not isinstance(chip_key, ec.EllipticCurvePublicKey):
        raise CardProtocolError("DG14: chip authentication key is not EC")
    eph = ephemeral or ec.generate_private_key(chip_key.curve)
    shared = eph.exchange(ec.ECDH(), chip_key)
    mse = tlv.encode(0x80, encode_oid(info.oid))
    if key.key_id is not None:
        mse += tlv.encode(0x84, key.key_id.to_bytes(max(1, (key.key_id.bit_length() + 7) // 8), "big"))
    apdu.check(channel.transmit(apdu.command(0x00, 0x22, 0x41, 0xA4, mse)), "CA MSE:Set AT")
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.X962,
                                            serialization.PublicFormat.UncompressedPoint)
    apdu.check(channel.transmit(apdu.command(0x00, 0x86, 0, 0, tlv.encode(0x7C, tlv.encode(0x80, eph_pub)), 256)),
               "CA GENERAL AUTHENTICATE")
    channel.sm = SecureMessaging("3des" if cipher == "3des" else "aes",
                                 crypto.kdf(shared, crypto.KDF_ENC, cipher),
                                 crypto.kdf(shared, crypto.KDF_MAC, cipher), 0)
