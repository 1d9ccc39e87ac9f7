"""The reference endpoint's HTTP contract: signing, refusals, idempotency, agency API, spec."""

from __future__ import annotations

import json
import threading
import time
import uuid

import httpx
import pytest

from app.sync.signing import KioskAuth, sign_headers
from endpoint import signing as ep_signing
from endpoint.app import MAX_BODY_BYTES
from endpoint.embedded import EmbeddedEndpoint

SECRET = b"s" * 32


@pytest.fixture
def ep(tmp_path):
    e = EmbeddedEndpoint(str(tmp_path / "ep.sqlite3"))
    e.start()
    e.register_kiosk("kiosk-a", SECRET)
    e.register_kiosk("kiosk-b", b"b" * 32)
    yield e
    e.stop()


def kiosk(ep, kiosk_id="kiosk-a", secret=SECRET) -> httpx.Client:
    return httpx.Client(base_url=ep.base_url, auth=KioskAuth(kiosk_id, secret), timeout=10)


def agency(ep, token=None) -> httpx.Client:
    return httpx.Client(base_url=ep.base_url, timeout=10,
                        headers={"Authorization": f"Bearer {token or ep.agency_token}"})


def item(key=None, payload=None, code="HS-261123-ABCDEF") -> dict:
    return {"idempotency_key": key or str(uuid.uuid4()), "dossier_code": code,
            "procedure_id": "lodging.notify", "payload": payload or {"guest": "Khách A"},
            "created_at": "2026-11-23T08:00:00+00:00", "deadline": None, "priority": 0}


def raw_post(ep, path, body: bytes, headers: dict) -> httpx.Response:
    return httpx.post(ep.base_url + path, content=body,
                      headers={"Content-Type": "application/json", **headers}, timeout=10)


def err(resp: httpx.Response) -> str:
    return resp.json()["error"]["code"]


def test_signing_vectors_agree_between_kiosk_and_endpoint():
    h = sign_headers(b"k" * 32, "kiosk-7", "post", "/v1/dossiers/batch?x=1", b'{"a":1}',
                     now=1_700_000_000, nonce="n" * 22)
    assert h["X-Kiosk-Timestamp"] == "1700000000"
    assert h["X-Content-SHA256"] == ep_signing.body_digest(b'{"a":1}')
    assert h["X-Kiosk-Signature"] == ep_signing.signature(
        b"k" * 32, "POST", "/v1/dossiers/batch?x=1", "1700000000", "n" * 22,
        h["X-Content-SHA256"], "kiosk-7")
    assert h["X-Kiosk-Signature"].startswith("v1=") and len(h["X-Kiosk-Signature"]) == 67


def test_submit_once_then_same_answer(ep):
    it = item()
    with kiosk(ep) as c:
        first = c.post("/v1/dossiers", json=it, headers={"Idempotency-Key": it["idempotency_key"]})
        again = c.post("/v1/dossiers", json=it, headers={"Idempotency-Key": it["idempotency_key"]})
        batch = c.post("/v1/dossiers/batch", json={"items": [it]})
    assert first.status_code == 201 and first.json()["outcome"] == "accepted"
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    for k in ("id", "received_at", "dossier_code", "idempotency_key"):
        assert first.json()[k] == again.json()[k] == batch.json()["results"][0][k]
    with agency(ep) as a:
        rows = a.get("/v1/dossiers").json()["dossiers"]
    assert [r["idempotency_key"] for r in rows] == [it["idempotency_key"]]


def test_same_key_different_submission_is_a_conflict(ep):
    it = item()
    with kiosk(ep) as c:
        c.post("/v1/dossiers", json=it, headers={"Idempotency-Key": it["idempotency_key"]})
        other = {**it, "payload": {"guest": "someone else"}}
        r = c.post("/v1/dossiers", json=other, headers={"Idempotency-Key": it["idempotency_key"]})
    assert r.status_code == 409 and err(r) == "idempotency_conflict"


def test_same_key_from_two_kiosks_is_two_dossiers(ep):
    it = item()
    with kiosk(ep) as a, kiosk(ep, "kiosk-b", b"b" * 32) as b:
        ra = a.post("/v1/dossiers/batch", json={"items": [it]}).json()["results"][0]
        rb = b.post("/v1/dossiers/batch", json={"items": [it]}).json()["results"][0]
    assert ra["outcome"] == rb["outcome"] == "accepted" and ra["id"] != rb["id"]


def test_concurrent_duplicates_make_one_dossier(ep):
    it = item()
    answers, errors = [], []

    def send():
        try:
            with kiosk(ep) as c:
                r = c.post("/v1/dossiers", json=it,
                           headers={"Idempotency-Key": it["idempotency_key"]})
                answers.append((r.status_code, r.json()["id"]))
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({i for _, i in answers}) == 1
    assert sorted(s for s, _ in answers) == [200] * 15 + [201]
    with agency(ep) as a:
        assert len(a.get("/v1/dossiers").json()["dossiers"]) == 1


def test_batch_answers_each_item(ep):
    good, dup = item(), item()
    bad = {**item(), "payload": {}}
    with kiosk(ep) as c:
        c.post("/v1/dossiers/batch", json={"items": [dup]})
        res = c.post("/v1/dossiers/batch",
                     json={"items": [good, bad, dup, "junk", good]}).json()["results"]
    assert [r["outcome"] for r in res] == ["accepted", "rejected", "duplicate", "rejected",
                                           "rejected"]
    assert res[1]["reason"] == "bad_payload" and res[3]["reason"] == "not_an_object"
    assert res[4]["reason"] == "duplicate_in_batch"


def test_unsigned_refused(ep):
    r = raw_post(ep, "/v1/dossiers/batch", b'{"items": []}', {})
    assert r.status_code == 401 and err(r) == "unsigned"
    assert "X-Kiosk-Signature" in r.json()["error"]["message"]


def test_wrong_secret_and_unknown_kiosk_refused(ep):
    with kiosk(ep, secret=b"x" * 32) as c:
        r = c.post("/v1/dossiers/batch", json={"items": [item()]})
    assert r.status_code == 401 and err(r) == "bad_signature"
    with kiosk(ep, kiosk_id="kiosk-zz") as c:
        r = c.post("/v1/dossiers/batch", json={"items": [item()]})
    assert r.status_code == 401 and err(r) == "bad_signature"


def test_replayed_request_refused(ep):
    body = json.dumps({"items": [item()]}).encode()
    h = sign_headers(SECRET, "kiosk-a", "POST", "/v1/dossiers/batch", body)
    assert raw_post(ep, "/v1/dossiers/batch", body, h).status_code == 200
    r = raw_post(ep, "/v1/dossiers/batch", body, h)
    assert r.status_code == 401 and err(r) == "replayed"


def test_stale_timestamp_refused(ep):
    body = json.dumps({"items": [item()]}).encode()
    h = sign_headers(SECRET, "kiosk-a", "POST", "/v1/dossiers/batch", body,
                     now=time.time() - 3600)
    r = raw_post(ep, "/v1/dossiers/batch", body, h)
    assert r.status_code == 401 and err(r) == "stale_timestamp"
    assert abs(int(r.headers["X-Endpoint-Time"]) - time.time()) < 5


def test_tampered_body_and_path_refused(ep):
    body = json.dumps({"items": [item()]}).encode()
    h = sign_headers(SECRET, "kiosk-a", "POST", "/v1/dossiers/batch", body)
    r = raw_post(ep, "/v1/dossiers/batch", body.replace(b"A", b"B"), h)
    assert r.status_code == 401 and err(r) == "bad_digest"
    h = sign_headers(SECRET, "kiosk-a", "POST", "/v1/dossiers/status", body)
    r = raw_post(ep, "/v1/dossiers/batch", body, h)
    assert r.status_code == 401 and err(r) == "bad_signature"


def test_oversized_refused(ep):
    body = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
    h = sign_headers(SECRET, "kiosk-a", "POST", "/v1/dossiers/batch", body)
    r = raw_post(ep, "/v1/dossiers/batch", body, h)
    assert r.status_code == 413 and err(r) == "too_large"
    with kiosk(ep) as c:
        r = c.post("/v1/dossiers/batch", json={"items": [item() for _ in range(201)]})
    assert r.status_code == 413 and err(r) == "batch_too_large"
    with kiosk(ep) as c:
        r = c.post("/v1/dossiers/batch", json={"items": [item(payload={"x": "y" * 300_000})]})
    assert r.json()["results"][0]["reason"] == "payload_too_large"


def test_malformed_refused(ep):
    with kiosk(ep) as c:
        r = c.post("/v1/dossiers/batch", content=b"{not json",
                   headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and err(r) == "malformed_json"
        r = c.post("/v1/dossiers/batch", json={"things": []})
        assert r.status_code == 400 and err(r) == "bad_batch"
        r = c.post("/v1/dossiers", json=item())
        assert r.status_code == 400 and err(r) == "missing_idempotency_key"
        it = item()
        r = c.post("/v1/dossiers", json={**it, "dossier_code": "bad code"},
                   headers={"Idempotency-Key": it["idempotency_key"]})
        assert r.status_code == 422 and err(r) == "bad_dossier_code"
        r = c.post("/v1/dossiers", json=it, headers={"Idempotency-Key": "other-key-123"})
        assert r.status_code == 400 and err(r) == "idempotency_key_mismatch"
        r = c.post("/v1/dossiers/status", json={"idempotency_keys": "x"})
        assert r.status_code == 400 and err(r) == "bad_status_query"
    r = httpx.delete(ep.base_url + "/v1/dossiers")
    assert r.status_code == 405 and err(r) == "method_not_allowed"
    r = httpx.get(ep.base_url + "/nope")
    assert r.status_code == 404 and err(r) == "not_found"


def test_agency_moves_dossier_and_kiosk_sees_status(ep):
    it = item()
    with kiosk(ep) as c:
        rid = c.post("/v1/dossiers/batch", json={"items": [it]}).json()["results"][0]["id"]
    with agency(ep) as a:
        r = a.post(f"/v1/dossiers/{rid}/status", json={"status": "completed"})
        assert r.status_code == 409 and err(r) == "bad_transition"
        r = a.post(f"/v1/dossiers/{rid}/status", json={"status": "lost"})
        assert r.status_code == 422 and err(r) == "unknown_status"
        r = a.post(f"/v1/dossiers/{rid}/status", json={"status": "processing", "note": "ok"})
        assert r.status_code == 200 and r.json()["status"] == "processing"
        r = a.post("/v1/dossiers/999/status", json={"status": "processing"})
        assert r.status_code == 404
        one = a.get(f"/v1/dossiers/{rid}").json()
        assert one["payload"] == it["payload"]
        assert [h["status"] for h in one["history"]] == ["received", "processing"]
        assert a.get("/v1/dossiers", params={"status": "processing"}).json()["dossiers"][0][
            "idempotency_key"] == it["idempotency_key"]
        assert a.get("/v1/stats").json()["by_status"] == {"processing": 1}
    with kiosk(ep) as c:
        st = c.post("/v1/dossiers/status", json={"idempotency_keys": [it["idempotency_key"]]})
    assert st.json()["statuses"][0]["status"] == "processing"
    with kiosk(ep, "kiosk-b", b"b" * 32) as c:  # another kiosk cannot see it
        st = c.post("/v1/dossiers/status", json={"idempotency_keys": [it["idempotency_key"]]})
    assert st.json()["statuses"] == []


def test_agency_api_needs_its_token(ep):
    r = httpx.get(ep.base_url + "/v1/dossiers")
    assert r.status_code == 401 and err(r) == "bad_agency_token"
    with agency(ep, "wrong") as a:
        assert a.get("/v1/dossiers").status_code == 401
    with kiosk(ep) as c:  # a kiosk signature is not an agency token
        assert c.get("/v1/dossiers").status_code == 401


def test_listing_pages_with_cursor(ep):
    with kiosk(ep) as c:
        c.post("/v1/dossiers/batch", json={"items": [item() for _ in range(7)]})
    with agency(ep) as a:
        p1 = a.get("/v1/dossiers", params={"limit": 5}).json()
        p2 = a.get("/v1/dossiers", params={"limit": 5, "after": p1["next_after"]}).json()
        assert a.get("/v1/dossiers", params={"limit": 0}).status_code == 400
    assert len(p1["dossiers"]) == 5 and len(p2["dossiers"]) == 2 and p2["next_after"] is None


def test_openapi_documents_every_route(ep):
    spec = httpx.get(ep.base_url + "/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    from endpoint.app import create_app
    from endpoint.store import SqliteStore

    app = create_app(SqliteStore(":memory:"))
    for route in app.routes:
        path = route.path.replace("{id:int}", "{id}")
        for method in route.methods - {"HEAD"}:
            assert method.lower() in spec["paths"][path], (method, path)
    params = {p["name"] for p in spec["paths"]["/v1/dossiers/batch"]["post"]["parameters"]}
    assert {"X-Kiosk-Id", "X-Kiosk-Timestamp", "X-Kiosk-Nonce", "X-Content-SHA256",
            "X-Kiosk-Signature"} <= params
    assert "Idempotency-Key" in {p["name"] for p in
                                 spec["paths"]["/v1/dossiers"]["post"]["parameters"]}


def test_healthz(ep):
    assert httpx.get(ep.base_url + "/healthz").json()["db"] == "sqlite"



def test_a_rekeyed_kiosk_is_accepted_at_once(ep):
    with kiosk(ep) as c:
        assert c.post("/v1/dossiers/status", json={"idempotency_keys": []}).status_code == 200
    ep.register_kiosk("kiosk-a", b"n" * 32)   # the secret the endpoint cached is now wrong
    with kiosk(ep, secret=b"n" * 32) as c:
        assert c.post("/v1/dossiers/status", json={"idempotency_keys": []}).status_code == 200
    with kiosk(ep) as c:                       # and the old secret is refused
        assert c.post("/v1/dossiers/status", json={"idempotency_keys": []}).status_code == 401


def test_public_lookup_shows_the_status_and_nothing_personal(ep):
    it = item(payload={"guest": "Khách Bí Mật", "id_number": "001090012345"},
              code="HS-261123-LOOKUP")
    with kiosk(ep) as c:
        r = c.post("/v1/dossiers", json=it, headers={"Idempotency-Key": it["idempotency_key"]})
        assert r.status_code == 201, r.text
    anyone = httpx.Client(base_url=ep.base_url, timeout=10)
    with anyone:
        found = anyone.get("/v1/lookup/HS-261123-LOOKUP")
        missing = anyone.get("/v1/lookup/HS-261123-ZZZZZZ")
        probe = anyone.get("/v1/lookup/' OR 1=1 --")
    assert found.status_code == 200
    assert found.json()["status"] == "received"
    assert set(found.json()) == {"dossier_code", "procedure_id", "status", "status_at"}
    assert "Bí Mật" not in found.text and "001090012345" not in found.text
    assert missing.status_code == 404 and err(missing) == "not_found"
    assert probe.status_code == 404
