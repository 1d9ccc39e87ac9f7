"""Builds the running kiosk: devices and their workers, outbox and sync, screens, translations.

Start-up order matters for a clean shutdown: workers start after the window exists and stop
before the QApplication goes away. A device that does not start is reported as unavailable and
the rest of the kiosk runs (app/devices.py).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from app import devices as device_registry
from app.config import Config
from app.session import Stage

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"


class SyncBridge(QObject):
    """Hands the sync thread's reports to the main thread."""

    report = Signal(object)


@dataclass
class Services:
    cfg: Config
    devices: device_registry.Devices
    catalog: Any
    card_worker: Any = None
    camera_worker: Any = None
    scanner_worker: Any = None
    printer_worker: Any = None
    outbox_worker: Any = None
    sync_service: Any = None
    sync_bridge: SyncBridge | None = None
    endpoint: Any = None
    endpoint_url: str = ""
    trust_store: Path | None = None
    online_verifier: Any = None  # the identity service's adapter (drivers.card.online)
    printer_available: bool = False
    started: list = field(default_factory=list)

    def simulated_camera(self) -> Any:
        cam = self.devices.camera
        if cam.simulated and cam.impl is not None:
            return cam.impl()
        return None


def build_services(cfg: Config) -> Services:
    from app.procedures import load_catalog

    catalog = load_catalog()
    devs = device_registry.open_devices(cfg)
    services = Services(cfg, devs, catalog)
    services.trust_store = _trust_store(cfg)
    if cfg["card.driver"] == "simulator":
        # The police identity service ("C06") has no public test system: in simulator mode a
        # simulated service vouches for the test signer. Real deployments plug their adapter in.
        from drivers.card.virtual import test_online_verifier

        services.online_verifier = test_online_verifier()
    services.printer_available = devs.printer.available
    cfg.data_dir.mkdir(parents=True, exist_ok=True)

    if devs.card.available:
        from app.ui.card_worker import CardWorker

        services.card_worker = CardWorker(devs.card.impl)
    if devs.camera.available:
        from app.ui.camera_worker import CameraWorker

        services.camera_worker = CameraWorker(devs.camera.impl)

    if devs.scanner.available:
        from app.ui.serial_workers import ScannerWorker

        services.scanner_worker = ScannerWorker(devs.scanner.impl)
    if devs.printer.available:
        from app.printing import PrintJournal
        from app.ui.serial_workers import PrinterWorker

        services.printer_worker = PrinterWorker(
            devs.printer.impl, PrintJournal(path=cfg.data_dir / "print-journal.json"))

    from app.ui.outbox_worker import OutboxWorker

    outbox_path = cfg.path("outbox.path", "outbox.sqlite3")
    key_file = cfg.path("outbox.key_file", "outbox.key")
    services.outbox_worker = OutboxWorker(outbox_path, key_file)
    _start_sync(cfg, services, outbox_path, key_file)
    return services


def _trust_store(cfg: Config) -> Path | None:
    if cfg["card.trust_store"]:
        return Path(cfg["card.trust_store"]).expanduser()
    if cfg["card.driver"] == "simulator":
        # The simulator's cards are signed under a test CSCA made for this process; trusting it
        # here shows the full "verified" path. Real cards are never checked against it.
        from drivers.card.virtual.pki import write_test_trust_store

        return write_test_trust_store(cfg.data_dir / "simulator-trust-store")
    return None


def _start_sync(cfg: Config, services: Services, outbox_path: Path, key_file: Path) -> None:
    from app.sync import SyncService, make_client
    from app.sync.credentials import load_or_create_secret

    secret = load_or_create_secret(cfg.path("sync.secret_file", "kiosk.secret"))
    url = cfg["sync.endpoint_url"]
    if cfg["sync.embedded_endpoint"]:
        from endpoint.embedded import EmbeddedEndpoint

        services.endpoint = EmbeddedEndpoint(str(cfg.data_dir / "endpoint.sqlite3"))
        url = services.endpoint.start()
        services.endpoint.register_kiosk(cfg["kiosk.id"], secret)
        log.info("embedded reference endpoint on loopback")
    services.endpoint_url = url
    bridge = SyncBridge()
    services.sync_bridge = bridge
    services.sync_service = SyncService(
        outbox_path, key_file,
        lambda: make_client(url, cfg["kiosk.id"], secret, ca_file=cfg["sync.ca_file"] or None),
        interval=float(cfg["sync.interval_seconds"]),
        on_report=bridge.report.emit,
        retention_days=float(cfg["outbox.retention_days"]))


def install_translator(app: QApplication, lang: str, current: list) -> None:
    """Source strings are English; Vietnamese comes from assets/translations/kiosk_vi.qm."""
    for t in current:
        app.removeTranslator(t)
    current.clear()
    if lang == "vi":
        t = QTranslator(app)
        if t.load(str(ASSETS / "translations" / "kiosk_vi.qm")):
            app.installTranslator(t)
            current.append(t)
        else:
            log.warning("Vietnamese translation file missing")
        QLocale.setDefault(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
    else:
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedKingdom))


class KioskApplication:
    """The kiosk process: `KioskApplication(cfg).run()`; tests use `build()` and `shutdown()`."""

    def __init__(self, cfg: Config, qapp: QApplication | None = None) -> None:
        self.cfg = cfg
        self.qapp = qapp or QApplication.instance() or QApplication(sys.argv[:1])
        self.translators: list = []
        self.window = None
        self.controller = None
        self.services: Services | None = None
        self._stopping = False
        self.build()

    def build(self) -> None:
        from app.ui.controller import Controller
        from app.ui.main_window import ActivityFilter, MainWindow
        from app.ui.screens import admin, attract, choose, consent, present, reading, receipt
        from app.ui.screens import lodging, review

        self._load_fonts()
        style = (ASSETS / "styles" / "kiosk.qss").read_text(encoding="utf-8")
        self.qapp.setStyleSheet(style)
        install_translator(self.qapp, self.cfg["kiosk.language"], self.translators)

        self.services = services = build_services(self.cfg)
        self.controller = c = Controller(self.cfg, services)
        c.language_changed.connect(
            lambda lang: install_translator(self.qapp, lang, self.translators))

        preview = None
        if services.camera_worker is not None:
            from app.ui.camera_preview import CameraPreview

            preview = CameraPreview()
            services.camera_worker.frame_ready.connect(preview.show_frame)
            services.camera_worker.camera_state.connect(preview.show_state)
            # decode only while a card is asked for: the rest of the time the CPU stays free
            services.camera_worker.set_decoding(False)
            c.stage_changed.connect(
                lambda st: services.camera_worker.set_decoding(st is Stage.PRESENT))
            # Worker signals go to methods of main-thread objects, never to lambdas: PySide runs
            # a lambda on the sender's thread (here the camera's), a QObject's method on the
            # object's own thread.
            services.camera_worker.code_read.connect(c.on_camera_code)
            services.camera_worker.code_read.connect(preview.flash)
            services.camera_worker.qr_hint.connect(c.on_camera_hint)

        screens = {
            Stage.ATTRACT: attract.AttractScreen(c),
            Stage.CHOOSE: choose.ChooseScreen(c),
            Stage.PRESENT: present.PresentScreen(c, preview),
            Stage.READING: reading.ReadingScreen(c),
            Stage.REVIEW: review.ReviewScreen(c),
            Stage.CONSENT: consent.ConsentScreen(c),
            Stage.RECEIPT: receipt.ReceiptScreen(c),
            Stage.STAYS: lodging.StaysScreen(c),
        }
        self.admin = admin.AdminView(c)
        panel = None
        if self.cfg["kiosk.operator_panel"] and self.cfg.simulate:
            from app.ui.operator_panel import OperatorPanel

            panel = OperatorPanel(services, device_registry.simulator_profiles(self.cfg),
                                  self.open_admin)
        self.operator_panel = panel
        self.window = MainWindow(c, screens, panel)
        self.activity = ActivityFilter(c)
        self.qapp.installEventFilter(self.activity)
        if services.scanner_worker is not None:
            services.scanner_worker.code_read.connect(c.on_scanner_code)
        if services.sync_bridge is not None:
            services.sync_bridge.report.connect(self._on_sync_report)
        from app.ui import kiosk_mode  # kiosk mode, admin PIN, accessibility, heartbeat

        self.ops = kiosk_mode.install(self)
        self._start_workers()
        # The address package takes ~0.3 s to import on first use, inside the submission's
        # address conversion on the main thread: import it now, on a worker, instead.
        from app.ui.tasks import run_in_background

        run_in_background(lambda: __import__("app.addresses") and __import__("vietnamadminunits"))

    def _load_fonts(self) -> None:
        for font in (ASSETS / "fonts").glob("*.ttf"):
            QFontDatabase.addApplicationFont(str(font))

    def _start_workers(self) -> None:
        s = self.services
        # The sync thread opens its own connection to the outbox: start it once the outbox
        # exists, so the two never create the database or its key at the same moment.
        s.outbox_worker.opened.connect(self._outbox_opened)
        s.outbox_worker.start()
        self._start(s.card_worker, s.camera_worker, s.scanner_worker, s.printer_worker)

    def _outbox_opened(self, ok: bool, error: str) -> None:
        # not once shutting down: stopping a worker can deliver this queued signal, and a sync
        # thread started then would outlive the kiosk
        if ok and self.services is not None and not self._stopping:
            self._start(self.services.sync_service)

    def _start(self, *workers: Any) -> None:
        s = self.services
        for worker in workers:
            if worker is not None:
                try:
                    worker.start()
                except Exception as exc:  # noqa: BLE001 - that input shows as unavailable
                    log.warning("%s did not start: %s", type(worker).__name__,
                                type(exc).__name__)
                    continue
                s.started.append(worker)

    def _on_sync_report(self, report: Any) -> None:
        if self.services is None:  # a report queued just before shutdown
            return
        self.services.outbox_worker.refresh()  # the admin view and the receipt follow it

    def open_admin(self) -> None:
        self.services.outbox_worker.refresh()
        self.admin.show()
        self.admin.raise_()

    def show(self) -> None:
        if self.cfg["kiosk.fullscreen"]:
            self.window.showFullScreen()
        else:
            self.window.resize(1280, 800)
            self.window.show()

    def run(self) -> int:
        self.show()
        self.qapp.aboutToQuit.connect(self.shutdown)
        QTimer.singleShot(0, lambda: log.info("kiosk ready (%s)",
                                              "simulator" if self.cfg.simulate else "hardware"))
        return self.qapp.exec()

    def shutdown(self) -> None:
        s = self.services
        if s is None:
            return
        self._stopping = True
        try:
            self._stop_everything(s)
        finally:
            # whatever failed above, the QApplication (which may outlive this kiosk, as in the
            # tests) must not keep this kiosk's translators
            for t in self.translators:
                self.qapp.removeTranslator(t)
            self.translators.clear()
            self.services = None

    def _stop_everything(self, s: Services) -> None:
        if getattr(self, "ops", None) is not None:
            self.ops.shutdown()  # kiosk-mode filters off, closing allowed
        if s.sync_bridge is not None:
            s.sync_bridge.report.disconnect(self._on_sync_report)
        if self.controller is not None and self.controller.session is not None:
            self.controller.end_session()
        workers = list(reversed(s.started))
        if s.sync_service is not None and s.sync_service not in s.started:
            workers.insert(0, s.sync_service)  # started late (outbox opened meanwhile), or never
        for worker in workers:
            try:
                worker.stop()
            except Exception:  # noqa: BLE001 - shutting down
                log.exception("worker did not stop cleanly")
        s.outbox_worker.stop()
        if s.endpoint is not None:
            s.endpoint.stop()
        self.admin.close()
        self.window.close()
