"""`kiosk outbox …`, `kiosk sync --once`, `kiosk endpoint add-kiosk` as a script would use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.outbox import Outbox, is_dossier_code

ROOT = Path(__file__).resolve().parents[1]


def kiosk(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": ""}
    env.pop("KIOSK_CONFIG")
    return subprocess.run([sys.executable, "-m", "app", "--set", f"kiosk.data_dir={data_dir}",
                           *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          input=stdin, timeout=120)


PROC = "hospital_bhyt_checkin"


def valid_payload() -> dict:
    """A payload as the kiosk's procedures build it (app.procedures validates what we queue)."""
    from datetime import date

    from app.hospital.checkin import lookup_insurance
    from app.hospital.insurance import SimulatedInsuranceGateway
    from app.identity.model import IdentityRecord, Source
    from app.procedures import FormDraft, load_catalog
    from app.procedures.consent import load_consent
    from app.procedures.vntime import now_vn

    now = now_vn()
    draft = FormDraft(load_catalog().get(PROC), clock=lambda: now)
    draft.apply_identity("patient", IdentityRecord(
        source=Source.CHIP_VERIFIED, id_number="001090012345", full_name="Nguyễn Văn A",
        birth_date=date(1990, 1, 15), sex="Nam",
        place_of_residence="Số 12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội"))
    lookup_insurance(draft, SimulatedInsuranceGateway(today=lambda: now.date()))
    draft.set("patient.phone", "0912 345 678")
    draft.set("visit.department", "noi")
    draft.set("visit.reason", "Đau đầu")
    return draft.to_submission(load_consent("hospital").accept("vi", at=now))


@pytest.fixture
def data(tmp_path):
    (tmp_path / "form.json").write_text(json.dumps(valid_payload(), ensure_ascii=False),
                                        "utf-8")
    return tmp_path


def test_submit_prints_the_code_once_durable(data):
    res = kiosk(data, "outbox", "submit", "--procedure", PROC, "--data",
                str(data / "form.json"), "--deadline", "2026-11-23T23:00")
    assert res.returncode == 0, res.stderr
    code = res.stdout.strip()
    assert is_dossier_code(code)
    ob = Outbox.open(data / "outbox.sqlite3", data / "outbox.key")
    item = ob.item(code)
    assert item.state == "queued" and item.deadline.isoformat() == "2026-11-23T16:00:00+00:00"
    ob.close()
    res = kiosk(data, "outbox", "submit", "--procedure", PROC, "--data", "-",
                "--json", stdin=(data / "form.json").read_text("utf-8"))
    out = json.loads(res.stdout)
    assert set(out) == {"dossier_code", "idempotency_key", "created_at"}


@pytest.mark.parametrize("content, procedure, expected", [
    ("{not json", PROC, "not valid JSON"),
    ("[1, 2]", PROC, "JSON object"),
    ('{"a": 1}', "Bad Procedure", "procedure id"),
    ('{"a": 1}', "no_such_procedure", "procedure_id: unknown_procedure"),
    ('{"procedure_id": "hospital_bhyt_checkin", "fields": {}}', PROC, "consent: consent_missing"),
])
def test_submit_refuses_bad_input(data, content, procedure, expected):
    (data / "bad.json").write_text(content)
    res = kiosk(data, "outbox", "submit", "--procedure", procedure, "--data",
                str(data / "bad.json"))
    assert res.returncode == 1 and res.stdout == "" and expected in res.stderr
    res = kiosk(data, "outbox", "status", "--json")
    assert sum(json.loads(res.stdout)["counts"].values()) == 0


def test_status_list_show_retry_purge_rotate(data):
    codes = [kiosk(data, "outbox", "submit", "--procedure", PROC, "--data",
                   str(data / "form.json")).stdout.strip() for _ in range(2)]
    ob = Outbox.open(data / "outbox.sqlite3", data / "outbox.key")
    ob.db.execute("UPDATE outbox SET state='held', last_error='http_503' WHERE dossier_code=?",
                  (codes[0],))
    ob.close()
    status = json.loads(kiosk(data, "outbox", "status", "--json").stdout)
    assert status["counts"] == {"queued": 1, "sending": 0, "delivered": 0, "rejected": 0,
                                "held": 1}
    assert status["oldest_pending_age_seconds"] >= 0 and status["deadline_warnings"] == []
    listed = json.loads(kiosk(data, "outbox", "list", "--json", "--state", "held").stdout)
    [item] = listed["items"]
    assert item["dossier_code"] == codes[0] and item["last_error"] == "http_503"
    assert {"dossier_code", "procedure_id", "state", "agency_status", "created_at",
            "updated_at", "attempts", "deadline", "last_error"} <= set(item)
    assert "Nguyễn" not in json.dumps(listed, ensure_ascii=False)
    assert "001090012345" not in json.dumps(listed)
    shown = json.loads(kiosk(data, "outbox", "show", codes[1], "--json").stdout)
    assert shown["state"] == "queued"
    retried = json.loads(kiosk(data, "outbox", "retry", codes[0], "--json").stdout)
    assert retried["state"] == "queued" and retried["failures"] == 0
    again = kiosk(data, "outbox", "retry", codes[0])
    assert again.returncode == 1 and "cannot move it" in again.stderr
    assert json.loads(kiosk(data, "outbox", "purge", "--json").stdout) == {"purged": 0}
    rotated = json.loads(kiosk(data, "outbox", "rotate-key", "--json").stdout)
    assert rotated["active_key_id"].startswith("k")
    text = kiosk(data, "outbox", "list").stdout
    assert codes[0] in text and "queued" in text


def test_sync_once_with_the_embedded_endpoint(data):
    code = kiosk(data, "outbox", "submit", "--procedure", PROC, "--data",
                 str(data / "form.json")).stdout.strip()
    res = kiosk(data, "--simulate", "sync", "--once", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["delivered"] == 1 and out["offline"] is False
    assert out["counts"]["delivered"] == 1
    assert set(out) >= {"delivered", "rejected", "retried", "status_updates", "offline"}
    shown = json.loads(kiosk(data, "outbox", "show", code, "--json").stdout)
    assert shown["state"] == "delivered" and shown["agency_status"] == "received"


def test_sync_once_to_a_served_endpoint_registered_by_cli(data, endpoint_factory):
    ep = endpoint_factory()
    from app.sync import load_or_create_secret

    load_or_create_secret(data / "kiosk.secret")
    res = kiosk(data, "endpoint", "add-kiosk", "--db", ep.db, "--kiosk-id", "kiosk-cli",
                "--secret-file", str(data / "kiosk.secret"), "--json")
    assert json.loads(res.stdout) == {"kiosk_id": "kiosk-cli", "registered": True}
    kiosk(data, "outbox", "submit", "--procedure", PROC, "--data", str(data / "form.json"))
    res = kiosk(data, "--set", f"sync.endpoint_url={ep.url}", "--set", "kiosk.id=kiosk-cli",
                "sync", "--once")
    assert res.returncode == 0 and "delivered=1" in res.stdout, res.stderr
    assert len(ep.dossiers("kiosk-cli")) == 1
    res = kiosk(data, "endpoint", "disable-kiosk", "--db", ep.db, "--kiosk-id", "kiosk-cli")
    assert res.returncode == 0 and "disabled kiosk-cli" in res.stdout
    res = kiosk(data, "--set", f"sync.endpoint_url={ep.url}", "--set", "kiosk.id=kiosk-cli",
                "sync", "--once", "--json")
    assert json.loads(res.stdout)["error"] == "status:auth:bad_signature"
    res = kiosk(data, "endpoint", "disable-kiosk", "--db", ep.db, "--kiosk-id", "nobody")
    assert res.returncode == 1 and "no kiosk nobody" in res.stderr
    res = kiosk(data, "--set", "sync.endpoint_url=http://127.0.0.1:9", "sync", "--once",
                "--json")
    out = json.loads(res.stdout)  # nothing to send, but the status refresh finds no endpoint
    assert res.returncode == 0 and out["offline"] is True and out["counts"]["delivered"] == 1


def test_add_kiosk_refuses_a_bad_secret_file(data):
    (data / "s").write_text("zz")
    res = kiosk(data, "endpoint", "add-kiosk", "--db", str(data / "ep.db"), "--kiosk-id", "k",
                "--secret-file", str(data / "s"))
    assert res.returncode == 1 and "secret file" in res.stderr


def test_sync_service_mode_until_interrupted(data):
    import signal

    kiosk(data, "outbox", "submit", "--procedure", PROC, "--data", str(data / "form.json"))
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    p = subprocess.Popen([sys.executable, "-m", "app", "--simulate", "--set",
                          f"kiosk.data_dir={data}", "--set", "sync.interval_seconds=1", "sync",
                          "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(p.stdout.readline())
        assert first["delivered"] == 1
        second = json.loads(p.stdout.readline())   # the next round, an interval later
        assert second["delivered"] == 0 and second["offline"] is False
    finally:
        p.send_signal(signal.SIGINT)
        assert p.wait(20) == 130
        p.stdout.close()
        p.stderr.close()
