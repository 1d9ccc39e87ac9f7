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


# The wording a version stands for. A submission records (text id, version): changing the text
# without a new version would make old records point at words the citizen never saw. When this
# test fails after an edit, bump `version` in the consent file and record the new hashes here.
KNOWN = {
    ("birth", "2026-01"): ("a1beecbfc7258dac", "8e3938ab98072360"),
    ("death", "2026-01"): ("aa99bf9024c046d2", "667f9ae58b1c65ed"),
    ("hospital", "2026-01"): ("4c4c3fb87df16eea", "3670e3e5a8f76c10"),
    ("lodging", "2026-01"): ("7a2b1cc54d54b601", "a0430178e3a0b932"),
}


@pytest.mark.parametrize("text_id", ["birth", "death", "hospital", "lodging"])
def test_wording_changes_come_with_a_new_version(text_id):
    text = load_consent(text_id)
    known = KNOWN.get((text_id, text.version))
    assert known is not None, f"record the hashes of {text_id} version {text.version} in KNOWN"
    assert (text.digest("vi")[:16], text.digest("en")[:16]) == known, \
        f"{text_id}: the wording changed but the version did not; bump `version`"
