#!/usr/bin/env bash
# Start Chromium as a touchscreen kiosk pointed at the Kios Jamsos server.
#   scripts/kiosk-browser.sh [URL]
# First run on a new device: pass the kiosk's enrolment URL (printed by `flask --app wsgi seed-demo`
# or by the admin), e.g. http://10.0.0.5:5000/kiosk/pasang/<code>; the browser remembers the kiosk.
# --kiosk-printing prints receipts to the default (thermal) printer without a dialog.
set -euo pipefail
URL="${1:-${KIOSK_URL:-http://127.0.0.1:5000/}}"
PROFILE="${KIOSK_PROFILE:-$HOME/.config/kios-jamsos-chromium}"
BROWSER="$(command -v chromium || command -v chromium-browser || command -v google-chrome)"
exec "$BROWSER" \
  --kiosk --kiosk-printing \
  --user-data-dir="$PROFILE" \
  --no-first-run --disable-translate --disable-session-crashed-bubble --disable-infobars \
  --disable-background-networking --disable-component-update \
  --overscroll-history-navigation=0 --disable-pinch --noerrdialogs \
  --lang=id \
  "$URL"
