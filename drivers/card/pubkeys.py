"""Public keys as eMRTDs encode them. DG14, DG15 and some countries' certificates carry EC keys
with *explicit* domain parameters, which `cryptography` refuses; we recognise the curve by its
prime and rebuild the key on the named curve (the point is then checked on that curve, so a
forged "same prime, other curve" key is rejected). Signatures of such certificates are checked
through the same keys."""

from __future__ import annotations

from asn1crypto import keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from drivers.card.errors import CardProtocolError

_P = {
    0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377: ec.BrainpoolP256R1,
    0x8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729901D1A71874700133107EC53:
        ec.BrainpoolP384R1,
    int("AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA703308717D4D9B009BC66842AECDA12AE6A3"
        "80E62881FF2F2D82C68528AA6056583A48F3", 16): ec.BrainpoolP512R1,
    2**256 - 2**224 + 2**192 + 2**96 - 1: ec.SECP256R1,
    2**384 - 2**128 - 2**96 + 2**32 - 1: ec.SECP384R1,
    2**521 - 1: ec.SECP521R1,
    2**224 - 2**96 + 1: ec.SECP224R1,
}


def load_public_key(spki: keys.PublicKeyInfo):
    """A `cryptography` public key from a SubjectPublicKeyInfo, explicit EC parameters included.
    Raises CardProtocolError when the key cannot be used."""
    try:
        return serialization.load_der_public_key(spki.dump())
    except (ValueError, UnsupportedAlgorithm, TypeError):
        pass
    try:
        if spki["algorithm"]["algorithm"].native != "ec":
            raise CardProtocolError("public key: unsupported algorithm")
        params = spki["algorithm"]["parameters"]
        if params.name != "specified":
            raise CardProtocolError("public key: unknown named curve")
        prime = params.chosen["field_id"]["parameters"].native
        curve = _P.get(prime)
        if curve is None:
            raise CardProtocolError("public key: curve not supported")
        return ec.EllipticCurvePublicKey.from_encoded_point(curve(), spki["public_key"].native)
    except CardProtocolError:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto/cryptography raise assorted errors on garbage
        raise CardProtocolError("public key: malformed") from None


def certificate_key(cert: x509.Certificate):
    """The certificate's public key, falling back to our loader for explicit EC parameters."""
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return load_public_key(keys.PublicKeyInfo.load(_spki_der(cert)))


def _spki_der(cert: x509.Certificate) -> bytes:
    from asn1crypto import x509 as ax509

    return ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))[
        "tbs_certificate"]["subject_public_key_info"].dump()


def verify_signed_by(child: x509.Certificate, issuer_key) -> bool:
    """Whether `child` carries a valid signature by `issuer_key` (ECDSA or RSA PKCS#1 v1.5 /
    PSS)."""
    h = child.signature_hash_algorithm
    if h is None:
        return False
    try:
        if isinstance(issuer_key, ec.EllipticCurvePublicKey):
            issuer_key.verify(child.signature, child.tbs_certificate_bytes, ec.ECDSA(h))
        elif isinstance(issuer_key, rsa.RSAPublicKey):
            pss = child.signature_algorithm_parameters
            pad = pss if isinstance(pss, padding.PSS) else padding.PKCS1v15()
            issuer_key.verify(child.signature, child.tbs_certificate_bytes, pad, h)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True

