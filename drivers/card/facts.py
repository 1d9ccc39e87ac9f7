"""Authentication facts of one read, kept separate (cccd.md §5: never collapse them)."""

from __future__ import annotations

from dataclasses import dataclass, field

PASSED, FAILED, NOT_CHECKED, NOT_SUPPORTED = "passed", "failed", "not_checked", "not_supported"


@dataclass
class AuthFacts:
    data_group_hashes: str = NOT_CHECKED
    data_group_detail: dict[str, str] = field(default_factory=dict)  # {"DG1": "passed", ...}
    sod_signature: str = NOT_CHECKED
    certificate_chain: str = NOT_CHECKED
    online_verification: str = NOT_CHECKED
    chip_authentication: str = NOT_CHECKED
    active_authentication: str = NOT_CHECKED
    notes: dict[str, str] = field(default_factory=dict)  # fact -> reason code, no personal data

    @property
    def verified(self) -> bool:
        """True only when the data provably comes from a genuine issuer's chip: hashes and
        signature held, the signer is trusted (chain or online service), and neither clone
        check failed (a copied chip passes passive authentication but not CA/AA)."""
        return (self.data_group_hashes == PASSED and self.sod_signature == PASSED
                and PASSED in (self.certificate_chain, self.online_verification)
                and FAILED not in (self.chip_authentication, self.active_authentication))

    def to_json(self) -> dict:
        return {
            "data_group_hashes": self.data_group_hashes,
            "data_groups": dict(self.data_group_detail),
            "sod_signature": self.sod_signature,
            "certificate_chain": self.certificate_chain,
            "online_verification": self.online_verification,
            "chip_authentication": self.chip_authentication,
            "active_authentication": self.active_authentication,
            "verified": self.verified,
            "notes": dict(self.notes),
        }
