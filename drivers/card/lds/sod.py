"""EF.SOD: CMS SignedData (asn1crypto) carrying the LDS Security Object (data-group hashes)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos, cms, core, x509

from drivers.card import tlv
from drivers.card.errors import CardProtocolError

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"


class DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


@dataclass
class Sod:
    raw: bytes  # the whole file (tag 77 included)
    signed_data: cms.SignedData
    encapsulated: bytes  # DER of the LDS security object (what the signature covers)
    hash_algorithm: str  # "sha256", ...
    hashes: dict[int, bytes]
    certificates: list[x509.Certificate]

    @property
    def ds_certificate(self) -> x509.Certificate | None:
        return self.certificates[0] if self.certificates else None


def parse(data: bytes) -> Sod:
    top = tlv.parse_one(data, 0x77, recurse=False)
    try:
        info = cms.ContentInfo.load(top.value)
        if info["content_type"].native != "signed_data":
            raise CardProtocolError("SOD: not SignedData")
        sd = info["content"]
        eci = sd["encap_content_info"]
        if eci["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
            raise CardProtocolError("SOD: not an LDS security object")
        encap = eci["content"].contents  # the OCTET STRING's bytes: DER of the LDS object
        lso = LdsSecurityObject.load(encap)
        hash_alg = lso["hash_algorithm"]["algorithm"].native
        hashes = {}
        for h in lso["data_group_hash_values"]:
            n = h["data_group_number"].native
            if not isinstance(n, int) or not 0 < n < 32:
                raise CardProtocolError("SOD: bad data group number")
            hashes[n] = h["data_group_hash_value"].native
        certs_field = sd["certificates"]
        certs = ([] if certs_field.native is None  # .native parses fully: garbage fails here
                 else [c.chosen for c in certs_field if c.name == "certificate"])
        if not sd["signer_infos"].native:  # parsed fully now too, so later use is safe
            raise CardProtocolError("SOD: no signer")
        return Sod(data, sd, encap, hash_alg, hashes, certs)
    except CardProtocolError:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto raises assorted untyped errors on bad DER
        raise CardProtocolError("SOD: malformed CMS structure") from None
