"""Online verification of the document signer (the police identity service "C06" in Vietnam).

The real service's API is not public; integrators send the SOD / DS certificate. The kiosk talks
to it through this interface; SimulatedOnlineVerifier stands in for tests and the simulator.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from drivers.card.interface import CardError


class OnlineVerificationUnavailable(CardError):
    """The service could not be reached or answered nonsense (the fact stays not_checked)."""

    reason = "online_unavailable"


class OnlineVerifier(Protocol):
    name: str

    def verify(self, sod: bytes, ds_certificate: bytes) -> bool:
        """True when the service vouches for this SOD's signer, False when it rejects it.
        Raises OnlineVerificationUnavailable when it cannot tell."""


def _signer_key(der: bytes) -> bytes | None:
    """The certificate's public key (DER): the identity of a signer across re-issued copies of
    its certificate (the virtual cards' test signer is re-made by every process)."""
    from asn1crypto import x509

    try:
        return x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"].dump()
    except Exception:  # noqa: BLE001 - anything unparsable simply is not accepted
        return None


class SimulatedOnlineVerifier:
    """Accepts the configured document-signer certificates (DER), matched by public key."""

    name = "simulated"

    def __init__(self, accepted_ds_certificates: Iterable[bytes] = (), *, available: bool = True):
        self.accepted = {k for k in (_signer_key(bytes(c)) for c in accepted_ds_certificates) if k}
        self.available = available
        self.calls = 0

    def verify(self, sod: bytes, ds_certificate: bytes) -> bool:
        self.calls += 1
        if not self.available:
            raise OnlineVerificationUnavailable("simulated service down")
        key = _signer_key(ds_certificate)
        return key is not None and key in self.accepted
