"""A property test of the outbox state machine: random interleavings of submit, claim, every
outcome, stale recovery, operator retry, purge and reopen keep the invariants."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.outbox import Outbox, OutboxStateError, RetryPolicy

ALLOWED = {("queued", "sending"), ("sending", "delivered"), ("sending", "queued"),
           ("sending", "rejected"), ("sending", "held"), ("held", "queued"),
           ("rejected", "queued")}


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="outbox-prop-"))
        self.now = datetime(2026, 11, 23, tzinfo=timezone.utc)
        self.ob = self._open()
        self.model: dict[str, dict] = {}      # code -> {"state", "payload"}
        self.claims: list = []                # live claims (may have gone stale)
        self.stale: list = []                 # claims recovered by reset_stale

    def _open(self) -> Outbox:
        return Outbox.open(self.dir / "o.db", self.dir / "k", clock=lambda: self.now,
                           policy=RetryPolicy(max_failures=2), lease_seconds=60)

    def teardown(self) -> None:
        self.ob.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _move(self, code: str, to: str) -> None:
        frm = self.model[code]["state"]
        assert (frm, to) in ALLOWED, (frm, to)
        self.model[code]["state"] = to

    @rule(n=st.integers(1, 4), deadline=st.none() | st.integers(0, 48))
    def submit(self, n, deadline):
        for i in range(n):
            payload = {"n": len(self.model), "t": "Nguyễn " * i}
            dl = None if deadline is None else self.now + timedelta(hours=deadline)
            r = self.ob.submit("a.b", payload, deadline=dl, priority=i)
            self.model[r.dossier_code] = {"state": "queued", "payload": payload}

    @rule(limit=st.integers(1, 5))
    def claim(self, limit):
        for c in self.ob.claim(limit):
            assert c.payload == self.model[c.dossier_code]["payload"]
            self._move(c.dossier_code, "sending")
            self.claims.append(c)

    @precondition(lambda self: self.claims)
    @rule(i=st.integers(0, 100), outcome=st.sampled_from(["delivered", "rejected", "retry",
                                                          "offline"]))
    def answer(self, i, outcome):
        c = self.claims.pop(i % len(self.claims))
        if outcome == "delivered":
            to = self.ob.mark_delivered(c)
        elif outcome == "rejected":
            to = self.ob.mark_rejected(c, "bad")
        else:
            to = self.ob.mark_retry(c, "x", offline=outcome == "offline")
        self._move(c.dossier_code, to)

    @precondition(lambda self: self.stale)
    @rule()
    def late_answer_from_a_recovered_claim(self):
        c = self.stale.pop()
        try:
            self.ob.mark_delivered(c)
        except OutboxStateError:
            return
        raise AssertionError("a recovered claim's late answer was accepted")

    @rule(seconds=st.sampled_from([1, 30, 61, 1000]))
    def time_passes_and_stale_claims_recover(self, seconds):
        self.now += timedelta(seconds=seconds)
        if self.ob.reset_stale():
            for c in list(self.claims):
                if self.model[c.dossier_code]["state"] == "sending" and \
                        self.ob.item(c.dossier_code).state == "queued":
                    self._move(c.dossier_code, "queued")
                    self.claims.remove(c)
                    self.stale.append(c)

    @rule(data=st.data())
    def operator_retry(self, data):
        waiting = [c for c, m in self.model.items() if m["state"] in ("held", "rejected")]
        if not waiting:
            return
        code = data.draw(st.sampled_from(waiting))
        if self.ob.item(code).payload_purged:
            return
        self.ob.retry(code)
        self._move(code, "queued")

    @rule()
    def purge_far_future_keeps_metadata(self):
        self.ob.purge(self.now + timedelta(days=400))
        for code, m in self.model.items():
            if m["state"] in ("delivered", "rejected"):
                assert self.ob.item(code).payload_purged

    @rule()
    def reopen(self):
        self.ob.close()
        self.ob = self._open()   # same pid: live claims are kept

    @invariant()
    def matches_the_model(self):
        counts = self.ob.counts()
        expected = {s: 0 for s in counts}
        for m in self.model.values():
            expected[m["state"]] += 1
        assert counts == expected


TestOutboxMachine = OutboxMachine.TestCase
TestOutboxMachine.settings = settings(max_examples=40, stateful_step_count=30, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
