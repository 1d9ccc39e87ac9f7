"""The diagnostic bundle for support: one zip with no personal data. No Qt.

    path = build_bundle(cfg, out_dir=None, devices=[...], outbox={...}, extra={...})

What goes in (each a file in the zip):
    version.json      app, Python, platform, kiosk id, simulator or not, when
    config.toml       every configuration value; secrets (PIN hash, tokens, URL passwords) masked
    devices.json      each device's driver and state, the printer's status flags
    outbox.json       counts, the oldest pending item's age, deadline warnings and each item's
                      metadata (dossier code, procedure, state, attempts, error code) — payloads
                      are encrypted at rest and never read here
    print-journal.json  the journal's entries without the documents (id, kind, state, reason)
    logs/*            the log files, passed through the redaction again (logs.redact: ID numbers,
                      dates) plus phone numbers and e-mail addresses, which logs never hold anyway
    manifest.json     the list above and how each was cleaned

What never goes in: the outbox database, its key, the kiosk's signing secret, the endpoint's
database (simulator mode keeps one in DATA_DIR), printed receipts, anything a citizen typed.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app import __version__, logs

MAX_LOG_BYTES = 5 * 1024 * 1024
SECRET_KEYS = ("pin_hash", "secret", "token", "password")
_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){9,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
MASK = "[redacted]"


# A date with a time of day is when something happened (a log line, a delivery), kept for
# support; a date alone may be a birth date and is masked.
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                    r"(?:Z|[+-]\d{2}:?\d{2})?")


def scrub(text: str) -> str:
    """What a support file may show: the log redaction again, plus phones and e-mails."""
    stamps: list[str] = []

    def keep(m: re.Match) -> str:
        stamps.append(m.group(0))
        return f"\x00{len(stamps) - 1}\x00"

    text = _STAMP.sub(keep, text)
    text = logs.redact(text)
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    return re.sub("\x00(\\d+)\x00", lambda m: stamps[int(m.group(1))], text)


def masked_config(cfg) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for section, values in cfg.values.items():
        out[section] = {}
        for key, value in values.items():
            if any(word in key for word in SECRET_KEYS) and value and "file" not in key:
                value = "[set, masked]"
            elif isinstance(value, str) and "://" in value:
                value = _URL_USERINFO.sub("[masked]@", value)
            out[section][key] = value
    return out


def _toml(data: dict[str, dict[str, Any]]) -> str:
    from app.config import _toml_value

    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
        lines.append("")
    return "\n".join(lines)


def outbox_summary(cfg, warn_within_seconds: float = 3600) -> dict[str, Any]:
    """Read the outbox's metadata (its own connection; run off the GUI thread)."""
    from app.outbox import Outbox

    path = cfg.path("outbox.path", "outbox.sqlite3")
    if not path.exists():
        return {"error": "no outbox file yet"}
    try:
        ob = Outbox.open(path, cfg.path("outbox.key_file", "outbox.key"))
    except Exception as exc:  # noqa: BLE001 - the bundle says why instead of failing
        return {"error": type(exc).__name__, "reason": getattr(exc, "reason", "")}
    try:
        return {"counts": ob.counts(), "oldest_pending_age_seconds":
                ob.oldest_pending_age_seconds(),
                "deadline_warnings": [i.dossier_code for i in
                                      ob.deadline_warnings(warn_within_seconds)],
                "items": [i.to_json() for i in ob.items(limit=500)]}
    finally:
        ob.close()


def journal_summary(cfg) -> list[dict[str, Any]]:
    path = cfg.data_dir / "print-journal.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    keep = ("id", "created_at", "state", "reason", "attempts")
    return [{**{k: e.get(k) for k in keep}, "kind": (e.get("document") or {}).get("kind")}
            for e in entries if isinstance(e, dict)]


def _log_files(cfg) -> list[Path]:
    folder = cfg.data_dir / "logs"
    return (sorted(p for p in folder.glob("*.log*") if p.is_file() and p.suffix != ".gz")
            if folder.is_dir() else [])


def _read_tail(path: Path) -> str:
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size > MAX_LOG_BYTES:
            fh.seek(size - MAX_LOG_BYTES)
        return fh.read().decode("utf-8", errors="replace")


def build_bundle(cfg, out_dir: Path | None = None, *, devices: list[dict] | None = None,
                 outbox: dict | None = None, extra: dict | None = None) -> Path:
    """Write the zip and return its path. Blocking (disk): call it off the Qt main thread."""
    out_dir = Path(out_dir) if out_dir else cfg.data_dir / "diagnostics"
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    kiosk_id = re.sub(r"[^A-Za-z0-9_.-]", "_", str(cfg["kiosk.id"]))
    target = out_dir / f"kiosk-diagnostics-{kiosk_id}-{now:%Y%m%d-%H%M%S}.zip"
    if outbox is None:
        outbox = outbox_summary(cfg)
    files: dict[str, str] = {
        "version.json": json.dumps({
            "app": __version__, "python": sys.version.split()[0], "platform": platform.platform(),
            "kiosk_id": cfg["kiosk.id"], "profile": cfg["kiosk.profile"],
            "simulator": cfg.simulate, "created_at": now.isoformat(timespec="seconds"),
            "uptime_hint": time.monotonic(), **(extra or {})}, indent=1, ensure_ascii=False),
        "config.toml": _toml(masked_config(cfg)),
        "devices.json": json.dumps(devices if devices is not None
                                   else {"note": "collected outside the running kiosk"},
                                   indent=1, ensure_ascii=False, default=str),
        "outbox.json": json.dumps(outbox, indent=1, ensure_ascii=False, default=str),
        "print-journal.json": json.dumps(journal_summary(cfg), indent=1, ensure_ascii=False),
    }
    logs_in = []
    for path in _log_files(cfg):
        try:
            files[f"logs/{path.name}"] = _read_tail(path)
            logs_in.append(path.name)
        except OSError:
            continue
    files["manifest.json"] = json.dumps({
        "files": sorted(files) + ["manifest.json"],
        "cleaning": "every file passed through the log redaction (ID numbers, dates, the "
                    "session's names) and a phone/e-mail mask; secrets in config.toml masked",
        "logs": logs_in}, indent=1)
    tmp = target.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, scrub(text) if name != "manifest.json" else text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target
