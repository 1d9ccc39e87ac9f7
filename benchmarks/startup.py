"""Startup and memory: seconds from process start to the kiosk's first painted frame, and the
resident memory after one full simulated session (hospital check-in, card read with QR, form,
consent, submission delivered to the embedded endpoint). Prints one JSON object.

Run: .venv/bin/python benchmarks/startup.py   (offscreen; no display needed)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

T0 = time.perf_counter()  # as close to process start as Python lets us measure from here

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    import psutil
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from app import config
    from app.ui.application import KioskApplication
    from app.ui.scripted import default_wait, run_visit

    process = psutil.Process()
    boot = time.time() - process.create_time()  # interpreter start before T0
    data = tempfile.mkdtemp(prefix="kiosk-bench-")
    cfg = config.load(None, simulate=True, overrides=[
        f"kiosk.data_dir={data}", "kiosk.profile=hospital", "sync.interval_seconds=1"])
    qapp = QApplication.instance() or QApplication([])

    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    watch = PaintWatch()
    qapp.installEventFilter(watch)
    kiosk = KioskApplication(cfg, qapp)
    kiosk.show()
    default_wait(lambda: bool(painted), 30.0)
    first_frame = painted[0] - T0 + boot
    rss_idle = process.memory_info().rss

    t = time.perf_counter()
    run_visit(kiosk, "hospital_bhyt_checkin", ["adult-2021"])
    session_seconds = time.perf_counter() - t
    rss_after = process.memory_info().rss
    kiosk.shutdown()
    print(json.dumps({
        "benchmark": "startup",
        "seconds_to_first_frame": round(first_frame, 3),
        "resident_mb_after_start": round(rss_idle / 2**20, 1),
        "resident_mb_after_session": round(rss_after / 2**20, 1),
        "simulated_session_seconds": round(session_seconds, 2),
        "platform": os.environ["QT_QPA_PLATFORM"],
    }))


if __name__ == "__main__":
    main()
