"""One open card over PC/SC (pyscard's low-level `smartcard.scard` API) and the one place where
PC/SC return codes become the stack's typed errors.

Each connection owns its own PC/SC context: a pcsc-lite context must not be shared between
threads, and the connection lives on the app's card worker while the monitor has its own.
Closing the connection releases the context, so the reader is free again at once.
"""

from __future__ import annotations

import logging
import threading

from smartcard import scard

from drivers.card.apdu_trace import ApduTrace
from drivers.card.interface import (
    CardError,
    CardRemovedError,
    ReaderUnavailableError,
    TransportError,
)
from drivers.card.pcsc_transceive import ResponseChaining

log = logging.getLogger(__name__)

SCARD_PRESENT = 0x0004  # pcsc-lite's card state bit from SCardStatus (pyscard does not export it)

# The card is gone (or was never there).
REMOVED_CODES = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD})
# No daemon, or the reader went away.
UNAVAILABLE_CODES = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_NO_READERS_AVAILABLE,
    }
)


def _u32(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


def describe(hresult: int) -> str:
    try:
        text = scard.SCardGetErrorMessage(hresult)
    except Exception:  # the message lookup is only cosmetic
        text = ""
    return f"{text.strip().rstrip('.')} (0x{_u32(hresult):08X})"


def error_for(hresult: int, what: str) -> CardError:
    """The typed error for a failed PC/SC call."""
    hresult = _u32(hresult)
    message = f"{what}: {describe(hresult)}"
    if hresult in REMOVED_CODES:
        return CardRemovedError(message)
    if hresult in UNAVAILABLE_CODES:
        return ReaderUnavailableError(message)
    return TransportError(message)


class _RawPcsc:
    """The bare SCardTransmit, under the chaining and trace wrappers."""

    def __init__(self, owner: PcscConnection) -> None:
        self.owner = owner

    def transmit(self, apdu: bytes) -> bytes:
        return self.owner._transmit_raw(apdu)


class PcscConnection:
    """A CardConnection over PC/SC. `transmit` handles 61xx/6Cxx and responses of any length."""

    def __init__(self, reader: str, context: int, card: int, protocol: int, atr: bytes) -> None:
        self.reader = reader
        self.protocol = protocol
        self._context = context
        self._card = card
        self._atr = atr
        self._lock = threading.Lock()  # close() may come from another thread than transmit()
        self._closed = False
        self._removed = False
        self._pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        self._transceiver = ResponseChaining(ApduTrace(_RawPcsc(self)))

    @property
    def atr(self) -> bytes:
        return self._atr

    @property
    def protocol_name(self) -> str:
        return "T=0" if self.protocol == scard.SCARD_PROTOCOL_T0 else "T=1"

    def transmit(self, apdu: bytes) -> bytes:
        try:
            return self._transceiver.transmit(bytes(apdu))
        except CardRemovedError:
            # Release the reader at once, even before the caller's own close(): the handle is
            # useless now, and a forgotten close() must not keep the reader busy.
            self._removed = True
            self.close()
            raise

    def _transmit_raw(self, apdu: bytes) -> bytes:
        if self._removed:
            raise CardRemovedError("card left the reader")
        if self._closed:
            raise TransportError("connection already closed")
        try:
            hresult, response = scard.SCardTransmit(self._card, self._pci, list(apdu))
        except scard.error as exc:  # pyscard raises on malformed arguments only
            raise TransportError(f"SCardTransmit: {exc}") from None
        if _u32(hresult) != scard.SCARD_S_SUCCESS:
            raise self._failure(hresult)
        if not response:
            # Every ISO 7816 response carries SW1 SW2. An empty buffer with "success" is how vpcd
            # and several contactless readers report a card that left in the middle of the
            # exchange; pcscd's own presence flag lags by its poll period (~400 ms), so asking it
            # would miss the 100 ms budget for releasing the reader.
            raise CardRemovedError("card left the reader during the exchange (no status word)")
        return bytes(response)

    def _failure(self, hresult: int) -> CardError:
        """A failed exchange: the card is often gone even when the code says 'not transacted',
        so ask pcscd about the card before choosing between removed and transport error."""
        error = error_for(hresult, "SCardTransmit")
        if isinstance(error, TransportError) and not self._card_present():
            return CardRemovedError(f"card left the reader ({describe(hresult)})")
        return error

    def _card_present(self) -> bool:
        try:
            hresult, _reader, state, _protocol, _atr = scard.SCardStatus(self._card)
        except Exception:
            return False
        if _u32(hresult) != scard.SCARD_S_SUCCESS:
            return False
        return bool(state & SCARD_PRESENT)

    def close(self) -> None:
        """Disconnect and release the context. Never raises; safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for call, args in (
            (scard.SCardDisconnect, (self._card, scard.SCARD_LEAVE_CARD)),
            (scard.SCardReleaseContext, (self._context,)),
        ):
            try:
                call(*args)
            except Exception as exc:  # closing must not fail the caller's cleanup path
                log.debug("%s failed on close: %s", call.__name__, exc)

    def __enter__(self) -> PcscConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_connection(reader: str) -> PcscConnection:
    """Connect to the card in `reader`, T=0 or T=1 (contactless readers present T=1)."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if _u32(hresult) != scard.SCARD_S_SUCCESS:
        raise ReaderUnavailableError(f"no PC/SC service: {describe(hresult)}")
    try:
        hresult, card, protocol = scard.SCardConnect(
            context,
            reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if _u32(hresult) != scard.SCARD_S_SUCCESS:
            raise error_for(hresult, f"connect to {reader!r}")
        hresult, _reader, _state, protocol, atr = scard.SCardStatus(card)
        if _u32(hresult) != scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
            raise error_for(hresult, f"status of {reader!r}")
    except BaseException:
        scard.SCardReleaseContext(context)
        raise
    return PcscConnection(reader, context, card, protocol, bytes(atr))
