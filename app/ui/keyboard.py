"""The on-screen keyboard: Vietnamese letters with tone-mark keys, and a numeric pad for
digit-only fields. It docks at the bottom of the kiosk window, follows the focused text field
and commits text the way an input method does (QInputMethodEvent), so every QLineEdit works
unchanged and tests type Vietnamese the same way (app/ui/scripted.py type_text).

Why not Qt Virtual Keyboard (decided by trying it, PySide6 6.x under Xvfb): the plugin ships
with PySide6 and, with QT_IM_MODULE=qtvirtualkeyboard and QML_IMPORT_PATH set, it does open for
widgets, but (1) as its own top-level window over the bottom of the screen, covering the form
fields below it, outside the kiosk's fullscreen window and its styles; (2) the wheel's layouts
have no Vietnamese: asking for vi_VN (QT_VIRTUALKEYBOARD_ACTIVE_LOCALES=vi_VN) falls back to
en_GB, so no tone marks; (3) it needs QtQuick/QML at run time for one panel. A small widget
keyboard serves better: it lays out inside the window, has the tone keys, and is testable.

Typing Vietnamese: letters as on any keyboard, then the tone keys (sắc ´, huyền `, hỏi ̉,
ngã ~, nặng .) and the vowel-mark keys (â ê ô: ^, ă: ˘, ơ ư: ʼ, đ) change the word being
typed, and the tone lands on the right vowel (`tone_position`: the marked vowel, ơ in ươ, the
last vowel before a final consonant, else the first of two, oa/oe/uy the second). Pressing the
same key again takes the mark off. Digit fields (ID numbers, phones) get a numeric pad; dates
and times get the pad with / and :.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (QApplication, QGridLayout, QHBoxLayout, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

# --- Vietnamese composition (pure functions, tested on their own) -------------------------------

TONE_MARKS = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303",
              "dot": "\u0323"}
_TONE_CHARS = set(TONE_MARKS.values())
VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")


def _base(ch: str) -> str:
    """The letter without its tone mark (keeps â, ơ, ...)."""
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", ch) if c not in _TONE_CHARS))


def tone_of(word: str) -> str | None:
    for ch in unicodedata.normalize("NFD", word):
        for name, mark in TONE_MARKS.items():
            if ch == mark:
                return name
    return None


def strip_tones(word: str) -> str:
    return "".join(_base(c) for c in word)


def tone_position(word: str) -> int | None:
    """Which letter of a (toneless) syllable carries the tone, or None without a vowel."""
    low = word.lower()
    start = 0
    if (low.startswith("qu") or low.startswith("gi")) and len(low) > 2 and low[2] in VOWELS:
        start = 2  # the u of "qu", the i of "gi" act as consonants
    vowels = [i for i in range(start, len(low)) if low[i] in VOWELS]
    if not vowels:
        return 1 if start == 2 and low.startswith("gi") else None
    # the last run of adjacent vowels
    run = [vowels[-1]]
    for i in reversed(vowels[:-1]):
        if i == run[0] - 1:
            run.insert(0, i)
        else:
            break
    cluster = "".join(low[i] for i in run)
    marked = [i for i in run if low[i] in _MARKED]
    if marked:
        return run[cluster.find("ơ")] if "ươ" in cluster else marked[-1]
    if len(run) == 1:
        return run[0]
    if run[-1] < len(low) - 1:  # a final consonant follows: the last vowel
        return run[-1]
    if len(run) == 3:
        return run[1]
    return run[1] if cluster in ("oa", "oe", "uy") else run[0]


def apply_tone(word: str, tone: str) -> str:
    """The word with `tone` (a TONE_MARKS key) on its right vowel; the same tone again removes
    it. A word without a vowel is returned unchanged."""
    current = tone_of(word)
    plain = strip_tones(word)
    pos = tone_position(plain)
    if pos is None:
        return word
    if current == tone:
        return plain
    letters = list(plain)
    letters[pos] = unicodedata.normalize("NFC", letters[pos] + TONE_MARKS[tone])
    return "".join(letters)


_MARKS = {
    "circumflex": {"a": "â", "e": "ê", "o": "ô"},
    "breve": {"a": "ă"},
    "horn": {"o": "ơ", "u": "ư"},
    "stroke": {"d": "đ"},
}


def _case_like(src: str, new: str) -> str:
    return new.upper() if src.isupper() else new


def apply_mark(word: str, mark: str) -> str:
    """â/ê/ô (circumflex), ă (breve), ơ/ư (horn: "uo" becomes "ươ"), đ (stroke). Pressing the
    mark again takes it off. The word's tone moves to where the new vowels want it."""
    tone = tone_of(word)
    letters = list(strip_tones(word))
    table = _MARKS[mark]
    undo = {v: k for k, v in table.items()}
    low = [c.lower() for c in letters]
    if mark == "stroke":
        candidates = [i for i, c in enumerate(low) if c in table or c in undo][:1]
    elif mark == "horn" and "uo" in "".join(low):
        i = "".join(low).rfind("uo")
        candidates = [i, i + 1]
    elif mark == "horn" and "ươ" in "".join(low):
        i = "".join(low).rfind("ươ")
        candidates = [i, i + 1]
    else:
        candidates = [i for i, c in enumerate(low) if c in table or c in undo][-1:]
    if not candidates:
        return word
    for i in candidates:
        c = low[i]
        new = table.get(c) or undo.get(c)
        if new:
            letters[i] = _case_like(letters[i], new)
    out = "".join(letters)
    return apply_tone(out, tone) if tone else out


def last_word(text: str) -> str:
    """The letters just before the cursor (the syllable a tone or mark key changes)."""
    i = len(text)
    while i > 0 and (text[i - 1].isalpha() or unicodedata.category(text[i - 1]) == "Mn"):
        i -= 1
    return text[i:]


# --- the widget ---------------------------------------------------------------------------------

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
TONE_KEYS = (("acute", "´"), ("grave", "`"), ("hook", "̉ ?"), ("tilde", "~"), ("dot", "."))
MARK_KEYS = (("circumflex", "^"), ("breve", "˘"), ("horn", "ʼ"), ("stroke", "đ"))
NUMERIC_HINTS = (Qt.ImhDigitsOnly, Qt.ImhDialableCharactersOnly, Qt.ImhFormattedNumbersOnly,
                 Qt.ImhPreferNumbers)  # dates and times: digits with / and :


KEY_SIZE = 52  # px: above 9 mm on a 1280 x 800 kiosk screen (about 100 dpi)


def _key(text: str, name: str, wide: int = 1) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setProperty("role", "key")
    b.setFocusPolicy(Qt.NoFocus)  # the text field keeps the focus
    b.setMinimumHeight(KEY_SIZE)
    b.setMinimumWidth(KEY_SIZE * wide - 6)
    b.setAutoRepeat(name == "key:backspace")
    return b


def send_commit(target: QWidget, text: str, replace: int = 0) -> None:
    """Commit `text`, replacing the `replace` characters before the cursor."""
    event = QInputMethodEvent()
    event.setCommitString(text, -replace, replace)
    QCoreApplication.sendEvent(target, event)


def send_key(target: QWidget, key: int) -> None:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QCoreApplication.sendEvent(target, QKeyEvent(kind, key, Qt.NoModifier))


class OnScreenKeyboard(QWidget):
    """Shows itself when a writable text field of its window takes the focus: letters with the
    Vietnamese keys, or the numeric pad when the field wants digits."""

    mode_changed = Signal(str)  # "letters" | "digits" | "" (hidden)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.target: QLineEdit | None = None
        self.shift = False
        self.mode = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)
        self.letters = QWidget()
        self.digits = QWidget()
        outer.addWidget(self.letters)
        outer.addWidget(self.digits, 0, Qt.AlignHCenter)
        self.keys: dict[str, QPushButton] = {}
        self._build_letters()
        self._build_digits()
        self.hide()
        app = QApplication.instance()
        app.focusChanged.connect(self._focus_changed)
        app.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        """Up when the citizen touches a text field (not when a screen focuses one by
        itself: the form stays in full view until then)."""
        kind = event.type()
        if (kind == QEvent.MouseButtonRelease and isinstance(obj, QLineEdit)
                and obj.window() is self.window() and obj.hasFocus()):
            self._offer(obj)
        elif kind == QEvent.FocusIn and isinstance(obj, QLineEdit) and event.reason() in (
                Qt.MouseFocusReason, Qt.TabFocusReason, Qt.BacktabFocusReason):
            self._offer(obj)
        return False

    def _offer(self, editor: QLineEdit) -> None:
        if editor.window() is self.window() and not editor.isReadOnly() and editor.isEnabled():
            self.attach(editor)

    # building
    def _add(self, layout, text: str, name: str, slot, wide: int = 1) -> QPushButton:
        b = _key(text, name, wide)
        b.clicked.connect(slot)
        layout.addWidget(b, wide)
        self.keys[name] = b
        return b

    def _build_letters(self) -> None:
        """Four rows, so the form above keeps its room: digits and signs; letters with the
        tone keys; letters with the vowel marks; shift, letters, space, backspace, done."""
        lay = QVBoxLayout(self.letters)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        top, middle, bottom = ([(ch, f"key:{ch}") for ch in row] for row in LETTER_ROWS)
        rows = [
            [(ch, f"key:{ch}") for ch in "1234567890/:-@.,"],
            top + [(t, f"tone:{n}") for n, t in TONE_KEYS],
            middle + [(t, f"mark:{n}") for n, t in MARK_KEYS],
            [("⇧", "key:shift")] + bottom
            + [("␣", "key:space"), ("⌫", "key:backspace"), ("✓", "key:done")],
        ]
        wide = {"key:shift": 2, "key:space": 3, "key:backspace": 2, "key:done": 2}
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(6)
            for text, name in row:
                self._add(line, text, name, self._slot(name, text), wide.get(name, 1))
            lay.addLayout(line)

    def _slot(self, name: str, text: str):
        kind, _, what = name.partition(":")
        if kind == "tone":
            return lambda _=False: self._tone(what)
        if kind == "mark":
            return lambda _=False: self._mark(what)
        special = {"shift": self._toggle_shift, "backspace": self._backspace,
                   "done": self._done, "space": lambda _=False: self._commit(" ")}
        if what in special:
            return special[what]
        if what.isalpha():
            return lambda _=False: self._letter(what)
        return lambda _=False: self._commit(what)

    def _build_digits(self) -> None:
        grid = QGridLayout(self.digits)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for i, ch in enumerate("123456789"):
            b = _key(ch, f"key:{ch}:pad")
            b.clicked.connect(lambda _=False, c=ch: self._commit(c))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[f"pad:{ch}"] = b
        for col, (text, name, slot) in enumerate((
                ("⌫", "pad:backspace", self._backspace),
                ("0", "pad:0", lambda: self._commit("0")),
                ("✓", "pad:done", self._done))):
            b = _key(text, name)
            b.clicked.connect(slot)
            grid.addWidget(b, 3, col)
            self.keys[name] = b
        for row, (text, name, ch) in enumerate((("+", "pad:+", "+"), ("/", "pad:/", "/"),
                                                 (":", "pad::", ":"), ("␣", "pad:space", " "))):
            b = _key(text, name)
            b.clicked.connect(lambda _=False, c=ch: self._commit(c))
            grid.addWidget(b, row, 3)
            self.keys[name] = b
        self.digits.setMaximumWidth(4 * (KEY_SIZE * 2 + 6))

    # following the focus
    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is not self.window():
            return  # focus went to another top-level window (a dialog): leave it be
        if new is not self.target and not isinstance(new, QPushButton):
            self.detach()  # another field (offered again when touched), or a new screen

    def attach(self, editor: QLineEdit) -> None:
        self.target = editor
        numeric = any(editor.inputMethodHints() & hint for hint in NUMERIC_HINTS)
        self.mode = "digits" if numeric else "letters"
        self.letters.setVisible(not numeric)
        self.digits.setVisible(numeric)
        hints = editor.inputMethodHints()
        self.keys["pad:+"].setVisible(bool(hints & Qt.ImhDialableCharactersOnly))
        for name in ("pad:/", "pad::", "pad:space"):
            self.keys[name].setVisible(bool(hints & Qt.ImhPreferNumbers))
        self.show()
        self.mode_changed.emit(self.mode)

    def detach(self) -> None:
        self.target = None
        if self.mode:
            self.mode = ""
            self.hide()
            self.mode_changed.emit("")

    # keys
    def _live_target(self) -> QLineEdit | None:
        t = self.target
        if t is None or t.isReadOnly() or not t.isVisible():
            return None
        return t

    def _commit(self, text: str, replace: int = 0) -> None:
        t = self._live_target()
        if t is not None:
            send_commit(t, text, replace)

    def _letter(self, ch: str) -> None:
        self._commit(ch.upper() if self.shift else ch)
        if self.shift:
            self._toggle_shift()

    def _toggle_shift(self) -> None:
        self.shift = not self.shift
        for row in LETTER_ROWS:
            for ch in row:
                self.keys[f"key:{ch}"].setText(ch.upper() if self.shift else ch)

    def _word(self) -> str:
        t = self._live_target()
        return last_word(t.text()[:t.cursorPosition()]) if t is not None else ""

    def _tone(self, tone: str) -> None:
        word = self._word()
        if word:
            self._commit(apply_tone(word, tone), len(word))

    def _mark(self, mark: str) -> None:
        word = self._word()
        if word:
            self._commit(apply_mark(word, mark), len(word))
        elif mark == "stroke":
            self._letter("đ")

    def _backspace(self) -> None:
        t = self._live_target()
        if t is not None:
            send_key(t, Qt.Key_Backspace)

    def _done(self) -> None:
        t = self._live_target()
        if t is not None:
            send_key(t, Qt.Key_Return)
            t.clearFocus()
        self.detach()
