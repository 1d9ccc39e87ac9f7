"""Consent texts (Decree 13/2023/NĐ-CP on personal data protection) and the record of consent.

One TOML file per procedure family in assets/consent/: what is collected, why, who receives it,
how long it is kept and the citizen's rights, in Vietnamese and English, with a version id. The
submission records which text and version the citizen accepted, when, and in which language, so
a later change of wording never rewrites what was agreed to.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from app.procedures.errors import ConsentError, FormDefinitionError
from app.procedures.vntime import now_vn

CONSENT_DIR = Path(__file__).resolve().parents[2] / "assets" / "consent"
PARTS = ("collected", "purpose", "recipients", "retention", "rights")
_HEADINGS = {
    "collected": ("Thông tin được thu thập", "What is collected"),
    "purpose": ("Mục đích", "Why"),
    "recipients": ("Cơ quan tiếp nhận", "Who receives it"),
    "retention": ("Thời gian lưu giữ", "How long it is kept"),
    "rights": ("Quyền của bạn", "Your rights"),
}


class ConsentNotFoundError(ConsentError):
    def __init__(self, text_id: str) -> None:
        super().__init__("consent_not_found", f"Không có văn bản đồng ý \"{text_id}\".",
                         f"There is no consent text \"{text_id}\".")


@dataclass(frozen=True)
class ConsentText:
    id: str
    version: str
    title: dict[str, str]
    parts: dict[str, dict[str, str]]  # part -> {vi, en}
    accept_label: dict[str, str]

    def heading(self, part: str, lang: str = "vi") -> str:
        vi, en = _HEADINGS[part]
        return vi if lang == "vi" else en

    def text(self, lang: str = "vi") -> str:
        """The whole text in one language, as shown and as hashed."""
        lines = [self.title[lang], ""]
        for part in PARTS:
            lines += [self.heading(part, lang), self.parts[part][lang], ""]
        return "\n".join(lines).rstrip() + "\n"

    def digest(self, lang: str = "vi") -> str:
        return hashlib.sha256(self.text(lang).encode("utf-8")).hexdigest()

    def accept(self, language: str = "vi", *, at: datetime | None = None) -> ConsentRecord:
        return ConsentRecord(self.id, self.version, at or now_vn(), language, self.digest(language))


@dataclass(frozen=True)
class ConsentRecord:
    text_id: str
    version: str
    accepted_at: datetime
    language: str
    text_sha256: str = ""

    def as_dict(self) -> dict:
        return {"text_id": self.text_id, "version": self.version,
                "accepted_at": self.accepted_at.isoformat(), "language": self.language,
                "text_sha256": self.text_sha256}


def _text(data: object, file: str, where: str) -> dict[str, str]:
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k].strip()
                                             for k in ("vi", "en")):
        raise FormDefinitionError(file, where, "needs non-empty vi and en texts")
    return {"vi": data["vi"].strip(), "en": data["en"].strip()}


def parse_consent(data: dict, file: str) -> ConsentText:
    for key in ("id", "version", "title", "accept_label", *PARTS):
        if key not in data:
            raise FormDefinitionError(file, key, "missing")
    extra = set(data) - {"id", "version", "title", "accept_label", *PARTS}
    if extra:
        raise FormDefinitionError(file, sorted(extra)[0], "unknown key")
    if not isinstance(data["version"], str) or not data["version"]:
        raise FormDefinitionError(file, "version", "must be a non-empty string")
    return ConsentText(str(data["id"]), data["version"], _text(data["title"], file, "title"),
                       {p: _text(data[p], file, p) for p in PARTS},
                       _text(data["accept_label"], file, "accept_label"))


@lru_cache(maxsize=32)
def _load(text_id: str, folder: str) -> ConsentText:
    path = Path(folder) / f"{text_id}.toml"
    if not path.is_file():
        raise ConsentNotFoundError(text_id)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(path.name, "", f"not valid TOML ({exc})") from None
    text = parse_consent(data, path.name)
    if text.id != text_id:
        raise FormDefinitionError(path.name, "id", f"must be \"{text_id}\" (the file's name)")
    return text


def load_consent(text_id: str, consent_dir: Path | None = None) -> ConsentText:
    return _load(text_id, str(consent_dir or CONSENT_DIR))
