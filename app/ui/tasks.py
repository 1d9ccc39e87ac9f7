"""The one way a screen runs work off the Qt main thread (Anki's operations helper).

`run_in_background(fn, on_success, on_failure)` runs `fn` on Qt's global thread pool and calls
back on the main thread. Screens never start threads themselves. Long-lived device loops (card,
camera, scanner, sync) have their own worker objects instead.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    # Queued across threads: the receiver (created on the main thread) runs the callbacks there.
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's on_failure
            if not isinstance(exc, Exception):
                raise
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


_live: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
                      on_failure: Callable[[Exception], None] | None = None) -> None:
    relay = _Relay()
    _live.add(relay)  # keep the relay alive until the task reports

    @Slot(object)
    def done(result: Any) -> None:
        _live.discard(relay)
        if on_success:
            on_success(result)

    @Slot(object)
    def fail(exc: Exception) -> None:
        _live.discard(relay)
        if on_failure:
            on_failure(exc)
        else:
            log.error("background task failed: %s", "".join(
                traceback.format_exception_only(type(exc), exc)).strip())

    relay.succeeded.connect(done)
    relay.failed.connect(fail)
    QThreadPool.globalInstance().start(_Task(fn, relay))
