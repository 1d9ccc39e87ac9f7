"""`kiosk admin set-pin | unlock | diagnostics`: the admin PIN and support bundles.

    kiosk admin set-pin                       # asks twice, prints: pin_hash = "scrypt$..."
    kiosk --config /etc/vn-kiosk/kiosk.toml admin set-pin   # writes it into [admin] there
    printf '482913\\n482913\\n' | kiosk admin set-pin         # from a script (stdin, two lines)
    kiosk admin unlock                        # clears a PIN lockout (needs a shell on the kiosk)
    kiosk admin diagnostics [--out DIR]       # the diagnostic zip, no personal data
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from pathlib import Path

from app.cli import add_common_options, fail, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("admin", help="admin PIN, lockout and diagnostic bundles")
    add_common_options(parser)
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    cmds = parser.add_subparsers(dest="admin_command", metavar="ADMIN_COMMAND")

    p = cmds.add_parser("set-pin", help="hash a new admin PIN (asked twice); with --config, "
                                        "write it into that file's [admin] section")
    add_common_options(p)
    p.set_defaults(func=cmd_set_pin)

    p = cmds.add_parser("unlock", help="clear the admin PIN lockout")
    add_common_options(p)
    p.set_defaults(func=cmd_unlock)

    p = cmds.add_parser("diagnostics", help="write a diagnostic zip without personal data")
    add_common_options(p)
    p.add_argument("--out", metavar="DIR", help="folder for the zip (default: "
                                                "DATA_DIR/diagnostics)")
    p.set_defaults(func=cmd_diagnostics)


def _read_pin_twice() -> tuple[str, str]:
    if sys.stdin.isatty():
        return (getpass.getpass("New admin PIN / Mã PIN quản trị mới: "),
                getpass.getpass("Again / Nhập lại: "))
    lines = sys.stdin.read().splitlines()
    if len(lines) < 2:
        return (lines[0] if lines else "", "")
    return lines[0], lines[1]


def cmd_set_pin(args: argparse.Namespace) -> int:
    from app.admin_pin import check_format, hash_pin

    first, second = _read_pin_twice()
    check_format(first)
    if first.strip() != second.strip():
        return fail("the two PINs differ; nothing was changed")
    line = f'pin_hash = "{hash_pin(first)}"'
    target = getattr(args, "config", None)
    if not target:
        print("[admin]")
        print(line)
        return 0
    path = Path(target)
    write_pin_hash(path, line)
    print(f"kiosk: admin PIN set in {path}")
    return 0


def write_pin_hash(path: Path, line: str) -> None:
    """Put `line` into the [admin] section of the TOML file, replacing an old pin_hash."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "[admin]"), None)
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[admin]", line]
    else:
        end = next((i for i in range(start + 1, len(lines))
                    if re.match(r"^\s*\[", lines[i])), len(lines))
        for i in range(start + 1, end):
            if re.match(r"^\s*pin_hash\s*=", lines[i]):
                lines[i] = line
                break
        else:
            lines.insert(start + 1, line)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if path.exists():
        os.chmod(tmp, path.stat().st_mode & 0o777)
    else:
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def cmd_unlock(args: argparse.Namespace) -> int:
    from app.admin_pin import LOCKOUT_FILE

    cfg = load_config(args)
    (cfg.data_dir / LOCKOUT_FILE).unlink(missing_ok=True)
    print("kiosk: admin PIN lockout cleared")
    return 0


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from app.diagnostics import build_bundle

    cfg = load_config(args)
    path = build_bundle(cfg, Path(args.out) if args.out else None)
    print(path)
    return 0
