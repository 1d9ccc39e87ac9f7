"""The outbox's state machine, ordering, backoff and retention, driven by an injected clock."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from app.outbox import (Outbox, OutboxInvalidError, OutboxNotFoundError, OutboxStateError,
                        RetryPolicy, is_dossier_code, lodging_deadline)
from app.outbox.codes import ALPHABET, VN_TZ

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ob(tmp_path, clock):
    box = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key", clock=clock,
                      policy=RetryPolicy(max_failures=3))
    yield box
    box.close()


def test_submit_is_durable_and_metadata_only(ob, tmp_path):
    r = ob.submit("birth.registration", {"child": {"name": "Nguyễn Văn B"}})
    assert is_dossier_code(r.dossier_code) and r.dossier_code.startswith("HS-261123-")
    assert set(r.dossier_code[-6:]) <= set(ALPHABET)
    assert not set("01ILOUV") & set(r.dossier_code[-6:])
    assert len(r.idempotency_key) == 36 and r.created_at == T0
    # WAL + synchronous FULL on the connection that wrote it
    assert ob.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ob.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    # a second connection sees the committed row at once
    other = sqlite3.connect(tmp_path / "outbox.sqlite3")
    assert other.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    other.close()
    item = ob.item(r.dossier_code)
    assert item.state == "queued" and item.attempts == 0 and item.agency_status is None
    assert "child" not in repr(item) and "Nguyễn" not in repr(item)
    assert ob.counts() == {"queued": 1, "sending": 0, "delivered": 0, "rejected": 0, "held": 0}
    assert ob.item("hs-261123-zzzzzz") is None


def test_schema_version_and_reopen(tmp_path, clock):
    box = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    assert box.db.execute("PRAGMA user_version").fetchone()[0] == 1
    code = box.submit("a.b", {"x": 1}).dossier_code
    box.close()
    box = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    assert box.item(code).state == "queued"
    box.close()


@pytest.mark.parametrize("proc, payload, reason", [
    ("Bad Id", {"a": 1}, "procedure"), ("a.b", [], "object"), ("a.b", {}, "object"),
    ("a.b", {"x": float("nan")}, "JSON"), ("a.b", {"x": object()}, "JSON"),
    ("a.b", {"x": "y" * 300_000}, "large"),
])
def test_invalid_submissions_refused(ob, proc, payload, reason):
    with pytest.raises(OutboxInvalidError) as err:
        ob.submit(proc, payload)
    assert err.value.reason == "invalid" and reason in err.value.en
    assert sum(ob.counts().values()) == 0


def test_submit_many_is_one_transaction(ob):
    with pytest.raises(OutboxInvalidError):
        ob.submit_many([("lodging.notify", {"g": 1}, None, 0), ("lodging.notify", [], None, 0)])
    assert sum(ob.counts().values()) == 0
    rs = ob.submit_many([("lodging.notify", {"g": i}, None, 0) for i in range(3)])
    assert len({r.dossier_code for r in rs}) == 3 and ob.counts()["queued"] == 3


def test_claim_orders_deadline_then_priority_then_age(ob, clock):
    late = ob.submit("a.b", {"n": "plain"}).dossier_code
    clock.advance(1)
    high = ob.submit("a.b", {"n": "high"}, priority=5).dossier_code
    clock.advance(1)
    far = ob.submit("lodging.notify", {"n": "far"}, deadline=T0 + timedelta(hours=10)).dossier_code
    clock.advance(1)
    near = ob.submit("lodging.notify", {"n": "near"},
                     deadline=T0 + timedelta(hours=2)).dossier_code
    claims = ob.claim(10)
    assert [c.dossier_code for c in claims] == [near, far, high, late]
    assert claims[0].payload == {"n": "near"}
    assert ob.counts()["sending"] == 4
    assert ob.claim(10) == []  # nothing claimed twice


def test_transitions_check_the_state_they_leave(ob):
    code = ob.submit("a.b", {"x": 1}).dossier_code
    [c] = ob.claim()
    ob.mark_delivered(c, received_at="2026-11-23T08:00:00Z", agency_status="received")
    with pytest.raises(OutboxStateError) as err:
        ob.mark_rejected(c, "late")            # delivered cannot become rejected
    assert err.value.reason == "bad_transition" and err.value.actual == "delivered"
    with pytest.raises(OutboxStateError):
        ob.retry(code)                          # only held/rejected can be retried
    with pytest.raises(OutboxNotFoundError):
        ob.retry("HS-000000-AAAAAA")
    item = ob.item(code)
    assert item.state == "delivered" and item.agency_status == "received" and item.attempts == 1


def test_stale_claim_token_cannot_overwrite(ob, clock):
    ob.submit("a.b", {"x": 1})
    [old] = ob.claim()
    clock.advance(ob.lease_seconds + 1)
    assert ob.reset_stale() == 1               # lease ran out: back to queued
    [new] = ob.claim()
    with pytest.raises(OutboxStateError):
        ob.mark_delivered(old)                  # the old worker lost its claim
    ob.mark_delivered(new)
    assert ob.counts()["delivered"] == 1


def test_backoff_with_injected_clock_then_held_then_operator_retry(ob, clock):
    code = ob.submit("a.b", {"x": 1}).dossier_code
    for failure in range(1, 4):
        [c] = ob.claim()
        state = ob.mark_retry(c, "http_503")
        assert ob.claim() == []                 # not due before its backoff
        item = ob.item(code)
        delay = (item.next_attempt_at - clock.now).total_seconds()
        step = min(900, 5 * 2 ** (failure - 1))
        assert step / 2 <= delay <= step
        clock.advance(delay + 0.01)
    assert state == "held" and ob.item(code).state == "held" and ob.item(code).failures == 3
    clock.advance(10_000)
    assert ob.claim() == []                     # held waits for a person
    item = ob.retry(code)
    assert item.state == "queued" and item.failures == 0 and item.last_error is None
    assert len(ob.claim()) == 1


def test_offline_never_holds(ob, clock):
    code = ob.submit("a.b", {"x": 1}).dossier_code
    for _ in range(10):
        [c] = ob.claim()
        assert ob.mark_retry(c, "network:ConnectError", offline=True) == "queued"
        clock.advance(ob.policy.offline_delay_seconds)
    item = ob.item(code)
    assert item.state == "queued" and item.failures == 0 and item.attempts == 10


def test_retry_after_is_honoured(ob, clock):
    code = ob.submit("a.b", {"x": 1}).dossier_code
    [c] = ob.claim()
    ob.mark_retry(c, "http_429", retry_after=120)
    assert (ob.item(code).next_attempt_at - clock.now).total_seconds() >= 120


def test_jitter_spreads_delays():
    p = RetryPolicy()
    rng = random.Random(1)
    delays = {round(p.delay(4, rng), 3) for _ in range(50)}
    assert len(delays) > 40 and all(20 <= d <= 40 for d in delays)
    assert p.delay(100, rng) <= p.cap_seconds


def test_stale_sending_rows_of_a_dead_process_reset_at_open(tmp_path, clock):
    box = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    code = box.submit("a.b", {"x": 1}).dossier_code
    box.claim()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    box.db.execute("UPDATE outbox SET claim_pid=?", (int(dead),))
    box.close()
    box = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    assert box.item(code).state == "queued"
    box.close()


def test_live_claims_of_this_process_survive_a_second_open(tmp_path, clock):
    a = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    a.submit("a.b", {"x": 1})
    [c] = a.claim()
    b = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)  # e.g. the sync thread
    assert b.counts()["sending"] == 1
    a.mark_delivered(c)
    a.close()
    b.close()


def test_purge_after_retention_keeps_metadata(ob, clock, tmp_path):
    d = ob.submit("a.b", {"name": "Trần Thị C"}).dossier_code
    r = ob.submit("a.b", {"name": "Lê Văn D"}).dossier_code
    q = ob.submit("a.b", {"name": "Phạm E"}).dossier_code
    c1, c2, _ = ob.claim(3)
    ob.mark_delivered(c1)
    ob.mark_rejected(c2, "bad_payload")
    assert ob.purge() == 0                       # retention not reached
    clock.advance(31 * 86400)
    assert ob.purge() == 2
    for code in (d, r):
        item = ob.item(code)
        assert item.payload_purged and item.procedure_id == "a.b"
    assert not ob.item(q).payload_purged         # in flight: never purged
    with pytest.raises(Exception) as err:
        ob.retry(r)
    assert getattr(err.value, "reason", "") == "payload_purged"
    assert ob.db.execute("SELECT count(*) FROM outbox WHERE payload IS NULL").fetchone()[0] == 2


def test_deadline_warnings_and_oldest_age(ob, clock):
    assert ob.oldest_pending_age_seconds() is None
    code = ob.submit("lodging.notify", {"g": 1}, deadline=T0 + timedelta(minutes=30)).dossier_code
    ob.submit("lodging.notify", {"g": 2}, deadline=T0 + timedelta(hours=5))
    clock.advance(60)
    assert ob.oldest_pending_age_seconds() == 60
    assert [i.dossier_code for i in ob.deadline_warnings(3600)] == [code]


@pytest.mark.parametrize("arrival, deadline", [
    (datetime(2026, 11, 23, 14, 5), datetime(2026, 11, 23, 23, 0)),
    (datetime(2026, 11, 23, 22, 59, 59), datetime(2026, 11, 23, 23, 0)),
    (datetime(2026, 11, 23, 23, 0), datetime(2026, 11, 24, 8, 0)),
    (datetime(2026, 12, 31, 23, 30), datetime(2027, 1, 1, 8, 0)),
    (datetime(2026, 11, 23, 0, 10), datetime(2026, 11, 23, 23, 0)),
])
def test_lodging_deadline(arrival, deadline):
    assert lodging_deadline(arrival) == deadline.replace(tzinfo=VN_TZ)
    # the same instant given in UTC
    assert lodging_deadline(arrival.replace(tzinfo=VN_TZ).astimezone(timezone.utc)) == \
        deadline.replace(tzinfo=VN_TZ)


def test_items_filter_and_unknown_state(ob):
    ob.submit("a.b", {"x": 1})
    assert len(ob.items(state="queued")) == 1 and ob.items(state="held") == []
    with pytest.raises(OutboxInvalidError):
        ob.items(state="nope")


def test_no_personal_data_in_logs(tmp_path, clock, caplog):
    caplog.set_level("DEBUG")
    box = Outbox.open(tmp_path / "o.db", tmp_path / "k", clock=clock)
    box.submit("a.b", {"name": "Hoàng Văn Riêng", "id": "012345678901"})
    [c] = box.claim()
    box.mark_delivered(c)
    box.purge(clock.now + timedelta(days=60))
    box.close()
    text = caplog.text
    assert "Hoàng" not in text and "012345678901" not in text
    assert "HS-" in text


def test_outbox_imports_no_qt():
    out = subprocess.run([sys.executable, "-c", "import sys, app.outbox, app.sync, "
                          "endpoint.app, endpoint.embedded; print([m for m in sys.modules "
                          "if m.startswith(('PySide6', 'shiboken'))])"],
                         capture_output=True, text=True, cwd=os.getcwd())
    assert out.stdout.strip() == "[]", out.stderr


def test_deadline_taken_from_a_procedures_payload(ob):
    code = ob.submit("lodging_residence_notification",
                     {"fields": {}, "deadline": "2026-11-23T23:00:00+07:00"}).dossier_code
    assert ob.item(code).deadline == datetime(2026, 11, 23, 16, 0, tzinfo=timezone.utc)
    code = ob.submit("a.b", {"deadline": "not a date"}).dossier_code
    assert ob.item(code).deadline is None
