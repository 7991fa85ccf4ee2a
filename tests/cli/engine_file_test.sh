#!/usr/bin/env bash
# End-to-end tests of engine files in the CLI: `watchword compile` writes
# one, `scan --engine` and `stats --engine` load it and print exactly what
# they print from the ruleset; damaged or wrong files fail with exit 2.
#
# Usage: WATCHWORD_BIN=build/watchword bash tests/cli/engine_file_test.sh SOURCE_DIR
# ctest runs it as `cli_engine_file`. Prints "N passed, M failed" and exits
# non-zero if anything failed.
set -uo pipefail

SRC="${1:?usage: engine_file_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"
RULESET="${SRC}/rulesets/examples/starter.textproto"
INPUT="${SRC}/examples/conversation.jsonl"
GOLDEN="${SRC}/examples/conversation.verdicts.jsonl"

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ------------------------------------------------------------------ compile
"${BIN}" compile "${RULESET}" -o "${TMP}/starter.wwengine" \
  >"${TMP}/compile.out" 2>"${TMP}/compile.err"
check "compile exits 0" test $? -eq 0
check "compile writes the file" test -s "${TMP}/starter.wwengine"
check "compile leaves no temporary file" test ! -e "${TMP}/starter.wwengine.tmp"
check "compile prints a summary" grep -Eq \
  "^wrote ${TMP}/starter.wwengine: ruleset watchword-starter version 0.1.0 \(fingerprint [0-9a-f]{16}\), 8 rules, backend [a-z0-9]+, compiled in" \
  "${TMP}/compile.out"
"${BIN}" compile --output "${TMP}/starter2.wwengine" "${RULESET}" >/dev/null 2>&1
check "--output is -o" cmp "${TMP}/starter.wwengine" "${TMP}/starter2.wwengine"

# ------------------------------------------------------------------ scan
scan_engine() { "${BIN}" scan --progress_every 0 --engine "$@"; }
scan_engine "${TMP}/starter.wwengine" "${INPUT}" >"${TMP}/engine.out" \
  2>"${TMP}/engine.err"
check "scan --engine exits 0" test $? -eq 0
check "scan --engine output equals the golden file" \
  diff "${GOLDEN}" "${TMP}/engine.out"
check "scan --engine says it loaded" \
  grep -Eq '^watchword scan: ruleset watchword-starter 0.1.0, 8 rules, backend [a-z0-9]+, [0-9]+ threads?, loaded in' \
  "${TMP}/engine.err"
scan_engine "${TMP}/starter.wwengine" --threads 3 - <"${INPUT}" \
  >"${TMP}/threads.out" 2>/dev/null
check "scan --engine with threads from stdin equals the golden file" \
  diff "${GOLDEN}" "${TMP}/threads.out"

# The bundled ruleset, and the RE2 backend, against compiling from source.
"${BIN}" compile --backend re2 "${RULESET}" -o "${TMP}/starter-re2.wwengine" \
  >/dev/null 2>&1
check "compile --backend re2 exits 0" test $? -eq 0
scan_engine "${TMP}/starter-re2.wwengine" "${INPUT}" >"${TMP}/re2.out" 2>"${TMP}/re2.err"
check "scan --engine (re2) equals the golden file" diff "${GOLDEN}" "${TMP}/re2.out"
check "scan --engine (re2) runs re2" grep -q 'backend re2' "${TMP}/re2.err"

CHILD="${SRC}/rulesets/child_safety"
"${BIN}" compile "${CHILD}" -o "${TMP}/child.wwengine" >/dev/null 2>&1
check "compile child_safety exits 0" test $? -eq 0
"${BIN}" scan --progress_every 0 --echo --ruleset "${CHILD}" "${INPUT}" \
  >"${TMP}/child-ruleset.out" 2>/dev/null
scan_engine "${TMP}/child.wwengine" --echo "${INPUT}" >"${TMP}/child-engine.out" 2>/dev/null
check "child_safety: scan --engine equals scan --ruleset" \
  diff "${TMP}/child-ruleset.out" "${TMP}/child-engine.out"
check "child_safety: the conversation has matches" \
  grep -q '"rule_matches"' "${TMP}/child-engine.out"

# ------------------------------------------------------------------ stats
"${BIN}" stats --ruleset "${RULESET}" "${INPUT}" >"${TMP}/stats-ruleset.out" 2>/dev/null
"${BIN}" stats --engine "${TMP}/starter.wwengine" "${INPUT}" \
  >"${TMP}/stats-engine.out" 2>/dev/null
check "stats --engine exits 0" test $? -eq 0
check "stats --engine equals stats --ruleset" \
  diff "${TMP}/stats-ruleset.out" "${TMP}/stats-engine.out"

# ------------------------------------------------------------------ errors
head -c 1000 "${TMP}/starter.wwengine" >"${TMP}/truncated.wwengine"
scan_engine "${TMP}/truncated.wwengine" "${INPUT}" >"${TMP}/truncated.out" \
  2>"${TMP}/truncated.err"
check "truncated engine file exits 2" test $? -eq 2
check "truncated engine file says so" grep -q \
  "^watchword scan: engine file does not load: ${TMP}/truncated.wwengine: engine file is truncated" \
  "${TMP}/truncated.err"
check "truncated engine file writes no verdicts" test ! -s "${TMP}/truncated.out"

cp "${TMP}/starter.wwengine" "${TMP}/flipped.wwengine"
printf '\xff' | dd of="${TMP}/flipped.wwengine" bs=1 seek=500 conv=notrunc 2>/dev/null
scan_engine "${TMP}/flipped.wwengine" "${INPUT}" >/dev/null 2>"${TMP}/flipped.err"
check "damaged engine file exits 2" test $? -eq 2
check "damaged engine file fails its checksum" \
  grep -q "checksum does not match" "${TMP}/flipped.err"

scan_engine "${RULESET}" "${INPUT}" >/dev/null 2>"${TMP}/notengine.err"
check "a ruleset as --engine exits 2" test $? -eq 2
check "a ruleset as --engine is not an engine file" \
  grep -q "not a watchword engine file" "${TMP}/notengine.err"

scan_engine "${TMP}/absent.wwengine" "${INPUT}" >/dev/null 2>"${TMP}/absent.err"
check "a missing engine file exits 2" test $? -eq 2
check "a missing engine file names it" grep -q "absent.wwengine" "${TMP}/absent.err"

"${BIN}" scan --ruleset "${RULESET}" --engine "${TMP}/starter.wwengine" \
  "${INPUT}" >/dev/null 2>&1
check "--ruleset with --engine exits 2" test $? -eq 2
"${BIN}" scan --backend re2 --engine "${TMP}/starter.wwengine" "${INPUT}" \
  >/dev/null 2>&1
check "--backend with --engine exits 2" test $? -eq 2
"${BIN}" compile "${RULESET}" >/dev/null 2>&1
check "compile without -o exits 2" test $? -eq 2
"${BIN}" compile "${RULESET}" -o "${TMP}/no/such/dir/x" >/dev/null \
  2>"${TMP}/unwritable.err"
check "compile to an unwritable path exits 2" test $? -eq 2
check "compile to an unwritable path names it" \
  grep -q "no/such/dir/x" "${TMP}/unwritable.err"

printf 'name: "broken"\nrules { id: "Not A Valid Id" }\n' >"${TMP}/broken.textproto"
"${BIN}" compile "${TMP}/broken.textproto" -o "${TMP}/broken.wwengine" \
  >/dev/null 2>"${TMP}/broken.err"
check "compile of a broken ruleset exits 1" test $? -eq 1
check "compile of a broken ruleset prints diagnostics" \
  grep -q "broken.textproto:2:.*error WW" "${TMP}/broken.err"
check "compile of a broken ruleset writes nothing" \
  test ! -e "${TMP}/broken.wwengine"

finish
