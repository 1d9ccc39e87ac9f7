"""Glue between a hospital check-in draft, the insurance gateway and the queue.

Blocking calls: the UI runs them on its worker, never on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.hospital.insurance import InsuranceGateway, InsuranceGatewayError, InsuranceLookupResult
from app.hospital.queue import QueueNumbers, QueueTicket
from app.identity.model import Source
from app.procedures.validation import parse_date

if TYPE_CHECKING:
    from app.procedures.draft import FormDraft


def lookup_insurance(draft: FormDraft, gateway: InsuranceGateway, *,
                     timeout: float | None = None) -> InsuranceLookupResult:
    """Look the patient up and prefill the insurance section (source: lookup). On a gateway
    failure the outcome is recorded in draft.extras and the error re-raised for the screen;
    the check-in itself can go on without insurance data."""
    id_number = draft.raw("patient.id_number") or ""
    try:
        result = gateway.lookup(id_number, draft.raw("patient.full_name") or "",
                                parse_date(draft.raw("patient.birth_date")), timeout=timeout)
    except InsuranceGatewayError as exc:
        draft.extras["insurance_lookup"] = {"ok": False, "reason": exc.reason}
        raise
    draft.apply_source("insurance", result.as_prefill(), Source.LOOKUP, section="insurance")
    draft.extras["insurance_lookup"] = {"ok": True, "result_code": result.result_code,
                                        "message_vi": result.message_vi,
                                        "message_en": result.message_en}
    return result


def issue_ticket(draft: FormDraft, queue: QueueNumbers) -> QueueTicket:
    """A queue number for the department chosen in the draft (kept in the submission)."""
    ticket = queue.next(draft.raw("visit.department") or "general")
    draft.extras["queue_ticket"] = ticket.as_dict()
    return ticket
