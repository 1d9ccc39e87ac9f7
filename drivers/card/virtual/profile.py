"""A virtual card's personalisation: the identity in the same schema `kiosk card read --json`
prints, plus what the chip offers ("card" settings)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

IDENTITY_FIELDS = ("id_number", "full_name", "birth_date", "sex", "nationality", "ethnicity",
                   "religion", "place_of_origin", "place_of_residence", "identifying_marks",
                   "issue_date", "expiry_date", "expiry_text", "father_name", "mother_name",
                   "spouse_name", "old_id_number")


@dataclass
class CardSettings:
    generation: int = 2021
    extended_length: bool = True
    pace: bool = True
    bac: bool = True
    chip_auth: bool = True
    active_auth: bool = True
    # DG14/DG15 keys with explicit EC domain parameters (as many eMRTDs encode them) instead of a
    # named curve. Which one the CCCD uses is unconfirmed: both are exercised.
    explicit_ec_parameters: bool = False


@dataclass
class CardProfile:
    identity: dict
    card: CardSettings = field(default_factory=CardSettings)
    face_image: Path | None = None
    mrz_overrides: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict, base_dir: Path | None = None) -> "CardProfile":
        """Accepts either the whole `kiosk card read --json` output (with "identity") or the
        identity fields at the top level, plus optional "face_image", "mrz" and "card"."""
        ident_src = data.get("identity", data)
        identity = {k: ident_src.get(k, "") for k in IDENTITY_FIELDS}
        identity["unknown_fields"] = dict(ident_src.get("unknown_fields") or {})
        for k in ("birth_date", "issue_date", "expiry_date"):
            identity[k] = identity[k] or None
            if identity[k]:
                date.fromisoformat(identity[k])  # validate early, with a clear error
        if not (isinstance(identity["id_number"], str) and len(identity["id_number"]) == 12
                and identity["id_number"].isdigit()):
            raise ValueError("profile: id_number must be 12 digits")
        if not identity["birth_date"]:
            raise ValueError("profile: birth_date is required")
        settings = CardSettings(**{k: v for k, v in (data.get("card") or {}).items()
                                   if k in CardSettings.__dataclass_fields__})
        face = data.get("face_image")
        face_path = None
        if face:
            face_path = Path(face)
            if not face_path.is_absolute():
                candidates = [(base_dir or Path.cwd()) / face_path, _repo_root() / face_path]
                face_path = next((c for c in candidates if c.exists()), candidates[0])
        mrz = data.get("mrz") if isinstance(data.get("mrz"), dict) else {}
        return cls(identity, settings, face_path, dict(mrz))

    @property
    def key(self) -> str:
        """Stable cache key of the personalisation."""
        return json.dumps([self.identity, self.card.__dict__, str(self.face_image),
                           self.mrz_overrides], sort_keys=True, ensure_ascii=False)


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def load_profile(path: str | Path) -> CardProfile:
    path = Path(path)
    return CardProfile.from_json(json.loads(path.read_text(encoding="utf-8")), path.parent)


def profiles_dir() -> Path:
    return _repo_root() / "assets" / "simulator" / "cards"
