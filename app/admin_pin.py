"""The admin PIN: hashed with scrypt, checked with a lockout after repeated failures. No Qt.

    line = hash_pin("482913")                 # 'scrypt$16384$8$1$<salt hex>$<hash hex>'
    guard = PinGuard.from_config(cfg)
    guard.check("482913")                      # True, or raises one of the errors below

The lockout (failures in a row, locked-until time) lives in DATA_DIR/admin-lockout.json, so a
restart does not give an attacker fresh attempts. Simulator mode with no hash configured accepts
000000 (config.py documents it); a production kiosk with no hash refuses admin access.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Callable

from app.errors import KioskError

log = logging.getLogger(__name__)

SIMULATOR_PIN = "000000"
MIN_LENGTH, MAX_LENGTH = 4, 12
_N, _R, _P = 2 ** 14, 8, 1
LOCKOUT_FILE = "admin-lockout.json"


class AdminPinError(KioskError):
    code = "admin_pin"


class PinNotConfiguredError(AdminPinError):
    code = "admin_pin_not_configured"

    def __init__(self) -> None:
        super().__init__(
            "Chưa đặt mã PIN quản trị cho máy này. Kỹ thuật viên cần chạy `kiosk admin set-pin`.",
            "No admin PIN is set on this kiosk. A technician must run `kiosk admin set-pin`.")


class WrongPinError(AdminPinError):
    code = "admin_pin_wrong"

    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"Mã PIN không đúng. Còn {attempts_left} lần thử.",
                         f"Wrong PIN. {attempts_left} attempt(s) left.")
        self.attempts_left = attempts_left


class PinLockedError(AdminPinError):
    code = "admin_pin_locked"

    def __init__(self, seconds_left: float) -> None:
        minutes = max(1, int(seconds_left + 59) // 60)
        super().__init__(f"Nhập sai quá nhiều lần. Thử lại sau {minutes} phút.",
                         f"Too many wrong PINs. Try again in {minutes} minute(s).")
        self.seconds_left = seconds_left


class BadPinFormatError(AdminPinError):
    code = "admin_pin_format"

    def __init__(self) -> None:
        super().__init__(f"Mã PIN phải gồm {MIN_LENGTH} đến {MAX_LENGTH} chữ số.",
                         f"The PIN must be {MIN_LENGTH} to {MAX_LENGTH} digits.")


class BadPinHashError(AdminPinError):
    code = "admin_pin_hash"

    def __init__(self) -> None:
        super().__init__("Giá trị admin.pin_hash trong cấu hình không hợp lệ.",
                         "admin.pin_hash in the configuration is not a valid PIN hash.")


def check_format(pin: str) -> str:
    pin = pin.strip()
    if not (MIN_LENGTH <= len(pin) <= MAX_LENGTH and pin.isascii() and pin.isdigit()):
        raise BadPinFormatError()
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    pin = check_format(pin)
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            raise ValueError(kind)
        n_, r_, p_ = int(n), int(r), int(p)
        salt_b, digest_b = bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        raise BadPinHashError() from None
    got = hashlib.scrypt(pin.strip().encode(), salt=salt_b, n=n_, r=r_, p=p_,
                         maxmem=256 * 1024 * 1024, dklen=len(digest_b))
    return hmac.compare_digest(got, digest_b)


class PinGuard:
    """Checks PINs against the configured hash, with a persisted lockout."""

    def __init__(self, pin_hash: str, state_file: Path, *, simulate: bool = False,
                 max_attempts: int = 5, lockout_seconds: float = 300,
                 clock: Callable[[], float] = time.time) -> None:
        self.pin_hash = pin_hash.strip()
        self.state_file = Path(state_file)
        self.simulate = simulate
        self.max_attempts = max_attempts
        self.lockout_seconds = lockout_seconds
        self.clock = clock
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, cfg, **kw) -> "PinGuard":
        return cls(cfg["admin.pin_hash"], cfg.data_dir / LOCKOUT_FILE, simulate=cfg.simulate,
                   max_attempts=cfg["admin.max_attempts"],
                   lockout_seconds=cfg["admin.lockout_seconds"], **kw)

    @property
    def configured(self) -> bool:
        return bool(self.pin_hash) or self.simulate

    def _state(self) -> dict:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            return {"failures": int(data.get("failures", 0)),
                    "locked_until": float(data.get("locked_until", 0))}
        except FileNotFoundError:
            return {"failures": 0, "locked_until": 0.0}
        except (ValueError, TypeError, AttributeError, OSError):
            # An unreadable state file must not unlock: treat it as a fresh lockout.
            log.warning("admin lockout state unreadable; locking")
            return {"failures": self.max_attempts,
                    "locked_until": self.clock() + self.lockout_seconds}

    def _save(self, state: dict) -> None:
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.state_file)

    def seconds_locked(self) -> float:
        """How long the entry stays locked (0: not locked)."""
        with self._lock:
            return max(0.0, self._state()["locked_until"] - self.clock())

    def check(self, pin: str) -> bool:
        """True for the right PIN; raises PinNotConfiguredError, PinLockedError, WrongPinError."""
        if not self.configured:
            raise PinNotConfiguredError()
        with self._lock:
            state = self._state()
            now = self.clock()
            if state["locked_until"] > now:
                raise PinLockedError(state["locked_until"] - now)
            if state["locked_until"]:  # a lockout ran out: a fresh series of attempts
                state = {"failures": 0, "locked_until": 0.0}
            ok = (verify_pin(pin, self.pin_hash) if self.pin_hash
                  else hmac.compare_digest(pin.strip().encode(), SIMULATOR_PIN.encode()))
            if ok:
                if state["failures"] or state["locked_until"]:
                    self._save({"failures": 0, "locked_until": 0.0})
                log.info("admin PIN accepted")
                return True
            state["failures"] += 1
            if state["failures"] >= self.max_attempts:
                state["locked_until"] = now + self.lockout_seconds
                self._save(state)
                log.warning("admin PIN: %d wrong in a row, locked for %ds", state["failures"],
                            self.lockout_seconds)
                raise PinLockedError(self.lockout_seconds)
            self._save(state)
            log.info("admin PIN refused (%d wrong in a row)", state["failures"])
            raise WrongPinError(self.max_attempts - state["failures"])
