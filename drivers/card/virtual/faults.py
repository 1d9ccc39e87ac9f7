"""Fault injection and the link model of the virtual card."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FaultPlan:
    # The card leaves the field: process() raises CardRemovedError from this APDU on (1-based).
    remove_at_apdu: int | None = None
    # Link model: bit rate (bit/s) and per-exchange latency; modelled time is always recorded,
    # and slept when `sleep` is true (for UI demos).
    bit_rate: int | None = None
    latency: float = 0.0
    sleep: bool = False
    # Response damage on the N-th APDU (1-based): one byte flipped, or cut in half.
    corrupt_response_at: int | None = None
    truncate_response_at: int | None = None
    # A protected response whose MAC is wrong (the N-th APDU).
    bad_mac_at: int | None = None
    # A file served with a broken TLV structure ("DG13", "DG1", "SOD", ...).
    malformed_file: str | None = None
    # Override the profile: the card refuses extended-length APDUs (6700).
    refuse_extended_length: bool = False
    # Data copied from the genuine card, chip keys not (CA and AA must fail).
    cloned: bool = False
    # A file whose content differs from what the SOD hashes (passive authentication must fail).
    tampered_file: str | None = None
    # Transient transport trouble: the N-th APDU answers 6F00 once (the reader must resume).
    transient_error_at: int | None = None
    # The reader loses the N-th response (the card did process the command): process() raises
    # TransportError. Inside secure messaging this leaves the counters out of step.
    link_error_at: int | None = None
