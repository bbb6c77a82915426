#!/usr/bin/env bash
# CI check: regenerates the protocol TypeScript into a temp dir and fails (exit 1) when it differs from
# the committed files in engine/src/protocol/generated, i.e. someone edited a .fbs without regenerating
# (run `npm run gen:protocol`) or edited generated code by hand.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
committed="$here/../src/protocol/generated"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$here/gen-protocol.sh" "$tmp"
if ! diff -r -u "$committed" "$tmp"; then
  echo "check-protocol: generated protocol code is out of date; run 'npm run gen:protocol'" >&2
  exit 1
fi
echo "check-protocol: generated protocol code is up to date"
