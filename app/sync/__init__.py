"""Sync: delivers the outbox through a DeliveryAdapter and brings agency statuses back.

    client = make_client(endpoint_url, kiosk_id, secret, ca_file=None, timeout=10.0)
    report = sync_once(outbox, client)            # SyncReport(delivered, rejected, retried, ...)
    svc = SyncService(outbox_path, key_file, client_factory, interval, on_report); svc.start()
No Qt here.
"""

from app.sync.adapters import DeliveryAdapter, OfflineError, Outcome, ReferenceEndpointAdapter
from app.sync.client import make_client
from app.sync.credentials import load_or_create_secret
from app.sync.worker import SyncReport, SyncService, sync_once

__all__ = ["DeliveryAdapter", "OfflineError", "Outcome", "ReferenceEndpointAdapter",
           "SyncReport", "SyncService", "load_or_create_secret", "make_client", "sync_once"]
