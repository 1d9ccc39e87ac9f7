"""sync_once and SyncService against the embedded endpoint; the adapter seam."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Sequence

import httpx
import pytest

from app.outbox import Outbox
from app.outbox.store import Claim
from app.sync import (OfflineError, Outcome, SyncReport, SyncService, load_or_create_secret,
                      make_client, sync_once)
from endpoint.embedded import EmbeddedEndpoint


@pytest.fixture
def ep(tmp_path):
    e = EmbeddedEndpoint(str(tmp_path / "ep.sqlite3"))
    e.start()
    yield e
    e.stop()


@pytest.fixture
def kiosk(tmp_path, ep):
    secret = load_or_create_secret(tmp_path / "kiosk.secret")
    ep.register_kiosk("kiosk-1", secret)
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    client = make_client(ep.base_url, "kiosk-1", secret, timeout=5)
    yield ob, client
    client.close()
    ob.close()


def agency(ep):
    return httpx.Client(base_url=ep.base_url, headers={"Authorization":
                                                       f"Bearer {ep.agency_token}"})


def test_secret_file_is_0600_and_stable(tmp_path):
    import os
    import stat

    a = load_or_create_secret(tmp_path / "s" / "kiosk.secret")
    assert len(a) == 32 and load_or_create_secret(tmp_path / "s" / "kiosk.secret") == a
    assert stat.S_IMODE(os.stat(tmp_path / "s" / "kiosk.secret").st_mode) == 0o600


def test_delivers_in_batches_and_brings_statuses_back(ep, kiosk):
    ob, client = kiosk
    codes = [ob.submit("lodging.notify", {"guest": f"G{i}"}).dossier_code for i in range(120)]
    report = sync_once(ob, client, batch_size=50)
    assert report == SyncReport(delivered=120)
    assert ob.counts()["delivered"] == 120
    assert ob.item(codes[0]).agency_status == "received"
    with agency(ep) as a:
        rows = a.get("/v1/dossiers").json()["dossiers"]
        assert sorted(r["dossier_code"] for r in rows) == sorted(codes)
        a.post(f"/v1/dossiers/{rows[0]['id']}/status", json={"status": "processing"})
        a.post(f"/v1/dossiers/{rows[0]['id']}/status", json={"status": "completed"})
        a.post(f"/v1/dossiers/{rows[1]['id']}/status", json={"status": "returned"})
    report = sync_once(ob, client)
    assert report.status_updates == 2 and report.delivered == 0
    assert ob.item(rows[0]["dossier_code"]).agency_status == "completed"
    assert ob.item(rows[1]["dossier_code"]).agency_status == "returned"
    # final statuses are not asked for again
    assert rows[0]["dossier_code"] not in [c for c, _ in ob.status_checks()]


def test_rejected_item_does_not_block_the_queue(ep, kiosk):
    ob, client = kiosk
    bad = ob.submit("a.b", {"x": 1})
    # the endpoint already holds another submission under this key: it must refuse this one
    client.client.post("/v1/dossiers/batch", json={"items": [{
        "idempotency_key": bad.idempotency_key, "dossier_code": bad.dossier_code,
        "procedure_id": "a.b", "payload": {"x": "something else"}}]}).raise_for_status()
    good = ob.submit("a.b", {"x": 2}).dossier_code
    report = sync_once(ob, client)
    assert report.delivered == 1 and report.rejected == 1
    item = ob.item(bad.dossier_code)
    assert item.state == "rejected" and item.last_error == "idempotency_conflict"
    assert ob.item(good).state == "delivered"


def test_offline_keeps_everything_queued(tmp_path):
    from tests.fixtures.postgres import free_port

    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    code = ob.submit("a.b", {"x": 1}).dossier_code
    client = make_client(f"http://127.0.0.1:{free_port()}", "k", b"k" * 32, timeout=2)
    report = sync_once(ob, client)
    assert report.offline and report.retried == 1 and report.delivered == 0
    item = ob.item(code)
    assert item.state == "queued" and item.failures == 0
    assert item.last_error == "network:ConnectError"
    client.close()
    ob.close()


def test_auth_failure_is_retried_not_rejected(ep, tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    code = ob.submit("a.b", {"x": 1}).dossier_code
    client = make_client(ep.base_url, "not-registered", b"k" * 32)
    report = sync_once(ob, client)
    assert report.retried == 1 and not report.offline
    item = ob.item(code)
    assert item.state == "queued" and item.last_error == "auth:bad_signature"
    client.close()
    ob.close()


def test_tls_verification_is_on(tmp_path):
    c = make_client("https://127.0.0.1:1", "k", b"k" * 32)
    assert c.client._transport._pool._ssl_context.verify_mode.name == "CERT_REQUIRED"
    c.close()


class ProvinceAdapter:
    """A second wire protocol, added without touching the outbox."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def deliver(self, claims: Sequence[Claim]) -> list[Outcome]:
        out = []
        for c in claims:
            if c.payload.get("refuse"):
                out.append(Outcome("rejected", "province:missing_field"))
            else:
                self.sent.append(c.idempotency_key)
                out.append(Outcome("delivered", "accepted", agency_status="received"))
        return out

    def fetch_statuses(self, keys):
        raise OfflineError("statuses not offered by this province")

    def close(self) -> None:
        pass


def test_a_province_adapter_plugs_in(tmp_path):
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    deadline = datetime.now(timezone.utc) + timedelta(hours=1)
    late = ob.submit("a.b", {"x": 1})
    urgent = ob.submit("lodging.notify", {"x": 2}, deadline=deadline)
    ob.submit("a.b", {"refuse": True})
    adapter = ProvinceAdapter()
    report = sync_once(ob, adapter)
    assert report.delivered == 2 and report.rejected == 1
    assert adapter.sent == [urgent.idempotency_key, late.idempotency_key]  # deadline first
    ob.close()


def test_sync_service_runs_on_its_own_thread_and_wakes(ep, tmp_path):
    secret = load_or_create_secret(tmp_path / "kiosk.secret")
    ep.register_kiosk("kiosk-1", secret)
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    reports: list[tuple[SyncReport, str]] = []
    got = threading.Event()

    def on_report(r: SyncReport) -> None:
        reports.append((r, threading.current_thread().name))
        if r.delivered:
            got.set()

    svc = SyncService(tmp_path / "o.db", tmp_path / "o.key",
                      lambda: make_client(ep.base_url, "kiosk-1", secret), 60.0, on_report)
    svc.start()
    try:
        code = ob.submit("a.b", {"x": 1}).dossier_code
        svc.wake()
        assert got.wait(10)
        assert ob.item(code).state == "delivered"
        assert all(name == "outbox-sync" for _, name in reports)
        assert threading.main_thread().name not in {n for _, n in reports}
    finally:
        svc.stop()
    assert not svc.running
    ob.close()


def test_sync_service_reports_a_corrupt_outbox(tmp_path):
    (tmp_path / "o.db").write_bytes(b"garbage" * 1000)
    errors = []
    done = threading.Event()
    svc = SyncService(tmp_path / "o.db", tmp_path / "o.key", lambda: None, 1.0,
                      lambda r: None, on_error=lambda e: (errors.append(e), done.set()))
    svc.start()
    assert done.wait(5)
    svc.stop()
    assert getattr(errors[0], "reason", "") == "corrupt"


def test_status_refusal_is_an_error_not_offline(ep, kiosk):
    ob, client = kiosk
    ob.submit("a.b", {"x": 1})
    assert sync_once(ob, client).delivered == 1
    ep.register_kiosk("kiosk-1", b"z" * 32)   # re-keyed at the endpoint: our signature fails
    report = sync_once(ob, client)
    assert not report.offline and report.error == "status:auth:bad_signature"


def test_sync_service_retries_building_its_client(ep, tmp_path):
    secret = load_or_create_secret(tmp_path / "kiosk.secret")
    ep.register_kiosk("kiosk-1", secret)
    attempts, errors = [], []
    delivered = threading.Event()

    def factory():
        attempts.append(1)
        if len(attempts) == 1:
            raise FileNotFoundError("ca file")
        return make_client(ep.base_url, "kiosk-1", secret)

    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    ob.submit("a.b", {"x": 1})
    svc = SyncService(tmp_path / "o.db", tmp_path / "o.key", factory, 0.2,
                      lambda r: r.delivered and delivered.set(), on_error=errors.append)
    svc.start()
    try:
        assert delivered.wait(10)
    finally:
        svc.stop()
    assert len(attempts) == 2 and isinstance(errors[0], FileNotFoundError)
    ob.close()


def test_no_personal_data_in_kiosk_or_endpoint_logs(ep, kiosk, caplog):
    ob, client = kiosk
    caplog.set_level("DEBUG")
    name, id_number = "Đặng Thị Riêng Tư", "079555666777"
    code = ob.submit("lodging.notify", {"guest": name, "id": id_number}).dossier_code
    assert sync_once(ob, client).delivered == 1
    with agency(ep) as a:
        rid = a.get("/v1/dossiers").json()["dossiers"][0]["id"]
        a.post(f"/v1/dossiers/{rid}/status", json={"status": "processing"})
    sync_once(ob, client)
    text = caplog.text
    assert code in text                          # codes and states are logged...
    assert name not in text and id_number not in text and "Riêng" not in text  # ...data never
