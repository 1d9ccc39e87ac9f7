"""Each procedure family end to end on the domain API: cards -> fields_to_ask -> typed values ->
no errors -> submission payload (and the same payload re-validated)."""

from datetime import date, datetime, timedelta

import pytest

from app.identity.model import IdentityRecord, Source
from app.procedures import FieldLockedError, FormDraft, load_catalog, validate_submission
from app.procedures.consent import load_consent
from app.procedures.vntime import VN_TZ

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=VN_TZ)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def card(id_number, name, birth, sex, source=Source.CHIP_VERIFIED, **kw):
    base = dict(ethnicity="Kinh", nationality="Việt Nam",
                place_of_residence="Tổ 5, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh")
    base.update(kw)
    return IdentityRecord(source=source, id_number=id_number, full_name=name, birth_date=birth,
                          sex=sex, **base)


MOTHER = card("079195001234", "Trần Thị Bình", date(1995, 4, 2), "Nữ")
FATHER = card("079093004567", "Lê Văn Cường", date(1993, 7, 9), "Nam")
GRANDMA = card("001165007777", "Phạm Thị Dung", date(1965, 1, 1), "Nữ", source=Source.QR)


def submit_roundtrip(catalog, draft, consent_id):
    payload = draft.to_submission(load_consent(consent_id).accept("vi", at=NOW))
    assert validate_submission(draft.procedure.id, payload, catalog=catalog) == []
    return payload


def test_birth_group(catalog):
    proc = catalog.get("birth_registration_group")
    assert [r.id for r in proc.roles] == ["requester", "mother", "father"]
    assert proc.role("father").card == "optional"
    draft = FormDraft(proc, clock=lambda: NOW)
    draft.apply_identity("requester", MOTHER)
    draft.apply_identity("mother", MOTHER)
    draft.apply_identity("father", FATHER)
    ask = draft.fields_to_ask()
    assert not any(p.startswith(("mother.", "father.")) for p in ask)  # the cards gave it all
    assert "requester.full_name" not in ask and "requester.phone" in ask
    assert "child.ethnicity" not in ask  # defaulted to Kinh
    assert "residence.head_name" not in ask  # only when the parent is not head of household
    typed = {
        "requester.relationship": "mother", "requester.phone": "0901234567",
        "child.full_name": "Lê Minh Khang", "child.sex": "Nam", "child.birth_date": "20/02/2026",
        "child.birth_time": "08:15", "child.birth_place": "Bệnh viện Từ Dũ",
        "child.place_of_origin": "Quảng Nam", "child.birth_certificate_number": "GCS-123",
        "child.birth_certificate_issuer": "Bệnh viện Từ Dũ", "residence.parent": "mother",
        "residence.relationship_to_head": "child",
        "insurance.primary_care_facility": "Bệnh viện Nhi Đồng 1",
        "insurance.card_delivery": "electronic", "delivery.method": "pickup",
    }
    for path, value in typed.items():
        draft.set(path, value)
    assert draft.errors() == []
    assert draft.value("child.sex").value == "male"
    # the parent is not the head of household: the head's details and consent become required
    draft.set("residence.head_is_parent", False)
    assert {e.path for e in draft.errors()} == {"residence.head_name",
                                                "residence.head_id_number",
                                                "residence.head_consent"}
    draft.set("residence.head_name", "Phạm Thị Dung")
    draft.set("residence.head_id_number", "001165007777")
    draft.set("residence.head_consent", "present")
    assert draft.errors() == []
    payload = submit_roundtrip(catalog, draft, "birth")
    assert [a["id"] for a in payload["agencies"]] == ["civil_status", "police_residence",
                                                      "social_insurance"]
    assert payload["fields"]["mother.full_name"]["source"] == "chip_verified"
    assert payload["fields"]["child.birth_date"] == {"value": "2026-02-20", "source": "typed",
                                                     "origin": "typed", "locked": False}
    assert payload["fields"]["child.birth_time"]["value"] == "08:15"
    assert {p["role"] for p in payload["people"]} == {"requester", "mother", "father"}
    assert payload["addresses"]["mother.residence"]["commune"] == "Phường Sài Gòn"


def test_birth_group_child_over_six_and_father_absent(catalog):
    draft = FormDraft(catalog.get("birth_registration_group"), clock=lambda: NOW)
    draft.apply_identity("mother", MOTHER)
    draft.set("father.declared", False)
    assert not any(p.startswith("father.") for p in draft.fields_to_ask())
    draft.set("child.birth_date", date(2020, 3, 1))  # six on 1 March 2026
    reasons = {(e.path, e.reason) for e in draft.errors()}
    assert ("child.birth_date", "age_limit") in reasons
    assert not any(p.startswith("father.") for p, _ in reasons)
    draft.set("child.birth_date", date(2020, 3, 3))  # six tomorrow: still under six
    assert ("child.birth_date", "age_limit") not in {(e.path, e.reason) for e in draft.errors()}
    draft.set("child.birth_date", date(2026, 3, 3))
    assert ("child.birth_date", "date_in_future") in {(e.path, e.reason)
                                                      for e in draft.errors()}


def test_death_group(catalog):
    proc = catalog.get("death_registration_group")
    draft = FormDraft(proc, clock=lambda: NOW)
    deceased = card("001045003456", "Nguyễn Văn Tư", date(1945, 5, 5), "Nam",
                    place_of_residence="Thôn Đông, Xã Tân Lập, Huyện Đan Phượng, Hà Nội")
    requester = card("001178009876", "Nguyễn Thị Hoa", date(1978, 8, 8), "Nữ")
    draft.apply_identity("requester", requester)
    draft.apply_identity("deceased", deceased)
    ask = draft.fields_to_ask()
    assert "deceased.full_name" not in ask and "deceased.death_date" in ask
    assert "funeral.bank_account" not in ask  # until payment by bank is chosen
    for path, value in {
        "requester.relationship": "child", "requester.phone": "+84 24 3825 1234",
        "deceased.death_date": "01/03/2026", "deceased.death_time": "05:30",
        "deceased.death_place": "Tại nhà", "deceased.cause": "Tuổi cao",
        "deceased.death_notice_number": "BT-01", "deceased.death_notice_issuer": "Trạm y tế",
        "funeral.category": "si_pensioner", "funeral.payment_method": "bank",
    }.items():
        draft.set(path, value)
    missing = {e.path for e in draft.errors() if e.reason == "required"}
    assert missing == {"funeral.bank_name", "funeral.bank_account", "funeral.account_holder"}
    draft.set("funeral.bank_name", "Vietcombank")
    draft.set("funeral.bank_account", "12345")
    assert [e.reason for e in draft.errors() if e.path == "funeral.bank_account"] == [
        "bank_account_format"]
    draft.set("funeral.bank_account", "0011 0023 45678")
    draft.set("funeral.account_holder", "NGUYEN THI HOA")
    assert draft.errors() == []
    payload = submit_roundtrip(catalog, draft, "death")
    assert payload["fields"]["funeral.bank_account"]["value"] == "0011002345678"
    assert payload["fields"]["requester.phone"]["value"] == "02438251234"
    # switching to cash removes the bank fields from the form and the payload
    draft.set("funeral.payment_method", "cash")
    assert draft.errors() == []
    assert "funeral.bank_name" not in draft.to_submission(
        load_consent("death").accept("en", at=NOW))["fields"]
    # no claim at all: the whole chain (payment -> bank) drops out
    draft.set("funeral.payment_method", "bank")
    draft.set("funeral.claim", False)
    assert "funeral.bank_name" not in draft.to_submission(
        load_consent("death").accept("en", at=NOW))["fields"]


def test_death_group_cross_checks(catalog):
    draft = FormDraft(catalog.get("death_registration_group"), clock=lambda: NOW)
    same = card("001045003456", "Nguyễn Văn Tư", date(1945, 5, 5), "Nam")
    draft.apply_identity("requester", same)
    draft.apply_identity("deceased", same)
    draft.set("deceased.death_date", date(1940, 1, 1))
    reasons = {(e.path, e.reason) for e in draft.errors()}
    assert ("deceased.id_number", "same_card") in reasons
    assert ("deceased.death_date", "death_before_birth") in reasons
    err = next(e for e in draft.errors() if e.reason == "same_card")
    assert err.message_vi and err.message_en and "001045003456" not in err.message_en


def test_lodging_several_guests(catalog):
    proc = catalog.get("lodging_residence_notification")

    class Cfg:
        values = {"lodging.establishment_name": "Khách sạn Hoa Sen",
                  "lodging.establishment_address": "1 Phố Huế, Hà Nội",
                  "lodging.registration_code": "LT-0001"}

        def __getitem__(self, k):
            return self.values[k]

    draft = FormDraft(proc, clock=lambda: NOW)
    assert draft.apply_config(Cfg()) == ["establishment.name", "establishment.address",
                                         "establishment.registration_code"]
    draft.apply_identity("guest", MOTHER, index=0)
    draft.apply_identity("guest", FATHER, index=1)  # index == count adds the guest
    foreign = draft.add_person("guest")
    assert foreign == 2 and draft.people("guest") == 3
    draft.set(f"guests[{foreign}].kind", "foreigner")
    ask = draft.fields_to_ask(required_only=True)
    assert ask == ["stay.expected_departure", "stay.room", "stay.reason",
                   "guests[2].full_name", "guests[2].birth_date", "guests[2].sex",
                   "guests[2].passport_number", "guests[2].nationality"]
    for path, value in {"stay.expected_departure": "05/03/2026", "stay.room": "204",
                        "stay.reason": "tourism", "guests[2].full_name": "ANNA ERIKSSON",
                        "guests[2].birth_date": "1974-08-12", "guests[2].sex": "F",
                        "guests[2].passport_number": "L898902C3",
                        "guests[2].nationality": "SWE"}.items():
        draft.set(path, value)
    assert draft.errors() == []
    with pytest.raises(FieldLockedError):
        draft.set("guests[1].full_name", "X")
    payload = submit_roundtrip(catalog, draft, "lodging")
    assert payload["fields"]["guests[1].id_number"]["value"] == "079093004567"
    assert payload["fields"]["guests[2].sex"]["value"] == "female"
    assert "guests[2].id_number" not in payload["fields"]
    assert payload["fields"]["establishment.registration_code"]["origin"] == "config"
    assert payload["fields"]["stay.arrival"]["value"] == "2026-03-02T10:00:00"
    assert payload["deadline"] == "2026-03-02T23:00:00+07:00"
    # removing a guest moves the later ones up
    draft.remove_person("guest", 0)
    assert draft.people("guest") == 2
    assert draft.value("guests[0].full_name").value == "Lê Văn Cường"
    assert draft.value("guests[1].passport_number").value == "L898902C3"


def test_lodging_departure_before_arrival(catalog):
    draft = FormDraft(catalog.get("lodging_residence_notification"), clock=lambda: NOW)
    draft.set("stay.expected_departure", NOW.date() - timedelta(days=1))
    assert "departure_before_arrival" in {e.reason for e in draft.errors()}


def test_wipe_drops_everything(catalog):
    draft = FormDraft(catalog.get("lodging_residence_notification"), clock=lambda: NOW)
    draft.apply_identity("guest", MOTHER)
    draft.apply_identity("guest", FATHER, index=1)
    draft.extras["x"] = 1
    draft.wipe()
    assert draft.people("guest") == 1 and draft.extras == {}
    assert draft.value("guests[0].full_name").value is None
    assert draft.value("guests[0].kind").value == "citizen"  # defaults come back


def test_validate_submission_catches_tampering(catalog):
    draft = FormDraft(catalog.get("death_registration_group"), clock=lambda: NOW)
    draft.apply_identity("requester", card("001178009876", "Nguyễn Thị Hoa", date(1978, 8, 8),
                                           "Nữ"))
    draft.apply_identity("deceased", card("001045003456", "Nguyễn Văn Tư", date(1945, 5, 5),
                                          "Nam"))
    for path, value in {"requester.relationship": "child", "requester.phone": "0912345678",
                        "deceased.death_date": "2026-03-01", "deceased.death_time": "05:30",
                        "deceased.death_place": "Tại nhà", "deceased.cause": "Tuổi cao",
                        "deceased.death_notice_number": "BT-01",
                        "deceased.death_notice_issuer": "Trạm y tế",
                        "funeral.category": "meritorious", "funeral.payment_method": "cash"
                        }.items():
        draft.set(path, value)
    payload = draft.to_submission(load_consent("death").accept("vi", at=NOW))
    payload["fields"]["deceased.death_date"]["value"] = "1900-01-01"
    payload["fields"]["bogus.field"] = {"value": 1, "source": "typed"}
    del payload["consent"]
    reasons = {(e.path, e.reason) for e in
               validate_submission("death_registration_group", payload, catalog=catalog)}
    assert {("deceased.death_date", "death_before_birth"), ("bogus.field", "unknown_field"),
            ("consent", "consent_missing")} <= reasons
    assert [e.reason for e in validate_submission("nope", payload, catalog=catalog)] == [
        "unknown_procedure"]


def test_validate_submission_survives_hostile_payloads(catalog):
    for fields in ({"guests[999999999].full_name": {"value": "x"}},
                   {"guests[0].id_number": {"value": ["a"], "source": "nonsense"},
                    "guests[0].full_name": 5, "stay.room": {"value": {"a": 1}}},
                   "not a dict"):
        errors = validate_submission("lodging_residence_notification",
                                     {"procedure_id": "lodging_residence_notification",
                                      "fields": fields}, catalog=catalog)
        assert errors and all(e.message_vi and e.message_en for e in errors)
    assert validate_submission("lodging_residence_notification", [], catalog=catalog)[0] \
        .reason == "not_an_object"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(Source)), min_size=1, max_size=5))
def test_strongest_source_wins_in_any_order(catalog, sources):
    draft = FormDraft(catalog.get("hospital_bhyt_checkin"), clock=lambda: NOW)
    for i, source in enumerate(sources):
        draft.apply_identity("patient", card("001090012345", f"Tên {source.value} {i}",
                                             date(1990, 1, 15), "Nam", source=source))
    best = max(s.rank for s in sources)
    fv = draft.value("patient.full_name")
    assert fv.source.rank == best
    # among equally strong reads, the latest counts
    last = max(i for i, s in enumerate(sources) if s.rank == best)
    assert fv.value == f"Tên {sources[last].value} {last}"
    assert fv.locked == sources[last].proven_by_card
    assert ("patient.full_name" in draft.fields_to_ask()) is False
