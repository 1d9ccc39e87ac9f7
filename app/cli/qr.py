"""`kiosk qr decode [--json] IMAGE...`: read the QR code in each image with the shipped decoder.

For each image: the decoded text, the parsed card fields (ISO dates) or the error (reason +
message), and the decode time in ms. Exit 1 when any image failed (the output is still printed
in full), 0 when all were read and parsed. This is a support tool: it prints the personal data
it reads, on the operator's terminal only (nothing is logged).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import fields
from datetime import date
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("qr", help="read citizen ID card QR codes from images")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    dec = actions.add_parser("decode", help="decode the QR code in each image and parse it")
    dec.add_argument("images", nargs="+", metavar="IMAGE")
    dec.add_argument("--json", action="store_true", help="one JSON object on stdout")
    dec.add_argument("--raw", action="store_true",
                     help="only decode: do not parse as a citizen ID card payload")
    dec.set_defaults(func=cmd_decode)


def _record_dict(record) -> dict:
    out = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name == "face_jpeg" or value in ("", None, {}):
            continue
        out[f.name] = value.isoformat() if isinstance(value, date) else \
            (value.value if f.name == "source" else value)
    return out


def decode_image(path: Path, decoder, *, parse: bool = True) -> dict:
    import cv2

    from app.identity.qr_payload import QrPayloadError, decode_payload_bytes, parse_qr_payload

    item: dict = {"image": str(path)}
    frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if frame is None:
        item.update(ok=False, error={"reason": "unreadable_image",
                                     "message": "not an image file or cannot be read",
                                     "vi": "không đọc được tệp ảnh"})
        return item
    t0 = time.perf_counter()
    codes = decoder.decode(frame)
    item["ms"] = round((time.perf_counter() - t0) * 1000, 2)
    if not codes:
        item.update(ok=False, error={"reason": "no_qr_code", "message": "no QR code found",
                                     "vi": "không tìm thấy mã QR"})
        return item
    code = codes[0]
    item["decoder"] = code.decoder
    item["raw_hex"] = code.raw.hex() if code.text is None else None
    item["text"] = code.text
    try:
        text = decode_payload_bytes(code.raw)
        if parse:
            item["fields"] = _record_dict(parse_qr_payload(text))
        item["ok"] = True
    except QrPayloadError as exc:
        item.update(ok=False, error={"reason": exc.reason, "message": exc.en, "vi": exc.vi,
                                     "field": exc.detail or None})
    return item


def cmd_decode(args: argparse.Namespace) -> int:
    import cv2

    from drivers.camera.qr_decode import QrDecoder

    cv2.setNumThreads(1)
    decoder = QrDecoder(remember_roi=False)
    results = [decode_image(Path(p), decoder, parse=not args.raw) for p in args.images]
    failed = sum(not r["ok"] for r in results)
    if args.json:
        print(json.dumps({"results": results, "failed": failed}, ensure_ascii=False, indent=1))
    else:
        for r in results:
            ms = f"{r['ms']:.1f} ms" if "ms" in r else "-"
            if r["ok"]:
                print(f"{r['image']}: OK ({ms}, {r.get('decoder')})")
                print(f"  text: {r['text']}")
                for k, v in (r.get("fields") or {}).items():
                    print(f"  {k}: {v}")
            else:
                e = r["error"]
                print(f"{r['image']}: FAILED ({ms}) {e['reason']}: {e['message']}")
                if r.get("text"):
                    print(f"  text: {r['text']}")
    return 1 if failed else 0
