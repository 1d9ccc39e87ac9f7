#!/usr/bin/env bash
# Qt translations: source strings are English (self.tr("...") in app/ui); Vietnamese lives in
# assets/translations/kiosk_vi.ts and is compiled to kiosk_vi.qm, which the kiosk loads.
#   scripts/translations.sh update   re-extract strings into the .ts (keeps translations)
#   scripts/translations.sh release  compile the .ts into the .qm
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
TS=assets/translations/kiosk_vi.ts
case "${1:-release}" in
  update) $BIN/pyside6-lupdate $(find app/ui -name '*.py' | sort) -ts "$TS" -no-obsolete ;;
  release) $BIN/pyside6-lrelease "$TS" -qm assets/translations/kiosk_vi.qm ;;
  *) echo "usage: $0 update|release" >&2; exit 2 ;;
esac
