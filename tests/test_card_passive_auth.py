"""Passive authentication reported as separate facts, and `verified` only when all held."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.card.access_keys import keys_from_identity
from drivers.card.facts import AuthFacts
from drivers.card.online import SimulatedOnlineVerifier
from drivers.card.reading import ReadOptions, read_document
from drivers.card.virtual import FaultPlan, VirtualCard, load_profile, profiles_dir, test_pki


def _read(options: ReadOptions, faults: FaultPlan | None = None):
    p = load_profile(profiles_dir() / "adult-2021.json")
    keys = keys_from_identity("001090012345", date(1990, 1, 15), date(2021, 4, 10), date(2026, 1, 1))
    return read_document(VirtualCard(p, faults), keys, options)


@pytest.fixture
def trust_store(tmp_path):
    return test_pki().write_trust_store(tmp_path / "trust")


def test_all_facts_pass_with_the_test_csca(trust_store):
    a = _read(ReadOptions(trust_store=trust_store)).auth
    assert (a.data_group_hashes, a.sod_signature, a.certificate_chain) == ("passed", "passed", "passed")
    assert a.online_verification == "not_checked"
    assert a.data_group_detail == {"DG1": "passed", "DG2": "passed", "DG13": "passed",
                                   "DG14": "passed", "DG15": "passed"}
    assert a.verified


def test_no_trust_store_is_not_checked_and_not_verified():
    a = _read(ReadOptions()).auth
    assert a.data_group_hashes == "passed" and a.sod_signature == "passed"
    assert a.certificate_chain == "not_checked"
    assert a.verified is False


@pytest.mark.parametrize("dg", ["DG1", "DG13", "DG2"])
def test_tampered_data_group_fails_its_hash(trust_store, dg):
    a = _read(ReadOptions(trust_store=trust_store), FaultPlan(tampered_file=dg)).auth
    assert a.data_group_hashes == "failed"
    assert a.data_group_detail[dg] == "failed"
    assert a.sod_signature == "passed" and a.certificate_chain == "passed"
    assert a.verified is False


def _other_csca(folder, same_name: bool):
    key = ec.generate_private_key(ec.SECP256R1())
    name = test_pki().csca_cert.subject if same_name else x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "Some other CSCA")])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    folder.mkdir()
    (folder / "csca.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return folder


@pytest.mark.parametrize("same_name", [True, False])
def test_wrong_csca_fails_the_chain(tmp_path, same_name):
    a = _read(ReadOptions(trust_store=_other_csca(tmp_path / "ts", same_name))).auth
    assert a.certificate_chain == "failed"
    assert a.sod_signature == "passed"
    assert a.verified is False


def test_master_list_in_the_trust_store(tmp_path):
    """An ICAO master list (CMS SignedData over a CscaMasterList) is accepted as a trust store."""
    from asn1crypto import cms, core
    from asn1crypto import x509 as ax509

    from drivers.card.passive_auth import CscaMasterList

    ml = CscaMasterList({"version": 0, "cert_list": [
        ax509.Certificate.load(test_pki().csca_cert.public_bytes(serialization.Encoding.DER))]})
    sd = cms.SignedData({"version": "v3", "digest_algorithms": [],
                         "encap_content_info": {"content_type": "2.23.136.1.1.2",
                                                "content": core.ParsableOctetString(ml.dump())},
                         "signer_infos": []})
    folder = tmp_path / "ml"
    folder.mkdir()
    (folder / "icao.ml").write_bytes(cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump())
    (folder / "junk.txt").write_bytes(b"not a certificate")
    assert _read(ReadOptions(trust_store=folder)).auth.certificate_chain == "passed"


def test_online_verification_can_stand_in_for_the_chain():
    from drivers.card.virtual import test_online_verifier

    verifier = test_online_verifier()
    a = _read(ReadOptions(verifier=verifier)).auth
    assert verifier.calls == 1
    assert a.online_verification == "passed" and a.certificate_chain == "not_checked"
    assert a.verified


def test_online_verifier_rejecting_or_down():
    a = _read(ReadOptions(verifier=SimulatedOnlineVerifier([b"another DS"]))).auth
    assert a.online_verification == "failed" and not a.verified
    a = _read(ReadOptions(verifier=SimulatedOnlineVerifier([test_pki().ds_der()], available=False))).auth
    assert a.online_verification == "not_checked"
    assert a.notes["online_verification"] == "online_unavailable"
    assert not a.verified


def test_broken_sod_fails_hashes_and_signature(trust_store):
    a = _read(ReadOptions(trust_store=trust_store), FaultPlan(malformed_file="SOD")).auth
    assert a.data_group_hashes == "failed" and a.sod_signature == "failed"
    assert not a.verified


@pytest.mark.parametrize("facts, verified", [
    (dict(data_group_hashes="passed", sod_signature="passed", certificate_chain="passed"), True),
    (dict(data_group_hashes="passed", sod_signature="passed", online_verification="passed"), True),
    (dict(data_group_hashes="passed", sod_signature="passed"), False),
    (dict(data_group_hashes="failed", sod_signature="passed", certificate_chain="passed"), False),
    (dict(data_group_hashes="passed", sod_signature="failed", certificate_chain="passed"), False),
    (dict(data_group_hashes="passed", sod_signature="passed", certificate_chain="passed",
          chip_authentication="failed"), False),
    (dict(data_group_hashes="passed", sod_signature="passed", certificate_chain="passed",
          chip_authentication="not_supported", active_authentication="not_supported"), True),
])
def test_verified_is_derived_from_all_facts(facts, verified):
    assert AuthFacts(**facts).verified is verified


def test_card_without_chip_or_active_authentication_reports_not_supported(trust_store):
    p = load_profile(profiles_dir() / "adult-2021.json")
    p.card.chip_auth = p.card.active_auth = False
    keys = keys_from_identity("001090012345", date(1990, 1, 15), date(2021, 4, 10), date(2026, 1, 1))
    a = read_document(VirtualCard(p), keys, ReadOptions(trust_store=trust_store)).auth
    assert a.chip_authentication == "not_supported" and a.active_authentication == "not_supported"
    assert a.verified


def _refusing_explicit_ec_parameters(monkeypatch) -> None:
    """Make `cryptography` refuse EC keys with explicit parameters, as the releases this was
    written with did (pyproject allows >= 42; 51.0 loads them): the kiosk's own loader
    (pubkeys.load_public_key) must take over."""
    from asn1crypto import keys

    from drivers.card import passive_auth, pubkeys

    real = serialization.load_der_public_key

    def refusing(data, *args, **kwargs):
        algorithm = keys.PublicKeyInfo.load(data)["algorithm"]
        if algorithm["algorithm"].native == "ec" and algorithm["parameters"].name == "specified":
            raise ValueError("explicit EC parameters")
        return real(data, *args, **kwargs)

    monkeypatch.setattr(pubkeys.serialization, "load_der_public_key", refusing)
    monkeypatch.setattr(passive_auth, "certificate_key", lambda cert: pubkeys.load_public_key(
        keys.PublicKeyInfo.load(pubkeys._spki_der(cert))))


@pytest.mark.parametrize("cryptography_refuses", [False, True], ids=["installed", "refusing"])
def test_csca_with_explicit_ec_parameters(tmp_path, monkeypatch, cryptography_refuses):
    """Some countries' CSCA certificates carry explicit curve parameters. `cryptography` 51.0
    loads them (known curves); older releases refuse them and our loader takes over: either
    way the chain check works, and still fails for a wrong key."""
    from asn1crypto import x509 as ax509

    from drivers.card.virtual.personalize import _spki

    if cryptography_refuses:
        _refusing_explicit_ec_parameters(monkeypatch)
    pki = test_pki()

    def explicit_csca(key) -> bytes:
        cert = ax509.Certificate.load(pki.csca_cert.public_bytes(serialization.Encoding.DER))
        tbs = cert["tbs_certificate"]
        tbs["subject_public_key_info"] = ax509.PublicKeyInfo.load(_spki(key, explicit=True))
        sig = pki.csca_key.sign(tbs.dump(force=True), ec.ECDSA(hashes.SHA256()))
        return ax509.Certificate({"tbs_certificate": tbs, "signature_algorithm": cert["signature_algorithm"],
                                  "signature_value": sig}).dump()

    good = tmp_path / "good"
    good.mkdir()
    (good / "csca.der").write_bytes(explicit_csca(pki.csca_key))
    if cryptography_refuses:
        with pytest.raises(ValueError):
            serialization.load_der_public_key(_spki(pki.csca_key, explicit=True))
    assert _read(ReadOptions(trust_store=good)).auth.certificate_chain == "passed"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "csca.der").write_bytes(explicit_csca(ec.generate_private_key(ec.BrainpoolP256R1())))
    assert _read(ReadOptions(trust_store=bad)).auth.certificate_chain == "failed"


def test_trust_store_written_by_another_process_trusts_our_virtual_cards(tmp_path):
    """The simulator writes the trust store in the kiosk process while `kiosk card emulate`
    signs cards in another: the test CSCA must be the same key in both."""
    import subprocess
    import sys

    folder = tmp_path / "other"
    subprocess.run([sys.executable, "-c", "import sys; from drivers.card.virtual import "
                    "write_test_trust_store as w; w(sys.argv[1])", str(folder)], check=True, timeout=60)
    assert (folder / "test-csca.pem").exists()
    assert _read(ReadOptions(trust_store=folder)).auth.certificate_chain == "passed"
