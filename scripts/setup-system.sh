#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kiosk needs, only those that are missing.
# Runs as root, or through sudo when it is available. Idempotent: a second run does nothing.
set -euo pipefail

PACKAGES=(
  # PC/SC: the daemon, the vsmartcard virtual reader driver, headers for pyscard, pcsc_scan
  pcscd vsmartcard-vpcd libpcsclite-dev pcsc-tools
  # QR decoding through pyzbar
  libzbar0
  # Qt's xcb platform plugin and OpenGL/EGL for PySide6
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
  # Qt TextToSpeech (spoken prompts): QtMultimedia needs PulseAudio's client library, the
  # speech-dispatcher engine its client library
  libpulse0 libspeechd2
  # a font with every Vietnamese glyph
  fonts-noto-core fonts-dejavu-core
  # virtual display for screenshots and for running without a monitor
  xvfb xauth
  # the reference endpoint's production database, exercised by the test suite
  postgresql
  # building the Python environment
  python3-venv
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: these system packages are missing and I am not root (and there is no sudo):" >&2
    echo "  ${missing[*]}" >&2
    echo "Install them with your package manager, then run make again." >&2
    exit 1
  fi
fi
echo "setup: installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# pcscd and postgresql must not be left running as system services started by the package:
# the tests start their own private instances. policy-rc.d 101 stops dpkg from starting them.
if [ -d /usr/sbin ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
