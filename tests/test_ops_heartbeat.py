"""The fleet heartbeat: signed like the sync (same per-kiosk secret), stored as the latest per
kiosk on SQLite and PostgreSQL, listed for agencies at GET /v1/kiosks; from a running kiosk after
a whole simulated visit, with its devices, queue and last sync, and no personal data."""

from __future__ import annotations

import json
import secrets

import httpx
import pytest

from app.heartbeat import HeartbeatError, make_http_client, send_heartbeat
from endpoint.embedded import EmbeddedEndpoint
from tests.fixtures.kiosk import make_kiosk, waiter


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def endpoint(request, tmp_path):
    db = (str(tmp_path / "ep.sqlite3") if request.param == "sqlite"
          else request.getfixturevalue("postgres_url"))
    ep = EmbeddedEndpoint(db)
    ep.start()
    yield ep
    ep.stop()


def agency(ep: EmbeddedEndpoint, token: str | None = None) -> httpx.Client:
    return httpx.Client(base_url=ep.base_url, timeout=10, headers={
        "Authorization": f"Bearer {token or ep.agency_token}"})


def test_heartbeat_is_stored_latest_per_kiosk_and_listed(endpoint):
    secret = secrets.token_bytes(32)
    endpoint.register_kiosk("kiosk-a", secret)
    endpoint.register_kiosk("kiosk-b", secrets.token_bytes(32))
    client = make_http_client(endpoint.base_url, "kiosk-a", secret)
    try:
        send_heartbeat(client, {"kiosk_id": "kiosk-a", "version": "0.1.0",
                                "outbox": {"pending": 3}, "full_name": "Nguyễn Văn A"})
        answer = send_heartbeat(client, {"kiosk_id": "kiosk-a", "version": "0.1.1",
                                         "outbox": {"pending": 0},
                                         "devices": {"card": {"state": "ready"}}})
        assert answer["ok"] is True
        with pytest.raises(HeartbeatError) as exc:  # another kiosk's id in the body
            send_heartbeat(client, {"kiosk_id": "kiosk-b"})
        assert exc.value.code == "kiosk_id_mismatch"
        with pytest.raises(HeartbeatError) as exc:
            send_heartbeat(client, {"kiosk_id": "kiosk-a", "devices": "x" * 20000})
        assert exc.value.code == "too_large"
    finally:
        client.close()

    with agency(endpoint) as a:
        body = a.get("/v1/kiosks").json()
    by_id = {k["kiosk_id"]: k for k in body["kiosks"]}
    a_ = by_id["kiosk-a"]
    assert a_["heartbeat"]["version"] == "0.1.1"  # the latest only
    assert a_["heartbeat"]["devices"] == {"card": {"state": "ready"}}
    assert "full_name" not in json.dumps(a_)  # unknown keys are dropped
    assert a_["stale"] is False and a_["age_seconds"] < 60 and a_["last_seen_at"]
    assert by_id["kiosk-b"]["heartbeat"] is None and by_id["kiosk-b"]["stale"] is True


def test_heartbeat_routes_are_authenticated(endpoint):
    r = httpx.post(endpoint.base_url + "/v1/kiosks/heartbeat", json={"kiosk_id": "x"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unsigned"
    with agency(endpoint, token="wrong") as a:
        assert a.get("/v1/kiosks").status_code == 401
    assert httpx.get(endpoint.base_url + "/v1/kiosks").status_code == 401
    endpoint.register_kiosk("kiosk-c", secrets.token_bytes(32))
    client = make_http_client(endpoint.base_url, "kiosk-c", b"not the secret")
    try:
        with pytest.raises(HeartbeatError) as exc:
            send_heartbeat(client, {"kiosk_id": "kiosk-c"})
        assert exc.value.code == "bad_signature"
    finally:
        client.close()


def test_a_running_kiosk_reports_itself_without_personal_data(qtbot, tmp_path):
    from app.ui.scripted import load_identity, run_visit

    profile = load_identity("adult-2021")
    with make_kiosk(qtbot, tmp_path, "admin.heartbeat_seconds=1", "kiosk.id=kiosk-hb-1") as app:
        wait = waiter(qtbot)
        code = run_visit(app, "hospital_bhyt_checkin", ["adult-2021"], wait=wait)
        hb = app.ops.heartbeat
        assert hb is not None
        sent = hb.sent
        app.admin.sync_now.click()  # wakes the sync and the heartbeat
        qtbot.waitUntil(lambda: hb.sent > sent and app.ops.counts.get("delivered", 0) >= 1,
                        timeout=15000)
        qtbot.waitUntil(lambda: hb.sent > sent + 1, timeout=15000)  # a beat after the counts
        ep = app.services.endpoint
        with agency(ep) as a:
            kiosks = {k["kiosk_id"]: k for k in a.get("/v1/kiosks").json()["kiosks"]}
    beat = kiosks["kiosk-hb-1"]["heartbeat"]
    assert beat["version"] and beat["profile"] == "hospital" and beat["simulator"] is True
    assert set(beat["devices"]) == {"card", "camera", "scanner", "printer"}
    assert all(d["state"] == "ready" for d in beat["devices"].values())
    assert beat["devices"]["card"]["live"] == "readers=1"
    assert beat["outbox"]["counts"]["delivered"] >= 1
    assert beat["sync"]["last_at"]
    text = json.dumps(beat, ensure_ascii=False)
    for secret in (profile["id_number"], profile["full_name"], profile["birth_date"],
                   profile["place_of_residence"], code):
        assert secret not in text
