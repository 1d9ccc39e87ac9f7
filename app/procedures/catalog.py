"""The catalog: every form definition in assets/forms, checked at start-up."""

from __future__ import annotations

from pathlib import Path

from app.procedures.definitions import ProcedureDef, load_definition_file
from app.procedures.errors import FormDefinitionError, UnknownProcedureError

FORMS_DIR = Path(__file__).resolve().parents[2] / "assets" / "forms"


class Catalog:
    def __init__(self, procedures: list[ProcedureDef]) -> None:
        self._by_id = {p.id: p for p in procedures}

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, procedure_id: str) -> ProcedureDef:
        try:
            return self._by_id[procedure_id]
        except KeyError:
            raise UnknownProcedureError(procedure_id) from None

    def for_profile(self, profile: str) -> list[ProcedureDef]:
        """The procedures a deployment profile offers, in file-name order."""
        return [p for p in self._by_id.values() if profile in p.profiles]


def load_catalog(forms_dir: Path | None = None, *, check_consent: bool = True) -> Catalog:
    """Load and check every *.toml in the folder. The first broken file raises
    FormDefinitionError naming the file and the key; a consent_id with no consent text too."""
    folder = Path(forms_dir) if forms_dir is not None else FORMS_DIR
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise FormDefinitionError(str(folder), "", "no form definition files (*.toml) found")
    procedures: list[ProcedureDef] = []
    seen: dict[str, str] = {}
    for path in files:
        proc = load_definition_file(path)
        if proc.id in seen:
            raise FormDefinitionError(path.name, "id",
                                      f"\"{proc.id}\" is already defined in {seen[proc.id]}")
        seen[proc.id] = path.name
        if check_consent:
            from app.procedures.consent import ConsentNotFoundError, load_consent
            try:
                load_consent(proc.consent_id)
            except ConsentNotFoundError:
                raise FormDefinitionError(path.name, "consent_id",
                                          f"no consent text \"{proc.consent_id}\" in "
                                          "assets/consent") from None
        procedures.append(proc)
    return Catalog(procedures)
