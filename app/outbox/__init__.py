"""The durable outbox: submissions are queued here (encrypted) and delivered exactly once.

Public API (the UI and the CLI use only these names):
    Outbox.open(path, key_file, *, clock=None) -> Outbox
    Outbox.submit / submit_many / items / item / counts / oldest_pending_age_seconds /
    deadline_warnings / retry / purge / rotate_key / close
No Qt here: the sync worker drives the claim/mark methods from its own thread.
"""

from app.outbox.codes import is_dossier_code, new_dossier_code
from app.outbox.deadlines import lodging_deadline
from app.outbox.errors import (OutboxCorruptError, OutboxDiskFullError, OutboxError,
                               OutboxInvalidError, OutboxKeyError, OutboxNotFoundError,
                               OutboxStateError)
from app.outbox.policy import RetryPolicy
from app.outbox.store import Claim, Outbox, OutboxItem, SubmissionReceipt

__all__ = [
    "Claim", "Outbox", "OutboxCorruptError", "OutboxDiskFullError", "OutboxError",
    "OutboxInvalidError", "OutboxItem", "OutboxKeyError", "OutboxNotFoundError",
    "OutboxStateError", "RetryPolicy", "SubmissionReceipt", "is_dossier_code",
    "lodging_deadline", "new_dossier_code",
]
