"""Addresses converted to the units in force since 1 July 2025, the original kept, offline."""

import pytest

from app.addresses import AddressConversion, convert_address


@pytest.fixture(autouse=True)
def no_geocoding(monkeypatch):
    """The package geocodes split wards with a street over the network: we must never reach it."""
    from vietnamadminunits.converter import converter_2025
    from vietnamadminunits.parser import utils

    def boom(*_a, **_k):
        raise AssertionError("geocoding attempted")
    monkeypatch.setattr(converter_2025, "get_geo_location", boom)
    monkeypatch.setattr(utils, "get_geo_location", boom)
    convert_address.cache_clear()


def test_old_units_converted_street_kept():
    c = convert_address("Số 12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội")
    assert c.ok and c.confidence == "high" and c.note == "converted"
    assert c.original == "Số 12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội"
    assert c.converted == "Số 12 Lý Thường Kiệt, Phường Cửa Nam, Thành phố Hà Nội"
    assert (c.province, c.commune, c.street) == ("Thành phố Hà Nội", "Phường Cửa Nam",
                                                 "Số 12 Lý Thường Kiệt")


def test_split_ward_with_street_is_flagged_not_geocoded():
    c = convert_address("Thôn 3, Xã Tân Thành, Huyện Thới Lai, Cần Thơ")
    assert c.ok and c.confidence == "medium" and c.note == "ward_split"
    assert c.converted.startswith("Thôn 3, ") and c.province == "Thành phố Cần Thơ"
    assert c.note_text("en").startswith("The old commune")


def test_provinces_merged():
    c = convert_address("Xã Yên Hòa, Huyện Yên Mô, Ninh Bình")
    assert c.ok and c.province == "Tỉnh Ninh Bình" and c.commune == "Xã Yên Mô"
    c = convert_address("Phường 1, Quận 3, TP HCM")
    assert c.ok and c.commune == "Phường Bàn Cờ"


def test_already_in_new_units():
    c = convert_address("Phường Bến Thành, Thành phố Hồ Chí Minh")
    assert c.ok and c.note == "already_current" and c.commune == "Phường Bến Thành"


@pytest.mark.parametrize("text, note", [
    ("Số 1, Phố C, Phường D, Hà Nội", "commune_not_found"),
    ("asdf qwer", "not_recognised"),
    ("", "not_recognised"),
])
def test_unconvertible_keeps_the_original(text, note):
    c = convert_address(text)
    assert isinstance(c, AddressConversion) and not c.ok and c.note == note
    assert c.original == text and c.display == text and c.converted is None


def test_never_raises(monkeypatch):
    import vietnamadminunits

    def broken(*_a, **_k):
        raise RuntimeError("parser bug")
    monkeypatch.setattr(vietnamadminunits, "parse_address", broken)
    c = convert_address("Phường Tân Định, Quận 1, TP Hồ Chí Minh")
    assert not c.ok and c.note == "not_recognised"
