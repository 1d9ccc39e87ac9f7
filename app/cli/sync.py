"""`kiosk sync [--once] [--json]`: deliver the outbox to the configured endpoint.

With --simulate (sync.embedded_endpoint = true) the reference endpoint runs on loopback inside
this process with DATA_DIR/endpoint.sqlite3, and this kiosk is registered with it.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from app.cli import add_common_options, load_config


def client_factory(cfg):
    """(factory, cleanup) for the configured endpoint; starts the embedded one if asked."""
    from app.sync import load_or_create_secret, make_client

    secret = load_or_create_secret(cfg.path("sync.secret_file", "kiosk.secret"))
    url, ep = cfg["sync.endpoint_url"], None
    if cfg["sync.embedded_endpoint"]:
        from endpoint.embedded import EmbeddedEndpoint

        ep = EmbeddedEndpoint(str(cfg.data_dir / "endpoint.sqlite3"))
        url = ep.start()
        ep.register_kiosk(cfg["kiosk.id"], secret)

    def factory():
        return make_client(url, cfg["kiosk.id"], secret, ca_file=cfg["sync.ca_file"] or None,
                           timeout=float(cfg["sync.timeout_seconds"]))

    return factory, (ep.stop if ep else (lambda: None))


def cmd_sync(args: argparse.Namespace) -> int:
    from app.outbox import Outbox
    from app.sync import SyncService, sync_once

    cfg = load_config(args)
    path = cfg.path("outbox.path", "outbox.sqlite3")
    key = cfg.path("outbox.key_file", "outbox.key")
    factory, cleanup = client_factory(cfg)
    try:
        if args.once:
            with Outbox.open(path, key, retention_days=cfg["outbox.retention_days"]) as ob:
                client = factory()
                try:
                    report = sync_once(ob, client, batch_size=int(cfg["sync.batch_size"]))
                finally:
                    client.close()
                counts = ob.counts()
            data = {**asdict(report), "counts": counts}
            text = " ".join(f"{k}={v}" for k, v in asdict(report).items() if k != "error")
            print(json.dumps(data) if args.json else text)
            return 0
        import time

        def said(exc: Exception) -> None:  # the service keeps trying; say why meanwhile
            print(f"kiosk: {getattr(exc, 'en', None) or type(exc).__name__}", flush=True)

        svc = SyncService(path, key, factory, float(cfg["sync.interval_seconds"]),
                          lambda r: print(json.dumps(asdict(r)) if args.json else r, flush=True),
                          on_error=said, retention_days=cfg["outbox.retention_days"],
                          batch_size=int(cfg["sync.batch_size"]))
        svc.start()
        try:
            while svc.running:  # the thread ends only on a fatal error (a corrupt outbox)
                time.sleep(0.5)
        finally:
            svc.stop()
        return 1
    finally:
        cleanup()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync", help="deliver the outbox to the service endpoint")
    add_common_options(parser)
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=cmd_sync)
