#!/usr/bin/env bash
# Installs what Flurfunk needs on a fresh Debian/Ubuntu machine: the system packages its native
# modules and tests use, then the npm dependencies exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential python3  # native modules (SQLCipher, keytar, argon2) compile from source
  libsecret-1-dev          # keytar's Secret Service backend
  dbus gnome-keyring       # a real keychain for the tests
  chromium                 # end-to-end tests drive Debian's Chromium
  postgresql               # the server's production database path is tested too
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Electron binary cannot be downloaded on every machine; `npm start` falls back to the browser host.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
