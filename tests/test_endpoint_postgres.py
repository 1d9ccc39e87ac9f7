"""The production path: several uvicorn workers on a real PostgreSQL server (started by the
postgres fixture), many kiosks syncing at once, duplicates racing across workers."""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter

import httpx
import pytest

from app.outbox import Outbox
from app.sync import make_client, sync_once
from app.sync.signing import KioskAuth

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_endpoint(postgres_url, endpoint_factory):
    return endpoint_factory(db=postgres_url, workers=3)


def test_many_kiosks_on_three_workers_exactly_once(pg_endpoint, tmp_path):
    ep = pg_endpoint
    assert httpx.get(ep.url + "/healthz").json()["db"] == "postgres"
    kiosks = []
    for k in range(12):
        secret = os.urandom(32)
        ep.register_kiosk(f"kiosk-{k:02d}", secret)
        ob = Outbox.open(tmp_path / f"{k}.db", tmp_path / f"{k}.key")
        ob.submit_many([("lodging.notify", {"guest": f"G{k}-{i}"}, None, 0) for i in range(40)])
        kiosks.append((f"kiosk-{k:02d}", secret, ob))
    errors: list[BaseException] = []

    def run(kid, secret, ob, resend: bool) -> None:
        try:
            with_client = make_client(ep.url, kid, secret, timeout=30)
            if resend:  # the answers were "lost": every row goes again
                ob.db.execute("UPDATE outbox SET state='queued', next_attempt_at=0")
            report = sync_once(ob, with_client, batch_size=15)
            assert report.delivered == 40 and not report.offline, report
            with_client.close()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    for resend in (False, True):
        threads = [threading.Thread(target=run, args=(*k, resend)) for k in kiosks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[0]
    rows = ep.dossiers()
    keys = Counter((r["kiosk_id"], r["idempotency_key"]) for r in rows)
    assert len(rows) == 12 * 40 and max(keys.values()) == 1
    for kid, _, ob in kiosks:
        mine = {r[0] for r in ob.db.execute("SELECT idempotency_key FROM outbox")}
        assert mine == {k for (kk, k) in keys if kk == kid}
        ob.close()


def test_concurrent_duplicates_across_workers(pg_endpoint):
    ep = pg_endpoint
    secret = os.urandom(32)
    ep.register_kiosk("kiosk-dup", secret)
    item = {"idempotency_key": str(uuid.uuid4()), "dossier_code": "HS-261123-ABCDEF",
            "procedure_id": "lodging.notify", "payload": {"guest": "G"}}
    answers, errors = [], []
    barrier = threading.Barrier(24)

    def send() -> None:
        try:
            with httpx.Client(base_url=ep.url, auth=KioskAuth("kiosk-dup", secret),
                              timeout=30) as c:
                barrier.wait()
                r = c.post("/v1/dossiers/batch", json={"items": [item]})
                answers.append(r.json()["results"][0])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    assert Counter(a["outcome"] for a in answers) == {"accepted": 1, "duplicate": 23}
    assert len({(a["id"], a["received_at"]) for a in answers}) == 1
    assert len(ep.dossiers("kiosk-dup")) == 1


def test_agency_statuses_and_replay_on_postgres(pg_endpoint, tmp_path):
    ep = pg_endpoint
    secret = os.urandom(32)
    ep.register_kiosk("kiosk-st", secret)
    ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
    code = ob.submit("birth.registration", {"child": "C"}).dossier_code
    client = make_client(ep.url, "kiosk-st", secret)
    assert sync_once(ob, client).delivered == 1
    [row] = ep.dossiers("kiosk-st")
    with ep.agency() as a:
        assert a.post(f"/v1/dossiers/{row['id']}/status",
                      json={"status": "processing"}).status_code == 200
    assert sync_once(ob, client).status_updates == 1
    assert ob.item(code).agency_status == "processing"
    # a replayed request is refused by whichever worker receives it (nonces live in the DB)
    from app.sync.signing import sign_headers

    body = b'{"idempotency_keys": []}'
    h = sign_headers(secret, "kiosk-st", "POST", "/v1/dossiers/status", body)
    codes = [httpx.post(ep.url + "/v1/dossiers/status", content=body, headers=h).status_code
             for _ in range(6)]
    assert codes[0] == 200 and set(codes[1:]) == {401}
    client.close()
    ob.close()


def test_embedded_endpoint_on_postgres(postgres_url, tmp_path):
    from endpoint.embedded import EmbeddedEndpoint

    ep = EmbeddedEndpoint(postgres_url)
    url = ep.start()
    try:
        secret = os.urandom(32)
        ep.register_kiosk("kiosk-emb", secret)
        ob = Outbox.open(tmp_path / "o.db", tmp_path / "o.key")
        ob.submit_many([("a.b", {"i": i}, None, 0) for i in range(30)])
        client = make_client(url, "kiosk-emb", secret)
        assert sync_once(ob, client, batch_size=7).delivered == 30
        assert httpx.get(url + "/healthz").json()["db"] == "postgres"
        client.close()
        ob.close()
    finally:
        ep.stop()
