#!/usr/bin/env bash
# The console's end-to-end tests (test/e2e) drive Debian's Chromium through playwright-core, which
# downloads no browser of its own. Install the `chromium` package when /usr/bin/chromium is
# missing, so `npm test` works on a fresh machine; quiet when it is already there.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The console's e2e tests need Chromium at $CHROMIUM and apt-get is not available. Install Chromium (Debian package: chromium)." >&2
  exit 1
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  SUDO="sudo -n"
else
  echo "The console's e2e tests need Chromium at $CHROMIUM. Install it as root, e.g.: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Chromium not found: installing Debian's chromium for the console's e2e tests…" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Installing chromium did not provide $CHROMIUM. Install it by hand, e.g.: sudo apt-get install -y chromium" >&2
exit 1
