"""Entry point for the PyInstaller bundle (kiosk.spec): the same `kiosk` command."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
