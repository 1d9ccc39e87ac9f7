"""Secure messaging (ICAO 9303-11 §9.8): DO85/DO87 (data), DO97 (Le), DO99 (status), DO8E (MAC).

`SecureMessaging` holds the session keys and the send sequence counter and knows both sides
(the terminal wraps commands and unwraps responses; the virtual card does the reverse).
`SecureTransceiver` wraps a plain Transceiver and implements the same protocol, like pyscard's
CardConnectionDecorator: the layers above do not know whether they speak in clear or not.
"""

from __future__ import annotations

import hmac

from drivers.card import apdu as apdu_mod
from drivers.card import crypto, tlv
from drivers.card.errors import CardProtocolError, SecureMessagingError
from drivers.card.interface import Transceiver


class SecureMessaging:
    def __init__(self, cipher: str, ks_enc: bytes, ks_mac: bytes, ssc: int = 0) -> None:
        if cipher not in ("3des", "aes"):
            raise ValueError(cipher)
        self.cipher = cipher
        self.ks_enc = ks_enc
        self.ks_mac = ks_mac
        self.ssc = ssc
        self.block = 8 if cipher == "3des" else 16

    # --- primitives ---
    def _ssc_bytes(self) -> bytes:
        return (self.ssc % (1 << (8 * self.block))).to_bytes(self.block, "big")

    def mac(self, data: bytes) -> bytes:
        """MAC over SSC || data (data already padded to the block where ICAO says so)."""
        msg = crypto.pad(self._ssc_bytes() + data, self.block)
        if self.cipher == "3des":
            return crypto.retail_mac(self.ks_mac, msg)
        return crypto.aes_cmac(self.ks_mac, msg)[:8]

    def _iv(self) -> bytes:
        if self.cipher == "3des":
            return crypto.ZERO8
        return crypto.aes_ecb_encrypt(self.ks_enc, self._ssc_bytes())

    def encrypt(self, data: bytes) -> bytes:
        padded = crypto.pad(data, self.block)
        if self.cipher == "3des":
            return crypto.des3_cbc_encrypt(self.ks_enc, padded)
        return crypto.aes_cbc_encrypt(self.ks_enc, padded, self._iv())

    def decrypt(self, data: bytes) -> bytes:
        if not data or len(data) % self.block:
            raise SecureMessagingError("encrypted data not a whole number of blocks")
        if self.cipher == "3des":
            plain = crypto.des3_cbc_decrypt(self.ks_enc, data)
        else:
            plain = crypto.aes_cbc_decrypt(self.ks_enc, data, self._iv())
        try:
            return crypto.unpad(plain)
        except ValueError:
            raise SecureMessagingError("bad padding in decrypted data") from None

    # --- terminal side ---
    def wrap_command(self, command: bytes) -> bytes:
        cla, ins, p1, p2, data, le = apdu_mod.parse_command(command)
        self.ssc += 1
        cla |= 0x0C
        header = crypto.pad(bytes([cla, ins, p1, p2]), self.block)
        do87 = b""
        if data:
            if ins & 1:  # odd INS (READ BINARY B1...): data is BER-TLV, DO85 without indicator
                do87 = tlv.encode(0x85, self.encrypt(data))
            else:
                do87 = tlv.encode(0x87, b"\x01" + self.encrypt(data))
        do97 = b""
        extended = le is not None and le > 256
        if le is not None:
            do97 = tlv.encode(0x97, (le % 65536).to_bytes(2, "big") if extended else bytes([le & 0xFF]))
        do8e = tlv.encode(0x8E, self.mac(header + do87 + do97))
        body = do87 + do97 + do8e
        extended = extended or len(body) > 255
        return apdu_mod.command(cla, ins, p1, p2, body, 65536 if extended else 256,
                                extended=extended)

    def unwrap_response(self, response: bytes) -> bytes:
        data, sw = apdu_mod.split(response)
        self.ssc += 1
        if not data:
            if sw == 0x9000:
                raise SecureMessagingError("response without secure messaging objects")
            return response  # an error status in clear (e.g. 6987/6988 from the card's SM layer)
        do87 = do99 = mac = None
        covered = b""
        try:
            items = tlv.parse(data, recurse=False)
        except CardProtocolError:
            raise SecureMessagingError("malformed secure messaging response") from None
        for pos_item in items:
            enc = tlv.encode(pos_item.tag, pos_item.value)
            if pos_item.tag in (0x87, 0x85):
                do87 = pos_item
                covered += enc
            elif pos_item.tag == 0x99:
                do99 = pos_item
                covered += enc
            elif pos_item.tag == 0x8E:
                mac = pos_item.value
            else:
                raise SecureMessagingError("unexpected object in secure messaging response")
        if mac is None or do99 is None or len(do99.value) != 2:
            raise SecureMessagingError("response lacks DO99 or DO8E")
        if not hmac.compare_digest(mac, self.mac(covered)):
            raise SecureMessagingError("response MAC does not verify")
        plain = b""
        if do87 is not None:
            value = do87.value
            if do87.tag == 0x87:
                if not value or value[0] != 1:
                    raise SecureMessagingError("DO87 without padding indicator 01")
                value = value[1:]
            plain = self.decrypt(value)
        return plain + do99.value

    # --- card side (the virtual card) ---
    def unwrap_command(self, command: bytes) -> bytes:
        """Check and decrypt a protected command; returns the plain APDU. Raises
        SecureMessagingError (the card answers 6988) on any inconsistency."""
        try:
            cla, ins, p1, p2, data, _le = apdu_mod.parse_command(command)
            items = tlv.parse(data, recurse=False)
        except CardProtocolError:
            raise SecureMessagingError("malformed protected command") from None
        self.ssc += 1
        header = crypto.pad(bytes([cla, ins, p1, p2]), self.block)
        covered = b""
        body = b""
        le = None
        mac = None
        for it in items:
            if it.tag in (0x87, 0x85):
                covered += tlv.encode(it.tag, it.value)
                value = it.value[1:] if it.tag == 0x87 else it.value
                body = self.decrypt(value) if value else b""
            elif it.tag == 0x97:
                covered += tlv.encode(it.tag, it.value)
                le = int.from_bytes(it.value, "big") or (65536 if len(it.value) == 2 else 256)
            elif it.tag == 0x8E:
                mac = it.value
        if mac is None or not hmac.compare_digest(mac, self.mac(header + covered)):
            raise SecureMessagingError("command MAC does not verify")
        return apdu_mod.command(cla & ~0x0C & 0xFF, ins, p1, p2, body, le, extended=(le or 0) > 256 or len(body) > 255)

    def wrap_response(self, data: bytes, sw: int) -> bytes:
        self.ssc += 1
        do87 = b""
        if data:
            do87 = tlv.encode(0x87, b"\x01" + self.encrypt(data))
        do99 = tlv.encode(0x99, sw.to_bytes(2, "big"))
        do8e = tlv.encode(0x8E, self.mac(do87 + do99))
        return do87 + do99 + do8e + b"\x90\x00"


class SecureTransceiver:
    """A Transceiver that protects every command and checks every response."""

    def __init__(self, inner: Transceiver, sm: SecureMessaging) -> None:
        self.inner = inner
        self.sm = sm

    def transmit(self, apdu: bytes) -> bytes:
        return self.sm.unwrap_response(self.inner.transmit(self.sm.wrap_command(apdu)))
