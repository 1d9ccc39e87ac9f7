"""The PC/SC monitor's state handling against a scripted pcsc-lite (readers plugged and unplugged
while running, PnP notification, quick card swaps, service loss), which a real pcscd with only
reader.conf readers cannot produce on demand. The real daemon is covered by
test_card_pcsc_integration.py."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace

import pytest
from smartcard import scard as real

from drivers.card import pcsc
from drivers.card.interface import CardEvent, CardEventKind

K = CardEventKind
PRESENT, EMPTY, CHANGED, UNKNOWN = (real.SCARD_STATE_PRESENT, real.SCARD_STATE_EMPTY,
                                    real.SCARD_STATE_CHANGED, real.SCARD_STATE_UNKNOWN)


class FakePcscLite:
    """Readers and cards under a condition variable; GetStatusChange behaves like pcsc-lite's:
    returns at once when a given state differs from the real one, else waits up to the timeout."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.readers: dict[str, tuple[bool, int, bytes]] = {}  # name -> (present, events, atr)
        self.service = True
        self.cancelled = False
        self.pnp_count = 0  # readers plugged/unplugged so far

    # -- what the test does ---
    def plug(self, name: str) -> None:
        with self.cond:
            self.readers[name] = (False, 0, b"")
            self.pnp_count += 1
            self.cond.notify_all()

    def unplug(self, name: str) -> None:
        with self.cond:
            del self.readers[name]
            self.pnp_count += 1
            self.cond.notify_all()

    def card(self, name: str, present: bool, atr: bytes = b"\x3b\x00") -> None:
        with self.cond:
            _, events, _ = self.readers[name]
            self.readers[name] = (present, events + 1, atr if present else b"")
            self.cond.notify_all()

    def stop_service(self) -> None:
        with self.cond:
            self.service = False
            self.cond.notify_all()

    # -- the scard API the backend uses ---
    def _state(self, name: str) -> int:
        if name == pcsc.PNP_READER:
            return self.pnp_count << 16
        if name not in self.readers:
            return UNKNOWN
        present, events, _ = self.readers[name]
        return (events << 16) | (PRESENT if present else EMPTY)

    def SCardEstablishContext(self, scope: int):
        return (real.SCARD_S_SUCCESS if self.service else real.SCARD_E_NO_SERVICE), 1

    def SCardReleaseContext(self, ctx: int) -> int:
        return real.SCARD_S_SUCCESS

    def SCardCancel(self, ctx: int) -> int:
        with self.cond:
            self.cancelled = True
            self.cond.notify_all()
        return real.SCARD_S_SUCCESS

    def SCardListReaders(self, ctx: int, groups: list):
        with self.cond:
            if not self.service:
                return real.SCARD_E_NO_SERVICE, []
            if not self.readers:
                return real.SCARD_E_NO_READERS_AVAILABLE, []
            return real.SCARD_S_SUCCESS, list(self.readers)

    def SCardGetStatusChange(self, ctx: int, timeout_ms: int, states: list):
        deadline = time.monotonic() + timeout_ms / 1000
        with self.cond:
            while True:
                if self.cancelled:
                    self.cancelled = False
                    return real.SCARD_E_CANCELLED, []
                if not self.service:
                    return real.SCARD_E_NO_SERVICE, []
                out, changed = [], False
                for name, known in states:
                    now = self._state(name)
                    differs = (known & ~CHANGED) != now
                    changed |= differs
                    atr = self.readers.get(name, (False, 0, b""))[2]
                    out.append((name, now | (CHANGED if differs else 0), list(atr)))
                if changed:
                    return real.SCARD_S_SUCCESS, out
                left = deadline - time.monotonic()
                if left <= 0:
                    return real.SCARD_E_TIMEOUT, []
                self.cond.wait(left)

    def SCardGetErrorMessage(self, hresult: int) -> str:
        return real.SCardGetErrorMessage(hresult)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePcscLite:
    lite = FakePcscLite()
    names = {n: getattr(real, n) for n in dir(real) if n.startswith("SCARD_")}
    api = {n: getattr(lite, n) for n in dir(lite) if n.startswith("SCard")}
    monkeypatch.setattr(pcsc, "scard", SimpleNamespace(**names, **api))
    monkeypatch.setattr(pcsc, "RECONNECT_DELAYS", (0.05,))
    return lite


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[CardEvent] = queue.Queue()

    def __call__(self, event: CardEvent) -> None:
        self.q.put(event)

    def take(self, n: int, timeout: float = 2.0) -> list[tuple[CardEventKind, str]]:
        return [(e.kind, e.reader) for e in (self.q.get(timeout=timeout) for _ in range(n))]

    def quiet(self, seconds: float = 0.2) -> bool:
        try:
            extra = self.q.get(timeout=seconds)
        except queue.Empty:
            return True
        raise AssertionError(f"unexpected event {extra}")


def test_readers_plugged_and_unplugged_while_running(fake: FakePcscLite) -> None:
    fake.plug("Reader A")
    fake.card("Reader A", True, b"\x3b\x8a")
    events, backend = Events(), pcsc.PcscReaderBackend()
    backend.start(events)
    try:
        assert events.take(2) == [(K.READER_ATTACHED, "Reader A"), (K.CARD_INSERTED, "Reader A")]
        fake.plug("Reader B")
        assert events.take(1) == [(K.READER_ATTACHED, "Reader B")]
        fake.card("Reader B", True)
        assert events.take(1) == [(K.CARD_INSERTED, "Reader B")]
        fake.unplug("Reader A")
        assert events.take(2) == [(K.CARD_REMOVED, "Reader A"), (K.READER_DETACHED, "Reader A")]
        fake.unplug("Reader B")
        assert events.take(2) == [(K.CARD_REMOVED, "Reader B"), (K.READER_DETACHED, "Reader B")]
        fake.plug("Reader C")  # from no reader at all
        assert events.take(1) == [(K.READER_ATTACHED, "Reader C")]
        assert events.quiet()
    finally:
        backend.stop()


def test_quick_card_swap_between_waits_is_seen_as_remove_then_insert(fake: FakePcscLite) -> None:
    fake.plug("R")
    fake.card("R", True)
    events, backend = Events(), pcsc.PcscReaderBackend()
    backend.start(events)
    try:
        assert events.take(2) == [(K.READER_ATTACHED, "R"), (K.CARD_INSERTED, "R")]
        with fake.cond:  # out and in again before the monitor looks
            fake.readers["R"] = (True, fake.readers["R"][1] + 2, b"\x3b\x01")
            fake.cond.notify_all()
        assert events.take(2) == [(K.CARD_REMOVED, "R"), (K.CARD_INSERTED, "R")]
    finally:
        backend.stop()


def test_filter_keeps_matching_readers_only(fake: FakePcscLite) -> None:
    fake.plug("ACS ACR1252 PICC")
    fake.plug("Other Contact Reader")
    events, backend = Events(), pcsc.PcscReaderBackend("picc")
    backend.start(events)
    try:
        assert events.take(1) == [(K.READER_ATTACHED, "ACS ACR1252 PICC")]
        assert backend.readers() == ["ACS ACR1252 PICC"]
        assert events.quiet()
    finally:
        backend.stop()


def test_service_lost_and_back(fake: FakePcscLite) -> None:
    fake.plug("R")
    fake.card("R", True)
    events, backend = Events(), pcsc.PcscReaderBackend()
    backend.start(events)
    try:
        events.take(2)
        fake.stop_service()
        assert events.take(2) == [(K.CARD_REMOVED, "R"), (K.READER_DETACHED, "R")]
        with fake.cond:
            fake.service = True
        assert events.take(2) == [(K.READER_ATTACHED, "R"), (K.CARD_INSERTED, "R")]
    finally:
        backend.stop()


def test_no_service_at_start_then_stop_is_prompt(fake: FakePcscLite) -> None:
    fake.service = False
    events, backend = Events(), pcsc.PcscReaderBackend()
    backend.start(events)
    assert events.quiet(0.2)
    start = time.monotonic()
    backend.stop()
    assert time.monotonic() - start < 1.0


def test_a_failing_observer_does_not_kill_the_monitor(fake: FakePcscLite, caplog) -> None:
    fake.plug("R")
    seen: list[CardEvent] = []

    def observer(event: CardEvent) -> None:
        seen.append(event)
        if event.kind is K.READER_ATTACHED:
            raise RuntimeError("observer bug")

    backend = pcsc.PcscReaderBackend()
    backend.start(observer)
    try:
        fake.card("R", True)
        deadline = time.monotonic() + 2
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [e.kind for e in seen] == [K.READER_ATTACHED, K.CARD_INSERTED]
    finally:
        backend.stop()
