"""`kiosk endpoint serve|add-kiosk|migrate`: the reference service endpoint.

    kiosk endpoint serve --host 127.0.0.1 --port 8765 --db PATH|postgresql://... [--workers N]
                         [--agency-token-file FILE] [--ssl-certfile F --ssl-keyfile F]
    kiosk endpoint add-kiosk --db ... --kiosk-id ID --secret-file FILE
    kiosk endpoint disable-kiosk --db ... --kiosk-id ID
The agency token may also come from $KIOSK_ENDPOINT_AGENCY_TOKENS (comma-separated).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from app.errors import KioskError


def _fail(vi: str, en: str) -> KioskError:
    return KioskError(vi, en, code="endpoint.usage")


def cmd_serve(args: argparse.Namespace) -> int:
    from endpoint import server

    tokens = [t for t in os.environ.get("KIOSK_ENDPOINT_AGENCY_TOKENS", "").split(",") if t]
    if args.agency_token_file:
        try:
            tokens.append(Path(args.agency_token_file).read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise _fail("Không đọc được tệp mã cơ quan.",
                        f"cannot read the agency token file ({exc.strerror})") from None
    if args.workers > 1 and not args.db.startswith("postgres"):
        print("kiosk: several workers on SQLite work but serialize on one file; "
              "use PostgreSQL for a province", flush=True)
    server.serve(args.db, args.host, args.port, args.workers, tokens,
                 log_level=args.log_level, ssl_certfile=args.ssl_certfile,
                 ssl_keyfile=args.ssl_keyfile)
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    from endpoint import server

    try:
        secret = server.read_secret_file(Path(args.secret_file))
    except (OSError, ValueError) as exc:
        raise _fail("Tệp khóa ký không dùng được.",
                    f"the secret file cannot be used ({exc})") from None
    server.add_kiosk(args.db, args.kiosk_id, secret)
    print(json.dumps({"kiosk_id": args.kiosk_id, "registered": True}) if args.json
          else f"registered {args.kiosk_id}")
    return 0


def cmd_disable_kiosk(args: argparse.Namespace) -> int:
    from endpoint import server

    if not server.disable_kiosk(args.db, args.kiosk_id):
        raise _fail(f"Không có ki-ốt {args.kiosk_id}.", f"there is no kiosk {args.kiosk_id}")
    print(json.dumps({"kiosk_id": args.kiosk_id, "disabled": True}) if args.json
          else f"disabled {args.kiosk_id}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from endpoint import server

    server.migrate(args.db)
    print("migrated")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("endpoint", help="the reference service endpoint")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    cmds = parser.add_subparsers(dest="endpoint_command", metavar="SUBCOMMAND")
    p = cmds.add_parser("serve", help="run the endpoint (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--db", required=True, help="SQLite path or postgresql:// URL")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--agency-token-file", help="file holding the agency API bearer token")
    p.add_argument("--ssl-certfile")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--log-level", default="warning")
    p.set_defaults(func=cmd_serve)
    p = cmds.add_parser("add-kiosk", help="register (or re-key) a kiosk's signing secret")
    p.add_argument("--db", required=True)
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--secret-file", required=True, help="the kiosk's secret file (hex)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add_kiosk)
    p = cmds.add_parser("disable-kiosk", help="refuse a kiosk's requests from now on "
                        "(add-kiosk with a new secret enables it again)")
    p.add_argument("--db", required=True)
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_disable_kiosk)
    p = cmds.add_parser("migrate", help="create or update the endpoint's tables")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_migrate)
