"""Disk full while enqueuing, and corrupt files: typed errors, nothing half-written, file kept."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.outbox import Outbox, OutboxCorruptError, OutboxDiskFullError

ROOT = Path(__file__).resolve().parents[1]


def _fill_until_full(ob: Outbox, size: int) -> list[str]:
    acked = []
    for i in range(10_000):
        try:
            acked.append(ob.submit("a.b", {"i": i, "blob": os.urandom(size).hex()}).dossier_code)
        except OutboxDiskFullError as exc:
            assert exc.reason == "disk_full" and "NOT saved" in exc.en and "đĩa" in exc.vi
            return acked
    raise AssertionError("never filled up")


def _check_after_full(ob: Outbox, acked: list[str]) -> None:
    codes = {r[0] for r in ob.db.execute("SELECT dossier_code FROM outbox")}
    assert codes == set(acked)                       # nothing half-written, nothing lost
    assert ob.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    seen = []
    for r in ob.db.execute("SELECT dossier_code, idempotency_key, procedure_id, key_id, nonce, "
                           "payload FROM outbox"):
        seen.append(json.loads(ob.ring.open(r[3], r[4], r[5], r[0], r[1], r[2]))["i"])
    assert sorted(seen) == list(range(len(acked)))


def test_disk_full_via_page_limit(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    ob.submit("a.b", {"warm": 1})
    pages = ob.db.execute("PRAGMA page_count").fetchone()[0]
    ob.db.execute(f"PRAGMA max_page_count={pages + 40}")
    acked = ["warm"] + _fill_until_full(ob, 3000)
    acked.remove("warm")
    codes = {r[0] for r in ob.db.execute("SELECT dossier_code FROM outbox")}
    assert set(acked) < codes and len(codes) == len(acked) + 1
    assert ob.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a group submission that does not fit is refused as a whole
    with pytest.raises(OutboxDiskFullError):
        ob.submit_many([("a.b", {"blob": os.urandom(3000).hex()}, None, 0)] * 20)
    assert len({r[0] for r in ob.db.execute("SELECT dossier_code FROM outbox")}) == len(codes)
    ob.db.execute("PRAGMA max_page_count=1000000")   # space freed: works again
    ob.submit("a.b", {"after": True})
    ob.close()


@pytest.fixture
def small_tmpfs(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the page-limit test covers disk full)")
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                         capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + res.stderr.decode().strip())
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_on_a_real_small_filesystem(small_tmpfs, tmp_path):
    ob = Outbox.open(small_tmpfs / "o.db", tmp_path / "k")
    (small_tmpfs / "ballast").write_bytes(b"\0" * 300_000)  # what staff will free later
    acked = _fill_until_full(ob, 4000)
    assert len(acked) > 10
    ob.close()
    # a restart on the still-full disk: every acknowledged row is there
    ob = Outbox.open(small_tmpfs / "o.db", tmp_path / "k")
    assert ob.counts()["queued"] == len(acked)
    _check_after_full(ob, acked)
    # space freed: the queue takes submissions and moves again
    (small_tmpfs / "ballast").unlink()
    ob.submit("a.b", {"after": True})
    assert len(ob.claim(3)) == 3
    ob.close()


def _make_outbox(tmp_path, n=50) -> Path:
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    for i in range(n):
        ob.submit("a.b", {"i": i, "pad": "x" * 500})
    ob.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ob.close()
    return tmp_path / "o.db"


def _corrupt_variants():
    def garbage(p: Path):
        p.write_bytes(os.urandom(8192))

    def pages(p: Path):
        data = bytearray(p.read_bytes())
        for off in range(4096, len(data) - 4096, 4096):
            data[off + 8:off + 1000] = os.urandom(992)
        p.write_bytes(bytes(data))

    def truncated(p: Path):
        data = p.read_bytes()
        p.write_bytes(data[:len(data) // 3])

    def header(p: Path):
        data = bytearray(p.read_bytes())
        data[16:24] = b"\xff" * 8   # page size and versions nonsense
        p.write_bytes(bytes(data))

    return [garbage, pages, truncated, header]


@pytest.mark.parametrize("damage", _corrupt_variants(), ids=lambda f: f.__name__)
def test_corrupt_file_detected_and_kept(tmp_path, damage):
    path = _make_outbox(tmp_path)
    damage(path)
    before = path.read_bytes()
    with pytest.raises(OutboxCorruptError) as err:
        Outbox.open(path, tmp_path / "k")
    exc = err.value
    assert exc.reason == "corrupt" and exc.path == path
    assert "kept" in exc.en and "quarantine" in exc.en and "giữ nguyên" in exc.vi
    assert path.read_bytes() == before               # not repaired, not replaced, not emptied


def _kiosk(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": ""}
    return subprocess.run([sys.executable, "-m", "app", "--set",
                           f"kiosk.data_dir={tmp_path}", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def test_cli_says_what_to_do_then_quarantine_moves_it_aside(tmp_path):
    ob = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key")
    ob.submit("a.b", {"i": 1})
    ob.close()
    refused = _kiosk(tmp_path, "outbox", "quarantine")
    assert refused.returncode == 1 and "not damaged" in refused.stderr
    (tmp_path / "outbox.sqlite3").write_bytes(b"this is not sqlite" * 100)
    res = _kiosk(tmp_path, "outbox", "status", "--json")
    assert res.returncode == 1
    assert "damaged" in res.stderr and "kiosk outbox quarantine" in res.stderr
    res = _kiosk(tmp_path, "outbox", "quarantine", "--json")
    assert res.returncode == 0, res.stderr
    moved = json.loads(res.stdout)["moved"]
    assert moved and Path(moved[0]).read_bytes() == b"this is not sqlite" * 100
    res = _kiosk(tmp_path, "outbox", "status", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["counts"]["queued"] == 0


def test_a_stray_wal_is_replayed_not_lost(tmp_path):
    """A kiosk killed after commit but before checkpoint: the WAL holds the rows."""
    path = tmp_path / "o.db"
    code = subprocess.run(
        [sys.executable, "-c",
         "import os,sys; from pathlib import Path; from app.outbox import Outbox;"
         f"ob=Outbox.open(Path({str(path)!r}), Path({str(tmp_path / 'k')!r}));"
         "print(ob.submit('a.b', {'i': 1}).dossier_code, flush=True); os._exit(0)"],
        capture_output=True, text=True, cwd=ROOT).stdout.strip()
    assert Path(str(path) + "-wal").stat().st_size > 0
    shutil.copy(path, tmp_path / "copy.db")
    shutil.copy(str(path) + "-wal", str(tmp_path / "copy.db") + "-wal")
    ob = Outbox.open(tmp_path / "copy.db", tmp_path / "k")
    assert ob.item(code).state == "queued"
    ob.close()
    assert sqlite3.connect(tmp_path / "copy.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
