"""The logging net: whatever a call site writes, personal data does not reach a log line."""

import logging

from app import logs


def capture(caplog_records):
    return "\n".join(r.getMessage() for r in caplog_records)


def test_id_numbers_dates_and_registered_values_are_masked(tmp_path):
    log_file = tmp_path / "k.log"
    logs.install(log_file=log_file)
    try:
        logs.register_sensitive("Nguyễn Văn An", "Số 1, Phố C, Phường D, Hà Nội")
        log = logging.getLogger("test.logs")
        log.warning("read %s born %s at %s: %s", "001090012345", "15/01/1990",
                    "Số 1, Phố C, Phường D, Hà Nội", "Nguyễn Văn An")
        log.warning("old id %s, iso %s, packed %s", "012345678", "1990-01-15", "15011990")
        try:
            raise ValueError("bad value Nguyễn Văn An 001090012345")
        except ValueError:
            log.exception("failure")
        for h in logging.getLogger().handlers:
            h.flush()
        text = log_file.read_text(encoding="utf-8")
        for secret in ("Nguyễn Văn An", "001090012345", "15/01/1990", "Phố C", "012345678",
                       "1990-01-15", "15011990"):
            assert secret not in text
        assert text.count("[redacted]") >= 8
        logs.forget_sensitive()
        log.warning("name %s", "Nguyễn Văn An")
        for h in logging.getLogger().handlers:
            h.flush()
        assert "Nguyễn Văn An" in log_file.read_text(encoding="utf-8")
    finally:
        logs.forget_sensitive()
        for h in list(logging.getLogger().handlers):
            logging.getLogger().removeHandler(h)
            h.close()


def test_codes_and_counts_survive():
    assert logs.redact("dossier HS-261123-AB12CD queued, 3 items, port 8765") == \
        "dossier HS-261123-AB12CD queued, 3 items, port 8765"
