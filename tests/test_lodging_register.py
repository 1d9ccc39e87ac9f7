"""Lodging: the 23:00 / 08:00 deadline rule, the guest register, passport MRZ keys."""

import os
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.identity.model import IdentityRecord, Source
from app.lodging import (CITIZEN, FOREIGNER, Guest, GuestRegister, MrzError, RegisterError,
                         check_digit, deadline_state, mrz_key, mrz_key_from_text,
                         notification_deadline)
from app.procedures import FormDraft, load_catalog
from app.procedures.vntime import VN_TZ

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=VN_TZ)


def test_deadline_examples():
    assert notification_deadline(datetime(2026, 3, 2, 0, 5)) == datetime(2026, 3, 2, 23, 0,
                                                                         tzinfo=VN_TZ)
    assert notification_deadline(datetime(2026, 3, 2, 22, 59)) == datetime(2026, 3, 2, 23, 0,
                                                                           tzinfo=VN_TZ)
    assert notification_deadline(datetime(2026, 3, 2, 23, 0)) == datetime(2026, 3, 3, 8, 0,
                                                                          tzinfo=VN_TZ)
    # month end, and an arrival given in UTC (17:30 UTC = 00:30 next day in Vietnam)
    assert notification_deadline(datetime(2026, 3, 31, 23, 30)) == datetime(2026, 4, 1, 8, 0,
                                                                            tzinfo=VN_TZ)
    assert notification_deadline(datetime(2026, 3, 2, 17, 30, tzinfo=timezone.utc)) == \
        datetime(2026, 3, 3, 23, 0, tzinfo=VN_TZ)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 30)))
def test_deadline_rule_properties(arrival):
    deadline = notification_deadline(arrival)
    local = arrival.replace(tzinfo=VN_TZ)
    assert deadline > local  # always some time to notify
    assert deadline - local <= timedelta(hours=23, minutes=1)
    if arrival.time() < time(23, 0):
        assert deadline.date() == arrival.date() and deadline.time() == time(23, 0)
    else:
        assert deadline.date() == arrival.date() + timedelta(days=1)
        assert deadline.time() == time(8, 0) and deadline - local <= timedelta(hours=9)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 30)))
def test_agrees_with_the_outbox_ordering(arrival):
    deadlines = pytest.importorskip("app.outbox.deadlines")
    if not hasattr(deadlines, "lodging_deadline"):
        pytest.skip("outbox has no lodging_deadline")
    assert deadlines.lodging_deadline(arrival) == notification_deadline(arrival)


def test_deadline_state():
    d = datetime(2026, 3, 2, 23, 0, tzinfo=VN_TZ)
    assert deadline_state(d, d - timedelta(hours=2)) == "ok"
    assert deadline_state(d, d - timedelta(minutes=30)) == "near"
    assert deadline_state(d, d) == "missed"


def citizen(name="Trần Thị Bình", id_number="079195001234"):
    return Guest(full_name=name, id_number=id_number, birth_date=date(1995, 4, 2), sex="female",
                 residence="Phường Bến Thành, TP. Hồ Chí Minh")


FOREIGN = Guest(full_name="ANNA ERIKSSON", kind=FOREIGNER, passport_number="L898902C3",
                nationality="SWE", birth_date=date(1974, 8, 12), sex="female")


def test_register_room_group_checkout_and_restart(tmp_path):
    now = [T0]
    reg = GuestRegister(tmp_path / "guests.sqlite3", clock=lambda: now[0])
    assert oct(os.stat(tmp_path / "guests.sqlite3").st_mode & 0o777) == "0o600"
    # one room, two notifications: the citizen's (LT-1) and the foreign guest's
    room = (reg.check_in("204", [citizen()], expected_departure=date(2026, 3, 5),
                         reason="tourism", notification_ref="LT-1")
            + reg.check_in("204", [FOREIGN], expected_departure=date(2026, 3, 5),
                           reason="tourism"))
    assert [s.room for s in room] == ["204", "204"]
    assert all(s.deadline == datetime(2026, 3, 2, 23, 0, tzinfo=VN_TZ) for s in room)
    group = reg.check_in_group({"301": [citizen("A", "001090000001")],
                                "302": [citizen("B", "001090000002")]},
                               group_name="Đoàn ABC",
                               arrival=datetime(2026, 3, 2, 23, 40, tzinfo=VN_TZ))
    assert {s.deadline for s in group} == {datetime(2026, 3, 3, 8, 0, tzinfo=VN_TZ)}
    assert [s.room for s in reg.group("Đoàn ABC")] == ["301", "302"]
    assert len(reg.in_house()) == 4 and len(reg.in_house("204")) == 2
    # the most urgent first
    assert [s.room for s in reg.pending_notifications()] == ["204", "204", "301", "302"]
    now[0] = T0 + timedelta(hours=8, minutes=30)  # 22:30: room 204 is near its deadline
    warnings = reg.deadline_warnings()
    assert [(w.room, w.state) for w in warnings] == [("204", "near"), ("204", "near")]
    assert "204" in warnings[0].message_vi and "Bình" not in warnings[0].message_en
    assert reg.mark_notified_by_reference("LT-1") == 1
    now[0] = T0 + timedelta(hours=9, minutes=1)  # 23:01: one missed
    assert [(w.stay_id, w.state) for w in reg.deadline_warnings()] == [(room[1].id, "missed")]
    out = reg.check_out_room("204", at=T0 + timedelta(days=3))
    assert all(s.checked_out for s in out) and len(reg.in_house()) == 2
    with pytest.raises(RegisterError) as exc:
        reg.check_out(room[0].id)
    assert exc.value.reason == "already_checked_out"
    again = GuestRegister(tmp_path / "guests.sqlite3", clock=lambda: now[0])  # a restart
    stay = again.get(room[1].id)
    assert stay.guest == FOREIGN and stay.departure is not None
    assert again.get(room[0].id).notification_ref == "LT-1"


def test_register_refuses_incomplete_guests(tmp_path):
    reg = GuestRegister(tmp_path / "g.sqlite3", clock=lambda: T0)
    for guest, reason in [(Guest(full_name="X"), "guest_id_missing"),
                          (Guest(full_name="X", kind=FOREIGNER, passport_number="A1"),
                           "guest_passport_missing"),
                          (Guest(full_name=" ", id_number="1"), "guest_name_missing")]:
        with pytest.raises(RegisterError) as exc:
            reg.check_in("1", [citizen(), guest])
        assert exc.value.reason == reason
    assert reg.in_house() == []  # all or nothing
    with pytest.raises(RegisterError):
        reg.check_in("", [citizen()])


def test_register_from_a_completed_draft(tmp_path):
    proc = load_catalog().get("lodging_residence_notification")
    draft = FormDraft(proc, clock=lambda: T0)
    draft.apply_identity("guest", IdentityRecord(
        source=Source.CHIP, id_number="079195001234", full_name="Trần Thị Bình",
        birth_date=date(1995, 4, 2), sex="Nữ", place_of_residence="Phường Bến Thành, TP HCM"))
    draft.set("stay.room", "101")
    draft.set("stay.expected_departure", "2026-03-04")
    draft.set("stay.reason", "work")
    stays = GuestRegister(tmp_path / "g.sqlite3", clock=lambda: T0).check_in_from_draft(
        draft, reference="HS-260302-AAAAAA")
    assert len(stays) == 1 and stays[0].guest.kind == CITIZEN
    assert stays[0].notification_ref == "HS-260302-AAAAAA"
    assert stays[0].guest.sex == "female" and stays[0].arrival == T0.replace(tzinfo=VN_TZ)


# ICAO 9303 specimen data (Part 4 TD3, Part 5 TD1) and the BAC example of Part 11.
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def test_mrz_key_from_text():
    key = mrz_key_from_text(TD3)
    assert (key.document_number, key.birth_date, key.expiry_date, key.nationality) == (
        "L898902C3", "740812", "120415", "UTO")
    assert mrz_key_from_text(TD3.replace("\n", "")) == key  # scanner without line break
    assert mrz_key_from_text(TD1).document_number == "D23145890"
    assert mrz_key("L898902C", "690806", "940623").seed == "L898902C<369080619406236"
    assert mrz_key("l898902c", date(1969, 8, 6), "23/06/1994").seed == \
        "L898902C<369080619406236"
    assert check_digit("L898902C<") == "3"


def test_mrz_errors_are_typed():
    with pytest.raises(MrzError) as exc:
        mrz_key_from_text(TD3.replace("7408122", "7408132"))
    assert exc.value.reason == "mrz_check_digit" and exc.value.vi
    with pytest.raises(MrzError) as exc:
        mrz_key_from_text("hello")
    assert exc.value.reason == "mrz_format"
    with pytest.raises(MrzError) as exc:
        mrz_key("L898902C", "1969", "940623")
    assert exc.value.reason == "mrz_date"


def test_built_from_configuration(tmp_path):
    from app import config as cfg
    from app.lodging import register_from_config, warning_window
    c = cfg.load(overrides=[f"kiosk.data_dir={tmp_path}",
                            "lodging.warn_minutes_before_deadline=30"])
    assert register_from_config(c).path == tmp_path / "guests.sqlite3"
    assert warning_window(c) == timedelta(minutes=30)


def test_foreign_guest_from_a_passport_chip():
    from app.lodging import apply_passport
    proc = load_catalog().get("lodging_residence_notification")
    draft = FormDraft(proc, clock=lambda: T0)
    passport = IdentityRecord(source=Source.CHIP_VERIFIED, id_number="L898902C3",
                              full_name="ERIKSSON ANNA MARIA", birth_date=date(1974, 8, 12),
                              sex="F", nationality="UTO")
    filled = apply_passport(draft, passport, index=0)
    assert "guests[0].passport_number" in filled
    assert draft.value("guests[0].kind").value == FOREIGNER
    assert draft.value("guests[0].passport_number").locked
    assert draft.value("guests[0].id_number").value is None  # never the passport number
    assert draft.value("guests[0].sex").value == "female"
    assert [p for p in draft.fields_to_ask(required_only=True) if p.startswith("guests")] == []
    apply_passport(draft, passport, index=1)  # another guest, added
    assert draft.people("guest") == 2


def test_a_delivered_notification_marks_its_stays_whenever_it_arrives(tmp_path):
    register = GuestRegister(tmp_path / "guests.sqlite3")
    arrival = datetime(2026, 11, 23, 14, 0, tzinfo=VN_TZ)
    assert register.mark_notified_by_reference("HS-261123-AAAAAA") == 0  # no check-in yet
    stays = register.check_in("101", [Guest("Khách Một", id_number="001090012345"),
                                      Guest("Khách Hai", id_number="079301000123")],
                              arrival=arrival, notification_ref="HS-261123-AAAAAA")
    other = register.check_in("102", [Guest("Khách Ba", id_number="001190012345")],
                              arrival=arrival, notification_ref="HS-261123-BBBBBB")
    assert register.mark_notified_by_reference("HS-261123-AAAAAA") == 2
    first = [register.get(s.id).notified_at for s in stays]
    assert all(first)
    assert register.mark_notified_by_reference("HS-261123-AAAAAA") == 2  # again: nothing moves
    assert [register.get(s.id).notified_at for s in stays] == first
    assert register.get(other[0].id).notified_at is None
