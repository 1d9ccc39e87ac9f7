#!/usr/bin/env bash
# `make run`: start the kiosk in simulator mode. Needs a display; says how to get one if none.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  cat >&2 <<'MSG'
kiosk: there is no display to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are unset).
  On a desktop, run `make run` from a terminal inside the graphical session.
  On a server, run it on a virtual display:   xvfb-run -a make run
  (then take screenshots with `make screenshots`, or connect a VNC server to that display).
MSG
  exit 1
fi
exec .venv/bin/kiosk --simulate "$@"
