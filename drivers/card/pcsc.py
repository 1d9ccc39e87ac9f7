"""The PC/SC reader backend (pyscard): reader discovery, card insert/remove and reader plug/unplug
monitoring, connections (pcsc_connection.py).

Monitoring runs on ONE worker thread that owns its own PC/SC context and waits in
SCardGetStatusChange with a timeout, the pattern of DigiDoc4's reader monitor, rather than
pyscard's CardMonitor + ReaderMonitor: those are two threads polling with a shared context, they
cannot be stopped promptly (stop() would wait out their poll), and they swallow "no service"
instead of letting us report the readers gone. Here stop() cancels the wait (SCardCancel) and
joins; a lost or absent pcscd turns into READER_DETACHED events and a bounded-backoff reconnect.
"""

from __future__ import annotations

import logging
import threading

from smartcard import scard

from drivers.card.interface import (
    CardEvent,
    CardEventKind,
    EventCallback,
    ReaderUnavailableError,
)
from drivers.card.pcsc_connection import (
    UNAVAILABLE_CODES,
    PcscConnection,
    _u32,
    describe,
    error_for,
    open_connection,
)

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
WAIT_MS = 500  # the status-change wait; also bounds how late stop() can be seen
RECONNECT_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0)  # to a missing pcscd; the last one repeats
JOIN_TIMEOUT = 0.9

_SERVICE_LOST = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE})


def _list_readers(context: int) -> list[str]:
    hresult, readers = scard.SCardListReaders(context, [])
    hresult = _u32(hresult)
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        raise error_for(hresult, "list readers")
    return list(readers)


class _ServiceLost(Exception):
    pass


class PcscReaderBackend:
    """CardReaderBackend over pcsc-lite. `reader_filter` keeps readers whose name contains it."""

    name = "pcsc"

    def __init__(self, reader_filter: str = "") -> None:
        self.reader_filter = reader_filter.lower()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._monitor_context: int | None = None
        self._on_event: EventCallback | None = None
        self._present: dict[str, bool] = {}  # reader -> card present, as last reported

    # -- the contract -------------------------------------------------------------------------

    def start(self, on_event: EventCallback) -> None:
        if self._thread is not None:
            raise RuntimeError("backend already started")
        self._on_event = on_event
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._monitor_context is not None:
                scard.SCardCancel(self._monitor_context)
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT)
            if self._thread.is_alive():
                log.warning("pcsc monitor did not stop in time")
            self._thread = None

    def readers(self) -> list[str]:
        """Reader names now. Raises ReaderUnavailableError when pcscd is not running."""
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if _u32(hresult) != scard.SCARD_S_SUCCESS:
            raise ReaderUnavailableError(f"no PC/SC service: {describe(hresult)}")
        try:
            return self._filtered(_list_readers(context))
        finally:
            scard.SCardReleaseContext(context)

    def connect(self, reader: str) -> PcscConnection:
        return open_connection(reader)

    # -- the monitor thread -------------------------------------------------------------------

    def _filtered(self, readers: list[str]) -> list[str]:
        return [r for r in readers if self.reader_filter in r.lower()]

    def _emit(self, kind: CardEventKind, reader: str, atr: bytes = b"") -> None:
        if kind is CardEventKind.CARD_INSERTED:
            self._present[reader] = True
        elif kind is CardEventKind.CARD_REMOVED:
            self._present[reader] = False
        assert self._on_event is not None
        try:
            self._on_event(CardEvent(kind, reader, atr))
        except Exception:  # a faulty observer must not kill the monitor
            log.exception("card event observer failed on %s", kind.value)

    def _forget_all(self) -> None:
        """pcscd went away: every reader is gone as far as the app can tell."""
        for reader, present in list(self._present.items()):
            if present:
                self._emit(CardEventKind.CARD_REMOVED, reader)
            self._emit(CardEventKind.READER_DETACHED, reader)
        self._present.clear()

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if _u32(hresult) != scard.SCARD_S_SUCCESS:
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                if attempt == 0:
                    log.info("PC/SC service not available (%s); retrying", describe(hresult))
                attempt += 1
                self._stop.wait(delay)
                continue
            attempt = 0
            with self._lock:
                self._monitor_context = context
            try:
                self._watch(context)
            except _ServiceLost as exc:
                log.info("PC/SC service lost: %s", exc)
            except Exception:
                log.exception("pcsc monitor error; restarting the context")
                self._stop.wait(RECONNECT_DELAYS[0])
            finally:
                with self._lock:
                    self._monitor_context = None
                try:
                    scard.SCardReleaseContext(context)
                except Exception:
                    pass
            if not self._stop.is_set():
                self._forget_all()

    def _watch(self, context: int) -> None:
        """Wait for changes until stop (returns) or service loss (_ServiceLost)."""
        states: dict[str, int] = {}  # reader -> state we told pcscd we know
        pnp_state: int | None = 0  # None once pcscd says it has no PnP notification reader
        while not self._stop.is_set():
            try:
                current = self._filtered(_list_readers(context))
            except ReaderUnavailableError as exc:
                raise _ServiceLost(str(exc)) from None
            for reader in [r for r in states if r not in current]:
                del states[reader]
                if self._present.pop(reader, False):
                    self._emit(CardEventKind.CARD_REMOVED, reader)
                self._emit(CardEventKind.READER_DETACHED, reader)
            for reader in current:
                if reader not in states:
                    states[reader] = scard.SCARD_STATE_UNAWARE
                    self._present[reader] = False
                    self._emit(CardEventKind.READER_ATTACHED, reader)
            query = [(r, s) for r, s in states.items()]
            if pnp_state is not None:
                query.append((PNP_READER, pnp_state))
            if not query:  # no reader and no PnP: poll the list at the wait interval
                self._stop.wait(WAIT_MS / 1000)
                continue
            hresult, changes = scard.SCardGetStatusChange(context, WAIT_MS, query)
            hresult = _u32(hresult)
            if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                continue
            if hresult in _SERVICE_LOST:
                raise _ServiceLost(describe(hresult))
            if hresult != scard.SCARD_S_SUCCESS:
                # e.g. a reader vanished between the list and the wait: list again, a bit later.
                log.debug("SCardGetStatusChange: %s", describe(hresult))
                self._stop.wait(0.05)
                continue
            for reader, event_state, atr in changes:
                if reader == PNP_READER:
                    if event_state & scard.SCARD_STATE_UNKNOWN:
                        pnp_state = None
                    else:
                        pnp_state = event_state & ~scard.SCARD_STATE_CHANGED
                    continue
                if reader in states:
                    self._reader_changed(reader, states[reader], event_state, bytes(atr))
                    states[reader] = event_state & ~scard.SCARD_STATE_CHANGED

    def _reader_changed(self, reader: str, known: int, event_state: int, atr: bytes) -> None:
        if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE):
            return  # the reader is gone; the next listing reports it
        was = self._present.get(reader, False)
        now = bool(event_state & scard.SCARD_STATE_PRESENT) and not (
            event_state & scard.SCARD_STATE_MUTE
        )
        # pcsc-lite counts card events in the high 16 bits: a quick remove + insert between two
        # waits shows as the same "present" state with a different count.
        swapped = (
            was
            and now
            and known != scard.SCARD_STATE_UNAWARE
            and (known >> 16) != (event_state >> 16)
        )
        if was and (not now or swapped):
            self._emit(CardEventKind.CARD_REMOVED, reader)
        if now and (not was or swapped):
            self._emit(CardEventKind.CARD_INSERTED, reader, atr)


__all__ = ["PcscReaderBackend", "PcscConnection", "PNP_READER", "UNAVAILABLE_CODES"]
