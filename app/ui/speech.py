"""Spoken prompts through Qt TextToSpeech, where a voice for the language is installed.

On a machine without the module (QtTextToSpeech needs libpulse), without an engine (no
speech-dispatcher running) or without a Vietnamese voice, the speaker does nothing and
`status()` says why, for the admin view. It never raises into the UI.

Linux: speech-dispatcher with espeak-ng has a Vietnamese voice (`apt install speech-dispatcher
espeak-ng`); Windows: the SAPI/WinRT engines speak Vietnamese once the Vietnamese speech pack is
installed (Settings > Time & language > Speech).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, QObject

log = logging.getLogger(__name__)

LOCALES = {"vi": QLocale(QLocale.Vietnamese, QLocale.Vietnam),
           "en": QLocale(QLocale.English, QLocale.UnitedKingdom)}


class Speaker(QObject):
    """`say(text, lang)`; `status()` -> (code, detail): "ready", "off", "no_module",
    "no_engine", "no_voice"."""

    def __init__(self, enabled: bool = True, engine: str = "") -> None:
        super().__init__()
        self.enabled = enabled
        self.engine_name = engine
        self.tts: Any = None
        self._status = ("off", "")
        self.spoken: list[str] = []  # what was said last (tests and the admin view)
        if enabled:
            self._start()

    def _start(self) -> None:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as exc:
            self._status = ("no_module", str(exc).split(":")[0])
            log.info("spoken prompts unavailable: Qt TextToSpeech cannot load")
            return
        try:
            engines = QTextToSpeech.availableEngines()
            if not engines:
                self._status = ("no_engine", "")
                return
            name = self.engine_name if self.engine_name in engines else ""
            self.tts = QTextToSpeech(name, self) if name else QTextToSpeech(self)
        except Exception as exc:  # noqa: BLE001 - speech is optional, never fatal
            self._status = ("no_engine", type(exc).__name__)
            self.tts = None
            return
        self.tts.stateChanged.connect(self._check)
        self._check()

    def _check(self, *_state: Any) -> None:
        import shiboken6
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self.tts is None or not shiboken6.isValid(self.tts):
            return
        if self.tts.state() == QTextToSpeech.State.Error:
            self._status = ("no_engine", self.tts.errorString())
            return
        if self.voice_for("vi") is None:
            self._status = ("no_voice", self.tts.engine())
        else:
            self._status = ("ready", self.tts.engine())

    def voice_for(self, lang: str) -> QLocale | None:
        if self.tts is None:
            return None
        want = LOCALES.get(lang, LOCALES["vi"])
        for loc in self.tts.availableLocales():
            if loc.language() == want.language():
                return loc
        return None

    def status(self) -> tuple[str, str]:
        return self._status

    def say(self, text: str, lang: str = "vi") -> bool:
        """Speak `text` if a voice for `lang` is there; True when it was handed to the engine."""
        text = " ".join(text.split())
        if not self.enabled or self.tts is None or not text:
            return False
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self.tts.state() == QTextToSpeech.State.Error:
            return False
        locale = self.voice_for(lang)
        if locale is None:
            return False
        try:
            if self.tts.locale() != locale:
                self.tts.setLocale(locale)
            self.tts.stop()
            self.tts.say(text)
        except Exception:  # noqa: BLE001 - never let speech break a screen
            log.warning("speech failed", exc_info=True)
            return False
        self.spoken = (self.spoken + [text])[-20:]
        return True

    def stop(self) -> None:
        if self.tts is not None:
            try:
                self.tts.stop()
            except Exception:  # noqa: BLE001
                pass
