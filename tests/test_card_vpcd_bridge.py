"""The vpcd wire protocol of the bridge, against a fake vpcd (a plain listening socket)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from drivers.card.interface import CardRemovedError
from drivers.card.vpcd_bridge import BridgeThread, VpcdUnavailableError, run_bridge

ATR = bytes.fromhex("3B8880010000000000000000")


class TinyCard:
    """An ApduCard: answers SELECT with 9000, READ BINARY with `size` bytes, 'EE' with removal."""

    def __init__(self, size: int = 4) -> None:
        self.atr = ATR
        self.size = size
        self.log: list[str] = []

    def power_on(self) -> None:
        self.log.append("on")

    def power_off(self) -> None:
        self.log.append("off")

    def process(self, apdu: bytes) -> bytes:
        self.log.append(apdu[:2].hex())
        if apdu[1] == 0xEE:
            raise CardRemovedError("pulled out")
        if apdu[1] == 0xB0:
            return bytes(i & 0xFF for i in range(self.size)) + b"\x90\x00"
        return b"\x90\x00"


class FakeVpcd:
    """Listens like vpcd; the test drives the reader side."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(5)
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.conn, _ = self.server.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(len(payload).to_bytes(2, "big") + payload)

    def recv(self) -> bytes:
        assert self.conn is not None
        head = self._exact(2)
        return self._exact(int.from_bytes(head, "big"))

    def _exact(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.conn.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def closed_by_card(self) -> bool:
        assert self.conn is not None
        return self.conn.recv(1) == b""

    def close(self) -> None:
        if self.conn:
            self.conn.close()
        self.server.close()


@pytest.fixture
def vpcd():
    fake = FakeVpcd()
    yield fake
    fake.close()


def test_control_codes_and_apdus(vpcd: FakeVpcd) -> None:
    card = TinyCard(size=300)
    bridge = BridgeThread(card, port=vpcd.port).start()
    vpcd.accept()
    assert bridge.connected.wait(2)
    vpcd.send(b"\x01")  # power on: no answer
    vpcd.send(b"\x04")  # ATR
    assert vpcd.recv() == ATR
    vpcd.send(bytes.fromhex("00A4040C07A0000002471001"))
    assert vpcd.recv() == b"\x90\x00"
    vpcd.send(bytes.fromhex("00B0000000012C"))  # extended: 300 bytes + SW in one frame
    response = vpcd.recv()
    assert len(response) == 302 and response[-2:] == b"\x90\x00"
    vpcd.send(b"\x02")  # reset = off + on
    vpcd.send(b"\x00")
    vpcd.send(b"\x04")
    assert vpcd.recv() == ATR
    assert card.log == ["on", "00a4", "00b0", "off", "on", "off"]
    bridge.remove()
    assert bridge.outcome == "stopped"
    assert vpcd.closed_by_card()


def test_stop_disconnects_promptly(vpcd: FakeVpcd) -> None:
    bridge = BridgeThread(TinyCard(), port=vpcd.port).start()
    vpcd.accept()
    start = time.monotonic()
    bridge.remove()
    assert not bridge.is_alive() and time.monotonic() - start < 0.5
    assert vpcd.closed_by_card()


def test_card_removed_during_apdu_closes_the_connection(vpcd: FakeVpcd) -> None:
    bridge = BridgeThread(TinyCard(), port=vpcd.port).start()
    vpcd.accept()
    vpcd.send(bytes.fromhex("00EE000000"))
    assert vpcd.closed_by_card()
    bridge.remove()
    assert bridge.outcome == "removed" and bridge.error is None


def test_waits_for_vpcd_to_listen() -> None:
    # Reserve a port, release it, start the bridge, then listen: the retries must find it.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    bridge = BridgeThread(TinyCard(), port=port).start()
    time.sleep(0.3)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(1)
    server.settimeout(5)
    conn, _ = server.accept()
    assert bridge.connected.wait(2)
    bridge.remove()
    conn.close()
    server.close()


def test_gives_up_after_bounded_attempts() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    start = time.monotonic()
    with pytest.raises(VpcdUnavailableError) as info:
        run_bridge(TinyCard(), "127.0.0.1", port, threading.Event(), attempts=3)
    assert info.value.reason == "vpcd_unavailable"
    assert time.monotonic() - start < 2


def test_reconnects_when_vpcd_hangs_up(vpcd: FakeVpcd) -> None:
    """pcscd restarted: vpcd drops the card side; the bridge comes back (card re-inserted)."""
    bridge = BridgeThread(TinyCard(), port=vpcd.port).start()
    vpcd.accept()
    vpcd.conn.close()
    vpcd.accept()
    vpcd.send(b"\x04")
    assert vpcd.recv() == ATR
    bridge.remove()
    assert bridge.outcome == "stopped"


def test_a_broken_card_answers_6f00_instead_of_hanging_up(vpcd: FakeVpcd) -> None:
    class Broken(TinyCard):
        def process(self, apdu: bytes) -> bytes:
            raise ZeroDivisionError

    bridge = BridgeThread(Broken(), port=vpcd.port).start()
    vpcd.accept()
    vpcd.send(bytes.fromhex("00B0000000"))
    assert vpcd.recv() == b"\x6f\x00"
    bridge.remove()
