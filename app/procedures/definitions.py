"""Form definitions: the data classes, and the parser that checks one definition file.

Forms are data (assets/forms/*.toml, schema in assets/forms/README.md) so that a change in a
regulation's form is an edit to a file, not to code. Every file is checked completely at start-up:
a mistake names the file, the key inside it and what is wrong (FormDefinitionError), instead of
surfacing as a broken screen in front of a citizen.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.procedures.errors import FormDefinitionError

FIELD_TYPES = ("text", "date", "time", "datetime", "choice", "bool", "phone", "email",
               "id_number", "integer", "bank_account", "address")
KEYBOARDS = ("text", "digits", "phone", "email")
CARD_MODES = ("required", "optional", "none")
LANGS = ("vi", "en")
CHECK_KINDS = {
    # kind: (required keys, optional keys)
    "id_consistent": ({"id"}, {"birth_date", "sex", "when"}),
    "date_order": ({"earlier", "later"}, {"reason", "when"}),
    "age_under": ({"field", "years"}, {"when"}),
    "different": ({"fields"}, {"reason", "when"}),
}
_ID = re.compile(r"[a-z][a-z0-9_]*")
_DEFAULT_KEYBOARD = {"phone": "phone", "id_number": "digits", "integer": "digits",
                     "bank_account": "digits", "email": "email"}


def _source_names() -> dict[str, set[str]]:
    """Which `namespace.attribute` names a field may name as a source. Checked at load so a
    typo in a form file does not silently leave a field unfilled."""
    from app.config import SCHEMA
    from app.hospital.insurance import InsuranceLookupResult
    from app.identity.model import IdentityRecord
    return {
        "identity": {f.name for f in fields(IdentityRecord)} - {"source", "extras", "face_jpeg"},
        "insurance": {f.name for f in fields(InsuranceLookupResult)},
        "config": {f"{s}.{k}" for s, keys in SCHEMA.items() for k in keys},
    }


@dataclass(frozen=True)
class Condition:
    """`field` (a path "section.field") equals / is one of / is filled. Inside a repeated
    section, a path to the same section means the same person."""

    field: str
    equals: Any = None
    one_of: tuple[Any, ...] = ()
    filled: bool | None = None

    def holds(self, value: Any) -> bool:
        if self.filled is not None:
            return (value not in (None, "", [])) == self.filled
        if self.one_of:
            return value in self.one_of
        return value == self.equals


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]
    aliases: tuple[str, ...] = ()  # spellings a source may give (the card's "Nam" for "male")


@dataclass(frozen=True)
class FieldDef:
    id: str
    label: dict[str, str]
    type: str
    required: bool | Condition = False
    when: Condition | None = None  # the field exists only when this holds (else not asked/sent)
    options: tuple[Option, ...] = ()
    sources: tuple[str, ...] = ()
    help: dict[str, str] = field(default_factory=dict)
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    keyboard: str = "text"
    past_only: bool = False
    ask: bool = True  # False: filled by a lookup or the configuration, never asked of the citizen
    default: Any = None

    def option(self, raw: Any) -> Option | None:
        """The option a raw value means: its value, an alias or a label, case-insensitive."""
        if not isinstance(raw, str):
            return None
        key = raw.strip().casefold()
        for opt in self.options:
            names = (opt.value, *opt.aliases, *opt.label.values())
            if any(key == n.casefold() for n in names):
                return opt
        return None


@dataclass(frozen=True)
class SectionDef:
    id: str
    title: dict[str, str]
    role: str | None
    fields: tuple[FieldDef, ...]
    repeated: bool = False  # one instance per person of a role with many = true

    def field(self, field_id: str) -> FieldDef | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class RoleDef:
    id: str
    title: dict[str, str]
    card: str = "required"
    many: bool = False


@dataclass(frozen=True)
class CheckDef:
    kind: str
    params: dict[str, Any]
    when: Condition | None = None


@dataclass(frozen=True)
class ProcedureDef:
    id: str
    version: str
    family: str
    profiles: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    agencies: tuple[dict[str, Any], ...]
    roles: tuple[RoleDef, ...]
    sections: tuple[SectionDef, ...]
    checks: tuple[CheckDef, ...]
    needs_face: bool
    consent_id: str
    source_file: str = ""

    def section(self, section_id: str) -> SectionDef | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def role(self, role_id: str) -> RoleDef | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def sections_for_role(self, role_id: str) -> list[SectionDef]:
        return [s for s in self.sections if s.role == role_id]


# --- parsing -------------------------------------------------------------------------------------

class _Reader:
    """Walks one file's data, keeping the path inside it for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, problem: str) -> FormDefinitionError:
        return FormDefinitionError(self.file, where, problem)

    def table(self, data: Any, where: str, required: set[str], optional: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        for key in data:
            if key not in required | optional:
                raise self.fail(f"{where}.{key}" if where else key,
                                "unknown key (allowed: " + ", ".join(sorted(required | optional))
                                + ")")
        for key in sorted(required):
            if key not in data:
                raise self.fail(f"{where}.{key}" if where else key, "missing")
        return data

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(where, "must be an identifier (lower case letters, digits, _)")
        return value

    def text(self, value: Any, where: str) -> dict[str, str]:
        """A translated text: a table with non-empty `vi` and `en`."""
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table with vi and en texts")
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(f"{where}.{lang}", "missing or empty translation")
        extra = set(value) - set(LANGS)
        if extra:
            raise self.fail(f"{where}.{sorted(extra)[0]}", "unknown language (allowed: vi, en)")
        return dict(value)

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "must be true or false")
        return value

    def integer(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, "must be a whole number")
        return value

    def condition(self, value: Any, where: str) -> Condition:
        data = self.table(value, where, {"field"}, {"equals", "in", "filled"})
        if not isinstance(data["field"], str):
            raise self.fail(f"{where}.field", "must be a path \"section.field\"")
        if sum(k in data for k in ("equals", "in", "filled")) != 1:
            raise self.fail(where, "needs exactly one of equals, in, filled")
        one_of = data.get("in", ())
        if not isinstance(one_of, (list, tuple)):
            raise self.fail(f"{where}.in", "must be a list")
        filled = data.get("filled")
        if filled is not None:
            self.boolean(filled, f"{where}.filled")
        return Condition(data["field"], data.get("equals"), tuple(one_of), filled)


_FIELD_KEYS = {"required", "when", "options", "sources", "help", "max_length", "min_length",
               "pattern", "minimum", "maximum", "keyboard", "past_only", "ask", "default"}


def _parse_field(r: _Reader, data: Any, where: str, sources: dict[str, set[str]]) -> FieldDef:
    d = r.table(data, where, {"id", "label", "type"}, _FIELD_KEYS)
    ftype = d["type"]
    if ftype not in FIELD_TYPES:
        raise r.fail(f"{where}.type", f"unknown type \"{ftype}\" (allowed: "
                     + ", ".join(FIELD_TYPES) + ")")
    required: bool | Condition = False
    if "required" in d:
        required = (d["required"] if isinstance(d["required"], bool)
                    else r.condition(d["required"], f"{where}.required"))
    options: list[Option] = []
    if ftype == "choice":
        raw = d.get("options")
        if not isinstance(raw, list) or not raw:
            raise r.fail(f"{where}.options", "a choice field needs a non-empty list of options")
        for i, o in enumerate(raw):
            ow = f"{where}.options[{i}]"
            od = r.table(o, ow, {"value", "label"}, {"aliases"})
            if not isinstance(od["value"], str) or not od["value"]:
                raise r.fail(f"{ow}.value", "must be a non-empty string")
            aliases = od.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise r.fail(f"{ow}.aliases", "must be a list of strings")
            options.append(Option(od["value"], r.text(od["label"], f"{ow}.label"), tuple(aliases)))
        if len({o.value for o in options}) != len(options):
            raise r.fail(f"{where}.options", "option values must be unique")
    elif "options" in d:
        raise r.fail(f"{where}.options", "only a choice field has options")
    srcs = d.get("sources", [])
    if not isinstance(srcs, list):
        raise r.fail(f"{where}.sources", "must be a list of \"namespace.attribute\" names")
    for i, s in enumerate(srcs):
        ns, _, attr = s.partition(".") if isinstance(s, str) else ("", "", "")
        if ns not in sources or attr not in sources[ns]:
            raise r.fail(f"{where}.sources[{i}]", f"unknown source \"{s}\" (namespaces: "
                         + ", ".join(sources) + ")")
    keyboard = d.get("keyboard", _DEFAULT_KEYBOARD.get(ftype, "text"))
    if keyboard not in KEYBOARDS:
        raise r.fail(f"{where}.keyboard", "one of " + ", ".join(KEYBOARDS))
    ints = {k: r.integer(d[k], f"{where}.{k}") if k in d else None
            for k in ("max_length", "min_length", "minimum", "maximum")}
    pattern = d.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise r.fail(f"{where}.pattern", f"not a regular expression ({exc})") from None
    return FieldDef(
        id=r.ident(d["id"], f"{where}.id"), label=r.text(d["label"], f"{where}.label"),
        type=ftype, required=required,
        when=r.condition(d["when"], f"{where}.when") if "when" in d else None,
        options=tuple(options), sources=tuple(srcs),
        help=r.text(d["help"], f"{where}.help") if "help" in d else {},
        pattern=pattern, keyboard=keyboard,
        past_only=r.boolean(d.get("past_only", False), f"{where}.past_only"),
        ask=r.boolean(d.get("ask", True), f"{where}.ask"), default=d.get("default"), **ints)


_TOP_REQUIRED = {"id", "version", "family", "profiles", "title", "summary", "agencies", "roles",
                 "sections", "consent_id"}
_TOP_OPTIONAL = {"checks", "needs_face"}
FAMILIES = ("birth", "death", "hospital", "lodging")


def parse_definition(data: Any, file: str) -> ProcedureDef:
    """Check one definition's data completely and build the ProcedureDef."""
    from app.config import PROFILES
    r = _Reader(file)
    sources = _source_names()
    d = r.table(data, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    pid = r.ident(d["id"], "id")
    if not isinstance(d["version"], str) or not d["version"]:
        raise r.fail("version", "must be a non-empty string")
    if d["family"] not in FAMILIES:
        raise r.fail("family", "one of " + ", ".join(FAMILIES))
    profiles = d["profiles"]
    if not isinstance(profiles, list) or not profiles or any(p not in PROFILES for p in profiles):
        raise r.fail("profiles", "a non-empty list of: " + ", ".join(PROFILES))
    agencies = []
    if not isinstance(d["agencies"], list) or not d["agencies"]:
        raise r.fail("agencies", "a non-empty list of receiving agencies")
    for i, a in enumerate(d["agencies"]):
        ad = r.table(a, f"agencies[{i}]", {"id", "name"}, set())
        agencies.append({"id": r.ident(ad["id"], f"agencies[{i}].id"),
                         "name": r.text(ad["name"], f"agencies[{i}].name")})
    roles: list[RoleDef] = []
    if not isinstance(d["roles"], list) or not d["roles"]:
        raise r.fail("roles", "a non-empty list of the people whose cards are read")
    for i, ro in enumerate(d["roles"]):
        w = f"roles[{i}]"
        rd = r.table(ro, w, {"id", "title"}, {"card", "many"})
        card = rd.get("card", "required")
        if card not in CARD_MODES:
            raise r.fail(f"{w}.card", "one of " + ", ".join(CARD_MODES))
        roles.append(RoleDef(r.ident(rd["id"], f"{w}.id"), r.text(rd["title"], f"{w}.title"),
                             card, r.boolean(rd.get("many", False), f"{w}.many")))
    role_by_id = {ro.id: ro for ro in roles}
    if len(role_by_id) != len(roles):
        raise r.fail("roles", "role ids must be unique")
    sections: list[SectionDef] = []
    if not isinstance(d["sections"], list) or not d["sections"]:
        raise r.fail("sections", "a non-empty list of sections")
    for i, s in enumerate(d["sections"]):
        w = f"sections[{i}]"
        sd = r.table(s, w, {"id", "title", "fields"}, {"role"})
        role = sd.get("role")
        if role is not None and role not in role_by_id:
            raise r.fail(f"{w}.role", f"unknown role \"{role}\" (roles: "
                         + ", ".join(role_by_id) + ")")
        if not isinstance(sd["fields"], list) or not sd["fields"]:
            raise r.fail(f"{w}.fields", "a non-empty list of fields")
        flds = tuple(_parse_field(r, f, f"{w}.fields[{j}]", sources)
                     for j, f in enumerate(sd["fields"]))
        if len({f.id for f in flds}) != len(flds):
            raise r.fail(f"{w}.fields", "field ids must be unique within a section")
        sections.append(SectionDef(r.ident(sd["id"], f"{w}.id"), r.text(sd["title"], f"{w}.title"),
                                   role, flds, bool(role and role_by_id[role].many)))
    if len({s.id for s in sections}) != len(sections):
        raise r.fail("sections", "section ids must be unique")
    by_section = {s.id: s for s in sections}

    def known_path(path: Any, where: str) -> None:
        sec, _, fid = path.partition(".") if isinstance(path, str) else ("", "", "")
        if sec not in by_section or by_section[sec].field(fid) is None:
            raise r.fail(where, f"no field \"{path}\" in this form")

    for i, s in enumerate(sections):
        for j, f in enumerate(s.fields):
            for name in ("when", "required"):
                cond = getattr(f, name)
                if isinstance(cond, Condition):
                    known_path(cond.field, f"sections[{i}].fields[{j}].{name}.field")
    checks: list[CheckDef] = []
    raw_checks = d.get("checks", [])
    if not isinstance(raw_checks, list):
        raise r.fail("checks", "a list of cross-field checks")
    for i, c in enumerate(raw_checks):
        w = f"checks[{i}]"
        if not isinstance(c, dict) or c.get("kind") not in CHECK_KINDS:
            raise r.fail(f"{w}.kind", "one of " + ", ".join(CHECK_KINDS))
        req, opt = CHECK_KINDS[c["kind"]]
        cd = r.table(c, w, req | {"kind"}, opt)
        params = {k: v for k, v in cd.items() if k not in ("kind", "when")}
        for k, v in params.items():
            if k == "fields":
                if not isinstance(v, list) or len(v) < 2:
                    raise r.fail(f"{w}.fields", "a list of at least two field paths")
                for j, p in enumerate(v):
                    known_path(p, f"{w}.fields[{j}]")
            elif k == "years":
                r.integer(v, f"{w}.years")
            elif k == "reason":
                r.ident(v, f"{w}.reason")
            else:
                known_path(v, f"{w}.{k}")
        when = r.condition(cd["when"], f"{w}.when") if "when" in cd else None
        if when:
            known_path(when.field, f"{w}.when.field")
        checks.append(CheckDef(c["kind"], params, when))
    consent_id = r.ident(d["consent_id"], "consent_id")
    return ProcedureDef(
        id=pid, version=d["version"], family=d["family"], profiles=tuple(profiles),
        title=r.text(d["title"], "title"), summary=r.text(d["summary"], "summary"),
        agencies=tuple(agencies), roles=tuple(roles), sections=tuple(sections),
        checks=tuple(checks), needs_face=r.boolean(d.get("needs_face", False), "needs_face"),
        consent_id=consent_id, source_file=file)


def load_definition_file(path: Path) -> ProcedureDef:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(path.name, "", f"not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(path.name, "", f"cannot be read ({exc})") from None
    return parse_definition(data, path.name)
