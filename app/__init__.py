"""The reception kiosk: configuration, session, procedures, outbox, sync (no Qt), and ui/ (Qt)."""

__version__ = "0.1.0"
