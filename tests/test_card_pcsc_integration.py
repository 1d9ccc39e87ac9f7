"""The production PC/SC path through the REAL stack: a private pcscd with vpcd, the bridge serving a
card, PcscReaderBackend reading it (see tests/fixtures/pcscd.py for the isolation)."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from drivers.card.interface import (
    CardEvent,
    CardEventKind,
    CardRemovedError,
    ReaderUnavailableError,
)
from drivers.card.pcsc import PcscReaderBackend
from drivers.card.vpcd_bridge import BridgeThread
from tests.test_card_vpcd_bridge import ATR, TinyCard

pytestmark = pytest.mark.pcscd
K = CardEventKind


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[CardEvent] = queue.Queue()

    def __call__(self, event: CardEvent) -> None:
        self.q.put(event)

    def wait_for(self, kind: CardEventKind, reader: str, timeout: float = 5.0) -> CardEvent:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind.value} on {reader!r} within {timeout} s")
            try:
                event = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if event.kind is kind and event.reader == reader:
                return event


@pytest.fixture
def monitor(pcscd):
    events = Events()
    backend = PcscReaderBackend("Virtual PCD")
    backend.start(events)
    for reader in pcscd.readers:
        events.wait_for(K.READER_ATTACHED, reader)
    yield backend, events
    backend.stop()


def _insert(pcscd, card, events: Events) -> BridgeThread:
    bridge = BridgeThread(card, port=pcscd.port).start()
    assert bridge.connected.wait(5), bridge.error
    event = events.wait_for(K.CARD_INSERTED, pcscd.reader)
    assert event.atr == ATR
    return bridge


def _remove(pcscd, bridge: BridgeThread) -> None:
    """Pull the card and wait until pcscd has seen it go (it polls vpcd), so the next test does
    not start with a stale 'present' state."""
    bridge.remove()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            PcscReaderBackend().connect(pcscd.reader).close()
        except CardRemovedError:
            return
        time.sleep(0.05)
    raise AssertionError("pcscd still reports the card after the bridge left")


def test_reader_list(pcscd) -> None:
    assert PcscReaderBackend().readers() == pcscd.readers
    assert pcscd.readers == ["Virtual PCD 00 00", "Virtual PCD 00 01"]
    assert PcscReaderBackend("00 01").readers() == ["Virtual PCD 00 01"]
    assert PcscReaderBackend("no such reader").readers() == []


def test_insert_apdus_long_response_and_removal(pcscd, monitor) -> None:
    backend, events = monitor
    bridge = _insert(pcscd, TinyCard(size=1500), events)
    try:
        conn = backend.connect(pcscd.reader)
        assert conn.atr == ATR and conn.protocol_name in ("T=0", "T=1")
        assert conn.transmit(bytes.fromhex("00A4040C07A0000002471001")) == b"\x90\x00"
        long = conn.transmit(bytes.fromhex("00B00000000000"))  # extended Le, 1500 bytes back
        assert len(long) == 1502 and long[:3] == b"\x00\x01\x02" and long[-2:] == b"\x90\x00"
        conn.close()
        conn.close()
    finally:
        bridge.remove()
    events.wait_for(K.CARD_REMOVED, pcscd.reader)
    with pytest.raises(CardRemovedError):
        backend.connect(pcscd.reader)


def test_card_present_at_start_is_reported_first(pcscd) -> None:
    bridge = BridgeThread(TinyCard(), port=pcscd.port).start()
    try:
        assert bridge.connected.wait(5)
        # Let pcscd see it (it polls vpcd), then start a fresh monitor.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                PcscReaderBackend().connect(pcscd.reader).close()
                break
            except CardRemovedError:
                time.sleep(0.1)
        events = Events()
        backend = PcscReaderBackend("Virtual PCD")
        backend.start(events)
        try:
            assert events.q.get(timeout=5).kind is K.READER_ATTACHED
            events.wait_for(K.CARD_INSERTED, pcscd.reader)
        finally:
            backend.stop()
    finally:
        _remove(pcscd, bridge)


def test_read_cancelled_by_removal_releases_the_reader_within_100ms(pcscd, monitor) -> None:
    """Issue 3 item 9, through pcscd: the card leaves during an exchange (the bridge hangs up);
    the read raises CardRemovedError and the connection and monitor are released within 100 ms."""
    backend, events = monitor
    in_exchange = threading.Event()
    pull = threading.Event()
    removed: dict[str, float] = {}

    class LeavingCard(TinyCard):
        def process(self, apdu: bytes) -> bytes:
            if apdu[1] == 0xB0 and apdu[2] == 0x7F:  # the exchange during which it leaves
                in_exchange.set()
                pull.wait(5)
                removed["at"] = time.monotonic()
                raise CardRemovedError("card pulled out")
            return super().process(apdu)

    bridge = _insert(pcscd, LeavingCard(size=200), events)
    try:
        conn = backend.connect(pcscd.reader)
        outcome: dict[str, object] = {}

        def read_document() -> None:
            try:
                for _ in range(5):
                    conn.transmit(bytes.fromhex("00B00000C8"))
                conn.transmit(bytes.fromhex("00B07F00C8"))
            except CardRemovedError as exc:
                outcome["error"] = exc
                outcome["raised_at"] = time.monotonic()
            finally:
                conn.close()

        worker = threading.Thread(target=read_document)
        worker.start()
        assert in_exchange.wait(5)
        pull.set()
        worker.join(2)
        backend.stop()
        released_at = time.monotonic()
        assert isinstance(outcome.get("error"), CardRemovedError), outcome
        assert outcome["raised_at"] - removed["at"] < 0.1
        assert released_at - removed["at"] < 0.1
    finally:
        _remove(pcscd, bridge)


def test_monitor_stop_is_prompt(pcscd) -> None:
    backend = PcscReaderBackend()
    events = Events()
    backend.start(events)
    events.wait_for(K.READER_ATTACHED, pcscd.reader)
    time.sleep(0.1)  # now inside SCardGetStatusChange
    start = time.monotonic()
    backend.stop()
    assert time.monotonic() - start < 1.0


def test_pcscd_restart_detaches_then_reattaches_readers(pcscd, monitor) -> None:
    """Restarts the session's pcscd (same port and readers afterwards)."""
    backend, events = monitor
    pcscd.stop()
    events.wait_for(K.READER_DETACHED, pcscd.reader)
    with pytest.raises(ReaderUnavailableError):
        backend.readers()
    with pytest.raises(ReaderUnavailableError):
        backend.connect(pcscd.reader)
    pcscd.start()
    events.wait_for(K.READER_ATTACHED, pcscd.reader, timeout=8)
    bridge = _insert(pcscd, TinyCard(), events)
    try:
        with backend.connect(pcscd.reader) as conn:
            assert conn.transmit(bytes.fromhex("00A4000C")) == b"\x90\x00"
    finally:
        _remove(pcscd, bridge)


def test_removal_releases_the_handle_even_without_close(pcscd, monitor) -> None:
    backend, events = monitor
    bridge = _insert(pcscd, TinyCard(), events)
    conn = backend.connect(pcscd.reader)
    _remove(pcscd, bridge)
    with pytest.raises(CardRemovedError):
        conn.transmit(bytes.fromhex("00B0000004"))
    assert conn._closed  # handle and context already given back to pcscd
    with pytest.raises(CardRemovedError):
        conn.transmit(bytes.fromhex("00B0000004"))
    conn.close()
