"""Test PKI of the virtual card: a test CSCA and a document signer, made on the fly and cached
per process (key generation is the slow part), plus helpers to sign an SOD and to write the CSCA
into a trust-store folder. Nothing here is a real country's key."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

from asn1crypto import algos, cms, core
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.card.lds.sod import LdsSecurityObject

CURVE = ec.BrainpoolP256R1()


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kiosk test PKI (not real)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, issuer: str, key, signer, ca: bool) -> x509.Certificate:
    now = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * 30))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
    return b.sign(signer, hashes.SHA256())


def derived_key(label: str) -> ec.EllipticCurvePrivateKey:
    """A key derived from a public label: the same in every process (the simulator's trust
    store written by one process must trust cards emulated by another). Test use only."""
    n = 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7  # brainpoolP256r1 order
    value = int.from_bytes(hashlib.sha256(b"vn-kiosk test key|" + label.encode()).digest(), "big")
    return ec.derive_private_key(value % (n - 1) + 1, CURVE)


class TestPki:
    __test__ = False  # not a pytest class

    def __init__(self, label: str) -> None:
        self.csca_key = derived_key(f"CSCA {label}")
        self.csca_cert = _cert(f"CSCA {label}", f"CSCA {label}", self.csca_key, self.csca_key, True)
        self.ds_key = derived_key(f"DS {label}")
        self.ds_cert = _cert(f"DS {label}", f"CSCA {label}", self.ds_key, self.csca_key, False)

    def csca_pem(self) -> bytes:
        return self.csca_cert.public_bytes(serialization.Encoding.PEM)

    def ds_der(self) -> bytes:
        return self.ds_cert.public_bytes(serialization.Encoding.DER)

    def write_trust_store(self, folder: Path) -> Path:
        """Write the test CSCA certificate into `folder` (created) and return the folder."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "test-csca.pem").write_bytes(self.csca_pem())
        return folder

    def sign_sod(self, dg_hashes: dict[int, bytes]) -> bytes:
        """EF.SOD content (tag 77 included) over SHA-256 data-group hashes."""
        lso = LdsSecurityObject({
            "version": 0,
            "hash_algorithm": {"algorithm": "sha256"},
            "data_group_hash_values": [{"data_group_number": n, "data_group_hash_value": h}
                                       for n, h in sorted(dg_hashes.items())],
        }).dump()
        digest = hashes.Hash(hashes.SHA256())
        digest.update(lso)
        attrs = cms.CMSAttributes([
            {"type": "content_type", "values": [cms.ContentType("2.23.136.1.1.1")]},
            {"type": "message_digest", "values": [digest.finalize()]},
        ])
        signature = self.ds_key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
        ds = cms.Certificate.load(self.ds_der())
        signer = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
                "issuer": ds.issuer, "serial_number": ds.serial_number}}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        })
        sd = cms.SignedData({
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "2.23.136.1.1.1",
                                   "content": core.ParsableOctetString(lso)},
            "certificates": [ds],
            "signer_infos": [signer],
        })
        info = cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()
        from drivers.card import tlv

        return tlv.encode(0x77, info)


def test_pki(label: str = "VN-TEST") -> TestPki:
    """The process-wide test PKI (same CSCA for every virtual card of one label)."""
    return _pki(label)


@functools.lru_cache(maxsize=4)
def _pki(label: str) -> TestPki:
    return TestPki(label)


test_pki.__test__ = False  # type: ignore[attr-defined]  # a factory, not a pytest test


def write_test_trust_store(folder: Path, label: str = "VN-TEST") -> Path:
    return test_pki(label).write_trust_store(folder)


def test_online_verifier(label: str = "VN-TEST"):
    """A SimulatedOnlineVerifier that vouches for the virtual cards' document signer (for the
    simulator and tests: the stand-in for the police identity service)."""
    from drivers.card.online import SimulatedOnlineVerifier

    return SimulatedOnlineVerifier([test_pki(label).ds_der()])


test_online_verifier.__test__ = False  # type: ignore[attr-defined]
