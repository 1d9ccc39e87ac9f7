"""The PyInstaller bundle (kiosk.spec) builds and starts in simulator mode, offscreen, up to the
attract screen.

The build is reused between runs: it goes to dist/kiosk with PyInstaller's work folder in
build/pyinstaller (its analysis cache), and a stamp of the inputs (the sources, assets, spec and
pyproject) says whether dist/kiosk is still fresh. A fresh clone builds once (about 1.5 minutes
on two cores, measured; ~490 MB); later runs only start it. A lock keeps two test processes
from building at the same time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
EXE = DIST / "kiosk" / ("kiosk.exe" if sys.platform == "win32" else "kiosk")
STAMP = DIST / "kiosk" / ".inputs-sha256"
INPUTS = ("app", "drivers", "endpoint", "assets", "scripts/kiosk_entry.py", "kiosk.spec",
          "pyproject.toml")


def inputs_digest() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        p = ROOT / name
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if "__pycache__" in f.parts or f.suffix in (".pyc", ".qm~"):
                continue
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def bundle() -> Path:
    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / "bundle.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = inputs_digest()
        if not (EXE.exists() and STAMP.exists() and STAMP.read_text() == digest):
            pyinstaller = Path(sys.executable).with_name("pyinstaller")
            proc = subprocess.run(
                [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--workpath",
                 str(ROOT / "build" / "pyinstaller"), "--distpath", str(DIST), "kiosk.spec"],
                cwd=ROOT, capture_output=True, text=True, timeout=1500)
            assert proc.returncode == 0, proc.stderr[-3000:]
            STAMP.write_text(digest)
    return EXE


def run_bundle(exe: Path, tmp_path: Path, *args: str, quit_after_ms: int = 4000):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", KIOSK_QUIT_AFTER_MS=str(quit_after_ms),
               HOME=str(tmp_path))
    return subprocess.run([str(exe), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.timeout(1800)
def test_bundle_starts_in_simulator_mode_on_the_attract_screen(bundle, tmp_path):
    proc = run_bundle(bundle, tmp_path, "--simulate", "--set", f"kiosk.data_dir={tmp_path}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "kiosk self-test: screen=attract window=True" in proc.stdout
    assert "Traceback" not in proc.stderr
    # every simulated device started inside the bundle (their data files are in it)
    assert "unavailable" not in proc.stderr, proc.stderr
    assert "kiosk ready (simulator)" in proc.stderr


@pytest.mark.timeout(1800)
def test_bundle_cli_works(bundle, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    out = subprocess.run([str(bundle), "--version"], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("kiosk ")
    proc = subprocess.run([str(bundle), "admin", "set-pin"], input="2468\n2468\n",
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert 'pin_hash = "scrypt$' in proc.stdout
