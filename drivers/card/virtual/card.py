"""The APDU-level virtual CCCD: the real file system and access rules, PACE-CAN/MRZ and BAC,
3DES and AES secure messaging, Chip and Active Authentication, and injected faults.

Used by the tests, the benchmark, the UI simulator, and (through the PC/SC engineer's vpcd
bridge) by the real pyscard path. It never reads the clock except for the optional sleep.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec as cec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from drivers.card import apdu as apdu_mod
from drivers.card import bac, crypto, pace, tlv
from drivers.card.access_keys import AccessKey
from drivers.card.ec import BRAINPOOL_P256R1
from drivers.card.errors import CardProtocolError, SecureMessagingError
from drivers.card.files import EMRTD_AID
from drivers.card.interface import CardRemovedError, TransportError
from drivers.card.sm import SecureMessaging
from drivers.card.virtual.faults import FaultPlan
from drivers.card.security_infos import encode_oid
from drivers.card.virtual.personalize import CA_OID, PACE_OID, personalise
from drivers.card.virtual.profile import CardProfile

log = logging.getLogger(__name__)

# ATR of a contactless card as a PC/SC reader synthesises it (PC/SC part 3, ISO 14443-4 type B).
ATR = bytes.fromhex("3B8880014241434B000000007F")
OPEN_FILES = {0x011C}  # EF.CardAccess: readable before access control
SW = {"ok": 0x9000, "security": 0x6982, "not_found": 0x6A82, "wrong_length": 0x6700,
      "ins": 0x6D00, "params": 0x6A86, "offset": 0x6B00, "auth": 0x6300, "sm": 0x6988,
      "conditions": 0x6985, "data": 0x6A80}


def _is_extended(command: bytes) -> bool:
    return len(command) > 6 and command[4] == 0


class _Reply(Exception):
    def __init__(self, sw: int, data: bytes = b"") -> None:
        self.sw = sw
        self.data = data


class VirtualCard:
    def __init__(self, profile: CardProfile, faults: FaultPlan | None = None) -> None:
        self.profile = profile
        self.faults = faults or FaultPlan()
        self.p = personalise(profile, cloned=self.faults.cloned, tampered=self.faults.tampered_file,
                             malformed=self.faults.malformed_file)
        self.atr = ATR
        self.extended_ok = profile.card.extended_length and not self.faults.refuse_extended_length
        self.apdu_count = 0
        self.modelled_seconds = 0.0
        self.bytes_in = 0
        self.bytes_out = 0
        self._powered = False
        self._transient_done = False
        self._reset()

    # --- power ---
    def power_on(self) -> bytes:
        self._powered = True
        self._reset()
        return self.atr

    def power_off(self) -> None:
        self._powered = False
        self._reset()

    def _reset(self) -> None:
        self.sm: SecureMessaging | None = None
        self.app_selected = False
        self.current: int | None = None
        self.authenticated = False
        self._rnd_ic: bytes | None = None
        self._pace: dict | None = None
        self._mse_ca: bool = False
        self._next_sm = None
        self._pending_ca = None
        self.chip_authenticated = False  # the current session runs on Chip Authentication keys

    # --- the APDU entry point ---
    def process(self, command: bytes) -> bytes:
        if not self._powered:
            self.power_on()
        self.apdu_count += 1
        n = self.apdu_count
        f = self.faults
        if f.remove_at_apdu is not None and n >= f.remove_at_apdu:
            raise CardRemovedError("virtual card removed (fault plan)")
        response = self._process(command)
        if f.link_error_at == n:
            self._link(len(command), 0)
            raise TransportError("virtual link lost the response (fault plan)")
        if f.transient_error_at == n and not self._transient_done:
            self._transient_done = True
            response = b"\x6F\x00"
        if f.bad_mac_at == n and len(response) > 10:
            response = response[:-3] + bytes([response[-3] ^ 0xFF]) + response[-2:]
        if f.corrupt_response_at == n and len(response) > 2:
            response = bytes([response[0] ^ 0x5A]) + response[1:]
        if f.truncate_response_at == n:
            response = response[: max(1, len(response) // 2)]
        self._link(len(command), len(response))
        return response

    def transmit(self, command: bytes) -> bytes:
        """Transceiver protocol: the virtual card can be read in-process without a reader."""
        return self.process(command)

    def _link(self, n_in: int, n_out: int) -> None:
        self.bytes_in += n_in
        self.bytes_out += n_out
        f = self.faults
        seconds = f.latency
        if f.bit_rate:
            seconds += (n_in + n_out) * 8 / f.bit_rate
        self.modelled_seconds += seconds
        if f.sleep and seconds:
            time.sleep(seconds)

    def _process(self, command: bytes) -> bytes:
        protected = len(command) >= 1 and command[0] & 0x0C == 0x0C
        try:
            cla, ins, p1, p2, data, le = apdu_mod.parse_command(command)
        except CardProtocolError:
            return b"\x67\x00"
        if self.sm is None and not self.extended_ok and _is_extended(command):
            return b"\x67\x00"
        sm_in_use = None
        if self.sm is not None:
            if not protected:
                self._reset()  # a plain command aborts secure messaging (ICAO 9303-11)
            else:
                try:
                    plain = self.sm.unwrap_command(command)
                except SecureMessagingError:
                    self._reset()
                    return b"\x69\x88"
                cla, ins, p1, p2, data, le = apdu_mod.parse_command(plain)
                sm_in_use = self.sm
        try:
            if not self.extended_ok and (len(data) > 255 or (le or 0) > 256):
                raise _Reply(SW["wrong_length"])  # under SM the refusal is itself protected
            out, sw = self._dispatch(ins, p1, p2, data, le, cla), 0x9000
        except _Reply as r:
            out, sw = r.data, r.sw
        if sm_in_use is not None:
            response = sm_in_use.wrap_response(out, sw)
            if self._pending_ca is not None:  # CA: the answer still uses the old keys
                self.sm, self._pending_ca = self._pending_ca, None
                self.chip_authenticated = True
            return response
        if self._next_sm is not None:
            self.sm, self._next_sm = self._next_sm, None
            self.authenticated = True
        return out + sw.to_bytes(2, "big")

    _next_sm: SecureMessaging | None = None
    _pending_ca: SecureMessaging | None = None

    def _dispatch(self, ins: int, p1: int, p2: int, data: bytes, le: int | None, cla: int) -> bytes:
        handler = {0xA4: self._select, 0xB0: self._read_binary, 0xB1: self._read_binary_odd,
                   0x84: self._get_challenge, 0x82: self._external_authenticate,
                   0x22: self._mse, 0x86: self._general_authenticate,
                   0x88: self._internal_authenticate}.get(ins)
        if handler is None:
            raise _Reply(SW["ins"])
        return handler(p1, p2, data, le, cla)

    # --- file system ---
    def _select(self, p1, p2, data, le, cla) -> bytes:
        if p1 == 0x04:
            if data != EMRTD_AID:
                raise _Reply(SW["not_found"])
            self.app_selected = True
            self.current = None
            return b""
        if p1 in (0x00, 0x01, 0x03, 0x08, 0x09) or data in (b"\x3f\x00",):
            raise _Reply(SW["ins"])  # the CCCD refuses the master file
        if p1 != 0x02 or len(data) != 2:
            raise _Reply(SW["params"])
        fid = int.from_bytes(data, "big")
        if fid in OPEN_FILES or (self.app_selected and fid in self.p.files):
            self.current = fid
            return b""
        if self.app_selected and fid == 0x0103:
            self.current = fid
            return b""
        raise _Reply(SW["not_found"])

    def _file(self) -> bytes:
        if self.current is None:
            raise _Reply(SW["conditions"])
        if self.current == 0x0103:
            raise _Reply(SW["security"])  # DG3 fingerprints need EAC
        if self.current not in OPEN_FILES and not self.authenticated:
            raise _Reply(SW["security"])
        return self.p.files[self.current]

    def _slice(self, content: bytes, offset: int, le: int | None) -> bytes:
        if offset > len(content):
            raise _Reply(SW["offset"])
        n = le if le is not None else 256
        return content[offset:offset + n]

    def _read_binary(self, p1, p2, data, le, cla) -> bytes:
        if p1 & 0x80:
            raise _Reply(SW["params"])  # short-EF addressing: not offered
        return self._slice(self._file(), (p1 << 8) | p2, le)

    def _read_binary_odd(self, p1, p2, data, le, cla) -> bytes:
        try:
            off = tlv.parse_one(data, 0x54, recurse=False).value
        except CardProtocolError:
            raise _Reply(SW["data"]) from None
        le = 256 if le is None else le
        room = le - 2 if le - 2 < 0x80 else (le - 3 if le - 3 < 0x100 else le - 4)
        chunk = self._slice(self._file(), int.from_bytes(off, "big"), max(0, room))
        return tlv.encode(0x53, chunk)

    # --- BAC ---
    def _get_challenge(self, p1, p2, data, le, cla) -> bytes:
        if not self.profile.card.bac:
            raise _Reply(SW["ins"])
        self._rnd_ic = os.urandom(8)
        return self._rnd_ic

    def _external_authenticate(self, p1, p2, data, le, cla) -> bytes:
        if self._rnd_ic is None or len(data) != 40:
            raise _Reply(SW["conditions"])
        rnd_ic, self._rnd_ic = self._rnd_ic, None
        key = self._mrz_key()
        k_enc, k_mac = bac.derive_keys(bac.key_seed(key.mrz_information()))
        e_ifd, m_ifd = data[:32], data[32:]
        if not hmac.compare_digest(crypto.retail_mac(k_mac, crypto.pad(e_ifd, 8)), m_ifd):
            raise _Reply(SW["auth"])
        plain = crypto.des3_cbc_decrypt(k_enc, e_ifd)
        rnd_ifd, k_ifd = plain[:8], plain[16:32]
        if plain[8:16] != rnd_ic:
            raise _Reply(SW["auth"])
        k_ic = os.urandom(16)
        e_ic = crypto.des3_cbc_encrypt(k_enc, rnd_ic + rnd_ifd + k_ic)
        answer = e_ic + crypto.retail_mac(k_mac, crypto.pad(e_ic, 8))
        ks_enc, ks_mac = bac.derive_keys(bytes(a ^ b for a, b in zip(k_ifd, k_ic)))
        self._start_session(SecureMessaging("3des", ks_enc, ks_mac,
                                            int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")))
        return answer

    def _mrz_key(self) -> AccessKey:
        """The BAC / PACE-MRZ key is what the chip's own MRZ says (TD1 positions)."""
        m = self.p.mrz_text
        return AccessKey.mrz(m[5:14].rstrip("<"), m[30:36], m[38:44])

    def _start_session(self, sm: SecureMessaging) -> None:
        # The answer to this command goes out in clear; SM applies from the next command.
        self._next_sm = sm

    # --- PACE and Chip Authentication ---
    def _mse(self, p1, p2, data, le, cla) -> bytes:
        try:
            items = {t.tag: t.value for t in tlv.parse(data, recurse=False)}
        except CardProtocolError:
            raise _Reply(SW["data"]) from None
        oid = items.get(0x80, b"")
        if p1 == 0xC1 and p2 == 0xA4:  # PACE
            if not self.profile.card.pace or oid != encode_oid(PACE_OID):
                raise _Reply(SW["params"])
            ref = items.get(0x83, b"")
            if ref == b"\x02":
                key = AccessKey.can(self.p.can)
            elif ref == b"\x01":
                key = self._mrz_key()
            else:
                raise _Reply(SW["params"])
            self._pace = {"kpi": pace.k_pi(key, "aes128"), "step": 0}
            return b""
        if p1 == 0x41 and p2 == 0xA4 and self.authenticated and self.p.ca_key is not None:
            if oid != encode_oid(CA_OID):
                raise _Reply(SW["params"])
            self._mse_ca = True
            return b""
        if p1 == 0x41 and p2 == 0xB6:  # MSE:Set DST (terminal authentication): not offered
            raise _Reply(SW["conditions"])
        raise _Reply(SW["params"])

    def _general_authenticate(self, p1, p2, data, le, cla) -> bytes:
        try:
            outer = tlv.parse_one(data, 0x7C, depth=1)
        except CardProtocolError:
            raise _Reply(SW["data"]) from None
        if self._mse_ca and self.sm is not None:
            return self._chip_authenticate(outer)
        st = self._pace
        if st is None:
            raise _Reply(SW["conditions"])
        curve = BRAINPOOL_P256R1
        step = st["step"]
        chained = bool(cla & 0x10)
        try:
            if step == 0 and not outer.children:
                st["nonce"] = os.urandom(16)
                st["step"] = 1
                return tlv.encode(0x7C, tlv.encode(0x80, pace.encrypt_nonce(st["kpi"], st["nonce"])))
            if step == 1 and outer.find(0x81):
                peer = curve.decode(outer.find(0x81).value)
                priv = int.from_bytes(os.urandom(32), "big") % curve.n or 1
                st["g"] = pace.map_generator(curve, st["nonce"], priv, peer)
                st["step"] = 2
                return tlv.encode(0x7C, tlv.encode(0x82, curve.encode(curve.mul_g(priv))))
            if step == 2 and outer.find(0x83):
                peer_raw = outer.find(0x83).value
                peer = curve.decode(peer_raw)
                priv = int.from_bytes(os.urandom(32), "big") % curve.n or 1
                own = curve.encode(curve.mul(priv, st["g"]))
                shared = curve.mul(priv, peer)
                st["keys"] = pace.session_keys(shared[0].to_bytes(curve.size, "big"), "aes128")
                st["own"], st["peer"] = own, peer_raw
                st["step"] = 3
                return tlv.encode(0x7C, tlv.encode(0x84, own))
            if step == 3 and outer.find(0x85) and not chained:
                ks_enc, ks_mac = st["keys"]
                self._pace = None
                if not hmac.compare_digest(outer.find(0x85).value,
                                           pace.auth_token(ks_mac, PACE_OID, st["own"])):
                    raise _Reply(SW["auth"])
                self._start_session(SecureMessaging("aes", ks_enc, ks_mac, 0))
                return tlv.encode(0x7C, tlv.encode(0x86, pace.auth_token(ks_mac, PACE_OID, st["peer"])))
        except CardProtocolError:
            self._pace = None
            raise _Reply(SW["data"]) from None
        self._pace = None
        raise _Reply(SW["conditions"])

    def _chip_authenticate(self, outer: tlv.Tlv) -> bytes:
        self._mse_ca = False
        item = outer.find(0x80)
        if item is None or self.p.ca_key is None:
            raise _Reply(SW["data"])
        try:
            peer = cec.EllipticCurvePublicKey.from_encoded_point(self.p.ca_key.curve, item.value)
            shared = self.p.ca_key.exchange(cec.ECDH(), peer)
        except ValueError:
            raise _Reply(SW["data"]) from None
        ks_enc = crypto.kdf(shared, crypto.KDF_ENC, "aes128")
        ks_mac = crypto.kdf(shared, crypto.KDF_MAC, "aes128")
        self._pending_ca = SecureMessaging("aes", ks_enc, ks_mac, 0)
        return tlv.encode(0x7C, b"")

    def _internal_authenticate(self, p1, p2, data, le, cla) -> bytes:
        if not self.authenticated or self.p.aa_key is None:
            raise _Reply(SW["conditions"])
        if len(data) != 8:
            raise _Reply(SW["wrong_length"])
        der = self.p.aa_key.sign(data, cec.ECDSA(hashes.SHA256()))
        r, s_ = decode_dss_signature(der)
        size = (self.p.aa_key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s_.to_bytes(size, "big")
