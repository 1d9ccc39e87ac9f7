"""The language switch reaches every text on screen: each procedure family is walked through its
screens (as app/ui/scripted.py walks them), and on each screen the language is switched to
English and back. After the switch to English no visible text may still be a Vietnamese
translation from assets/translations/kiosk_vi.ts (one whose English source differs); after the
switch back, no English source string whose translation differs. The same for the texts with
their own vi/en words the walk brings up: the form's errors, the present screen's notice (a
refused ID number), the consent screen's line when the outbox refused the submission.

Texts: labels, buttons, group titles, placeholders, combo-box items, tab names, table headers and
cells, tooltips, window titles; a text is also compared line by line and part by part (" · ").
One kiosk per family (speed); the simulator's operator panel (English on purpose) is left out."""

from __future__ import annotations

import re
from datetime import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as QtGuiNs  # mightBeRichText lives in QtGui's Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QGroupBox, QLabel, QLineEdit,
                               QTableWidget, QTabWidget, QWidget)

from app import config
from app.errors import KioskError
from app.lodging import GuestRegister, RegisterError
from app.procedures.validation import FieldError, check_id_number
from app.procedures.vntime import VN_TZ
from app.session import Stage
from app.ui import operator_check
from app.ui.scripted import ScriptedVisit, click
from drivers.serial.interface import PrinterNotReadyError
from tests.fixtures.kiosk import waiter

TS = Path(__file__).resolve().parent.parent / "assets" / "translations" / "kiosk_vi.ts"
LODGING_SETTINGS = ["lodging.establishment_name=Khách sạn Sông Hồng",
                    "lodging.establishment_address=Số 2, Phố Hàng Bài, Hà Nội",
                    "lodging.registration_code=HN-LT-000123"]
PLACEHOLDER = re.compile(r"%(?:n|s|\d)")
# decoration around a translated text: step marks, the required-field star, deadline signs
DECORATION = " \t\u00a0*:✔①②⚠⛔"


class Strings:
    """One side of the .ts: the texts that must not be left on screen in the other language."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}  # text -> the message it comes from
        self.patterns: list[tuple[re.Pattern, str]] = []  # texts with %1 / %n / %s

    def add(self, text: str, origin: str) -> None:
        parts = PLACEHOLDER.split(text)
        if len(parts) == 1:
            self.exact[text] = origin
        elif len("".join(parts).strip(DECORATION)) >= 4:  # "%s", "%1: %2": nothing to compare
            self.patterns.append((re.compile(".+?".join(map(re.escape, parts)), re.S), origin))

    def match(self, text: str) -> str | None:
        if text in self.exact:
            return self.exact[text]
        return next((origin for p, origin in self.patterns if p.fullmatch(text)), None)


def load_strings() -> tuple[Strings, Strings]:
    """(Vietnamese translations, English sources) of every message whose two sides differ."""
    vietnamese, english = Strings(), Strings()
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
            for text in forms:
                if text and text != source:
                    vietnamese.add(text, f"{name}: {source!r}")
                    english.add(source, f"{name}: {text!r}")
    return vietnamese, english


VIETNAMESE, ENGLISH = load_strings()


def pieces(text: str) -> list[str]:
    """The text, then its lines and its parts joined by " · " or " — " (rich text as plain)."""
    if QtGuiNs.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    out = [text.strip(DECORATION)]
    out += [p.strip(DECORATION) for p in re.split(r"[\n\u2029\u2028]| · | — ", text)]
    return [p for p in dict.fromkeys(out) if p]


def texts_of(w: QWidget):
    """(what, text) for every text a widget shows."""
    if w.isWindow():
        yield "window title", w.windowTitle()
    if isinstance(w, QLabel):
        yield "label", w.text()
    elif isinstance(w, QAbstractButton):
        yield "button", w.text()
    elif isinstance(w, QGroupBox):
        yield "group title", w.title()
    elif isinstance(w, QLineEdit):
        yield "placeholder", w.placeholderText()
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            yield f"item {i}", w.itemText(i)
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            yield f"tab {i}", w.tabText(i)
    elif isinstance(w, QTableWidget):
        for c in range(w.columnCount()):
            item = w.horizontalHeaderItem(c)
            if item is not None:
                yield f"header {c}", item.text()
            for r in range(w.rowCount()):
                item = w.item(r, c)
                if item is not None:
                    yield f"cell {r},{c}", item.text()
    if w.toolTip():
        yield "tooltip", w.toolTip()


def name_of(w: QWidget) -> str:
    """The widget's object name, else its nearest named ancestor's, with the class."""
    parts = []
    while w is not None and not w.objectName():
        parts.append(type(w).__name__)
        w = w.parentWidget()
    if w is not None:
        parts.append(f"{type(w).__name__}#{w.objectName()}")
    return "/".join(reversed(parts[:2] if len(parts) > 2 else parts))


def stale(roots: list[QWidget], forbidden: list[Strings], where: str, lang: str) -> list[str]:
    found = []
    for root in roots:
        for w in [root, *root.findChildren(QWidget)]:
            if not w.isVisible() or _in_operator_panel(w):
                continue
            for what, text in texts_of(w):
                for piece in pieces(text or ""):
                    origin = next(filter(None, (f.match(piece) for f in forbidden)), None)
                    if origin:
                        found.append(f"{where} (now {lang}): {name_of(w)} {what}: {piece!r} "
                                     f"[{origin}]")
    return found


def _in_operator_panel(w: QWidget) -> bool:
    while w is not None:
        if w.objectName() == "operatorPanel":
            return True
        w = w.parentWidget()
    return False


def settle() -> None:
    """The translator's LanguageChange events are posted: deliver them."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def switch(kiosk, lang: str) -> None:
    button = kiosk.window.lang_button
    if button.isVisible() and not (kiosk.admin is not None and kiosk.admin.isVisible()):
        QTest.mouseClick(button, Qt.LeftButton)  # the kiosk's own button
    else:
        kiosk.controller.set_language(lang)  # the admin view is on top
    assert kiosk.controller.lang == lang
    settle()


class Checker:
    """Switches a kiosk's language on the screen it shows and collects the stale texts."""

    def __init__(self, kiosk) -> None:
        self.kiosk = kiosk
        self.problems: list[str] = []
        self.screens: list[str] = []

    def roots(self) -> list[QWidget]:
        admin = self.kiosk.admin
        return [self.kiosk.window] + ([admin] if admin is not None and admin.isVisible() else [])

    def __call__(self, where: str, also=()) -> None:
        """`also`: more texts of the screen (FieldErrors: message_vi, message_en)."""
        if where in ("keyboard", "keypad"):  # the review screen again, with a keyboard up
            return
        stage = self.kiosk.controller.stage
        self.screens.append(where)
        own_vi, own_en = self.own_words(also)
        for lang, forbidden in (("en", [VIETNAMESE, own_vi]), ("vi", [ENGLISH, own_en])):
            switch(self.kiosk, lang)
            self.problems += stale(self.roots(), forbidden, where, lang)
            shown = {piece for root in self.roots() for w in [root, *root.findChildren(QWidget)]
                     if w.isVisible() for _, text in texts_of(w) for piece in pieces(text or "")}
            for e in also:  # shown on purpose: still there, in the new language (not blanked)
                words = e.message_en if lang == "en" else e.message_vi
                if words not in shown:
                    self.problems.append(f"{where} (now {lang}): {words!r} is not shown")
        assert self.kiosk.controller.stage is stage, "the switch must not change the screen"

    def own_words(self, also=()) -> tuple[Strings, Strings]:
        """The form's error texts (from the draft's checks) and `also`, in both languages."""
        vietnamese, english = Strings(), Strings()
        session = self.kiosk.controller.session
        for e in [*(session.draft.issues() if session is not None else []), *also]:
            if e.message_vi != e.message_en:
                vietnamese.add(e.message_vi, f"{e.reason}: {e.message_en!r}")
                english.add(e.message_en, f"{e.reason}: {e.message_vi!r}")
        return vietnamese, english

    def admin_tabs(self, where: str = "admin", also=()) -> None:
        tabs = self.kiosk.admin.tabs
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            self(f"{where}-{tabs.widget(i).objectName()}", also)
        tabs.setCurrentIndex(0)


@pytest.fixture
def make_kiosk(qtbot, tmp_path):
    """make(profile): a shown kiosk of that profile, in Vietnamese (tests/test_gui_procedures'
    factory, with speech off; its widgets deleted at teardown as tests.fixtures.kiosk's)."""
    from app.ui.application import KioskApplication

    made = []

    def make(profile: str):
        cfg = config.load(None, simulate=True, overrides=[
            f"kiosk.data_dir={tmp_path / profile}", f"kiosk.profile={profile}",
            "sync.interval_seconds=1", "accessibility.speech=false", *LODGING_SETTINGS])
        app = KioskApplication(cfg)
        made.append(app)
        app.show()
        return app

    yield make
    for app in made:
        app.shutdown()
        # delete the widgets now: leftovers make every later style-sheet change slower
        for w in (app.window, app.admin):
            w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def test_the_check_finds_a_text_left_in_the_other_language(qtbot):
    """The comparison itself: whole texts, marked ones, %-placeholders, rich text, both ways."""
    def vi(context: str, source: str) -> str:
        return next(m.find("translation").text for c in ET.parse(TS).getroot().iter("context")
                    if c.findtext("name") == context for m in c.iter("message")
                    if m.findtext("source") == source)

    host = QWidget()
    qtbot.addWidget(host)
    label = QLabel(host)
    host.show()
    for text, forbidden in (
            (vi("ReviewScreen", "Check your details"), VIETNAMESE),
            ("✔ " + vi("PresentScreen", "QR code read"), VIETNAMESE),
            (vi("QueuePanel", "Department: %s") % "Nội", VIETNAMESE),
            ("<b>%s</b>" % vi("AdminView", "Printed"), VIETNAMESE),
            ("Status: sending · received by the agency", ENGLISH)):
        label.setText(text)
        assert len(stale([host], [forbidden], "probe", "")) == 1, text
    label.setText("Nguyễn Văn An · Số 5, Phường Láng, Hà Nội")  # data, not a translation
    assert stale([host], [VIETNAMESE, ENGLISH], "probe", "") == []


def walk(kiosk, qtbot, check: Checker, procedure: str, people: list, more_people=(),
         admin: bool = True, in_admin=None) -> None:
    """One visit with the language switched on every screen: the review screen also with its
    errors shown (continue pressed before the form is filled in), the admin view tab by tab."""
    visit = ScriptedVisit(kiosk, waiter(qtbot), on_screen=check)
    visit.start(procedure)
    present = kiosk.window.screens[Stage.PRESENT]  # a typed number refused: its notice
    visit.at(Stage.PRESENT)
    present.number.setText("123")
    click(present, "useNumberButton")
    assert present.notice.text()
    check("present-notice", also=check_id_number("123"))
    present.number.clear()
    for person in people:
        visit.person(person)
    for person in more_people:
        visit.add_person()
        visit.person(person)
    visit.at(Stage.REVIEW)
    click(kiosk.window.screens[Stage.REVIEW], "continueButton")  # not filled in: errors shown
    visit.at(Stage.REVIEW)
    check("review-errors")
    visit.fill_form()
    consent = kiosk.window.screens[Stage.CONSENT]  # a submission the outbox refused: its line
    refused = KioskError("Chưa lưu được hồ sơ, vui lòng thử lại.",
                         "The application could not be saved, please try again.")
    kiosk.services.outbox_worker.submit_failed.emit(refused)
    assert consent.error.text() == refused.vi
    check("consent-refused", also=[FieldError("", "submit_failed", refused.vi, refused.en)])
    code = visit.consent_and_submit()
    if admin:
        visit.wait_delivered(code)
        if in_admin is not None:
            in_admin(kiosk.admin)
        check.admin_tabs()
        kiosk.admin.close()
    visit.finish()
    check("attract-again")


def test_public_admin_birth_and_death_groups(qtbot, make_kiosk):
    kiosk = make_kiosk("public-admin")
    check = Checker(kiosk)
    walk(kiosk, qtbot, check, "birth_registration_group",
         ["adult-2021", "mother-2021", None], admin=False)  # the father is not here
    walk(kiosk, qtbot, check, "death_registration_group", ["adult-2021", "elderly-2021"])
    assert {"present-mother", "present-father", "reading", "consent", "receipt"} <= set(
        check.screens)
    assert not check.problems, "\n".join(check.problems)


def test_hospital_check_in(qtbot, make_kiosk, tmp_path):
    kiosk = make_kiosk("hospital")
    check = Checker(kiosk)

    def results_shown(admin) -> None:
        """The admin view's result lines: the ticket printed, a diagnostic bundle saved."""
        qtbot.waitUntil(lambda: admin.print_message.text() != "", timeout=10000)
        admin.diag_folder.setText(str(tmp_path / "support"))
        QTest.mouseClick(admin.make_bundle, Qt.LeftButton)
        qtbot.waitUntil(lambda: admin.last_bundle is not None, timeout=20000)

    walk(kiosk, qtbot, check, "hospital_bhyt_checkin", ["adult-2021"], in_admin=results_shown)
    kiosk.services.devices.printer.impl.simulator.set_status(paper_out=True)  # the ticket fails
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    visit.start("hospital_bhyt_checkin")
    visit.present_card("adult-2021")
    visit.fill_form()
    visit.consent_and_submit()
    receipt = kiosk.window.screens[Stage.RECEIPT]
    qtbot.waitUntil(lambda: receipt.print_error.text() != "", timeout=30000)
    vi, en = PrinterNotReadyError.MESSAGES["paper_out"]
    assert receipt.print_error.text() == vi
    check("receipt-print-failed", also=[FieldError("", "paper_out", vi, en)])
    kiosk.open_admin()  # the failed print in the admin view's printing tab too
    qtbot.waitUntil(kiosk.admin.isVisible)
    assert kiosk.admin.print_message.text() == vi
    check.admin_tabs("admin-print-failed", also=[FieldError("", "paper_out", vi, en)])
    kiosk.admin.close()
    kiosk.services.devices.printer.impl.simulator.set_status()
    visit.finish()
    visit = ScriptedVisit(kiosk, waiter(qtbot))  # the insurance gateway down: its panel
    visit.start("hospital_bhyt_checkin")
    visit.present_card("card-2024")  # ID number ending in 3: the simulated gateway is down
    review = kiosk.window.screens[Stage.REVIEW]
    qtbot.waitUntil(lambda: review.insurance.outcome == "down")
    check("review-gateway-down")
    click(review, "cancelButton")
    visit.at(Stage.ATTRACT)
    assert not check.problems, "\n".join(check.problems)


def test_lodging_guests_and_the_staff_guest_list(qtbot, make_kiosk, monkeypatch):
    kiosk = make_kiosk("lodging")
    check = Checker(kiosk)
    walk(kiosk, qtbot, check, "lodging_residence_notification", ["adult-2021"],
         more_people=["passport:card-2024"])
    monkeypatch.setattr(operator_check, "ask_operator", lambda parent: True)  # staff
    visit = ScriptedVisit(kiosk, waiter(qtbot))
    click(kiosk.window, "startButton")
    visit.at(Stage.CHOOSE)
    click(kiosk.window.screens[Stage.CHOOSE], "guestRegisterButton")
    visit.at(Stage.STAYS)
    screen = kiosk.window.screens[Stage.STAYS]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2)
    flow = kiosk.controller.flows.lodging  # a visit the register could not take, as shown
    flow.unrecorded.append(("HS-261123-AAAAAA", datetime(2026, 11, 23, 14, 0, tzinfo=VN_TZ)))
    flow.unrecorded_changed.emit()
    assert screen.unrecorded.isVisible()
    check("stays")
    stay = screen.stays[0]
    GuestRegister(kiosk.controller.cfg.path("lodging.register_path", "guests.sqlite3")).check_out(
        stay.id)  # checked out meanwhile, at another desk: the register refuses it here
    click(screen, f"checkOut:{stay.id}")
    qtbot.waitUntil(lambda: screen.message.text() != "")
    refused = RegisterError("already_checked_out", "Khách đã trả phòng.",
                            "The guest has already checked out.")
    assert screen.message.text() == refused.vi
    check("stays-refused", also=[FieldError("", refused.reason, refused.vi, refused.en)])
    click(screen, "backButton")
    visit.at(Stage.ATTRACT)
    assert {"present-guest2-passport", "review", "stays"} <= set(check.screens), check.screens
    assert not check.problems, "\n".join(check.problems)
