"""The deployment files in packaging/ hang together: the production example configuration is
valid and in kiosk mode, the systemd unit runs the bundle as the kiosk user with write access
to exactly the configured data folder, the session script is valid shell."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app import config

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"


def unit() -> configparser.ConfigParser:
    p = configparser.ConfigParser(strict=False, interpolation=None)
    p.optionxform = str
    p.read(PKG / "systemd" / "vn-kiosk.service")
    return p


def test_example_configuration_is_valid_and_locked_down():
    cfg = config.load(PKG / "kiosk.toml.example")
    assert cfg["kiosk.fullscreen"] is True and cfg["kiosk.operator_panel"] is False
    assert cfg["card.driver"] == "pcsc" and cfg["sync.endpoint_url"].startswith("https://")
    assert cfg["kiosk.data_dir"] == "/var/lib/vn-kiosk"


def test_unit_runs_the_bundle_confined():
    u = unit()["Service"]
    assert u["User"] == "kiosk" and "dialout" in u["SupplementaryGroups"]
    assert "/opt/vn-kiosk/kiosk" in u["ExecStart"] and " -s " not in u["ExecStart"]
    assert u["ReadWritePaths"] == config.load(PKG / "kiosk.toml.example")["kiosk.data_dir"]
    assert u["ProtectSystem"] == "strict" and u["NoNewPrivileges"] == "yes"
    assert u["Restart"] == "always"
    # configparser keeps only the last of the unit's several Environment= lines: read the file
    assert "Environment=KIOSK_CONFIG=/etc/vn-kiosk/kiosk.toml" in \
        (PKG / "systemd" / "vn-kiosk.service").read_text().splitlines()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_unit_verifies():
    proc = subprocess.run(["systemd-analyze", "verify", str(PKG / "systemd" / "vn-kiosk.service")],
                          capture_output=True, text=True, timeout=60)
    # cage is not installed on a build machine; anything else is a fault in the unit
    problems = [ln for ln in (proc.stdout + proc.stderr).splitlines()
                if ln.strip() and "cage" not in ln]
    assert problems == []


def test_session_script_and_rules():
    script = PKG / "x11" / "vn-kiosk-session.sh"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0
    for line in (PKG / "udev" / "70-vn-kiosk-serial.rules").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.match(r'^SUBSYSTEM=="[a-z0-9]+", ', line), line
            assert 'MODE="0660"' in line
    assert "/var/lib/vn-kiosk/logs/*.log" in (PKG / "logrotate" / "vn-kiosk").read_text()
