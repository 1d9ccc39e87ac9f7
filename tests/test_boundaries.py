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


def worker_lambdas(source: str) -> list[int]:
    """Lines where a worker's signal (`...worker.<signal>.connect(lambda ...)`) goes to a
    lambda, which PySide runs on the worker's thread instead of the GUI thread."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect" and node.args
                and isinstance(node.args[0], (ast.Lambda, ast.FunctionDef))
                and isinstance(node.func.value, ast.Attribute)
                and "worker" in ast.unparse(node.func.value.value).lower()):
            found.append(node.lineno)
    return found


def test_worker_signals_are_not_connected_to_lambdas():
    assert worker_lambdas("w.camera_worker.code_read.connect(lambda raw, t: c.x(raw))") == [1]
    assert worker_lambdas("w.camera_worker.code_read.connect(c.on_camera_code)") == []
    assert worker_lambdas("c.stage_changed.connect(lambda s: None)") == []  # the GUI's own
    found = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / "app").rglob("*.py"))
             if (lines := worker_lambdas(p.read_text(encoding="utf-8")))}
    assert found == {}, f"connect these worker signals to QObject methods: {found}"
