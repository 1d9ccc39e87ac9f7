"""The admin PIN: scrypt hash, lockout persisted across restarts, the simulator's default, the
production refusal without a hash, `kiosk admin set-pin`, and the PIN dialog through its keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from app import config
from app.admin_pin import (BadPinFormatError, PinGuard, PinLockedError, PinNotConfiguredError,
                           WrongPinError, hash_pin, verify_pin)

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_hash_is_scrypt_salted_and_verifies():
    a, b = hash_pin("482913"), hash_pin("482913")
    assert a.startswith("scrypt$") and a != b  # a fresh salt each time
    assert verify_pin("482913", a) and not verify_pin("482914", a)
    assert "482913" not in a
    with pytest.raises(BadPinFormatError):
        hash_pin("12a4")
    with pytest.raises(BadPinFormatError):
        hash_pin("123")


def test_lockout_after_repeated_failures_survives_a_restart(tmp_path):
    clock = Clock()
    stored = hash_pin("482913")
    state = tmp_path / "admin-lockout.json"
    guard = PinGuard(stored, state, max_attempts=3, lockout_seconds=300, clock=clock)
    for left in (2, 1):
        with pytest.raises(WrongPinError) as exc:
            guard.check("000000")
        assert exc.value.attempts_left == left
    with pytest.raises(PinLockedError):
        guard.check("000000")
    # a restart (a new guard on the same DATA_DIR) is still locked, even for the right PIN
    again = PinGuard(stored, state, max_attempts=3, lockout_seconds=300, clock=clock)
    with pytest.raises(PinLockedError) as exc:
        again.check("482913")
    assert 0 < exc.value.seconds_left <= 300
    assert "phút" in exc.value.vi and "minute" in exc.value.en
    clock.now += 301
    assert again.check("482913") is True
    assert again.seconds_locked() == 0


def test_unreadable_lockout_state_locks(tmp_path):
    state = tmp_path / "admin-lockout.json"
    state.write_text("{not json")
    guard = PinGuard(hash_pin("482913"), state, clock=Clock())
    with pytest.raises(PinLockedError):
        guard.check("482913")


def test_simulator_accepts_000000_without_a_hash_and_production_refuses(tmp_path):
    sim = PinGuard("", tmp_path / "s.json", simulate=True)
    assert sim.check("000000")
    with pytest.raises(WrongPinError):
        sim.check("123456")
    prod = PinGuard("", tmp_path / "p.json", simulate=False)
    assert not prod.configured
    with pytest.raises(PinNotConfiguredError) as exc:
        prod.check("000000")
    assert "set-pin" in exc.value.en and "set-pin" in exc.value.vi


def test_guard_reads_the_configuration(tmp_path):
    cfg = config.load(None, overrides=[f"kiosk.data_dir={tmp_path}",
                                       f"admin.pin_hash={hash_pin('7777')}",
                                       "admin.max_attempts=2", "admin.lockout_seconds=60"])
    guard = PinGuard.from_config(cfg)
    assert guard.max_attempts == 2 and guard.lockout_seconds == 60
    assert guard.state_file.parent == tmp_path
    assert guard.check("7777")


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_set_pin_prints_the_line_then_writes_the_config(tmp_path):
    proc = run_cli("admin", "set-pin", stdin="482913\n482913\n")
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip().splitlines()[-1]
    assert line.startswith('pin_hash = "scrypt$')
    assert verify_pin("482913", line.split('"')[1])

    cfg_file = tmp_path / "kiosk.toml"
    cfg_file.write_text('[kiosk]\nid = "k-1"\n\n[admin]\npin_hash = "old"\nmax_attempts = 4\n')
    proc = run_cli("--config", str(cfg_file), "admin", "set-pin", stdin="2468\n2468\n")
    assert proc.returncode == 0, proc.stderr
    cfg = config.load(cfg_file)
    assert cfg["admin.max_attempts"] == 4 and cfg["kiosk.id"] == "k-1"
    assert verify_pin("2468", cfg["admin.pin_hash"])

    proc = run_cli("admin", "set-pin", stdin="2468\n2469\n")
    assert proc.returncode == 1 and "differ" in proc.stderr
    proc = run_cli("admin", "set-pin", stdin="12\n12\n")
    assert proc.returncode == 1 and "4 to 12 digits" in proc.stderr


def test_unlock_clears_the_lockout(tmp_path):
    state = tmp_path / "admin-lockout.json"
    state.write_text('{"failures": 5, "locked_until": 9999999999}')
    proc = run_cli("--set", f"kiosk.data_dir={tmp_path}", "admin", "unlock")
    assert proc.returncode == 0, proc.stderr
    assert not state.exists()


# -- the dialog, through its keys -----------------------------------------------------------------
def press_digits(dialog, digits: str) -> None:
    for d in digits:
        QTest.mouseClick(dialog.findChild(object, f"pinKey{d}"), Qt.LeftButton)


def test_ask_admin_pin_through_the_keypad(qtbot, tmp_path):
    from app.ui import admin_pin_dialog
    from app.ui.admin_pin_dialog import PinDialog, ask_admin_pin

    guard = PinGuard(hash_pin("4829"), tmp_path / "l.json", max_attempts=3)
    admin_pin_dialog.set_guard(guard)
    seen = {}

    def drive(digits: str, expect_message: bool = False) -> None:
        dialog = next(w for w in qtbot_widgets() if isinstance(w, PinDialog) and w.isVisible())
        if expect_message:
            seen["dialog"] = dialog
        press_digits(dialog, digits)
        assert dialog.edit.text() == "*" * 0 + digits  # the field holds digits, shown masked
        assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password
        QTest.mouseClick(dialog.ok, Qt.LeftButton)

    def qtbot_widgets():
        from PySide6.QtWidgets import QApplication

        return QApplication.topLevelWidgets()

    QTimer.singleShot(50, lambda: drive("4829"))
    assert ask_admin_pin(None) is True

    # a wrong PIN: the message says how many attempts are left, then Cancel gives False
    def wrong_then_cancel() -> None:
        drive("1111", expect_message=True)
        dialog = seen["dialog"]
        qtbot.waitUntil(lambda: "attempt" in dialog.message.text() or
                        "lần thử" in dialog.message.text())
        QTest.mouseClick(dialog.cancel, Qt.LeftButton)

    QTimer.singleShot(50, wrong_then_cancel)
    assert ask_admin_pin(None) is False
    admin_pin_dialog.set_guard(None)


def test_dialog_refuses_when_locked_or_not_configured(qtbot, tmp_path):
    from app.ui.admin_pin_dialog import PinDialog

    guard = PinGuard(hash_pin("4829"), tmp_path / "l.json", max_attempts=2, lockout_seconds=600)
    dialog = PinDialog(guard)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(2):
        press_digits(dialog, "1234")
        QTest.mouseClick(dialog.ok, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.message.text() != "" and not dialog._checking)
    assert not dialog.ok.isEnabled() and not dialog.edit.isEnabled()
    assert "10" in dialog.message.text()  # minutes left
    # a new dialog (after a restart too) opens locked
    again = PinDialog(PinGuard(hash_pin("4829"), tmp_path / "l.json"))
    qtbot.addWidget(again)
    assert not again.ok.isEnabled() and again.message.text()

    prod = PinDialog(PinGuard("", tmp_path / "p.json", simulate=False))
    qtbot.addWidget(prod)
    assert not prod.ok.isEnabled()
    assert "set-pin" in prod.message.text()


def test_dialog_gives_up_by_itself(qtbot, tmp_path, monkeypatch):
    from app.ui.admin_pin_dialog import PinDialog

    monkeypatch.setattr(PinDialog, "TIMEOUT_MS", 50)
    dialog = PinDialog(PinGuard("", tmp_path / "s.json", simulate=True))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rejected, timeout=3000):
        dialog.open()


def test_cli_diagnostics_bundle(tmp_path):
    import zipfile

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "kiosk.log").write_text(
        "2026-11-23 13:08:40,123 INFO x: started; stray 001090012345 0912345678\n")
    proc = run_cli("--set", f"kiosk.data_dir={tmp_path}", "--set",
                   f"admin.pin_hash={hash_pin('2468')}", "admin", "diagnostics",
                   "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.strip())
    assert path.parent == tmp_path / "out" and path.suffix == ".zip"
    with zipfile.ZipFile(path) as zf:
        log = zf.read("logs/kiosk.log").decode()
        cfg = zf.read("config.toml").decode()
        assert "no outbox file yet" in zf.read("outbox.json").decode()
    assert log.startswith("2026-11-23 13:08:40,123 INFO")  # when things happened: kept
    assert "001090012345" not in log and "0912345678" not in log
    assert "scrypt$" not in cfg and 'pin_hash = "[set, masked]"' in cfg
