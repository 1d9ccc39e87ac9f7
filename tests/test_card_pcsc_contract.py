"""One contract suite run against both reader backends, the simulator and PC/SC through the real
pcscd + vpcd: the app must not be able to tell them apart (HWI-style: one suite, every backend)."""

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
from drivers.card.simulated_reader import SimulatedReaderBackend
from drivers.card.vpcd_bridge import BridgeThread
from tests.test_card_vpcd_bridge import ATR, TinyCard

K = CardEventKind


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[CardEvent] = queue.Queue()

    def __call__(self, event: CardEvent) -> None:
        self.q.put(event)

    def next(self, timeout: float = 5.0) -> CardEvent:
        return self.q.get(timeout=timeout)


class SimulatedRig:
    def __init__(self) -> None:
        self.backend = SimulatedReaderBackend()
        self.reader = self.backend.readers()[0]

    def insert(self, card) -> None:
        self.backend.insert(card)

    def remove(self) -> None:
        self.backend.remove()

    def close(self) -> None:
        self.backend.stop()


class PcscRig:
    def __init__(self, pcscd) -> None:
        self.pcscd = pcscd
        self.reader = pcscd.reader
        self.backend = PcscReaderBackend(pcscd.reader)
        self.bridge: BridgeThread | None = None

    def insert(self, card) -> None:
        self.bridge = BridgeThread(card, port=self.pcscd.port).start()
        assert self.bridge.connected.wait(5)

    def remove(self) -> None:
        if self.bridge is not None:
            self.bridge.remove()
            self.bridge = None

    def close(self) -> None:
        self.backend.stop()
        if self.bridge is not None:
            self.remove()
        # Leave the reader empty as pcscd sees it (it polls vpcd) for whoever comes next.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                PcscReaderBackend().connect(self.reader).close()
            except CardRemovedError:
                return
            time.sleep(0.05)


@pytest.fixture(params=["simulated", pytest.param("pcsc", marks=pytest.mark.pcscd)])
def rig(request):
    made = SimulatedRig() if request.param == "simulated" else PcscRig(request.getfixturevalue("pcscd"))
    yield made
    made.close()


def test_event_sequence_and_atr(rig) -> None:
    events = Events()
    rig.backend.start(events)
    assert rig.backend.readers() == [rig.reader]
    assert events.next() == CardEvent(K.READER_ATTACHED, rig.reader)
    rig.insert(TinyCard())
    assert events.next() == CardEvent(K.CARD_INSERTED, rig.reader, ATR)
    rig.remove()
    assert events.next() == CardEvent(K.CARD_REMOVED, rig.reader)
    start = time.monotonic()
    rig.backend.stop()
    assert time.monotonic() - start < 1.0


def test_connect_errors(rig) -> None:
    with pytest.raises(CardRemovedError):
        rig.backend.connect(rig.reader)
    with pytest.raises(ReaderUnavailableError):
        rig.backend.connect("No Such Reader 99")


def test_exchange_long_response_and_chaining(rig) -> None:
    class ChainingCard(TinyCard):
        def process(self, apdu: bytes) -> bytes:
            if apdu[1] == 0xCA:  # data in two parts, as a T=0 card gives it
                return b"\x01\x02\x61\x03"
            if apdu[1] == 0xC0:
                return b"\x03\x04\x05\x90\x00"
            return super().process(apdu)

    events = Events()
    rig.backend.start(events)
    events.next()
    rig.insert(ChainingCard(size=700))
    events.next()
    with rig.backend.connect(rig.reader) as conn:
        assert conn.atr == ATR
        assert conn.transmit(bytes.fromhex("00CA010000")) == bytes.fromhex("0102030405 9000")
        response = conn.transmit(bytes.fromhex("00B000000002BC"))
        assert len(response) == 702 and response[-2:] == b"\x90\x00"


def test_removal_during_a_read_raises_card_removed(rig) -> None:
    pulled = threading.Event()

    class SlowCard(TinyCard):
        def process(self, apdu: bytes) -> bytes:
            time.sleep(0.005)
            if pulled.is_set():
                raise CardRemovedError("gone")
            return super().process(apdu)

    events = Events()
    rig.backend.start(events)
    events.next()
    rig.insert(SlowCard(size=100))
    events.next()
    conn = rig.backend.connect(rig.reader)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            for _ in range(2000):
                conn.transmit(bytes.fromhex("00B0000064"))
        except Exception as exc:
            errors.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.1)
    pulled.set()
    rig.remove()
    thread.join(3)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], CardRemovedError)
