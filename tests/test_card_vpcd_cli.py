"""`kiosk card emulate`: arguments, the one line printed, exit codes (against a fake vpcd)."""

from __future__ import annotations

import threading

import pytest

from app.cli import card_emulate, main
from tests.test_card_vpcd_bridge import ATR, FakeVpcd, TinyCard


@pytest.fixture
def vpcd():
    fake = FakeVpcd()
    yield fake
    fake.close()


def test_serves_until_the_card_leaves(vpcd: FakeVpcd, monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setattr(card_emulate, "load_card", lambda profile, faults: TinyCard())
    result: dict[str, int] = {}
    runner = threading.Thread(target=lambda: result.setdefault("rc", main(
        ["card", "emulate", "--vpcd", f"127.0.0.1:{vpcd.port}", "--profile", str(tmp_path / "p.json")])))
    runner.start()
    vpcd.accept()
    vpcd.send(b"\x04")
    assert vpcd.recv() == ATR
    vpcd.send(bytes.fromhex("00EE000000"))  # TinyCard leaves on this one
    runner.join(5)
    assert result["rc"] == 0
    out = capsys.readouterr().out
    assert f"card inserted into vpcd at 127.0.0.1:{vpcd.port}" in out
    assert "card removed" in out


def test_missing_profile_fails_with_one_line(capsys, tmp_path) -> None:
    rc = main(["card", "emulate", "--profile", str(tmp_path / "nope.json"), "--attempts", "1"])
    assert rc == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot load the card profile" in err[0]


def test_bad_endpoint_and_unknown_fault(capsys, tmp_path, monkeypatch) -> None:
    assert main(["card", "emulate", "--vpcd", "host:port", "--profile", "x.json"]) == 1
    assert "HOST:PORT" in capsys.readouterr().err
    rc = main(["card", "emulate", "--profile", str(tmp_path / "x.json"), "--fault", "bogus"])
    assert rc == 1
    assert "unknown fault 'bogus'" in capsys.readouterr().err


def test_vpcd_not_listening_fails_with_one_line(monkeypatch, capsys) -> None:
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    monkeypatch.setattr(card_emulate, "load_card", lambda profile, faults: TinyCard())
    rc = main(["card", "emulate", "--vpcd", f"127.0.0.1:{port}", "--profile", "x.json",
               "--attempts", "2"])
    assert rc == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "vpcd not listening" in err[0]


def test_fault_specs_become_a_fault_plan() -> None:
    plan = card_emulate.parse_faults(["remove_at_apdu=12", "refuse-extended-length", "latency=0.005"])
    assert plan.remove_at_apdu == 12 and plan.refuse_extended_length and plan.latency == 0.005
    with pytest.raises(ValueError):
        card_emulate.parse_faults(["remove_at_apdu"])
