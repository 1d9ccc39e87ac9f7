#!/bin/sh
# An X11 kiosk session without a desktop (for display managers that autologin into an X
# session, e.g. LightDM: autologin-user=kiosk, autologin-session=vn-kiosk). No window manager
# is needed: the kiosk window is fullscreen and frameless ([kiosk] fullscreen = true).
xset s off -dpms s noblank 2>/dev/null
setxkbmap -option srvrkeys:none 2>/dev/null   # no Ctrl+Alt+Backspace / VT switching keys
export KIOSK_CONFIG=${KIOSK_CONFIG:-/etc/vn-kiosk/kiosk.toml}
while true; do
    /opt/vn-kiosk/kiosk
    sleep 3   # restarted if it ever stops (only the admin PIN exits it)
done
