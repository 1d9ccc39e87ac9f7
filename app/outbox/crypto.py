"""Encryption at rest: AES-256-GCM per payload, keys in a 0600 file outside the database.

The key file is JSON: {"version": 1, "active": KEY_ID, "keys": {KEY_ID: base64(32 bytes)}}.
Each row stores the id of the key that sealed it, so `rotate` can add a key, re-seal the rows
and only then drop the old key (a crash in between leaves both keys, never an unreadable row).
The associated data binds a ciphertext to its row (dossier code, idempotency key, procedure,
key id): a ciphertext copied onto another row fails to open instead of leaking into it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.outbox.errors import OutboxKeyError


def aad_for(dossier_code: str, idempotency_key: str, procedure_id: str, key_id: str) -> bytes:
    return "\x1f".join(("outbox-v1", dossier_code, idempotency_key, procedure_id, key_id)).encode()


def _new_key_id() -> str:
    return "k" + secrets.token_hex(4)


@dataclass
class KeyRing:
    path: Path
    active: str
    keys: dict[str, bytes] = field(default_factory=dict)

    # -- file ----------------------------------------------------------------------------------
    @classmethod
    def load_or_create(cls, path: Path) -> "KeyRing":
        path = Path(path)
        if not path.exists():
            ring = cls(path, _new_key_id())
            ring.keys[ring.active] = AESGCM.generate_key(bit_length=256)
            ring.save()
            return ring
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> "KeyRing":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            keys = {k: base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
            active = data["active"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OutboxKeyError("key_unreadable", f"{path}: {type(exc).__name__}") from None
        if active not in keys or any(len(k) != 32 for k in keys.values()):
            raise OutboxKeyError("key_unreadable", f"{path}: malformed key set")
        mode = os.stat(path).st_mode & 0o777
        if mode & 0o077:
            # Tighten rather than refuse: a kiosk that cannot start loses more than it protects.
            os.chmod(path, 0o600)
        return cls(Path(path), active, keys)

    def save(self) -> None:
        """Atomic write (tmp + fsync + rename + dir fsync), created 0600 from the start."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "active": self.active,
                "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(data, indent=1).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        dfd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    # -- sealing -------------------------------------------------------------------------------
    def seal(self, plaintext: bytes, dossier_code: str, idem: str, procedure_id: str
             ) -> tuple[str, bytes, bytes]:
        nonce = secrets.token_bytes(12)
        aad = aad_for(dossier_code, idem, procedure_id, self.active)
        return self.active, nonce, AESGCM(self.keys[self.active]).encrypt(nonce, plaintext, aad)

    def open(self, key_id: str, nonce: bytes, ciphertext: bytes, dossier_code: str, idem: str,
             procedure_id: str) -> bytes:
        key = self.keys.get(key_id)
        if key is None:
            raise OutboxKeyError("key_missing", f"key id {key_id} is not in the key file")
        try:
            return AESGCM(key).decrypt(nonce, ciphertext,
                                       aad_for(dossier_code, idem, procedure_id, key_id))
        except InvalidTag:
            raise OutboxKeyError("payload_tampered",
                                 f"dossier {dossier_code}: payload does not authenticate") from None

    def add_key(self) -> str:
        kid = _new_key_id()
        while kid in self.keys:
            kid = _new_key_id()
        self.keys[kid] = AESGCM.generate_key(bit_length=256)
        self.active = kid
        return kid
