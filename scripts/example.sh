#!/usr/bin/env bash
# Builds the `watchword` CLI and scans the example conversation with the
# starter ruleset: one JSON verdict per message on stdout, a summary on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j2 --target watchword_cli
build/watchword scan --ruleset rulesets/examples/starter.textproto \
  examples/conversation.jsonl
