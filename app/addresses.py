"""Addresses in the administrative units in force since 1 July 2025, beside the original text.

Cards issued before the reform store "street, commune/ward, district, province" in the old
units; today there are 34 provinces and communes/wards under them, no districts. The conversion
tables come from the `vietnamadminunits` package (its data ships inside the wheel; nothing is
fetched). One trap in it: when an old ward was split between several new ones and the address
has a street, the package geocodes the street over the network (ArcGIS). That would send a
citizen's address to a third party and fail offline, so we never hand it a street: we convert
"ward, district, province" only, take the package's default new ward for a split ward, flag it,
and put the street back ourselves.

Never raises on an address: one it cannot convert comes back with ok=False, the original kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

HIGH = "high"  # old ward mapped to exactly one new commune/ward, or already in today's units
MEDIUM = "medium"  # the old ward was split: the package's default new ward, to be checked
LOW = "low"  # only the province could be placed
NONE = "none"

_NOTES = {
    "converted": ("Đã chuyển sang đơn vị hành chính mới.",
                  "Converted to the new administrative units."),
    "already_current": ("Địa chỉ đã theo đơn vị hành chính mới.",
                        "The address is already in the new administrative units."),
    "ward_split": ("Xã/phường cũ đã được chia cho nhiều đơn vị mới; cần kiểm tra lại.",
                   "The old commune/ward was split between several new ones; please check."),
    "commune_not_found": ("Chỉ xác định được tỉnh/thành phố; cần kiểm tra xã/phường.",
                          "Only the province could be determined; please check the commune."),
    "not_recognised": ("Không nhận dạng được địa chỉ; giữ nguyên như trên thẻ.",
                       "The address was not recognised; kept as on the card."),
}


@dataclass(frozen=True)
class AddressConversion:
    original: str
    converted: str | None  # the address in today's units; None when nothing could be placed
    province: str | None
    commune: str | None
    street: str | None
    ok: bool  # province and commune both placed
    confidence: str  # high | medium | low | none
    note: str  # a stable code: converted, already_current, ward_split, commune_not_found, ...

    def note_text(self, lang: str = "vi") -> str:
        vi, en = _NOTES[self.note]
        return vi if lang == "vi" else en

    @property
    def display(self) -> str:
        return self.converted or self.original

    def as_dict(self) -> dict:
        return asdict(self)


def _unrecognised(text: str) -> AddressConversion:
    return AddressConversion(text, None, None, None, None, False, NONE, "not_recognised")


def _join(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


@lru_cache(maxsize=256)
def convert_address(text: str) -> AddressConversion:
    """The address in today's units. See the module docstring for what is never done."""
    original = text or ""
    if not original.strip():
        return _unrecognised(original)
    try:
        return _convert(original)
    except Exception:  # a third-party parser on free text: any failure keeps the original
        return _unrecognised(original)


def _convert(text: str) -> AddressConversion:
    from vietnamadminunits import ParseMode, convert_address as va_convert, parse_address
    from vietnamadminunits.converter import converter_2025 as tables

    old = parse_address(text, mode=ParseMode.LEGACY, keep_street=True, level=3)
    if old.province_key and old.district_key and old.ward_key:
        # Street-less on purpose: no geocoding (module docstring).
        units = _join(old.ward, old.district, old.province)
        check = parse_address(units, mode=ParseMode.LEGACY, keep_street=True, level=3)
        if not check.street:
            new = va_convert(units)
            if new.ward and new.province:
                key = f"{old.province_key}_{old.district_key}_{old.ward_key}"
                split = any(key in wards for wards in tables.DICT_PROVINCE_WARD_DIVIDED.values())
                return AddressConversion(text, _join(old.street, new.ward, new.province),
                                         new.province, new.ward, old.street or None, True,
                                         MEDIUM if split else HIGH,
                                         "ward_split" if split else "converted")
    current = parse_address(text, mode=ParseMode.FROM_2025, keep_street=True, level=2)
    if current.province and current.ward and not old.district_key:
        return AddressConversion(text, _join(current.street, current.ward, current.province),
                                 current.province, current.ward, current.street or None, True, HIGH,
                                 "already_current")
    if old.province_key:
        new = va_convert(old.province)
        if new.province:
            # No converted text: a street glued to a province would read as a whole address.
            return AddressConversion(text, None, new.province, None, old.street or None,
                                     False, LOW, "commune_not_found")
    return _unrecognised(text)
