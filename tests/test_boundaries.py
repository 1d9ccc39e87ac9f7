"""The rooms of the code base, checked: drivers never import the app, domain code never
imports Qt, the endpoint stands alone (contracts in pyproject.toml, [tool.importlinter])."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" not in proc.stdout.lower().replace("0 broken", "")


def test_every_command_group_has_help():
    from app.cli import GROUPS

    for group in GROUPS:
        proc = subprocess.run([sys.executable, "-m", "app", group, "--help"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, (group, proc.stderr)
        assert f"kiosk {group}" in proc.stdout
