"""Every typed driver error reaches the citizen as words they can act on, in both languages."""

import importlib
import pkgutil

import drivers
from app import messages
from app.errors import KioskError


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def test_every_driver_error_reason_has_words():
    for mod in pkgutil.walk_packages(drivers.__path__, "drivers."):
        importlib.import_module(mod.name)
    reasons = set()
    for base in (Exception,):
        for cls in all_subclasses(base):
            if cls.__module__.startswith("drivers.") and isinstance(getattr(cls, "reason", None),
                                                                    str):
                reasons.add(cls.reason)
    assert {"card_removed", "access_denied", "camera_unavailable"} <= reasons
    missing = sorted(r for r in reasons if not messages.known(r))
    assert not missing, f"add these reasons to app/messages.py: {missing}"
    for r in reasons:
        assert messages.text(r, "vi") != messages.text(r, "en")


def test_unknown_errors_are_reported_as_bugs_without_their_message(caplog):
    text = messages.for_exception(ValueError("Nguyễn Văn An 001090012345"), "vi")
    assert text == messages.text("bug", "vi")
    assert "Nguyễn" not in caplog.text and "001090012345" not in caplog.text
    assert messages.for_exception(KioskError("Lỗi", "Error"), "en") == "Error"


def test_driver_errors_with_their_own_words_use_them():
    from drivers.serial.interface import PrinterNotReadyError, PrinterStatus

    exc = PrinterNotReadyError(PrinterStatus(paper_out=True))
    assert exc.reason == "paper_out"
    assert messages.for_exception(exc, "vi") == exc.vi
    assert messages.for_exception(exc, "en") == exc.en
    assert messages.known(exc.reason)


def test_agency_statuses_in_words():
    from endpoint.store import STATUSES

    for status in STATUSES:
        assert messages.agency_status_text(status, "vi") != status
        assert messages.agency_status_text(status, "en")
    assert messages.agency_status_text("received", "vi") == "cơ quan đã tiếp nhận"
    assert messages.agency_status_text("something_new", "en") == "something_new"


def test_kept_words_do_not_keep_the_error(caplog):
    """A screen keeps words_of(exc) to show it again after a language switch; the exception
    (whose traceback holds a visit's data in its frames) must not live on with it."""
    import gc
    import weakref

    def fail(guest_name: str) -> None:
        raise KioskError("Không lưu được.", "Not saved.")

    try:
        fail("Nguyễn Văn An")
    except KioskError as exc:
        words = messages.words_of(exc)
        gone = weakref.ref(exc)
    gc.collect()
    assert gone() is None
    assert (words("vi"), words("en")) == ("Không lưu được.", "Not saved.")
    unknown = messages.words_of(ValueError("x"))  # no words of its own: logged once, not twice
    assert unknown("en") == messages.text("bug", "en")
    assert unknown("vi") == messages.text("bug", "vi")
    assert caplog.text.count("unexpected error: ValueError") == 1
