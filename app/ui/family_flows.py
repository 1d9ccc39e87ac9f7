"""What a procedure family adds to the common visit (app/ui/controller.py): the hospital's
insurance lookup and queue ticket, the lodging guest register, deadline and passports.

The rules live in the domain (app.hospital, app.lodging, app.procedures); this module only
decides *when* to call them and hands every gateway or disk call to
app.ui.tasks.run_in_background, applying the answer to the draft back on the main thread (the
draft is never touched from two threads). A visit that ended while a call was out ignores the
answer.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from app import messages
from app.procedures.vntime import now_vn
from app.ui.tasks import run_in_background

log = logging.getLogger(__name__)

IDLE, PENDING, DONE, FAILED = "idle", "pending", "done", "failed"


class _Answered:
    """A gateway (or queue) that gives back an answer already fetched off the main thread, so
    the domain's own glue (lookup_insurance, issue_ticket) applies it to the draft."""

    def __init__(self, value: Any = None, exc: Exception | None = None) -> None:
        self.value, self.exc = value, exc

    def lookup(self, *args: Any, **kwargs: Any) -> Any:
        if self.exc is not None:
            raise self.exc
        return self.value

    def next(self, *args: Any, **kwargs: Any) -> Any:
        return self.value


def family_of(session: Any) -> str:
    return getattr(session.procedure, "family", "") if session is not None else ""


class HospitalFlow(QObject):
    """Insurance lookup after the patient's card, a queue number per department at submission,
    the ticket printed when a printer is there."""

    insurance_changed = Signal()
    ticket_changed = Signal()

    def __init__(self, controller: Any) -> None:
        super().__init__()
        self.c = controller
        self.reset()

    def reset(self) -> None:
        self.state = IDLE
        self.result: Any = None  # app.hospital.InsuranceLookupResult
        self.error: Any = None  # app.hospital.InsuranceGatewayError
        self.ticket: Any = None  # app.hospital.QueueTicket

    # -- insurance ---------------------------------------------------------------------------
    def card_accepted(self, session: Any, turn: Any) -> None:
        if family_of(session) == "hospital" and turn.role_id == "patient":
            self.look_up(session)

    def look_up(self, session: Any) -> None:
        from app.hospital import InsuranceGatewayError, gateway_from_config
        from app.procedures.validation import parse_date

        draft = session.draft
        args = (draft.raw("patient.id_number") or "", draft.raw("patient.full_name") or "",
                parse_date(draft.raw("patient.birth_date")))
        timeout = float(self.c.cfg["hospital.insurance_timeout_seconds"])
        self.state, self.result, self.error = PENDING, None, None
        self.insurance_changed.emit()
        try:
            gateway = gateway_from_config(self.c.cfg)
        except InsuranceGatewayError as exc:  # not configured: the desk settles it
            self._answered(session, None, exc)
            return

        def answered(result: Any = None, exc: Exception | None = None) -> None:
            self._answered(session, result, exc)

        run_in_background(lambda: gateway.lookup(*args, timeout=timeout),
                          lambda result: answered(result),
                          lambda exc: answered(None, exc))

    def _answered(self, session: Any, result: Any, exc: Exception | None) -> None:
        from app.hospital import InsuranceGatewayError
        from app.hospital.checkin import lookup_insurance

        if self.c.session is not session:
            return  # the visit ended while the gateway was thinking
        if exc is not None and not isinstance(exc, InsuranceGatewayError):
            log.error("insurance lookup failed: %s", type(exc).__name__)
            exc = InsuranceGatewayError("bad_answer")
        try:
            self.result = lookup_insurance(session.draft, _Answered(result, exc))
            self.state = DONE
        except InsuranceGatewayError as failure:
            log.info("insurance lookup unavailable: %s", failure.reason)
            self.error = failure
            self.state = FAILED
        self.insurance_changed.emit()

    # -- queue ticket ------------------------------------------------------------------------
    def before_submit(self, session: Any, proceed: Callable[[], None]) -> None:
        """Issue the queue number (kept in the submission), then submit."""
        if family_of(session) != "hospital" or "queue_ticket" in session.draft.extras:
            proceed()
            return
        from app.hospital import QueueNumbers
        from app.hospital.checkin import issue_ticket

        department = session.draft.raw("visit.department") or "general"
        path = self.c.cfg.path("hospital.queue_path", "queue.sqlite3")

        def issued(ticket: Any) -> None:
            if self.c.session is not session:
                return
            self.ticket = issue_ticket(session.draft, _Answered(ticket))
            self.ticket_changed.emit()
            proceed()

        def failed(exc: Exception) -> None:
            if self.c.session is not session:
                return
            log.error("queue number not issued: %s", type(exc).__name__)
            proceed()  # the check-in goes on; the desk hands out a number

        run_in_background(lambda: QueueNumbers(path).next(department), issued, failed)

    def department_label(self, session: Any, lang: str) -> str:
        if self.ticket is None:
            return ""
        section = session.procedure.section("visit")
        fdef = section.field("department") if section is not None else None
        opt = fdef.option(self.ticket.department) if fdef is not None else None
        return opt.label.get(lang, opt.label["vi"]) if opt else self.ticket.department

    def submitted(self, session: Any, receipt: Any) -> None:
        printer = self.c.services.printer_worker
        if family_of(session) != "hospital" or self.ticket is None or printer is None:
            return
        from app.printing import queue_ticket

        department = self.department_label(session, "vi")
        english = self.department_label(session, "en")
        if english and english != department:
            department += f" / {english}"
        printer.print_document(queue_ticket(self.ticket.label, department,
                                            self.ticket.issued_at,
                                            self.c.lookup_url(receipt.dossier_code)))


class LodgingFlow(QObject):
    """The guest register (check-in at submission, the staff list, check-out), the deadline
    each notification carries, and foreign guests by passport."""

    checked_in = Signal()  # the visit's stays are in the register
    stays_loaded = Signal(object, object)  # list of Stay, list of DeadlineWarning
    register_failed = Signal(object)  # why, for staff: words(lang) -> text
    # after each outbox snapshot's delivered notifications are looked up: how many had stays
    notifications_recorded = Signal(int)
    unrecorded_changed = Signal()  # a visit's check-in was not written (or staff saw the list)

    def __init__(self, controller: Any) -> None:
        super().__init__()
        self.c = controller
        self.reset()
        self._settled: set[str] = set()  # delivered notifications done with in the register
        self._marking: set[str] = set()  # being marked now, on a worker
        self._checking_in: set[str] = set()  # notifications whose stays are being written
        # Visits whose guests the register could not take (dossier code, when), for staff:
        # their notification is queued all the same. Kept until staff mark them seen, or the
        # kiosk restarts (codes and times only, no personal data).
        self.unrecorded: list[tuple[str, datetime]] = []
        if controller.services.outbox_worker is not None:
            controller.services.outbox_worker.snapshot.connect(self.on_outbox_snapshot)

    def reset(self) -> None:
        self.stays: list = []  # this visit's stays once registered

    def _register(self) -> Any:
        from app.lodging.register import register_from_config

        return register_from_config(self.c.cfg)

    @staticmethod
    def deadline(session: Any) -> datetime | None:
        if family_of(session) != "lodging":
            return None
        return session.draft.deadline()

    # -- check-in ----------------------------------------------------------------------------
    def submitted(self, session: Any, receipt: Any) -> None:
        if family_of(session) != "lodging":
            return
        snapshot = copy.deepcopy(session.draft)  # the visit may be wiped before the write ends
        code = receipt.dossier_code
        self._checking_in.add(code)

        def work() -> list:
            try:
                return self._register().check_in_from_draft(snapshot, reference=code)
            finally:
                snapshot.wipe()

        def done(stays: list) -> None:
            self._checking_in.discard(code)
            if self.c.session is session:
                self.stays = stays
                self.checked_in.emit()

        def failed(exc: Exception) -> None:
            self._checking_in.discard(code)
            log.error("guest register: the stays of %s not written: %s", code,
                      type(exc).__name__)
            self.unrecorded.append((code, now_vn()))
            self.unrecorded_changed.emit()

        run_in_background(work, done, failed)

    def unrecorded_seen(self) -> None:
        """Staff took note of the visits the register missed (and register them themselves)."""
        self.unrecorded.clear()
        self.unrecorded_changed.emit()

    def on_outbox_snapshot(self, items: list, counts: dict) -> None:
        """Delivered lodging notifications mark their stays notified in the register, also
        those delivered long after the visit ended (offline for hours, say)."""
        done = self._settled | self._marking
        codes = [i.dossier_code for i in items if i.state == "delivered"
                 and i.dossier_code not in done and self._is_lodging(i.procedure_id)]
        if not codes:
            return
        self._marking.update(codes)
        writing = self._checking_in.intersection(codes)  # stays maybe not in the register yet

        def work() -> list[int]:
            register = self._register()
            return [register.mark_notified_by_reference(code) for code in codes]

        def finished(covered: list[int]) -> None:
            self._marking.difference_update(codes)
            # A notification with no stays and no check-in on its way never gets any (its
            # check-in failed, or the kiosk stopped during it): settled too, not looked up
            # again. Those whose stays are still being written are, on the next snapshot.
            self._settled.update(code for code, n in zip(codes, covered)
                                 if n or code not in writing)
            self.notifications_recorded.emit(sum(1 for n in covered if n))

        def failed(exc: Exception) -> None:
            self._marking.difference_update(codes)
            log.error("guest register: notifications not recorded: %s", type(exc).__name__)

        run_in_background(work, finished, failed)

    def _is_lodging(self, procedure_id: str) -> bool:
        try:
            return self.c.services.catalog.get(procedure_id).family == "lodging"
        except Exception:  # noqa: BLE001 - a procedure this kiosk no longer offers
            return False

    # -- staff: the register -----------------------------------------------------------------
    def load_stays(self) -> None:
        from app.lodging.register import warning_window

        near = warning_window(self.c.cfg)

        def work() -> tuple:
            register = self._register()
            return register.in_house(), register.deadline_warnings(near=near)

        run_in_background(work, lambda pair: self.stays_loaded.emit(*pair),
                          lambda exc: self._failed(exc))

    def check_out(self, stay_id: int) -> None:
        run_in_background(lambda: self._register().check_out(stay_id),
                          lambda _stay: self.load_stays(), lambda exc: self._failed(exc))

    def _failed(self, exc: Exception) -> None:
        log.error("guest register: %s", type(exc).__name__)
        self.register_failed.emit(messages.words_of(exc))

    # -- passports -----------------------------------------------------------------------------
    def passport_key(self, document_number: str, birth_date: str, expiry_date: str) -> Any:
        """The MRZ key from the three typed values, or None (the problem is shown)."""
        from app.lodging.mrz import MrzError, mrz_key

        try:
            return mrz_key(document_number, birth_date, expiry_date)
        except MrzError as exc:
            self.c.show_notice(messages.words_of(exc))
            return None

    @staticmethod
    def is_mrz(session: Any, text: str) -> bool:
        """A scanned code that is a passport's machine-readable zone, not a card's QR."""
        return family_of(session) == "lodging" and "<<" in text and "|" not in text

    def mrz_from_scan(self, text: str) -> Any:
        """The MRZ key from the scanned zone (check digits verified), or None (shown)."""
        from app.lodging.mrz import MrzError, mrz_key_from_text

        try:
            return mrz_key_from_text(text)
        except MrzError as exc:
            self.c.show_notice(messages.words_of(exc))
            return None

    def card_accepted(self, session: Any, turn: Any, access: Any, record: Any) -> None:
        """A passport chip was opened with the typed key: the guest is a foreigner."""
        if family_of(session) != "lodging" or access is None or access.mrz is None:
            return
        draft = session.draft
        base = f"guests[{turn.index}]"
        draft.set(f"{base}.kind", "foreigner")
        draft.set(f"{base}.passport_number", access.mrz.document_number,
                  source=record.source)

    def passport_without_chip(self, session: Any, key: Any, birth_text: str,
                              nationality: str) -> None:
        """No chip to read (or no reader): the typed passport values fill the guest."""
        turn = session.current_turn
        if turn is None:
            return
        session.skip()
        base = f"guests[{turn.index}]"
        draft = session.draft
        draft.set(f"{base}.kind", "foreigner")
        draft.set(f"{base}.passport_number", key.document_number)
        draft.set(f"{base}.birth_date", birth_text)
        if nationality:
            draft.set(f"{base}.nationality", nationality)


class FamilyFlows:
    """The controller's helpers, one per family that adds steps."""

    def __init__(self, controller: Any) -> None:
        self.hospital = HospitalFlow(controller)
        self.lodging = LodgingFlow(controller)

    def reset(self) -> None:
        self.hospital.reset()
        self.lodging.reset()

    def card_accepted(self, session: Any, turn: Any, access: Any, record: Any) -> None:
        self.lodging.card_accepted(session, turn, access, record)
        self.hospital.card_accepted(session, turn)

    def before_submit(self, session: Any, proceed: Callable[[], None]) -> None:
        self.hospital.before_submit(session, proceed)

    def submitted(self, session: Any, receipt: Any) -> None:
        self.hospital.submitted(session, receipt)
        self.lodging.submitted(session, receipt)
