#!/usr/bin/env bash
# Regenerates the flatbuffers TypeScript for the wire protocol from engine/src/protocol/schema/*.fbs.
# Usage: gen-protocol.sh [out-dir]  (default: engine/src/protocol/generated). Deterministic: the same
# schema and flatc version always give byte-identical files, which check-protocol.sh relies on.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
schema_dir="$here/../src/protocol/schema"
out_dir="${1:-$here/../src/protocol/generated}"
flatc="${FLATC:-flatc}"
expected_version="flatc version 2.0.8"

if ! command -v "$flatc" >/dev/null 2>&1; then
  echo "gen-protocol: flatc not found; install the Debian package flatbuffers-compiler (2.0.8)" >&2
  exit 2
fi
actual_version="$("$flatc" --version)"
if [ "$actual_version" != "$expected_version" ]; then
  echo "gen-protocol: need $expected_version, found '$actual_version' (other versions generate different code)" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$flatc" --ts --ts-flat-files -o "$tmp" "$schema_dir"/*.fbs

mkdir -p "$out_dir"
rm -f "$out_dir"/*.ts
for f in "$tmp"/*_generated.ts; do
  base="$(basename "$f" _generated.ts)"
  # Our files are kebab-case; the content is flatc's, untouched.
  cp "$f" "$out_dir/${base//_/-}-generated.ts"
done
