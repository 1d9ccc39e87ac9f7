"""`kiosk card read`: read the chip ID card through PC/SC (or an in-process virtual card) and print
the identity, the MRZ, the authentication facts and statistics.

    kiosk card read --json [--reader TEXT] (--qr PAYLOAD | --id-number N [--birth-date YYYY-MM-DD
                    [--expiry-date YYYY-MM-DD]]) [--trust-store DIR] [--skip-face] [--face-out FILE]
                    [--virtual PROFILE.json]

`--virtual` is a testing aid: it reads a virtual card built from a profile, in this process,
without pcscd. Exit 0 on success; 1 with one line on stderr (reason code included) on failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

# One line per failure reason (the UI has its own, friendlier, texts).
REASON_TEXT = {
    "access_denied": "could not open the card, check the number",
    "card_removed": "the card left the reader during the read",
    "reader_unavailable": "no card reader (or no PC/SC service)",
    "transport_error": "the reader failed to exchange data with the card",
    "protocol_error": "the card sent malformed data",
    "secure_messaging": "the card's secure channel failed (bad MAC)",
    "cancelled": "the read was cancelled",
}


def register(cmds: argparse._SubParsersAction) -> None:
    p = cmds.add_parser("read", help="read the chip ID card (ICAO 9303: PACE/BAC, DG1, DG13, DG2, SOD)",
                        description="Read the chip of a Vietnamese citizen ID card. The access key "
                        "comes from the QR payload (CAN = last 6 digits of the ID number; BAC "
                        "keys from the birth date and the predicted expiry) or from the options.")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument("--reader", default="", metavar="TEXT", help="use the first reader whose name contains TEXT")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--qr", metavar="PAYLOAD", help="the card's printed QR payload ('|'-separated)")
    src.add_argument("--id-number", metavar="N", help="the 12-digit ID number")
    p.add_argument("--birth-date", metavar="YYYY-MM-DD", help="with --id-number: adds BAC keys")
    p.add_argument("--expiry-date", metavar="YYYY-MM-DD",
                   help="with --birth-date: the card's expiry (else predicted by the renewal-age rule)")
    p.add_argument("--trust-store", type=Path, metavar="DIR",
                   help="folder of CSCA certificates (PEM/DER) or ICAO master lists")
    p.add_argument("--skip-face", action="store_true", help="do not read DG2 (faster)")
    p.add_argument("--face-out", type=Path, metavar="FILE", help="write the face image (JPEG) here")
    p.add_argument("--virtual", type=Path, metavar="PROFILE.json",
                   help="testing aid: read an in-process virtual card built from this profile")
    p.set_defaults(func=run)


def _fail(reason: str) -> int:
    print(f"kiosk: {reason}", file=sys.stderr)
    return 1


def _iso(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} wants YYYY-MM-DD") from None


def build_keys(args: argparse.Namespace) -> list:
    from drivers.card.access_keys import AccessKey, keys_from_identity

    if args.qr is not None:
        from app.identity.qr_payload import parse_qr_payload

        rec = parse_qr_payload(args.qr)  # QrPayloadError is a KioskError: one line, exit 1
        return keys_from_identity(rec.id_number, rec.birth_date, rec.issue_date, date.today())
    number = args.id_number.strip()
    if not (number.isdigit() and len(number) == 12):
        raise ValueError("--id-number wants the 12-digit ID number")
    birth = _iso(args.birth_date, "--birth-date")
    expiry = _iso(args.expiry_date, "--expiry-date")
    if expiry is not None and birth is None:
        raise ValueError("--expiry-date needs --birth-date")
    if birth is not None and expiry is not None:
        return [AccessKey.can(number[-6:]), AccessKey.mrz(number[-9:], birth, expiry)]
    return keys_from_identity(number, birth, None, date.today())


def _read(args: argparse.Namespace, keys: list):
    from drivers.card.reading import ReadOptions, read_document

    options = ReadOptions(face=not args.skip_face, trust_store=args.trust_store)
    if args.virtual is not None:
        from drivers.card.virtual import VirtualCard, load_profile

        card = VirtualCard(load_profile(args.virtual))
        card.power_on()
        return read_document(card, keys, options)
    from drivers.card.interface import CardRemovedError, ReaderUnavailableError
    from drivers.card.pcsc import PcscReaderBackend

    backend = PcscReaderBackend(args.reader)
    readers = backend.readers()
    if not readers:
        raise ReaderUnavailableError("no reader" + (f" matching {args.reader!r}" if args.reader else ""))
    connection = None
    for reader in readers:  # the first reader that holds a card
        try:
            connection = backend.connect(reader)
            break
        except CardRemovedError:
            continue
    if connection is None:
        raise CardRemovedError("no card on the reader")
    try:
        return read_document(connection, keys, options)
    finally:
        connection.close()


def _print_text(data: dict) -> None:
    ident, auth, stats = data["identity"], data["authentication"], data["statistics"]
    for key, value in ident.items():
        if value not in ("", None, {}):
            print(f"{key}: {value}")
    print("authentication: " + ", ".join(f"{k}={v}" for k, v in auth.items()
                                          if k not in ("data_groups", "notes")))
    print(f"statistics: {stats['protocol']}, {stats['apdus']} APDUs, "
          f"{stats['bytes_sent']}/{stats['bytes_received']} bytes, {stats['seconds']} s")


def run(args: argparse.Namespace) -> int:
    from drivers.card.interface import CardError

    try:
        keys = build_keys(args)
    except ValueError as exc:
        return _fail(str(exc))
    if args.trust_store is not None and not args.trust_store.is_dir():
        return _fail(f"--trust-store {args.trust_store} is not a folder")
    try:
        result = _read(args, keys)
    except CardError as exc:
        text = REASON_TEXT.get(exc.reason, "the card could not be read")
        return _fail(f"{text} ({exc.reason})")
    except (OSError, ValueError) as exc:  # profile file problems with --virtual
        return _fail(f"cannot read: {exc}")
    if args.face_out is not None:
        if result.face_jpeg is None:
            return _fail("no face image on the card (or --skip-face given)")
        args.face_out.write_bytes(result.face_jpeg)
    data = result.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_text(data)
    return 0
