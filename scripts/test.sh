#!/usr/bin/env bash
# The whole test suite: types, lint, unit, integration (real server, real PostgreSQL, real
# keychain, real SQLCipher) and end-to-end (real Chromium through the browser host).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$1"; }
run_suite() {
  step 'typecheck' && npm run --silent typecheck
  step 'lint' && npm run --silent lint
  step 'unit + integration' && npx vitest run --project unit --project integration
  step 'build' && npm run --silent build
  step 'e2e' && npx vitest run --project e2e
}

if [ -z "${FLURFUNK_KEYRING_READY:-}" ]; then
  exec scripts/with-keyring.sh "$0" "$@"
fi
run_suite
