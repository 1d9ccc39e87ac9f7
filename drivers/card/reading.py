"""The read pipeline: the contract the app uses.

    read_document(transceiver, keys, options, progress=None, cancel=None) -> CardReadResult

A flat list of steps over one transceiver (gmrtd's ReadDocument): access control, EF.COM, DG14
and Chip Authentication (the rest is read in the chip-authenticated channel), DG1, DG13, DG2
(when the face is wanted), DG15, SOD, Active Authentication, passive authentication. Optional
protocols record their failure in `result.auth`; they never raise. Mandatory steps raise typed
CardErrors: CardRemovedError, AccessDeniedError, CardProtocolError, SecureMessagingError,
ReadCancelledError (all with a `reason`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from drivers.card import active_auth, bac, chip_auth, files, pace, passive_auth
from drivers.card import security_infos as si
from drivers.card.access_keys import MAX_ATTEMPTS, AccessKey, keys_from_identity
from drivers.card.errors import (AccessDeniedError, AuthenticationFailedError, CardProtocolError,
                                 NotSupportedError, ReadCancelledError, StatusWordError)
from drivers.card.facts import FAILED, NOT_CHECKED, NOT_SUPPORTED, PASSED, AuthFacts
from drivers.card.interface import CardError, CardRemovedError, Transceiver, TransportError
from drivers.card.lds import CARD_ACCESS, COM, DG1, DG2, DG13, DG14, DG15, SOD, FileSpec
from drivers.card.lds import com as com_mod
from drivers.card.lds import dg1 as dg1_mod
from drivers.card.lds import dg2 as dg2_mod
from drivers.card.lds import dg13 as dg13_mod
from drivers.card.lds import dg14 as dg14_mod
from drivers.card.lds import dg15 as dg15_mod
from drivers.card.lds import sod as sod_mod
from drivers.card.online import OnlineVerifier
from drivers.card.sm import SecureTransceiver

log = logging.getLogger(__name__)

__all__ = ["read_document", "ReadOptions", "ReadProgress", "CardReadResult", "ReadStats",
           "AuthFacts", "AccessKey", "keys_from_identity", "IDENTITY_FIELDS"]

IDENTITY_FIELDS = ("id_number", "full_name", "birth_date", "sex", "nationality", "ethnicity",
                   "religion", "place_of_origin", "place_of_residence", "identifying_marks",
                   "issue_date", "expiry_date", "expiry_text", "father_name", "mother_name",
                   "spouse_name", "old_id_number", "unknown_fields")


@dataclass
class ReadOptions:
    face: bool = True
    trust_store: Path | None = None
    verifier: OnlineVerifier | None = None
    chip_auth: bool = True
    active_auth: bool = True
    allow_extended_length: bool = True  # probe extended-length READ BINARY first
    max_attempts: int = MAX_ATTEMPTS


@dataclass
class ReadProgress:
    step: str  # "access", "COM", "DG1", "DG13", "DG2", "DG14", "DG15", "SOD",
    #            "active_auth", "chip_auth", "passive_auth", "done"
    done_bytes: int
    total_bytes: int


@dataclass
class ReadStats:
    protocol: str = ""  # "PACE-ECDH-GM-AES128" or "BAC-3DES"
    key_kind: str = ""  # "can" or "mrz"
    access_attempts: int = 0
    apdus: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0
    extended_length: bool = False
    block_size: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__, seconds=round(self.seconds, 4))


@dataclass
class CardReadResult:
    identity: dict
    mrz: dict | None
    face_jpeg: bytes | None
    face_format: str | None
    auth: AuthFacts
    stats: ReadStats
    files: dict[str, bytes] = field(default_factory=dict)  # raw files, for support (not printed)
    warnings: list[str] = field(default_factory=list)  # reason codes of optional steps

    def to_json(self) -> dict:
        """Exactly what `kiosk card read --json` prints (face bytes not inlined)."""
        return {
            "identity": self.identity,
            "mrz": self.mrz,
            "authentication": self.auth.to_json(),
            "face": {"present": self.face_jpeg is not None, "format": self.face_format,
                     "bytes": len(self.face_jpeg) if self.face_jpeg else 0},
            "statistics": self.stats.to_json(),
            "warnings": list(self.warnings),
        }


class _Link:
    """Bottom of the stack: counts APDUs and bytes, honours cancellation between APDUs, and
    turns anything untyped from a driver into TransportError."""

    def __init__(self, inner: Transceiver, stats: ReadStats, cancel: threading.Event | None):
        self.inner, self.stats, self.cancel = inner, stats, cancel

    def transmit(self, apdu: bytes) -> bytes:
        if self.cancel is not None and self.cancel.is_set():
            raise ReadCancelledError("read cancelled")
        try:
            resp = self.inner.transmit(apdu)
        except CardError:
            raise
        except Exception as exc:  # noqa: BLE001 - driver errors of any kind become typed
            raise TransportError(f"transmit failed: {type(exc).__name__}") from exc
        self.stats.apdus += 1
        self.stats.bytes_sent += len(apdu)
        self.stats.bytes_received += len(resp)
        if len(resp) < 2:
            raise CardProtocolError("response shorter than a status word")
        return resp


# --- access control ---------------------------------------------------------------------------
def _card_access(link: _Link) -> si.SecurityInfos | None:
    try:
        raw = files.BinaryReader(allow_extended=False).read_file(link, CARD_ACCESS.fid,
                                                                  CARD_ACCESS.max_size)
        return si.parse(raw)
    except (StatusWordError, CardProtocolError) as exc:
        log.info("EF.CardAccess not usable (%s): BAC only", exc.reason)
        return None


def _authenticate(link: _Link, key: AccessKey, pace_info: si.PaceInfo | None,
                  stats: ReadStats, ambiguous: bool = False) -> SecureTransceiver:
    """One access attempt with one key. Raises AuthenticationFailedError for a wrong key."""
    if pace_info is not None:
        sm = pace.authenticate(link, key, pace_info, ambiguous=ambiguous)
        stats.protocol = "PACE-ECDH-GM-" + si.PACE_ECDH_GM[pace_info.oid].upper()
        channel = SecureTransceiver(link, sm)
        files.select_aid(channel)
        return channel
    files.select_aid(link)
    sm = bac.authenticate(link, key)
    stats.protocol = "BAC-3DES"
    return SecureTransceiver(link, sm)


def _open(link: _Link, keys: list[AccessKey], options: ReadOptions,
          stats: ReadStats) -> tuple[SecureTransceiver, AccessKey, si.PaceInfo | None, bool]:
    infos = _card_access(link)
    pace_info = infos.supported_pace() if infos else None
    if infos is not None:  # what real cards offer is partly unconfirmed: record it (no personal data)
        log.info("EF.CardAccess: PACE %s, CA %s, other %s",
                 [(p.oid, p.parameter_id) for p in infos.pace], [c.oid for c in infos.chip_auth],
                 infos.unknown)
    ambiguous = bool(infos and len({p.parameter_id for p in infos.pace}) > 1)
    attempts = 0
    for key in keys:
        if attempts >= options.max_attempts:
            break
        if key.kind == "can" and pace_info is None:
            continue  # a CAN is useless without PACE; costs the card nothing
        attempts += 1
        stats.access_attempts = attempts
        for link_try in (1, 2):
            try:
                channel = _authenticate(link, key, pace_info, stats, ambiguous)
            except AuthenticationFailedError:
                log.info("access attempt %d with a %s key refused", attempts, key.kind)
                channel = None
                break
            except TransportError:
                if link_try == 2:
                    raise
                log.info("access attempt %d: link error, once more", attempts)
                continue
            except (NotSupportedError, CardProtocolError, StatusWordError) as exc:
                if pace_info is None:
                    raise
                # PACE announced but not working: BAC for MRZ keys from now on.
                log.info("PACE failed (%s): falling back to BAC", exc.reason)
                pace_info = None
                if key.kind != "mrz":
                    channel = None
                    break
                channel = _authenticate(link, key, None, stats)
            break
        if channel is None:
            continue
        stats.key_kind = key.kind
        log.info("access granted: %s after %d attempt(s)", stats.protocol, attempts)
        return channel, key, pace_info, ambiguous
    raise AccessDeniedError(f"no access key opened the chip ({attempts} attempt(s))")


class _Session:
    """The secure channel, re-opened with the key that worked when the link fails (a lost
    response leaves the send sequence counters out of step: only a new session recovers).
    After re-opening, the last SELECT is replayed and the TransportError re-raised, so the
    file reader retries from its last good offset."""

    MAX_REOPENS = 2

    def __init__(self, link: _Link, key: AccessKey, pace_info: si.PaceInfo | None,
                 ambiguous: bool, stats: ReadStats, channel: SecureTransceiver) -> None:
        self.link, self.key, self.pace_info, self.stats = link, key, pace_info, stats
        self.ambiguous = ambiguous
        self.channel = channel
        self.last_select: bytes | None = None
        self.reopens = 0

    def transmit(self, apdu: bytes) -> bytes:
        if len(apdu) > 1 and apdu[1] == 0xA4:
            self.last_select = apdu
        try:
            return self.channel.transmit(apdu)
        except TransportError:
            if self.reopens >= self.MAX_REOPENS:
                raise
            self.reopens += 1
            log.info("link error inside the secure channel: re-opening the session (%d)", self.reopens)
            self.reopen()
            if self.last_select is not None and self.last_select is not apdu:
                from drivers.card import apdu as apdu_mod

                apdu_mod.check(self.channel.transmit(self.last_select), "SELECT (after re-open)")
            raise

    def reopen(self) -> None:
        """A fresh session with the key that worked (also after a failed Chip Authentication,
        which leaves no usable channel)."""
        self.channel = _authenticate(self.link, self.key, self.pace_info, self.stats, self.ambiguous)


# --- the pipeline ------------------------------------------------------------------------------
def _identity(dg13: dg13_mod.Dg13 | None, mrz: dict | None) -> dict:
    if dg13 is not None:
        data = dg13.to_json()
        return {k: data.get(k, {} if k == "unknown_fields" else "") for k in IDENTITY_FIELDS}
    out = {k: "" for k in IDENTITY_FIELDS}
    out.update(unknown_fields={}, birth_date=None, issue_date=None, expiry_date=None)
    if mrz:  # DG13 absent: the MRZ is all we have (ASCII name, no diacritics)
        opt = mrz.get("optional_data", "")
        out["id_number"] = opt[:12] if opt[:12].isdigit() else mrz["document_number"]
        out["full_name"] = mrz["name"]
        out["sex"] = {"M": "Nam", "F": "Nữ"}.get(mrz["sex"], "")
    return out


def _chip_authentication(channel: _Session, infos: si.SecurityInfos | None, facts: AuthFacts,
                         report: Callable[..., None]) -> None:
    if infos is None or not infos.chip_auth_keys:
        facts.chip_authentication = NOT_SUPPORTED
        return
    report("chip_auth")
    try:
        chip_auth.authenticate(channel.channel, infos)
        # The first command in the new channel is the proof: a clone cannot answer it.
        files.select_ef(channel.channel, COM.fid)
        facts.chip_authentication = PASSED
        return
    except NotSupportedError as exc:
        facts.chip_authentication = NOT_SUPPORTED
        facts.notes["chip_authentication"] = exc.reason
        return
    except (CardRemovedError, ReadCancelledError):
        raise
    except CardError as exc:
        facts.chip_authentication = NOT_CHECKED if files.is_transient(exc) else FAILED
        facts.notes["chip_authentication"] = exc.reason
    log.info("chip authentication %s (%s): new session to go on reading",
             facts.chip_authentication, facts.notes["chip_authentication"])
    channel.reopen()


def _active_authentication(channel: _Session, dg15_key, infos: si.SecurityInfos | None,
                           facts: AuthFacts, report: Callable[..., None]) -> None:
    if dg15_key is None:
        facts.active_authentication = NOT_SUPPORTED
        return
    report("active_auth")
    sig_oid = infos.active_auth_signature_oid if infos else None
    for attempt in (1, 2):
        try:
            ok = active_auth.authenticate(channel, dg15_key, sig_oid)
            facts.active_authentication = PASSED if ok else FAILED
            return
        except (CardRemovedError, ReadCancelledError):
            raise
        except CardError as exc:
            if files.is_transient(exc) and attempt == 1:
                continue  # a link hiccup is not a clone: ask once more
            # Still only a link problem: unknown, not failed.
            facts.active_authentication = NOT_CHECKED if files.is_transient(exc) else FAILED
            facts.notes["active_authentication"] = exc.reason


def read_document(transceiver: Transceiver, keys: list[AccessKey], options: ReadOptions | None = None,
                  progress: Callable[[ReadProgress], None] | None = None,
                  cancel: threading.Event | None = None) -> CardReadResult:
    options = options or ReadOptions()
    stats = ReadStats()
    facts = AuthFacts()
    warnings: list[str] = []
    raw: dict[str, bytes] = {}
    started = time.perf_counter()
    link = _Link(transceiver, stats, cancel)

    def report(step: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            try:
                progress(ReadProgress(step, done, total))
            except Exception:  # noqa: BLE001 - a UI callback must not break the read
                log.exception("progress callback failed")

    report("access")
    secure, key, pace_info, ambiguous = _open(link, keys, options, stats)
    channel = _Session(link, key, pace_info, ambiguous, stats, secure)
    reader = files.BinaryReader(allow_extended=options.allow_extended_length)

    def read(spec: FileSpec, optional: bool = True) -> bytes | None:
        report(spec.name, 0, 0)
        try:
            data = reader.read_file(channel, spec.fid, spec.max_size,
                                    lambda d, t: report(spec.name, d, t))
        except StatusWordError as exc:
            if not optional:
                raise
            warnings.append(f"{spec.name}:{exc.reason}")
            return None
        raw[spec.name] = data
        return data

    present: list[int] | None = None
    com_raw = read(COM)
    if com_raw is not None:
        try:
            present = com_mod.parse(com_raw).data_groups
        except CardProtocolError:
            warnings.append("COM:protocol_error")

    def wanted(n: int) -> bool:
        return present is None or n in present

    # DG14, then Chip Authentication at once: the rest is read in the chip-authenticated
    # channel (ICAO order). A clone fails CA; its channel is then gone and a fresh session
    # carries on, so the data is still read and the failure is recorded.
    dg14_infos = None
    if (options.chip_auth or options.active_auth) and wanted(14):
        dg14_raw = read(DG14)
        if dg14_raw is not None:
            try:
                dg14_infos = dg14_mod.parse(dg14_raw)
            except CardProtocolError:
                warnings.append("DG14:protocol_error")
    if options.chip_auth:
        _chip_authentication(channel, dg14_infos, facts, report)

    dg1_raw = read(DG1, optional=False)
    mrz = dg1_mod.parse(dg1_raw)
    dg13 = None
    if wanted(13):
        dg13_raw = read(DG13)
        if dg13_raw is not None:
            dg13 = dg13_mod.parse(dg13_raw)
            log.info("DG13: %d bytes, unknown field numbers %s, expiry as %s", len(dg13_raw),
                     sorted(dg13.unknown_fields), "date" if dg13.expiry_date else "text")

    face_jpeg = face_format = None
    if options.face and wanted(2):
        dg2_raw = read(DG2)
        if dg2_raw is not None:
            try:
                face = dg2_mod.parse(dg2_raw)
                face_format = face.format
                log.info("DG2: %s image, %d bytes", face.format, len(face.data))
                face_jpeg = dg2_mod.to_jpeg(face)
                if face_jpeg is not None:
                    face_format = "jpeg"
            except CardProtocolError:
                warnings.append("DG2:protocol_error")

    dg15_key = None
    if options.active_auth and wanted(15):
        dg15_raw = read(DG15)
        if dg15_raw is not None:
            try:
                dg15_key = dg15_mod.parse(dg15_raw)
            except CardProtocolError:
                warnings.append("DG15:protocol_error")
    sod_raw = read(SOD)

    if options.active_auth:
        _active_authentication(channel, dg15_key, dg14_infos, facts, report)

    report("passive_auth")
    if sod_raw is None:
        facts.data_group_hashes = facts.sod_signature = FAILED
        facts.notes["sod"] = "missing"
    else:
        try:
            sod = sod_mod.parse(sod_raw)
        except CardProtocolError:
            sod = None
            facts.data_group_hashes = facts.sod_signature = FAILED
            facts.notes["sod"] = "malformed"
        if sod is not None:
            numbered = {n: raw[name] for name, n in (("DG1", 1), ("DG2", 2), ("DG13", 13),
                                                      ("DG14", 14), ("DG15", 15)) if name in raw}
            passive_auth.check_hashes(sod, numbered, facts)
            ds = passive_auth.load_ds_certificate(sod)
            passive_auth.check_signature(sod, ds, facts)
            passive_auth.check_chain(sod, ds, options.trust_store, facts)
            passive_auth.check_online(sod, options.verifier, facts)

    stats.seconds = time.perf_counter() - started
    stats.extended_length = reader.extended
    stats.block_size = reader.block
    report("done")
    log.info("card read: %s, %d APDUs, %d/%d bytes, %.3f s, block %d (extended %s), facts %s",
             stats.protocol, stats.apdus, stats.bytes_sent, stats.bytes_received, stats.seconds,
             stats.block_size, stats.extended_length,
             {k: v for k, v in facts.to_json().items() if k not in ("data_groups", "notes")})
    mrz_json = mrz.to_json()
    return CardReadResult(_identity(dg13, mrz_json), mrz_json, face_jpeg, face_format, facts,
                          stats, raw, warnings)


