"""The in-process reader backend: events from its own thread, connections, removal mid-read."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from drivers.card.interface import (
    CardEvent,
    CardEventKind,
    CardReaderBackend,
    CardRemovedError,
    ReaderUnavailableError,
    TransportError,
)
from drivers.card.simulated_reader import DEFAULT_READER, SimulatedReaderBackend
from tests.test_card_vpcd_bridge import ATR, TinyCard

K = CardEventKind


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[CardEvent] = queue.Queue()
        self.threads: set[str] = set()

    def __call__(self, event: CardEvent) -> None:
        self.threads.add(threading.current_thread().name)
        self.q.put(event)

    def next(self, timeout: float = 2.0) -> CardEvent:
        return self.q.get(timeout=timeout)


@pytest.fixture
def backend():
    b = SimulatedReaderBackend()
    yield b
    b.stop()


def test_is_a_card_reader_backend(backend: SimulatedReaderBackend) -> None:
    b: CardReaderBackend = backend
    assert b.readers() == [DEFAULT_READER]


def test_reports_present_state_first_then_changes_from_its_own_thread(backend: SimulatedReaderBackend) -> None:
    backend.insert(TinyCard())
    events = Events()
    backend.start(events)
    assert events.next() == CardEvent(K.READER_ATTACHED, DEFAULT_READER)
    assert events.next() == CardEvent(K.CARD_INSERTED, DEFAULT_READER, ATR)
    backend.remove()
    assert events.next() == CardEvent(K.CARD_REMOVED, DEFAULT_READER)
    second = backend.attach_reader()
    assert second == "Simulated Contactless Reader 1"
    assert events.next() == CardEvent(K.READER_ATTACHED, second)
    backend.insert(TinyCard(), second)
    assert events.next().kind is K.CARD_INSERTED
    backend.detach_reader(second)
    assert events.next() == CardEvent(K.CARD_REMOVED, second)
    assert events.next() == CardEvent(K.READER_DETACHED, second)
    assert events.threads == {"simulated-reader"}
    assert backend.readers() == [DEFAULT_READER]


def test_connect_and_transmit_with_long_responses(backend: SimulatedReaderBackend) -> None:
    card = TinyCard(size=1000)
    backend.insert(card)
    with backend.connect(DEFAULT_READER) as conn:
        assert conn.atr == ATR and conn.reader == DEFAULT_READER
        response = conn.transmit(bytes.fromhex("00B00000000000"))
        assert len(response) == 1002 and response[-2:] == b"\x90\x00"
    assert card.log[0] == "on"


def test_connect_errors_are_typed(backend: SimulatedReaderBackend) -> None:
    with pytest.raises(CardRemovedError):
        backend.connect(DEFAULT_READER)
    with pytest.raises(ReaderUnavailableError):
        backend.connect("No Such Reader")


def test_card_errors_propagate_and_card_bugs_become_transport_errors(backend: SimulatedReaderBackend) -> None:
    class Buggy(TinyCard):
        def process(self, apdu: bytes) -> bytes:
            if apdu[1] == 0xEE:
                raise CardRemovedError("fault: removed mid-read")
            raise KeyError("bug")

    backend.insert(Buggy())
    conn = backend.connect(DEFAULT_READER)
    with pytest.raises(CardRemovedError):
        conn.transmit(bytes.fromhex("00EE000000"))
    with pytest.raises(TransportError):
        conn.transmit(bytes.fromhex("00B0000000"))
    conn.close()
    conn.close()  # close never raises


def test_stale_connection_after_reinsert_sees_removal(backend: SimulatedReaderBackend) -> None:
    backend.insert(TinyCard())
    conn = backend.connect(DEFAULT_READER)
    backend.insert(TinyCard())
    with pytest.raises(CardRemovedError):
        conn.transmit(bytes.fromhex("00B0000000"))


def test_stop_returns_within_a_second(backend: SimulatedReaderBackend) -> None:
    backend.start(Events())
    start = time.monotonic()
    backend.stop()
    assert time.monotonic() - start < 1.0


class SlowLinkCard(TinyCard):
    """Every exchange takes 5 ms, as over a contactless link."""

    def process(self, apdu: bytes) -> bytes:
        time.sleep(0.005)
        return super().process(apdu)


def test_read_cancelled_by_removal_releases_the_reader_within_100ms(backend: SimulatedReaderBackend) -> None:
    """Issue 3 item 9: a read in progress, the card leaves, the reader is free within 100 ms."""
    backend.insert(SlowLinkCard(size=200))
    events = Events()
    backend.start(events)
    conn = backend.connect(DEFAULT_READER)
    started = threading.Event()
    outcome: dict[str, object] = {}

    def read_document() -> None:  # the app's card worker: READ BINARY until something stops it
        try:
            for _ in range(10_000):
                conn.transmit(bytes.fromhex("00B00000C8"))
                started.set()
        except CardRemovedError as exc:
            outcome["error"] = exc
            outcome["raised_at"] = time.monotonic()
        finally:
            conn.close()

    worker = threading.Thread(target=read_document)
    worker.start()
    assert started.wait(2)
    time.sleep(0.05)
    removed_at = time.monotonic()
    backend.remove()
    worker.join(1)
    backend.stop()
    released_at = time.monotonic()
    assert isinstance(outcome.get("error"), CardRemovedError)
    assert outcome["raised_at"] - removed_at < 0.1
    assert released_at - removed_at < 0.1
    # The reader is usable again right away.
    backend.insert(TinyCard())
    with backend.connect(DEFAULT_READER) as again:
        assert again.transmit(bytes.fromhex("00A4000C")) == b"\x90\x00"
