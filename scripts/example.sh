#!/usr/bin/env bash
# Builds the `watchword` CLI and scans the example conversation with the
# starter ruleset: one JSON verdict per message on stdout, a summary on stderr
# (examples/conversation.verdicts.jsonl holds that stdout). Then scans a
# conversation that escalates as a whole although no message does alone,
# with the conversation rules of examples/conversation_rules.textproto
# (examples/escalating_conversation.verdicts.jsonl holds that stdout).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Setting up reports on stderr: stdout holds only verdicts.
bash scripts/install-deps.sh >&2
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j2 --target watchword_cli >&2
build/watchword scan --ruleset rulesets/examples/starter.textproto \
  examples/conversation.jsonl
build/watchword scan --ruleset examples/conversation_rules.textproto \
  examples/escalating_conversation.jsonl
