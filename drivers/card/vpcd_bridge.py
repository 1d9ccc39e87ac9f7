"""Puts an APDU-level card (the virtual card) behind the real PC/SC stack, as the card side of
vsmartcard's vpcd driver: pcscd loads vpcd, vpcd listens on a TCP port, we connect to it.

Wire format (both ways): a 2-byte big-endian length, then the payload. A 1-byte payload from vpcd
is a control code: 0 power off, 1 power on, 2 reset, 4 "send the ATR" (the only one answered);
anything longer is a command APDU, answered with the response APDU. Connecting = card inserted,
disconnecting = card removed.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Callable, Protocol

from drivers.card.interface import CardRemovedError, ReaderUnavailableError, TransportError

log = logging.getLogger(__name__)

DEFAULT_PORT = 35963
CTRL_POWER_OFF, CTRL_POWER_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
POLL_S = 0.1  # socket timeout: how often a blocked read looks at the stop event
CONNECT_DELAYS = (0.05, 0.1, 0.2, 0.5, 1.0)  # backoff; the last one repeats


class ApduCard(Protocol):
    """What the bridge serves: drivers.card.virtual.VirtualCard has exactly this shape."""

    atr: bytes

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def process(self, apdu: bytes) -> bytes: ...


class VpcdUnavailableError(ReaderUnavailableError):
    """vpcd was not listening on the port within the allowed attempts."""

    reason = "vpcd_unavailable"


class _Closed(Exception):
    """The peer closed the connection, or stop was asked for while waiting."""


def _recv_exact(sock: socket.socket, n: int, stop: threading.Event) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        if stop.is_set():
            raise _Closed("stopped")
        try:
            chunk = sock.recv(n - len(buf))
        except socket.timeout:
            continue
        except OSError as exc:
            raise _Closed(str(exc)) from None
        if not chunk:
            raise _Closed("vpcd closed the connection")
        buf += chunk
    return bytes(buf)


def send_frame(sock: socket.socket, payload: bytes) -> None:
    if len(payload) > 0xFFFF:
        raise TransportError(f"frame of {len(payload)} bytes does not fit the vpcd length field")
    sock.sendall(len(payload).to_bytes(2, "big") + payload)


def recv_frame(sock: socket.socket, stop: threading.Event) -> bytes:
    length = int.from_bytes(_recv_exact(sock, 2, stop), "big")
    return _recv_exact(sock, length, stop)


def connect_vpcd(
    host: str, port: int, stop: threading.Event, attempts: int = 40
) -> socket.socket:
    """Connect, retrying with backoff while vpcd is not listening yet (pcscd still starting)."""
    last: Exception | None = None
    for attempt in range(attempts):
        if stop.is_set():
            raise _Closed("stopped")
        try:
            sock = socket.create_connection((host, port), timeout=2.0)
        except OSError as exc:
            last = exc
            stop.wait(CONNECT_DELAYS[min(attempt, len(CONNECT_DELAYS) - 1)])
            continue
        sock.settimeout(POLL_S)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise VpcdUnavailableError(f"vpcd not listening on {host}:{port} ({last})")


def serve(sock: socket.socket, card: ApduCard, stop: threading.Event) -> str:
    """Answer vpcd until it hangs up ('closed'), stop is set ('stopped') or the card leaves
    ('removed'). Frames are logged by kind and length only."""
    while True:
        try:
            payload = recv_frame(sock, stop)
        except _Closed as exc:
            return "stopped" if stop.is_set() else f"closed: {exc}"
        if len(payload) == 1:
            code = payload[0]
            if code == CTRL_POWER_OFF:
                card.power_off()
            elif code == CTRL_POWER_ON:
                card.power_on()
            elif code == CTRL_RESET:
                card.power_off()
                card.power_on()
            elif code == CTRL_ATR:
                send_frame(sock, bytes(card.atr))
            else:
                log.debug("vpcd control code %d ignored", code)
            continue
        try:
            response = card.process(payload)
        except CardRemovedError:
            return "removed"
        except Exception as exc:  # a broken card answers "no precise diagnosis", like a chip
            log.warning("card failed on APDU %s: %s", payload[:4].hex(), type(exc).__name__)
            response = b"\x6f\x00"
        log.debug("vpcd APDU %s: %d bytes in, %d out", payload[:4].hex(), len(payload), len(response))
        try:
            send_frame(sock, response)
        except OSError as exc:
            return f"closed: {exc}"


def run_bridge(
    card: ApduCard,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    stop: threading.Event | None = None,
    *,
    attempts: int = 40,
    reconnect: bool = True,
    on_connected: Callable[[], None] | None = None,
) -> str:
    """Serve `card` to vpcd at host:port until `stop` is set or the card is removed.

    Returns 'stopped' or 'removed'. Raises VpcdUnavailableError when vpcd does not listen within
    `attempts` tries. When vpcd hangs up (pcscd restarted) it reconnects if `reconnect`, else
    returns 'closed'. Leaving always closes the socket, which the reader sees as card removal.
    """
    stop = stop or threading.Event()
    while True:
        try:
            sock = connect_vpcd(host, port, stop, attempts)
        except _Closed:
            return "stopped"
        try:
            if on_connected is not None:
                on_connected()
            outcome = serve(sock, card, stop)
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if outcome in ("stopped", "removed"):
            return outcome
        log.info("vpcd connection ended (%s)", outcome)
        if not reconnect or stop.is_set():
            return "stopped" if stop.is_set() else "closed"
        try:
            card.power_off()
        except Exception:  # a reset card on reconnect is what a real re-insert gives
            pass


class BridgeThread:
    """run_bridge on a thread, for tests and the simulator panel: `remove()` pulls the card."""

    def __init__(self, card: ApduCard, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 **kwargs: object) -> None:
        self.stop_event = threading.Event()
        self.connected = threading.Event()
        self.outcome: str | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(card, host, port, kwargs), name="vpcd-bridge", daemon=True
        )

    def _run(self, card: ApduCard, host: str, port: int, kwargs: dict) -> None:
        try:
            self.outcome = run_bridge(card, host, port, self.stop_event,
                                      on_connected=self.connected.set, **kwargs)
        except BaseException as exc:  # reported to the owner through .error
            self.error = exc

    def start(self) -> BridgeThread:
        self._thread.start()
        return self

    def remove(self, timeout: float = 2.0) -> None:
        self.stop_event.set()
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()
