"""Hospital BHYT check-in: the whole draft, the simulated gateway, queue numbers."""

from datetime import date, datetime, timedelta

import pytest

from app.hospital.checkin import issue_ticket, lookup_insurance
from app.hospital.insurance import (EXPIRED, NOT_FOUND, VALID, HttpInsuranceGateway,
                                    InsuranceGatewayError, InsuranceTimeoutError,
                                    SimulatedInsuranceGateway)
from app.hospital.queue import QueueNumbers
from app.identity.model import IdentityRecord, Source
from app.procedures import FieldLockedError, FormDraft, load_catalog
from app.procedures.consent import load_consent
from app.procedures.vntime import VN_TZ

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=VN_TZ)


def patient(source=Source.CHIP_VERIFIED, id_number="001090012345", **kw):
    values = dict(full_name="Nguyễn Văn An", birth_date=date(1990, 1, 15), sex="Nam",
                  place_of_residence="Số 12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, "
                                     "Hà Nội")
    values.update(kw)
    return IdentityRecord(source=source, id_number=id_number, **values)


@pytest.fixture(scope="module")
def proc():
    return load_catalog().get("hospital_bhyt_checkin")


def test_full_check_in(proc, tmp_path):
    draft = FormDraft(proc, clock=lambda: NOW)
    filled = draft.apply_identity("patient", patient())
    assert "patient.full_name" in filled and "patient.sex" in filled
    assert draft.value("patient.sex").value == "male"  # the card's "Nam" mapped to the option
    assert draft.value("patient.id_number").locked
    # the card gave name, birth, sex, address: only phone and the visit are asked
    assert draft.fields_to_ask() == ["patient.phone", "visit.department", "visit.reason"]
    gw = SimulatedInsuranceGateway(today=lambda: NOW.date())
    result = lookup_insurance(draft, gw)
    assert result.result_code == VALID
    assert draft.value("insurance.card_number").source == Source.LOOKUP
    assert draft.value("insurance.card_number").locked  # the gateway's, not the patient's
    with pytest.raises(FieldLockedError):
        draft.set("insurance.valid_to", "31/12/2099")
    draft.set("patient.phone", "0912 345 678")
    draft.set("visit.department", "noi")
    draft.set("visit.reason", "Đau đầu")
    assert draft.errors() == []
    ticket = issue_ticket(draft, QueueNumbers(tmp_path / "q.sqlite3", clock=lambda: NOW))
    assert ticket.number == 1 and ticket.label == "NOI-001"
    consent = load_consent("hospital").accept("vi", at=NOW)
    payload = draft.to_submission(consent)
    assert payload["procedure_id"] == "hospital_bhyt_checkin"
    assert payload["fields"]["patient.id_number"] == {
        "value": "001090012345", "source": "chip_verified", "origin": "identity", "locked": True}
    assert payload["fields"]["patient.phone"]["value"] == "0912345678"
    assert payload["fields"]["insurance.result_code"]["source"] == "lookup"
    assert payload["consent"]["version"] == "2026-01"
    assert payload["extras"]["queue_ticket"]["number"] == 1
    conv = payload["addresses"]["patient.address"]
    assert conv["original"].startswith("Số 12") and conv["ok"]
    assert "Hoàn Kiếm" not in conv["converted"]
    assert [a["id"] for a in payload["agencies"]] == ["hospital", "social_insurance"]


def test_chip_value_locked_until_operator_unlocks(proc):
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("patient", patient())
    with pytest.raises(FieldLockedError) as exc:
        draft.set("patient.full_name", "Nguyen Van B")
    assert exc.value.reason == "field_locked"
    draft.unlock("patient.full_name", operator=True)
    draft.set("patient.full_name", "Nguyễn Văn Ân")
    fv = draft.value("patient.full_name")
    assert fv.value == "Nguyễn Văn Ân" and fv.original == "Nguyễn Văn An" and not fv.locked
    # a later QR read does not overwrite the operator's correction
    draft.apply_identity("patient", patient(Source.QR))
    assert draft.value("patient.full_name").value == "Nguyễn Văn Ân"


def test_qr_never_downgrades_chip(proc):
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("patient", patient(Source.CHIP))
    draft.apply_identity("patient", patient(Source.QR, full_name="Nguyen Van An"))
    assert draft.value("patient.full_name").value == "Nguyễn Văn An"
    assert draft.value("patient.full_name").source == Source.CHIP
    draft2 = FormDraft(proc, clock=lambda: NOW)
    draft2.apply_identity("patient", patient(Source.QR, full_name="Nguyen Van An"))
    draft2.apply_identity("patient", patient(Source.CHIP_VERIFIED))
    assert draft2.value("patient.full_name").source == Source.CHIP_VERIFIED


def test_id_number_inconsistent_with_sex(proc):
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("patient", patient(sex="Nữ"))
    reasons = {(e.path, e.reason) for e in draft.errors()}
    assert ("patient.id_number", "id_number_sex_mismatch") in reasons


@pytest.mark.parametrize("last, code", [("5", VALID), ("1", EXPIRED), ("2", NOT_FOUND)])
def test_simulated_gateway_outcomes(last, code):
    gw = SimulatedInsuranceGateway(today=lambda: date(2026, 3, 2))
    result = gw.lookup("00109001234" + last, "X", date(1990, 1, 15))
    assert result.result_code == code and result.message_vi and result.message_en
    if code == EXPIRED:
        assert result.valid_to < date(2026, 3, 2)
    if code == VALID:
        assert result.valid_from <= date(2026, 3, 2) <= result.valid_to


def test_gateway_down_is_typed_and_recorded(proc):
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("patient", patient(id_number="001090012343"))
    with pytest.raises(InsuranceGatewayError) as exc:
        lookup_insurance(draft, SimulatedInsuranceGateway())
    assert exc.value.reason == "gateway_down" and exc.value.vi
    assert draft.extras["insurance_lookup"] == {"ok": False, "reason": "gateway_down"}
    assert draft.value("insurance.card_number").value is None


def test_slow_gateway_honours_timeout():
    slept = []
    gw = SimulatedInsuranceGateway(slow_seconds=30, sleep=slept.append)
    with pytest.raises(InsuranceTimeoutError) as exc:
        gw.lookup("001090012344", "X", None, timeout=2.5)
    assert exc.value.reason == "timeout" and slept == [2.5]
    assert gw.lookup("001090012344", "X", None, timeout=60).result_code == VALID
    assert slept[-1] == 30


def test_scenario_table_wins_over_digit():
    gw = SimulatedInsuranceGateway(scenarios={"001090012345": NOT_FOUND})
    assert gw.lookup("001090012345", "X", None).result_code == NOT_FOUND


def test_http_gateway_maps_answers_and_failures():
    import httpx

    def handler(request):
        body = request.read()
        if b"001090012343" in body:
            return httpx.Response(503)
        return httpx.Response(200, json={"result_code": "valid", "card_number": "GD479",
                                         "valid_from": "2026-01-01", "valid_to": "2026-12-31",
                                         "benefit_level": "4"})
    gw = HttpInsuranceGateway("http://gw.test/lookup", transport=httpx.MockTransport(handler))
    r = gw.lookup("001090012345", "X", date(1990, 1, 15))
    assert r.result_code == VALID and r.valid_to == date(2026, 12, 31)
    with pytest.raises(InsuranceGatewayError) as exc:
        gw.lookup("001090012343", "X", None)
    assert exc.value.reason == "gateway_down"
    with pytest.raises(InsuranceGatewayError) as exc:
        HttpInsuranceGateway("")
    assert exc.value.reason == "not_configured"


def test_queue_numbers_survive_restart_and_reset_daily(tmp_path):
    now = [NOW]
    q = QueueNumbers(tmp_path / "q.sqlite3", clock=lambda: now[0])
    assert [q.next("noi").number for _ in range(3)] == [1, 2, 3]
    assert q.next("nhi").number == 1
    q2 = QueueNumbers(tmp_path / "q.sqlite3", clock=lambda: now[0])  # a restart
    assert q2.next("noi").number == 4
    now[0] = NOW + timedelta(days=1)
    assert q2.next("noi").number == 1 and q2.current("nhi") == 0


def test_built_from_configuration(tmp_path):
    from app import config as cfg
    from app.hospital import gateway_from_config, queue_from_config
    c = cfg.load(overrides=[f"kiosk.data_dir={tmp_path}", "hospital.insurance_timeout_seconds=2"])
    gw = gateway_from_config(c)
    assert isinstance(gw, SimulatedInsuranceGateway) and gw.timeout == 2.0
    assert queue_from_config(c).path == tmp_path / "queue.sqlite3"
    c = cfg.load(overrides=["hospital.insurance_gateway=http"])
    with pytest.raises(InsuranceGatewayError):
        gateway_from_config(c)  # no URL configured: said so, not a crash later


def test_wrong_card_cleared_then_the_right_one(proc):
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("patient", patient(Source.CHIP_VERIFIED, full_name="Người Khác"))
    draft.clear_person("patient")
    assert draft.value("patient.full_name").value is None
    assert not draft.value("patient.full_name").locked
    draft.apply_identity("patient", patient(Source.QR))  # weaker, but nothing is left to beat it
    assert draft.value("patient.full_name").value == "Nguyễn Văn An"
