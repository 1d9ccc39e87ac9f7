"""Shared test set-up. Each part's fixtures live in tests/fixtures/<name>.py and load here."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.fixtures.pcscd",
    "tests.fixtures.postgres",
    "tests.fixtures.endpoint",
    "tests.fixtures.serial_pty",
    "tests.fixtures.kiosk",
    "tests.fixtures.card",
]
