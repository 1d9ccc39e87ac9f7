"""The whole chip read through the production path: a private pcscd with vpcd, the virtual CCCD
served by the bridge, PcscReaderBackend + read_document over pyscard (and the CLI, as a
separate process talking to that pcscd)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date

import pytest

from drivers.card.access_keys import keys_from_identity
from drivers.card.interface import CardRemovedError
from drivers.card.pcsc import PcscReaderBackend
from drivers.card.reading import ReadOptions, read_document
from drivers.card.virtual import FaultPlan, VirtualCard, load_profile, profiles_dir, test_pki
from drivers.card.vpcd_bridge import BridgeThread

pytestmark = pytest.mark.pcscd
PROFILE = profiles_dir() / "adult-2021.json"
KEYS = keys_from_identity("001090012345", date(1990, 1, 15), date(2021, 4, 10), date(2026, 1, 1))


def _wait_present(reader: str, present: bool, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            PcscReaderBackend().connect(reader).close()
            if present:
                return
        except CardRemovedError:
            if not present:
                return
        time.sleep(0.05)
    raise AssertionError(f"card {'never arrived' if present else 'never left'}")


class _Inserted:
    def __init__(self, pcscd, card) -> None:
        self.pcscd, self.card = pcscd, card

    def __enter__(self):
        self.bridge = BridgeThread(self.card, port=self.pcscd.port).start()
        assert self.bridge.connected.wait(5), self.bridge.error
        _wait_present(self.pcscd.reader, True)
        return self

    def __exit__(self, *exc) -> None:
        self.bridge.remove()
        _wait_present(self.pcscd.reader, False)


@pytest.mark.parametrize("pace, extended", [(True, True), (True, False), (False, True)])
def test_full_read_through_pcscd(pcscd, tmp_path, pace, extended):
    p = load_profile(PROFILE)
    p.card.pace, p.card.extended_length = pace, extended
    with _Inserted(pcscd, VirtualCard(p)):
        conn = PcscReaderBackend().connect(pcscd.reader)
        try:
            r = read_document(conn, KEYS, ReadOptions(trust_store=test_pki().write_trust_store(tmp_path / "ts")))
        finally:
            conn.close()
    assert r.identity["full_name"] == "Nguyễn Văn An"
    assert r.face_jpeg == p.face_image.read_bytes()
    assert r.stats.protocol == ("PACE-ECDH-GM-AES128" if pace else "BAC-3DES")
    assert r.auth.verified and r.auth.chip_authentication == "passed"


def test_card_removed_mid_read_through_pcscd(pcscd):
    with _Inserted(pcscd, VirtualCard(load_profile(PROFILE), FaultPlan(remove_at_apdu=14))):
        conn = PcscReaderBackend().connect(pcscd.reader)
        try:
            with pytest.raises(CardRemovedError):
                read_document(conn, KEYS, ReadOptions())
        finally:
            conn.close()


def test_cli_reads_through_pcscd(pcscd):
    with _Inserted(pcscd, VirtualCard(load_profile(PROFILE))):
        proc = subprocess.run(
            [sys.executable, "-m", "app", "card", "read", "--json", "--reader", "Virtual PCD",
             "--skip-face", "--qr",
             "001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|10042021"],
            capture_output=True, text=True, env=pcscd.env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["identity"]["id_number"] == "001090012345"
    assert data["statistics"]["protocol"] == "PACE-ECDH-GM-AES128"
