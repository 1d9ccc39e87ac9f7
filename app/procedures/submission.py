"""Re-checking a stored submission payload (`kiosk outbox submit`, the endpoint's mirror)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.identity.model import Source
from app.procedures.catalog import Catalog, load_catalog
from app.procedures.draft import FormDraft, normalize
from app.procedures.errors import ProcedureError
from app.procedures.validation import ERROR, FieldError
from app.procedures.vntime import now_vn


MAX_PEOPLE = 200


def _structure(path: str, reason: str, vi: str, en: str) -> FieldError:
    return FieldError(path, reason, vi, en)


def validate_submission(procedure_id: str, payload: dict[str, Any], *,
                        catalog: Catalog | None = None) -> list[FieldError]:
    """Every error that would have stopped this payload at the kiosk, plus structural ones
    (wrong procedure, no consent, unknown fields). Dates are judged as of the payload's
    `created_at`, so a payload that waited in the outbox does not turn invalid."""
    catalog = catalog or load_catalog()
    try:
        proc = catalog.get(procedure_id)
    except ProcedureError:
        return [_structure("procedure_id", "unknown_procedure", "Không có thủ tục này.",
                           "There is no such procedure.")]
    if not isinstance(payload, dict):
        return [_structure("", "not_an_object", "Hồ sơ không đúng định dạng.",
                           "The payload is not an object.")]
    out: list[FieldError] = []
    if payload.get("procedure_id") != procedure_id:
        out.append(_structure("procedure_id", "procedure_mismatch",
                              "Mã thủ tục trong hồ sơ không khớp.",
                              "The payload's procedure id does not match."))
    consent = payload.get("consent")
    if not isinstance(consent, dict) or consent.get("text_id") != proc.consent_id \
            or not consent.get("version") or not consent.get("accepted_at"):
        out.append(_structure("consent", "consent_missing",
                              "Hồ sơ thiếu thông tin đồng ý xử lý dữ liệu cá nhân.",
                              "The payload does not record the consent."))
    created = None
    try:
        created = datetime.fromisoformat(payload.get("created_at") or "")
    except (TypeError, ValueError):
        pass
    draft = FormDraft(proc, clock=(lambda: created) if created else now_vn)
    values = payload.get("fields")
    if not isinstance(values, dict):
        return out + [_structure("fields", "fields_missing", "Hồ sơ không có trường dữ liệu.",
                                 "The payload has no fields.")]
    # Make room for every repeated person the payload names.
    for path in values:
        role_sec, _, _ = path.partition(".")
        if "[" in role_sec:
            sec_id, idx = role_sec[:-1].split("[", 1)
            sec = proc.section(sec_id)
            # The cap keeps a hostile payload ("guests[999999999].x") from building a huge draft.
            if sec is not None and sec.repeated and idx.isdigit() and int(idx) < MAX_PEOPLE:
                while draft.count(sec) <= int(idx):
                    draft.add_person(sec.role)  # type: ignore[arg-type]
    draft._slots.clear()  # start from nothing: the form's defaults are not the citizen's data
    for path, entry in values.items():
        try:
            _, fdef, _, canonical = draft.resolve(path)
        except ProcedureError:
            out.append(_structure(path, "unknown_field", "Biểu mẫu không có trường này.",
                                  "The form has no such field."))
            continue
        value = entry.get("value") if isinstance(entry, dict) else entry
        try:
            source = Source(entry.get("source")) if isinstance(entry, dict) else Source.TYPED
        except ValueError:
            source = Source.TYPED
        draft._fill(canonical, fdef, normalize(fdef, value), source, "submission")
    out.extend(e for e in draft.issues() if e.severity == ERROR)
    return out
