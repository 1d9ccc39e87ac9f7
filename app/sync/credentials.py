"""This kiosk's signing secret: 32 random bytes, stored as hex in a 0600 file.

The same file is given to the endpoint's operator (`kiosk endpoint add-kiosk --secret-file`)
over a trusted channel when the kiosk is enrolled.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from app.errors import KioskError


class CredentialsError(KioskError):
    code = "sync.credentials"

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"Tệp khóa ký của ki-ốt {path} không dùng được ({detail}).",
                         f"the kiosk's signing secret {path} cannot be used ({detail})")
        self.reason = "bad_secret"


def load_or_create_secret(path: Path) -> bytes:
    path = Path(path)
    if path.exists():
        try:
            secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (ValueError, UnicodeDecodeError):
            raise CredentialsError(path, "not hex") from None
        if len(secret) < 16:
            raise CredentialsError(path, "shorter than 16 bytes")
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, secret.hex().encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return secret
