"""`kiosk printer ...` and `kiosk scanner ...` as real subprocesses against the simulators."""

from __future__ import annotations

import json

import zxingcpp
from PIL import Image

from tests.fixtures.serial_pty import read_line, wait_until

CCCD = "001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|10042021"


def test_printer_test_and_status_against_printer_simulator(kiosk_cli, tmp_path):
    out = tmp_path / "printed"
    sim = kiosk_cli("printer", "simulate", "--out", str(out))
    port = read_line(sim.stdout)
    assert port.startswith("/dev/pts/")

    status = kiosk_cli.run("printer", "status", "--port", port, "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["ok"] is True

    test = kiosk_cli.run("printer", "test", "--port", port, "--width-dots", "576")
    assert test.returncode == 0, test.stderr
    assert "printed" in test.stdout

    saved = read_line(sim.stdout)
    assert saved.startswith("receipt ")
    image = Image.open(saved.split(" ", 1)[1])
    assert image.width == 576
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        "https://dichvucong.gov.vn/tra-cuu?ma=TEST-0001"]


def test_printer_status_reports_paper_out_with_exit_1(kiosk_cli, tmp_path):
    sim = kiosk_cli("printer", "simulate", "--out", str(tmp_path), "--status",
                    "paper_out,cover_open")
    port = read_line(sim.stdout)
    status = kiosk_cli.run("printer", "status", "--port", port, "--json")
    assert status.returncode == 1
    data = json.loads(status.stdout)
    assert data["problems"] == ["paper_out", "cover_open"] and data["ok"] is False
    assert status.stderr.strip().count("\n") == 0 and "paper_out" in status.stderr

    test = kiosk_cli.run("printer", "test", "--port", port)
    assert test.returncode == 1
    assert "paper_out" in test.stderr
    assert not any(tmp_path.glob("*.png"))


def test_printer_missing_port_fails_with_one_line(kiosk_cli):
    result = kiosk_cli.run("printer", "status", "--port", "/dev/does-not-exist")
    assert result.returncode == 1
    assert result.stderr.startswith("kiosk: ") and result.stderr.count("\n") == 1
    assert "device_unavailable" in result.stderr


def test_scanner_listen_prints_parsed_json(kiosk_cli, virtual_scanner):
    listen = kiosk_cli("scanner", "listen", "--port", virtual_scanner.port, "--json",
                       "--count", "2", "--timeout", "20")
    assert read_line(listen.stderr).startswith("listening on ")
    virtual_scanner.scan(CCCD, aim="]Q1")
    virtual_scanner.scan("https://example.vn/not-a-card")
    first = json.loads(read_line(listen.stdout))
    second = json.loads(read_line(listen.stdout))
    assert listen.wait(10) == 0
    assert first["ok"] is True and first["aim_id"] == "]Q1"
    assert first["fields"]["id_number"] == "001090012345"
    assert first["fields"]["full_name"] == "Nguyễn Văn An"
    assert first["fields"]["birth_date"] == "1990-01-15"
    assert second["ok"] is False and second["error"]
    assert second["text"] == "https://example.vn/not-a-card"


def test_scanner_listen_times_out_with_exit_1(kiosk_cli, virtual_scanner):
    result = kiosk_cli.run("scanner", "listen", "--port", virtual_scanner.port, "--json",
                           "--count", "1", "--timeout", "0.5")
    assert result.returncode == 1
    assert "timeout: 0 of 1" in result.stderr
    assert result.stdout == ""


def test_scanner_listen_follows_replug(kiosk_cli, virtual_scanner):
    listen = kiosk_cli("scanner", "listen", "--port", virtual_scanner.port, "--json",
                       "--count", "1", "--timeout", "20")
    assert read_line(listen.stderr).startswith("listening on ")
    virtual_scanner.unplug()
    assert "waiting for it" in read_line(listen.stderr)
    virtual_scanner.plug()
    assert read_line(listen.stderr).startswith("listening on ")
    virtual_scanner.scan(CCCD)
    assert json.loads(read_line(listen.stdout))["ok"] is True
    assert listen.wait(10) == 0


def test_scanner_simulate_feeds_scanner_listen(kiosk_cli):
    sim = kiosk_cli("scanner", "simulate", "--payload", CCCD, "--interval", "0.3",
                    "--line-ending", "cr")
    port = read_line(sim.stdout)
    result = kiosk_cli.run("scanner", "listen", "--port", port, "--json", "--count", "1",
                           "--timeout", "15")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fields"]["full_name"] == "Nguyễn Văn An"
    sim.terminate()
    assert wait_until(lambda: sim.poll() is not None)
    assert sim.returncode == 0
