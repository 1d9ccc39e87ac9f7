"""Consent texts and records; the submission records what was accepted."""

from datetime import datetime

import pytest

from app.procedures import ConsentError, FormDefinitionError, FormDraft, load_catalog
from app.procedures.consent import ConsentRecord, load_consent, parse_consent
from app.procedures.vntime import VN_TZ

AT = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)


def test_accept_records_version_language_time_and_hash():
    text = load_consent("lodging")
    record = text.accept("en", at=AT)
    assert record == ConsentRecord("lodging", text.version, AT, "en", text.digest("en"))
    assert record.as_dict()["accepted_at"] == "2026-03-02T09:00:00+07:00"
    assert text.heading("retention", "en") == "How long it is kept"


def test_submission_refuses_another_procedures_consent():
    draft = FormDraft(load_catalog().get("hospital_bhyt_checkin"), clock=lambda: AT)
    with pytest.raises(ConsentError) as exc:
        draft.to_submission(load_consent("birth").accept("vi", at=AT))
    assert exc.value.reason == "consent_mismatch"


def test_broken_consent_file_is_named():
    with pytest.raises(FormDefinitionError) as exc:
        parse_consent({"id": "x", "version": "1", "title": {"vi": "a", "en": "b"},
                       "accept_label": {"vi": "a", "en": "b"}}, "x.toml")
    assert exc.value.file == "x.toml" and exc.value.where == "collected"
