"""Encryption at rest: AES-GCM payloads, the key outside the database, rotation, binding."""

from __future__ import annotations

import json
import os
import stat

import pytest

from app.outbox import Outbox, OutboxKeyError
from app.outbox.crypto import KeyRing

SECRET_NAME = "Nguyễn Thị Bí Mật"
SECRET_ID = "079123456789"


def _raw_bytes(tmp_path) -> bytes:
    out = b""
    for name in ("o.db", "o.db-wal"):
        p = tmp_path / name
        if p.exists():
            out += p.read_bytes()
    return out


def test_payload_is_not_on_disk_in_clear_and_key_is_0600(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "keys" / "outbox.key")
    ob.submit("birth.registration", {"mother": SECRET_NAME, "id": SECRET_ID})
    raw = _raw_bytes(tmp_path)
    assert SECRET_NAME.encode() not in raw and SECRET_ID.encode() not in raw
    assert b"birth.registration" in raw          # metadata stays readable
    key = tmp_path / "keys" / "outbox.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert key.read_bytes() not in raw
    [c] = ob.claim()
    assert c.payload == {"mother": SECRET_NAME, "id": SECRET_ID}
    ob.close()


def test_ciphertext_is_bound_to_its_row(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    a = ob.submit("a.b", {"who": "A"}).dossier_code
    b = ob.submit("a.b", {"who": "B"}).dossier_code
    # an attacker (or a bug) copies A's sealed payload onto B's row
    ob.db.execute("UPDATE outbox SET payload=(SELECT payload FROM outbox WHERE dossier_code=?), "
                  "nonce=(SELECT nonce FROM outbox WHERE dossier_code=?) WHERE dossier_code=?",
                  (a, a, b))
    claims = ob.claim(10)
    assert [c.dossier_code for c in claims] == [a]   # B does not open as A's data
    item = ob.item(b)
    assert item.state == "held" and item.last_error == "payload_tampered"
    ob.close()


def test_rotate_key_reseals_and_drops_the_old_key(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    codes = [ob.submit("a.b", {"n": i}).dossier_code for i in range(5)]
    old = KeyRing.load(tmp_path / "k")
    new_id = ob.rotate_key()
    ring = KeyRing.load(tmp_path / "k")
    assert ring.active == new_id and list(ring.keys) == [new_id] and new_id not in old.keys
    assert stat.S_IMODE(os.stat(tmp_path / "k").st_mode) == 0o600
    assert {r[0] for r in ob.db.execute("SELECT key_id FROM outbox")} == {new_id}
    ob.close()
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    assert sorted(c.payload["n"] for c in ob.claim(10)) == list(range(5))
    assert ob.item(codes[0]).state == "sending"
    ob.close()


def test_a_crash_mid_rotation_keeps_every_payload_readable(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    ob.submit("a.b", {"n": 1})
    ring = ob.ring
    ring.add_key()
    ring.save()          # the first step of rotate_key, then the process "dies"
    ob.close()
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    ob.submit("a.b", {"n": 2})         # sealed with the new key, the old row with the old
    assert sorted(c.payload["n"] for c in ob.claim(10)) == [1, 2]
    ob.close()


def test_missing_key_file_is_refused_not_replaced(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    ob.submit("a.b", {"n": 1})
    ob.close()
    os.rename(tmp_path / "k", tmp_path / "k.away")
    with pytest.raises(OutboxKeyError) as err:
        Outbox.open(tmp_path / "o.db", tmp_path / "k")
    assert err.value.reason == "key_missing" and "No new key" in err.value.en
    assert not (tmp_path / "k").exists()
    # another key file is no better
    KeyRing.load_or_create(tmp_path / "k")
    with pytest.raises(OutboxKeyError):
        Outbox.open(tmp_path / "o.db", tmp_path / "k")


def test_unreadable_key_file(tmp_path):
    (tmp_path / "k").write_text("{not json")
    with pytest.raises(OutboxKeyError) as err:
        Outbox.open(tmp_path / "o.db", tmp_path / "k")
    assert err.value.reason == "key_unreadable"
    (tmp_path / "k").write_text(json.dumps({"active": "x", "keys": {"x": "c2hvcnQ="}}))
    with pytest.raises(OutboxKeyError):
        Outbox.open(tmp_path / "o.db", tmp_path / "k")


def test_purge_removes_ciphertext_from_the_files(tmp_path):
    from datetime import datetime, timedelta, timezone

    ob = Outbox.open(tmp_path / "o.db", tmp_path / "k")
    ob.submit("a.b", {"n": "x" * 2000})
    [c] = ob.claim()
    sealed = ob.db.execute("SELECT payload FROM outbox").fetchone()[0]
    ob.mark_delivered(c)
    assert ob.purge(datetime.now(timezone.utc) + timedelta(days=40)) == 1
    ob.close()
    assert sealed[:64] not in _raw_bytes(tmp_path)
