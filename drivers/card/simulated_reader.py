"""An in-process card reader backend for the kiosk without hardware (and for tests): named readers,
cards inserted and removed by the operator panel, events from its own thread like PC/SC's.

The app cannot tell it from PcscReaderBackend: same events in the same order, connections that
go through the same GET RESPONSE / 6Cxx wrapper and trace, the same typed errors.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass

from drivers.card.apdu_trace import ApduTrace
from drivers.card.interface import (
    CardError,
    CardEvent,
    CardEventKind,
    CardRemovedError,
    EventCallback,
    ReaderUnavailableError,
    TransportError,
)
from drivers.card.pcsc_transceive import ResponseChaining
from drivers.card.vpcd_bridge import ApduCard

log = logging.getLogger(__name__)

DEFAULT_READER = "Simulated Contactless Reader 0"
QUEUE_WAIT_S = 0.2
JOIN_TIMEOUT = 0.9


@dataclass
class _Slot:
    card: ApduCard | None = None
    generation: int = 0  # bumped on every insert and remove: stale connections see it


class _CardProcess:
    """The raw transceiver of a simulated connection: the card's own process()."""

    def __init__(self, conn: SimulatedConnection) -> None:
        self.conn = conn

    def transmit(self, apdu: bytes) -> bytes:
        return self.conn._process(apdu)


class SimulatedConnection:
    def __init__(self, backend: SimulatedReaderBackend, reader: str, card: ApduCard,
                 generation: int) -> None:
        self.reader = reader
        self.protocol_name = "T=1"
        self._backend = backend
        self._card = card
        self._generation = generation
        self._closed = False
        self._transceiver = ResponseChaining(ApduTrace(_CardProcess(self)))

    @property
    def atr(self) -> bytes:
        return bytes(self._card.atr)

    def _check(self) -> None:
        if self._closed:
            raise TransportError("connection already closed")
        if not self._backend._holds(self.reader, self._card, self._generation):
            raise CardRemovedError(f"card left {self.reader!r}")

    def _process(self, apdu: bytes) -> bytes:
        self._check()
        try:
            response = self._card.process(bytes(apdu))
        except CardError:
            raise
        except Exception as exc:  # a bug in the simulated card surfaces as a transport fault
            raise TransportError(f"simulated card failed: {type(exc).__name__}") from exc
        self._check()  # removed while it was answering: the answer never arrives
        if not response:
            raise CardRemovedError("card left the reader during the exchange (no status word)")
        return bytes(response)

    def transmit(self, apdu: bytes) -> bytes:
        return self._transceiver.transmit(bytes(apdu))

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> SimulatedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SimulatedReaderBackend:
    """CardReaderBackend in process. The operator panel calls insert/remove/attach/detach."""

    name = "simulated"

    def __init__(self, readers: tuple[str, ...] | list[str] = (DEFAULT_READER,)) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {name: _Slot() for name in readers}
        self._events: queue.Queue[CardEvent | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._on_event: EventCallback | None = None
        self._started = False

    # -- the contract -------------------------------------------------------------------------

    def start(self, on_event: EventCallback) -> None:
        if self._thread is not None:
            raise RuntimeError("backend already started")
        self._on_event = on_event
        with self._lock:
            self._started = True
            # Like PC/SC: what is already there is reported first.
            for name, slot in self._slots.items():
                self._events.put(CardEvent(CardEventKind.READER_ATTACHED, name))
                if slot.card is not None:
                    self._events.put(CardEvent(CardEventKind.CARD_INSERTED, name, bytes(slot.card.atr)))
        self._thread = threading.Thread(target=self._run, name="simulated-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        with self._lock:
            self._started = False
        self._events.put(None)
        self._thread.join(JOIN_TIMEOUT)
        self._thread = None
        self._on_event = None

    def readers(self) -> list[str]:
        with self._lock:
            return list(self._slots)

    def connect(self, reader: str) -> SimulatedConnection:
        with self._lock:
            slot = self._slots.get(reader)
            if slot is None:
                raise ReaderUnavailableError(f"no reader {reader!r}")
            if slot.card is None:
                raise CardRemovedError(f"no card in {reader!r}")
            card, generation = slot.card, slot.generation
        card.power_on()
        return SimulatedConnection(self, reader, card, generation)

    # -- the operator panel -------------------------------------------------------------------

    def _default(self, reader: str | None) -> str:
        if reader is not None:
            return reader
        if not self._slots:
            raise ReaderUnavailableError("no simulated reader attached")
        return next(iter(self._slots))

    def insert(self, card: ApduCard, reader: str | None = None) -> None:
        """Put `card` on `reader` (the first reader by default), replacing any card there."""
        with self._lock:
            name = self._default(reader)
            slot = self._slots.get(name)
            if slot is None:
                raise ReaderUnavailableError(f"no reader {name!r}")
            if slot.card is not None:
                self._post(CardEventKind.CARD_REMOVED, name)
            slot.card = card
            slot.generation += 1
            self._post(CardEventKind.CARD_INSERTED, name, bytes(card.atr))

    def remove(self, reader: str | None = None) -> None:
        """Take the card off `reader`: a transmit in progress fails with CardRemovedError."""
        with self._lock:
            name = self._default(reader)
            slot = self._slots.get(name)
            if slot is None or slot.card is None:
                return
            slot.card = None
            slot.generation += 1
            self._post(CardEventKind.CARD_REMOVED, name)

    def attach_reader(self, name: str | None = None) -> str:
        with self._lock:
            if name is None:
                n = 0
                while f"Simulated Contactless Reader {n}" in self._slots:
                    n += 1
                name = f"Simulated Contactless Reader {n}"
            if name not in self._slots:
                self._slots[name] = _Slot()
                self._post(CardEventKind.READER_ATTACHED, name)
            return name

    def detach_reader(self, name: str | None = None) -> None:
        with self._lock:
            if not self._slots:
                return
            name = self._default(name)
            slot = self._slots.pop(name, None)
            if slot is None:
                return
            if slot.card is not None:
                slot.generation += 1
                self._post(CardEventKind.CARD_REMOVED, name)
            self._post(CardEventKind.READER_DETACHED, name)

    # -- internals ----------------------------------------------------------------------------

    def _holds(self, reader: str, card: ApduCard, generation: int) -> bool:
        with self._lock:
            slot = self._slots.get(reader)
            return slot is not None and slot.card is card and slot.generation == generation

    def _post(self, kind: CardEventKind, reader: str, atr: bytes = b"") -> None:
        if self._started:  # before start(), start() reports the state itself
            self._events.put(CardEvent(kind, reader, atr))

    def _run(self) -> None:
        while True:
            try:
                event = self._events.get(timeout=QUEUE_WAIT_S)
            except queue.Empty:
                continue
            if event is None:
                return
            callback = self._on_event
            if callback is None:
                return
            try:
                callback(event)
            except Exception:  # a faulty observer must not kill the reader thread
                log.exception("card event observer failed on %s", event.kind.value)
