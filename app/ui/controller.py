"""The kiosk's flow: which screen shows, what the session holds, and when devices are asked.

Screens emit what the citizen chose; the controller acts through the domain (app.session,
app.procedures), the workers (card, camera, outbox, sync) and navigation. It runs on the Qt main
thread and never blocks: every device or disk call goes to a worker.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import KioskError
from app.identity.model import IdentityRecord, Source
from app.session import AccessInput, Session, Stage
from app import messages

log = logging.getLogger(__name__)


class Controller(QObject):
    stage_changed = Signal(object)  # Stage
    language_changed = Signal(str)
    session_changed = Signal()  # the session moved on (new turn, new data)
    access_changed = Signal()  # the key to open the card arrived or went
    card_state_changed = Signal(bool)  # a card is on the reader
    notice = Signal(str)  # a message for the citizen on the current screen ("" clears)
    # (sent by show_notice, which keeps its words: notice_text() gives it in a new language)
    read_progress = Signal(str, int, int)
    read_result = Signal(object, object)  # CardReadResult, IdentityRecord
    submitted = Signal(object)  # SubmissionReceipt
    submit_error = Signal(object)  # why the submission was not taken: words(lang) -> text
    idle_warning = Signal(int)  # seconds left; 0 hides the warning
    delivery_status = Signal(str, str)  # outbox state, agency status of this session's dossier

    IDLE_WARNING_SECONDS = 15
    IDLE_TICK_MS = 1000  # one idle-countdown step (tests shorten it)

    def __init__(self, cfg, services) -> None:  # services: app.ui.application.Services
        super().__init__()
        self.cfg = cfg
        self.services = services
        self.lang = cfg["kiosk.language"]
        self.stage = Stage.ATTRACT
        self.session: Session | None = None
        self.last_result: Any = None
        self.receipt: Any = None  # this visit's SubmissionReceipt, for printing
        self._notice: Callable[[str], str] | None = None  # the notice shown: lang -> its words
        self._idle_left = 0
        self._idle = QTimer(self)
        self._idle.setInterval(self.IDLE_TICK_MS)
        self._idle.timeout.connect(self._tick)
        from app.ui.family_flows import FamilyFlows

        self.flows = FamilyFlows(self)  # hospital insurance and queue, lodging register

        card = services.card_worker
        if card is not None:
            card.card_inserted.connect(self._on_card_inserted)
            card.card_removed.connect(self._on_card_removed)
            card.progress.connect(self.read_progress)
            card.read_finished.connect(self._on_read_finished)
            card.read_failed.connect(self._on_read_failed)
        if services.outbox_worker is not None:
            services.outbox_worker.submitted.connect(self._on_submitted)
            services.outbox_worker.submit_failed.connect(self._on_submit_failed)
            services.outbox_worker.snapshot.connect(self.on_outbox_snapshot)

    # ---------------------------------------------------------------- navigation and language
    def go(self, stage: Stage) -> None:
        self.stage = stage
        self.show_notice(None)
        self.stage_changed.emit(stage)
        if stage in (Stage.ATTRACT,):
            self._idle.stop()
            self.idle_warning.emit(0)
        else:
            self.touch()

    def set_language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.language_changed.emit(lang)

    def show_notice(self, words: Callable[[str], str] | None) -> None:
        """A message for the citizen on the current screen, as words(lang) (None clears it):
        sent in the current language, and kept for notice_text after a language switch (an
        error's words: messages.words_of, which keeps only the texts)."""
        self._notice = words
        self.notice.emit(self.notice_text())

    def notice_text(self) -> str:
        """The notice on show, in the current language ("" if none)."""
        return self._notice(self.lang) if self._notice is not None else ""

    def touch(self) -> None:
        """Any touch or key: the citizen is still here."""
        if self.stage is Stage.ATTRACT:
            return
        if self._idle_left and self._idle_left <= self.IDLE_WARNING_SECONDS:
            self.idle_warning.emit(0)
        self._idle_left = self.cfg["kiosk.idle_timeout_seconds"]
        self._idle.start()

    def _tick(self) -> None:
        self._idle_left -= 1
        if self._idle_left <= 0:
            log.info("idle timeout: session ended")
            self.end_session()
        elif self._idle_left <= self.IDLE_WARNING_SECONDS:
            self.idle_warning.emit(self._idle_left)

    # ---------------------------------------------------------------- session
    def procedures(self) -> list:
        return self.services.catalog.for_profile(self.cfg["kiosk.profile"])

    def start_procedure(self, procedure_id: str) -> None:
        procedure = self.services.catalog.get(procedure_id)
        self.session = Session.start(procedure)
        self.session.draft.apply_config(self.cfg)  # e.g. the lodging establishment
        self.flows.reset()
        log.info("session started: %s", procedure_id)
        self.session_changed.emit()
        self._next_after_card()

    def end_session(self) -> None:
        """The visit is over (finished, cancelled or timed out): wipe data, screens, reader."""
        if self.services.card_worker is not None:
            self.services.card_worker.cancel()
        if self.session is not None:
            self.session.wipe()
        self.session = None
        self.last_result = None
        self.receipt = None
        self.flows.reset()
        self._idle.stop()
        self._idle_left = 0
        self.idle_warning.emit(0)
        self.session_changed.emit()
        self.go(Stage.ATTRACT)

    def _next_after_card(self) -> None:
        if self.session is None:
            return
        if self.session.cards_done:
            self.go(Stage.REVIEW)
            return
        self.go(Stage.PRESENT)
        if self.services.camera_worker is not None:
            self.services.camera_worker.rearm()  # a new turn reports the card in view again
        self.access_changed.emit()
        self._maybe_read()

    def add_person(self, role_id: str) -> None:
        """Another person in a repeatable role (one more guest): read their card next."""
        if self.session is None:
            return
        index = self.session.draft.add_person(role_id)
        self.session.add_turn_for(role_id, index)
        self.session_changed.emit()
        self._next_after_card()

    def remove_person(self, role_id: str, index: int) -> None:
        """A person of a repeatable role added by mistake: out of the form and the visit."""
        if self.session is None:
            return
        try:
            self.session.remove_person(role_id, index)
        except KioskError as exc:
            self.show_notice(messages.words_of(exc))
            return
        self.session_changed.emit()
        self.go(Stage.REVIEW)  # the form is built again without them

    def skip_card(self) -> None:
        if self.session is not None:
            self.session.skip()
            self.session_changed.emit()
            self._next_after_card()

    # ---------------------------------------------------------------- the key to the chip
    def on_camera_code(self, raw: bytes, _text: str = "") -> None:
        """A code the camera decoded (CameraWorker.code_read): its raw bytes are read as UTF-8
        here, strictly, so a non-UTF-8 or garbled payload is refused with its own words (never
        guessed)."""
        if self.stage is not Stage.PRESENT or self.session is None:
            return
        from app.identity.qr_payload import QrPayloadError, decode_payload_bytes

        try:
            text = decode_payload_bytes(raw)
        except QrPayloadError as exc:
            self._qr_refused(messages.words_of(exc))
            return
        self.on_qr_text(text, Source.QR)

    def on_scanner_code(self, _raw: bytes, text: str) -> None:
        """A code the hand-held scanner read (ScannerWorker.code_read)."""
        self.on_qr_text(text, Source.SCANNER)

    def on_camera_hint(self, hint: str) -> None:
        """The camera sees a code it cannot read yet: say how to hold the card."""
        if self.stage is Stage.PRESENT and self.session is not None and self.session.access is None:
            self.show_notice((lambda lang: messages.text(f"qr_{hint}", lang)) if hint else None)

    def _qr_refused(self, words: Callable[[str], str]) -> None:
        self.show_notice(words)
        camera = self.services.camera_worker
        if camera is not None:
            camera.rearm()  # the same card still in view is read again once turned or moved

    def on_qr_text(self, text: str, source: Source = Source.QR) -> None:
        """A QR payload from the camera or the serial scanner."""
        if self.stage is not Stage.PRESENT or self.session is None:
            return
        if self.flows.lodging.is_mrz(self.session, text):  # a passport's MRZ, scanned
            key = self.flows.lodging.mrz_from_scan(text)
            if key is not None:
                self._open_passport(key)
            return
        from app.identity.qr_payload import QrPayloadError, parse_qr_payload

        try:
            record = parse_qr_payload(text)
        except QrPayloadError as exc:
            self._qr_refused(messages.words_of(exc))
            return
        if self.session.already_read(record) is not None:
            # a card of this visit still in view as the next turn starts, or shown again by
            # mistake: its key would open the wrong chip. No rearm, or it would repeat at once.
            self.show_notice(lambda lang: messages.text("qr_already_read", lang))
            return
        record.source = source
        self.session.access = AccessInput(record.id_number, record.birth_date, record.issue_date,
                                          qr_record=record)
        self.show_notice(None)
        self.access_changed.emit()
        self._maybe_read()

    def on_typed_number(self, id_number: str, birth_date: date | None = None) -> None:
        from app.procedures.validation import ERROR, check_id_number

        problems = [e for e in check_id_number(id_number) if e.severity == ERROR]
        if problems:
            self.show_notice(problems[0].message)
            return
        self.session.access = AccessInput(id_number, birth_date)
        self.access_changed.emit()
        self._maybe_read()

    def on_passport(self, document_number: str, birth_date: str, expiry_date: str) -> None:
        """A foreign guest typed the passport's MRZ values: they open its chip (BAC)."""
        if self.session is None:
            return
        key = self.flows.lodging.passport_key(document_number, birth_date, expiry_date)
        if key is not None:
            self._open_passport(key)

    def _open_passport(self, key: Any) -> None:
        self.session.access = AccessInput("", mrz=key)
        self.show_notice(None)
        self.access_changed.emit()
        self._maybe_read()

    def passport_without_chip(self, document_number: str, birth_date: str, expiry_date: str,
                              nationality: str = "") -> None:
        """The passport has no chip (or it cannot be read): its typed values fill the form."""
        if self.session is None:
            return
        key = self.flows.lodging.passport_key(document_number, birth_date, expiry_date)
        if key is not None:
            self.flows.lodging.passport_without_chip(self.session, key, birth_date, nationality)
            self.session_changed.emit()
            self._next_after_card()

    def use_qr_only(self) -> None:
        """No reader, or the chip cannot be read: the QR's values prefill, marked as QR."""
        if self.session and self.session.access and self.session.access.qr_record:
            turn, access = self.session.current_turn, self.session.access
            self.session.accept(access.qr_record)
            self.flows.card_accepted(self.session, turn, access, access.qr_record)
            self.session_changed.emit()
            self._next_after_card()

    # ---------------------------------------------------------------- reading the card
    def _on_card_inserted(self, reader: str) -> None:
        self.card_state_changed.emit(True)
        self.touch()
        self._maybe_read()

    def _on_card_removed(self, reader: str) -> None:
        self.card_state_changed.emit(False)
        if self.stage is Stage.READING:
            self.go(Stage.PRESENT)  # go() clears the notice: the message comes after
            self.show_notice(lambda lang: messages.text("card_removed", lang))

    def _maybe_read(self) -> None:
        card = self.services.card_worker
        if (self.stage is not Stage.PRESENT or self.session is None or self.session.access is None
                or card is None or not card.card_present):
            return
        from drivers.card.access_keys import keys_from_identity
        from drivers.card.reading import ReadOptions

        access = self.session.access
        if access.mrz is not None:  # a passport: the MRZ key the guest typed opens it (BAC)
            from drivers.card.access_keys import AccessKey

            keys = [AccessKey.mrz(access.mrz.document_number, access.mrz.birth_date,
                                  access.mrz.expiry_date)]
        else:
            keys = keys_from_identity(access.id_number, access.birth_date, access.issue_date,
                                      date.today())
        options = ReadOptions(face=self.session.procedure.needs_face,
                              trust_store=self.services.trust_store,
                              verifier=self.services.online_verifier)
        self.go(Stage.READING)
        card.read(keys, options)

    def _on_read_finished(self, result: Any) -> None:
        from app.identity.from_card import identity_from_card

        if self.session is None or self.stage is not Stage.READING:
            return
        record: IdentityRecord = identity_from_card(result)
        access = self.session.access
        if access and access.qr_record and access.qr_record.id_number != record.id_number:
            self.go(Stage.PRESENT)
            self.show_notice(lambda lang: messages.text("qr_card_mismatch", lang))
            return
        if self.session.already_read(record) is not None:
            from app.procedures.validation import same_person_error

            err = same_person_error()
            self.session.access = None  # the other person's card (and QR) is asked for
            self.go(Stage.PRESENT)
            self.access_changed.emit()
            self.show_notice(err.message)
            return
        self.last_result = result
        self.read_result.emit(result, record)
        turn = self.session.current_turn
        self.session.accept(record)
        self.flows.card_accepted(self.session, turn, access, record)
        self.session_changed.emit()

    def continue_after_read(self) -> None:
        self._next_after_card()

    def _on_read_failed(self, exc: Exception) -> None:
        if self.stage is not Stage.READING:
            return
        self.go(Stage.PRESENT)
        self.show_notice(messages.words_of(exc))

    # ---------------------------------------------------------------- consent and submission
    def to_consent(self) -> None:
        self.go(Stage.CONSENT)

    def submit(self, consent_record: Any) -> None:
        if self.session is None:
            return
        session = self.session
        self.flows.before_submit(session, lambda: self._submit(session, consent_record))

    def _submit(self, session: Session, consent_record: Any) -> None:
        if self.session is not session:
            return
        try:
            payload = session.draft.to_submission(consent_record)
        except KioskError as exc:
            self.submit_error.emit(messages.words_of(exc))
            return
        deadline = payload.get("deadline") if isinstance(payload, dict) else None
        self.services.outbox_worker.submit(self.session.procedure.id, payload,
                                           _as_datetime(deadline))

    def _on_submitted(self, receipt: Any) -> None:
        if self.session is None:
            return
        self.session.dossier_code = receipt.dossier_code
        self.receipt = receipt
        log.info("submission queued: %s", receipt.dossier_code)
        self.flows.submitted(self.session, receipt)
        self.submitted.emit(receipt)
        if self.services.sync_service is not None:
            self.services.sync_service.wake()
        self.go(Stage.RECEIPT)

    def lookup_url(self, dossier_code: str) -> str:
        """Where the receipt's QR code points: the endpoint's public status page for the code."""
        base = self.services.endpoint_url.rstrip("/")
        return f"{base}/v1/lookup/{dossier_code}"

    def on_outbox_snapshot(self, items: list, counts: dict) -> None:
        """Every sync round refreshes the outbox snapshot (application._on_sync_report): the
        receipt on screen follows its dossier's delivery status from here."""
        code = self.session.dossier_code if self.session else ""
        for item in items:
            if item.dossier_code == code:
                self.delivery_status.emit(item.state, item.agency_status or "")

    def print_receipt(self) -> None:
        receipt = self.receipt if self.session else None
        printer = self.services.printer_worker
        if receipt is None or printer is None:
            return
        from app.printing import receipt_for_submission

        proc = self.session.procedure
        doc = receipt_for_submission(
            receipt.dossier_code, proc.title["vi"], proc.title["en"], receipt.created_at,
            [a["name"]["vi"] for a in proc.agencies], self.lookup_url(receipt.dossier_code))
        printer.print_document(doc)

    def _on_submit_failed(self, exc: Exception) -> None:
        log.error("submission not queued: %s", type(exc).__name__)
        if self.session is None:  # the visit ended (timed out) while the outbox was busy
            return
        self.submit_error.emit(messages.words_of(exc))


def _as_datetime(value: Any):
    from datetime import datetime

    if isinstance(value, datetime) or value is None:
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
