"""Passive authentication (ICAO 9303-11 §5.1) as separate checks: data-group hashes against the
SOD, the SOD signature with its document-signer certificate, the DS certificate's chain to a
CSCA from a trust store (certificate files and/or ICAO master lists), online verification."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from pathlib import Path

from asn1crypto import cms, core
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from drivers.card.facts import FAILED, NOT_CHECKED, NOT_SUPPORTED, PASSED, AuthFacts
from drivers.card.lds.sod import Sod
from drivers.card.online import OnlineVerificationUnavailable, OnlineVerifier
from drivers.card.pubkeys import certificate_key, verify_signed_by

log = logging.getLogger(__name__)

_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
           "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def check_hashes(sod: Sod, files: dict[int, bytes], facts: AuthFacts) -> None:
    if sod.hash_algorithm not in _HASHES:
        facts.data_group_hashes = NOT_SUPPORTED
        return
    detail = {}
    for n, raw in sorted(files.items()):
        expected = sod.hashes.get(n)
        if expected is None:
            detail[f"DG{n}"] = FAILED  # a data group the issuer did not sign
            continue
        ok = hmac.compare_digest(hashlib.new(sod.hash_algorithm, raw).digest(), expected)
        detail[f"DG{n}"] = PASSED if ok else FAILED
    facts.data_group_detail = detail
    facts.data_group_hashes = PASSED if detail and all(v == PASSED for v in detail.values()) else FAILED


def _verify(public_key, signature: bytes, data: bytes, hash_name: str, algo: str) -> bool:
    h = _HASHES[hash_name]()
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(h))
        elif isinstance(public_key, rsa.RSAPublicKey):
            pad = (padding.PSS(padding.MGF1(h), padding.PSS.AUTO) if algo == "rsassa_pss"
                   else padding.PKCS1v15())
            public_key.verify(signature, data, pad, h)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def load_ds_certificate(sod: Sod) -> x509.Certificate | None:
    """The document-signer certificate, parsed once for check_signature and check_chain. None
    when the SOD carries none or its DER cannot be read (`sod.ds_certificate` tells which)."""
    if sod.ds_certificate is None:
        return None
    try:
        return x509.load_der_x509_certificate(sod.ds_certificate.dump())
    except Exception as exc:  # noqa: BLE001 - hostile DER: cryptography/asn1crypto raise many kinds
        # (ValueError, x509.InvalidVersion, UnsupportedAlgorithm...); each means "not verified".
        log.info("DS certificate unreadable: %s", type(exc).__name__)
        return None


def check_signature(sod: Sod, ds: x509.Certificate | None, facts: AuthFacts) -> None:
    """`ds`: load_ds_certificate(sod)."""
    if sod.ds_certificate is None:
        facts.sod_signature = FAILED
        facts.notes["sod_signature"] = "no_ds_certificate"
        return
    try:
        si = sod.signed_data["signer_infos"][0]
        hash_name = si["digest_algorithm"]["algorithm"].native
        algo = si["signature_algorithm"].signature_algo
        if hash_name not in _HASHES:
            facts.sod_signature = NOT_SUPPORTED
            return
        signed = sod.encapsulated
        attrs = si["signed_attrs"]
        if attrs.native is not None and len(attrs):
            digest = next((a["values"][0].native for a in attrs if a["type"].native == "message_digest"), None)
            if digest is None or not hmac.compare_digest(digest, hashlib.new(hash_name, sod.encapsulated).digest()):
                facts.sod_signature = FAILED
                facts.notes["sod_signature"] = "message_digest_mismatch"
                return
            signed = b"\x31" + attrs.dump()[1:]  # signature covers the attributes as a SET
        if ds is None:  # carried, but unreadable
            facts.sod_signature = FAILED
            facts.notes["sod_signature"] = "unreadable_signer_info"
            return
        ok = _verify(certificate_key(ds), si["signature"].native, signed, hash_name, algo)
    except Exception as exc:  # noqa: BLE001 - hostile DER, see load_ds_certificate
        log.info("SOD signature check could not run: %s", type(exc).__name__)
        facts.sod_signature = FAILED
        facts.notes["sod_signature"] = "unreadable_signer_info"
        return
    facts.sod_signature = PASSED if ok else FAILED


class CscaMasterList(core.Sequence):
    _fields = [("version", core.Integer), ("cert_list", core.SetOf, {"spec": ax509.Certificate})]


def _certs_from_file(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        pass
    # An ICAO master list: CMS SignedData over a CscaMasterList. Its own signature is not
    # checked here (it is the operator's job to install a genuine list).
    info = cms.ContentInfo.load(data)
    content = info["content"]["encap_content_info"]["content"].contents
    ml = CscaMasterList.load(content)
    return [x509.load_der_x509_certificate(c.dump()) for c in ml["cert_list"]]


@functools.lru_cache(maxsize=8)
def _load_store(folder: str, stamp: tuple) -> tuple[x509.Certificate, ...]:
    out: list[x509.Certificate] = []
    for p in sorted(Path(folder).iterdir()):
        if p.is_file() and p.stat().st_size < 8 * 1024 * 1024:
            try:
                out.extend(_certs_from_file(p))
            except Exception as exc:  # noqa: BLE001 - one bad file must not hide the others
                log.warning("trust store: skipped a file (%s)", type(exc).__name__)
    return tuple(out)


def load_trust_store(folder: Path) -> tuple[x509.Certificate, ...]:
    folder = Path(folder)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())) if folder.is_dir() else ()
    return _load_store(str(folder), stamp) if folder.is_dir() else ()


def check_chain(sod: Sod, ds: x509.Certificate | None, trust_store: Path | None,
                facts: AuthFacts) -> None:
    """`ds`: load_ds_certificate(sod)."""
    if trust_store is None:
        facts.certificate_chain = NOT_CHECKED
        facts.notes["certificate_chain"] = "no_trust_store"
        return
    if sod.ds_certificate is None:
        facts.certificate_chain = FAILED
        return
    try:
        if ds is not None:
            ds.signature_hash_algorithm  # parsed lazily: fail here, not in the loop
    except Exception:  # noqa: BLE001 - hostile DER, see load_ds_certificate
        ds = None
    if ds is None:
        facts.certificate_chain = FAILED
        facts.notes["certificate_chain"] = "unreadable_ds_certificate"
        return
    anchors = load_trust_store(trust_store)
    if not anchors:
        facts.certificate_chain = NOT_CHECKED
        facts.notes["certificate_chain"] = "empty_trust_store"
        return
    for csca in anchors:
        if csca.subject != ds.issuer:
            continue
        try:
            ok = verify_signed_by(ds, certificate_key(csca))
        except Exception:  # noqa: BLE001 - a CSCA key or DS field we cannot use: not this anchor
            continue
        if ok:
            facts.certificate_chain = PASSED
            return
    facts.certificate_chain = FAILED
    facts.notes["certificate_chain"] = "no_matching_csca"


def check_online(sod: Sod, verifier: OnlineVerifier | None, facts: AuthFacts) -> None:
    if verifier is None or sod.ds_certificate is None:
        facts.online_verification = NOT_CHECKED
        return
    try:
        facts.online_verification = PASSED if verifier.verify(sod.raw, sod.ds_certificate.dump()) else FAILED
    except OnlineVerificationUnavailable as exc:
        facts.online_verification = NOT_CHECKED
        facts.notes["online_verification"] = exc.reason
    except Exception as exc:  # noqa: BLE001 - a third-party adapter must not break a read
        log.warning("online verifier raised %s", type(exc).__name__)
        facts.online_verification = NOT_CHECKED
        facts.notes["online_verification"] = "verifier_error"
