"""Starting the GUI: no display gives instructions instead of a Qt stack trace; a bad
configuration gives one line naming the key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_kiosk(*args, env_drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"), **extra):
    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_no_display_says_how_to_run(tmp_path):
    proc = run_kiosk("--simulate", "--set", f"kiosk.data_dir={tmp_path}")
    assert proc.returncode == 1
    assert "xvfb-run" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_config_is_one_clear_line(tmp_path):
    cfg = tmp_path / "k.toml"
    cfg.write_text('[camera]\nfps = "fast"\n')
    proc = run_kiosk("--config", str(cfg), QT_QPA_PLATFORM="offscreen")
    assert proc.returncode == 1
    assert proc.stderr.strip() == \
        'kiosk: configuration: camera.fps must be a whole number not below 1 (got "fast")'


def test_make_run_without_display_explains(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(["bash", "scripts/run-kiosk.sh"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "xvfb-run -a make run" in proc.stderr
