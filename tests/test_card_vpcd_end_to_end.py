"""End to end through the real PC/SC stack: the virtual card (drivers.card.virtual) served by the
vpcd bridge to a private pcscd, read by the production pipeline (drivers.card.reading) over
PcscReaderBackend, exactly as the kiosk reads a physical card."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import queue
import threading
import time

import pytest

from drivers.card.access_keys import AccessKey
from drivers.card.interface import CardEvent, CardEventKind, CardRemovedError
from drivers.card.pcsc import PcscReaderBackend
from drivers.card.reading import ReadOptions, read_document
from drivers.card.virtual import FaultPlan, VirtualCard, load_profile, profiles_dir
from drivers.card.vpcd_bridge import BridgeThread

pytestmark = pytest.mark.pcscd

PROFILE = profiles_dir() / "adult-2021.json"


def _wait_card(backend: PcscReaderBackend, reader: str, timeout: float = 5.0) -> None:
    """Until pcscd reports the card (it polls vpcd every few hundred ms)."""
    seen: queue.Queue[CardEvent] = queue.Queue()
    backend.start(seen.put)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = seen.get(timeout=0.1)
        except queue.Empty:
            continue
        if event.kind is CardEventKind.CARD_INSERTED and event.reader == reader:
            return
    raise AssertionError("card never reported inserted")


def _wait_gone(reader: str) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            PcscReaderBackend().connect(reader).close()
        except CardRemovedError:
            return
        time.sleep(0.05)
    raise AssertionError("pcscd still reports the card")


def test_full_read_of_a_virtual_card_through_pcscd(pcscd) -> None:
    profile = load_profile(PROFILE)
    expected = json.loads(PROFILE.read_text(encoding="utf-8"))["identity"]
    bridge = BridgeThread(VirtualCard(profile), port=pcscd.port).start()
    backend = PcscReaderBackend(pcscd.reader)
    try:
        _wait_card(backend, pcscd.reader)
        with backend.connect(pcscd.reader) as conn:
            result = read_document(conn, [AccessKey.can(expected["id_number"][-6:])],
                                   ReadOptions(face=True))
        assert result.identity["id_number"] == expected["id_number"]
        assert result.identity["full_name"] == expected["full_name"]
        assert result.face_jpeg
        assert result.stats.protocol.startswith("PACE")
        # The extended-length path really went through pcscd and vpcd (responses > 258 bytes).
        assert result.stats.extended_length and result.stats.block_size > 256
    finally:
        backend.stop()
        bridge.remove()
        _wait_gone(pcscd.reader)


def test_read_cancelled_by_card_removal_releases_the_reader_within_100ms(pcscd) -> None:
    """Issue 3 item 9 with the production pipeline: the virtual card leaves mid-read (fault plan),
    the bridge hangs up, read_document raises CardRemovedError, the reader is released (connection
    closed, monitor stopped) within 100 ms of the removal."""
    removed: dict[str, float] = {}

    class Recorded(VirtualCard):
        def process(self, command: bytes) -> bytes:
            try:
                return super().process(command)
            except CardRemovedError:
                removed.setdefault("at", time.monotonic())
                raise

    expected = json.loads(PROFILE.read_text(encoding="utf-8"))["identity"]
    card = Recorded(load_profile(PROFILE), FaultPlan(remove_at_apdu=25))
    bridge = BridgeThread(card, port=pcscd.port).start()
    backend = PcscReaderBackend(pcscd.reader)
    outcome: dict[str, object] = {}
    try:
        _wait_card(backend, pcscd.reader)
        conn = backend.connect(pcscd.reader)

        def card_worker() -> None:  # the app's card worker thread
            try:
                read_document(conn, [AccessKey.can(expected["id_number"][-6:])], ReadOptions())
            except CardRemovedError as exc:
                outcome["error"] = exc
            finally:
                conn.close()
                outcome["closed_at"] = time.monotonic()

        worker = threading.Thread(target=card_worker)
        worker.start()
        worker.join(10)
        backend.stop()
        released_at = time.monotonic()
        assert isinstance(outcome.get("error"), CardRemovedError), outcome
        assert outcome["closed_at"] - removed["at"] < 0.1
        assert released_at - removed["at"] < 0.1
    finally:
        backend.stop()
        bridge.remove()
        _wait_gone(pcscd.reader)


KIOSK = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def test_kiosk_card_emulate_and_kiosk_card_read_as_two_processes(pcscd) -> None:
    expected = json.loads(PROFILE.read_text(encoding="utf-8"))["identity"]
    emulate = subprocess.Popen(
        KIOSK + ["card", "emulate", "--vpcd", f"127.0.0.1:{pcscd.port}", "--profile", str(PROFILE)],
        env=pcscd.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = emulate.stdout.readline()
        assert f"card inserted into vpcd at 127.0.0.1:{pcscd.port}" in line, emulate.stderr.read()
        _wait_present(pcscd.reader)
        read = subprocess.run(
            KIOSK + ["card", "read", "--json", "--reader", pcscd.reader,
                     "--id-number", expected["id_number"]],
            env=pcscd.env(), capture_output=True, text=True, timeout=60,
        )
        assert read.returncode == 0, read.stderr
        data = json.loads(read.stdout)
        assert data["identity"]["id_number"] == expected["id_number"]
        assert data["identity"]["full_name"] == expected["full_name"]
        assert data["statistics"]["apdus"] > 10
    finally:
        emulate.send_signal(signal.SIGTERM)
        try:
            rc = emulate.wait(5)
        except subprocess.TimeoutExpired:
            emulate.kill()
            emulate.wait(5)
            rc = None
        emulate.stdout.close()
        emulate.stderr.close()
    assert rc == 0  # SIGTERM is the normal way to take the card away
    _wait_gone(pcscd.reader)


def _wait_present(reader: str) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            PcscReaderBackend().connect(reader).close()
            return
        except CardRemovedError:
            time.sleep(0.05)
    raise AssertionError("pcscd never reported the emulated card")
