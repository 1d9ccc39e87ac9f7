"""`kiosk outbox submit|status|list|show|retry|purge|rotate-key|quarantine`.

Paths come from the configuration ([outbox] path, key_file, retention_days) through the global
--config/--simulate/--set options. Every subcommand takes --json for scripts; without it the
output is one short line per fact. `submit` prints the dossier code only after the row is on
disk (WAL fsynced), so a script that saw the code can rely on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from app.cli import add_common_options, load_config
from app.outbox.errors import OutboxError, OutboxInvalidError


def _paths(args: argparse.Namespace) -> tuple[Path, Path, float]:
    cfg = load_config(args)
    return (cfg.path("outbox.path", "outbox.sqlite3"), cfg.path("outbox.key_file", "outbox.key"),
            float(cfg["outbox.retention_days"]))


def _open(args: argparse.Namespace):
    from app.outbox import Outbox

    path, key, retention = _paths(args)
    return Outbox.open(path, key, retention_days=retention)


def _emit(args: argparse.Namespace, data: Any, text: str) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)
    return 0


def _validate(procedure_id: str, payload: dict) -> None:
    """The outbox checks the shape (procedure id format, a non-empty JSON object); the rules of
    each procedure belong to app.procedures.validate_submission, which lists field errors.
    Only field paths and reason codes are shown: never the values (personal data)."""
    from app.outbox.store import PROCEDURE_ID

    if not PROCEDURE_ID.match(procedure_id):
        raise OutboxInvalidError("mã thủ tục phải gồm chữ thường, số, '.', '_' hoặc '-'",
                                 "procedure id must be lower-case letters, digits, '.', '_', '-'")
    from app.procedures import validate_submission

    errors = validate_submission(procedure_id, payload)
    if errors:
        listed = "; ".join(f"{e.path or '(payload)'}: {e.reason}" for e in errors[:10])
        more = f" (+{len(errors) - 10})" if len(errors) > 10 else ""
        raise OutboxInvalidError(f"{len(errors)} lỗi: {listed}{more}",
                                 f"{len(errors)} error(s): {listed}{more}")


def cmd_submit(args: argparse.Namespace) -> int:
    try:
        text = Path(args.data).read_text(encoding="utf-8") if args.data != "-" else sys.stdin.read()
        payload = json.loads(text)
    except OSError as exc:
        raise OutboxInvalidError(f"không đọc được tệp dữ liệu ({exc.strerror})",
                                 f"cannot read the data file ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError):
        raise OutboxInvalidError("tệp dữ liệu không phải JSON hợp lệ",
                                 "the data file is not valid JSON") from None
    if not isinstance(payload, dict):
        raise OutboxInvalidError("dữ liệu phải là một đối tượng JSON",
                                 "the data must be a JSON object")
    deadline = None
    if args.deadline:
        try:
            deadline = datetime.fromisoformat(args.deadline)
        except ValueError:
            raise OutboxInvalidError("hạn phải theo ISO 8601",
                                     "--deadline must be ISO 8601") from None
    _validate(args.procedure, payload)
    with _open(args) as ob:
        r = ob.submit(args.procedure, payload, deadline=deadline, priority=args.priority)
    return _emit(args, {"dossier_code": r.dossier_code, "idempotency_key": r.idempotency_key,
                        "created_at": r.created_at.isoformat()}, r.dossier_code)


def cmd_status(args: argparse.Namespace) -> int:
    with _open(args) as ob:
        counts = ob.counts()
        age = ob.oldest_pending_age_seconds()
        warn = ob.deadline_warnings(args.warn_within)
    data = {"counts": counts, "oldest_pending_age_seconds": age,
            "deadline_warnings": [i.dossier_code for i in warn]}
    text = " ".join(f"{k}={v}" for k, v in counts.items())
    text += f" oldest_pending_age_seconds={'-' if age is None else round(age)}"
    if warn:
        text += f" deadline_warnings={len(warn)}"
    return _emit(args, data, text)


def _line(i) -> str:
    return (f"{i.dossier_code} {i.procedure_id} {i.state} agency={i.agency_status or '-'} "
            f"attempts={i.attempts} created={i.created_at.isoformat(timespec='seconds')}"
            + (f" error={i.last_error}" if i.last_error else ""))


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as ob:
        items = ob.items(limit=args.limit, state=args.state)
    return _emit(args, {"items": [i.to_json() for i in items]},
                 "\n".join(_line(i) for i in items) or "(empty)")


def cmd_show(args: argparse.Namespace) -> int:
    from app.outbox.errors import OutboxNotFoundError

    with _open(args) as ob:
        item = ob.item(args.dossier_code)
    if item is None:
        raise OutboxNotFoundError(args.dossier_code)
    return _emit(args, item.to_json(), _line(item))


def cmd_retry(args: argparse.Namespace) -> int:
    with _open(args) as ob:
        item = ob.retry(args.dossier_code)
    return _emit(args, item.to_json(), _line(item))


def cmd_purge(args: argparse.Namespace) -> int:
    with _open(args) as ob:
        n = ob.purge()
    return _emit(args, {"purged": n}, f"purged {n} payload(s)")


def cmd_rotate(args: argparse.Namespace) -> int:
    with _open(args) as ob:
        kid = ob.rotate_key()
    return _emit(args, {"active_key_id": kid}, f"active key {kid}")


def cmd_quarantine(args: argparse.Namespace) -> int:
    """Move a damaged outbox aside (kept for support), so the kiosk can start a new queue.
    Refuses when the file opens fine: this is never a way to empty a healthy queue."""
    from app.outbox import Outbox, OutboxCorruptError

    path, key, _ = _paths(args)
    if not path.exists():
        return _emit(args, {"moved": []}, "no outbox file")
    try:
        Outbox.open(path, key).close()
    except OutboxCorruptError:
        pass
    else:
        raise OutboxError("not_corrupt", f"Tệp {path} không hỏng; không di chuyển.",
                          f"{path} is not damaged; nothing was moved")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    moved = []
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            dst = Path(f"{path}.corrupt-{stamp}{suffix}")
            src.rename(dst)
            moved.append(str(dst))
    return _emit(args, {"moved": moved}, "moved aside: " + ", ".join(moved))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help="the durable outbox of submissions")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
    cmds = parser.add_subparsers(dest="outbox_command", metavar="SUBCOMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = cmds.add_parser(name, help=help_text)
        add_common_options(p)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(func=func)
        return p

    p = add("submit", cmd_submit, "queue a submission durably; prints its dossier code")
    p.add_argument("--procedure", required=True, metavar="ID", help="procedure id")
    p.add_argument("--data", required=True, metavar="FILE.json", help="payload (JSON object; - "
                   "for stdin)")
    p.add_argument("--deadline", metavar="ISO8601", help="legal deadline (naive = Vietnam time)")
    p.add_argument("--priority", type=int, default=0, help="higher goes first (-100..100)")
    p = add("status", cmd_status, "counts per state, oldest pending age, deadline warnings")
    p.add_argument("--warn-within", type=float, default=3600.0, metavar="SECONDS")
    p = add("list", cmd_list, "items (metadata only, newest first)")
    p.add_argument("--state", choices=("queued", "sending", "delivered", "rejected", "held"))
    p.add_argument("--limit", type=int, default=100)
    p = add("show", cmd_show, "one item by dossier code")
    p.add_argument("dossier_code")
    p = add("retry", cmd_retry, "send a held or rejected item again")
    p.add_argument("dossier_code")
    add("purge", cmd_purge, "drop delivered payloads older than the retention")
    add("rotate-key", cmd_rotate, "new encryption key; re-seal every stored payload")
    add("quarantine", cmd_quarantine, "move a DAMAGED outbox file aside (kept) to start anew")
