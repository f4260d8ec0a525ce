#!/usr/bin/env bash
# Runs a command with a real Secret Service (gnome-keyring on a private D-Bus session), so the
# keychain code is exercised for real. The keyring lives in FLURFUNK_KEYRING_DIR if set, otherwise
# in a throwaway directory.
set -euo pipefail
if [ -z "${FLURFUNK_KEYRING_READY:-}" ]; then
  if [ -z "${FLURFUNK_IN_DBUS:-}" ]; then
    export FLURFUNK_IN_DBUS=1
    exec dbus-run-session -- "$0" "$@"
  fi
  XDG_DATA_HOME=${FLURFUNK_KEYRING_DIR:-$(mktemp -d -t flurfunk-keyring.XXXXXX)}
  export XDG_DATA_HOME
  mkdir -p "$XDG_DATA_HOME/keyrings"
  # --unlock reads the password from stdin and creates the login keyring without a GUI prompt.
  printf 'flurfunk-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export FLURFUNK_KEYRING_READY=1
fi
exec "$@"
