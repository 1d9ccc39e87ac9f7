"""The one card-reader interface. The PC/SC driver and the simulator both implement it, and the
app cannot tell them apart: it gets reader and card events, opens a connection, exchanges APDUs.

Threading: `start()` begins monitoring on the backend's own thread; `on_event` is called on that
thread, so the app hands events to the Qt main thread through queued signals. `transmit()` is
called on the app's card worker thread, never on the Qt main thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable, Protocol


class CardEventKind(enum.Enum):
    READER_ATTACHED = "reader_attached"
    READER_DETACHED = "reader_detached"
    CARD_INSERTED = "card_inserted"
    CARD_REMOVED = "card_removed"


@dataclass(frozen=True)
class CardEvent:
    kind: CardEventKind
    reader: str
    atr: bytes = b""


EventCallback = Callable[[CardEvent], None]


class CardError(Exception):
    """Base of every typed error from the card stack. `reason` is a stable machine-readable code."""

    reason = "card_error"


class ReaderUnavailableError(CardError):
    """No PC/SC service, no reader, or the reader went away."""

    reason = "reader_unavailable"


class CardRemovedError(CardError):
    """The card left the field (or was never there) while talking to it."""

    reason = "card_removed"


class TransportError(CardError):
    """The exchange failed below the APDU level (reader error, timeout, garbled frame)."""

    reason = "transport_error"


class Transceiver(Protocol):
    """Sends one command APDU, returns the full response APDU: data followed by SW1 SW2."""

    def transmit(self, apdu: bytes) -> bytes: ...


class CardConnection(Transceiver, Protocol):
    reader: str

    @property
    def atr(self) -> bytes: ...

    def close(self) -> None: ...


class CardReaderBackend(Protocol):
    """A source of readers and cards: PC/SC, the simulator, or a vendor's serial module."""

    name: str

    def start(self, on_event: EventCallback) -> None:
        """Begin monitoring; report the readers and cards already present as events first."""

    def stop(self) -> None:
        """Stop monitoring and release every PC/SC context. Returns within a second."""

    def readers(self) -> list[str]: ...

    def connect(self, reader: str) -> CardConnection:
        """Open the card in `reader`. Raises CardRemovedError when there is none."""
