#!/usr/bin/env bash
# End-to-end tests of the `watchword` CLI's conventions: help and version
# exit 0, a command's help lists only its own flags, usage errors exit 2
# with a suggestion, and --foo-bar is --foo_bar.
#
# Usage: WATCHWORD_BIN=build/watchword bash tests/cli/conventions_test.sh SOURCE_DIR
# ctest runs it as `cli_conventions`. Prints "N passed, M failed" and exits
# non-zero if anything failed.
set -uo pipefail

SRC="${1:?usage: conventions_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"
RULESET="${SRC}/rulesets/examples/starter.textproto"
INPUT="${SRC}/examples/conversation.jsonl"
GOLDEN="${SRC}/examples/conversation.verdicts.jsonl"

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ------------------------------------------------------------------ help
for args in "--help" "-h" "help"; do
  # shellcheck disable=SC2086
  "${BIN}" ${args} >"${TMP}/help.out" 2>"${TMP}/help.err"
  check "watchword ${args} exits 0" test $? -eq 0
  check "watchword ${args} lists the subcommands on stdout" \
    bash -c "grep -q '^  scan ' '${TMP}/help.out' && grep -q '^  views ' '${TMP}/help.out'"
  check "watchword ${args} documents the exit codes" \
    grep -q '^  2  usage error' "${TMP}/help.out"
done
for args in "scan --help" "scan -h" "help scan"; do
  # shellcheck disable=SC2086
  "${BIN}" ${args} >"${TMP}/scanhelp.out" 2>/dev/null
  check "watchword ${args} exits 0" test $? -eq 0
  check "watchword ${args} lists scan's flags only" \
    bash -c "grep -q -- '--threads' '${TMP}/scanhelp.out' &&
             grep -q -- '--echo' '${TMP}/scanhelp.out' &&
             ! grep -q -- '--min_examples' '${TMP}/scanhelp.out' &&
             ! grep -q -- '--old' '${TMP}/scanhelp.out'"
done
"${BIN}" check --help >"${TMP}/checkhelp.out" 2>/dev/null
check "check --help has no scan flags" \
  bash -c "! grep -q -e '--threads' -e '--echo' '${TMP}/checkhelp.out'"
"${BIN}" --version >"${TMP}/version.out"
check "--version exits 0" test $? -eq 0

# ------------------------------------------------------------------ usage errors
"${BIN}" >"${TMP}/none.out" 2>"${TMP}/none.err"
check "no subcommand exits 2" test $? -eq 2
check "no subcommand prints usage on stderr, nothing on stdout" \
  bash -c "grep -q '^Usage: watchword' '${TMP}/none.err' && test ! -s '${TMP}/none.out'"

"${BIN}" sacn >/dev/null 2>"${TMP}/sacn.err"
check "a mistyped subcommand exits 2" test $? -eq 2
check "a mistyped subcommand gets a suggestion" \
  grep -q "unknown subcommand 'sacn'; did you mean scan?" "${TMP}/sacn.err"
"${BIN}" help sacn >/dev/null 2>"${TMP}/helpsacn.err"
check "help on an unknown subcommand exits 2" test $? -eq 2

"${BIN}" scan --ruleset "${RULESET}" --thread 2 "${INPUT}" >"${TMP}/thread.out" \
  2>"${TMP}/thread.err"
check "a mistyped flag exits 2" test $? -eq 2
check "a mistyped flag gets a suggestion" \
  grep -q 'unknown flag --thread for scan; did you mean --threads?' "${TMP}/thread.err"
check "a mistyped flag scans nothing" test ! -s "${TMP}/thread.out"

"${BIN}" check --threads 8 "${RULESET}" >/dev/null 2>"${TMP}/checkthreads.err"
check "a flag of another command exits 2" test $? -eq 2
check "a flag of another command says which commands take it" \
  grep -q 'check does not take --threads (scan, stats, diff do)' "${TMP}/checkthreads.err"
"${BIN}" check --echo "${RULESET}" >/dev/null 2>&1
check "check --echo exits 2" test $? -eq 2

"${BIN}" scan --ruleset "${RULESET}" --threads lots "${INPUT}" >/dev/null 2>&1
check "a flag value of the wrong type exits 2" test $? -eq 2
"${BIN}" scan --ruleset "${RULESET}" "${INPUT}" "${INPUT}" >/dev/null 2>"${TMP}/two.err"
check "scan with two files exits 2" test $? -eq 2
check "scan with two files says so" grep -q 'scan reads at most one FILE' "${TMP}/two.err"

# ------------------------------------------------------------------ spellings
"${BIN}" scan --ruleset="${RULESET}" --progress-every 0 --timeout-ms=1000 \
  "${INPUT}" >"${TMP}/dashes.out" 2>/dev/null
check "--progress-every and --flag=VALUE are accepted" test $? -eq 0
check "dash spellings scan as usual" diff "${GOLDEN}" "${TMP}/dashes.out"
# absl's --noFLAG spelling of a flag that is on by default, and --FLAG=false.
echo '{"text": "add me on snap", "extra": 1}' >"${TMP}/extra.jsonl"
for flag in --noignore_unknown_fields --ignore-unknown-fields=false; do
  "${BIN}" scan --ruleset "${RULESET}" --progress_every 0 "${flag}" \
    "${TMP}/extra.jsonl" >"${TMP}/strict.out" 2>/dev/null
  check "scan ${flag} makes an extra member an error" \
    grep -q '"error":{"code":"INVALID_ARGUMENT"' "${TMP}/strict.out"
done
"${BIN}" scan --ruleset "${RULESET}" --progress_every 0 "${TMP}/extra.jsonl" \
  >"${TMP}/lenient.out" 2>/dev/null
check "scan ignores an extra member by default" \
  bash -c "grep -q 'ACTION_REVIEW' '${TMP}/lenient.out' && ! grep -q '\"error\"' '${TMP}/lenient.out'"
"${BIN}" stats --ruleset "${RULESET}" --always_print_fields "${INPUT}" >/dev/null 2>"${TMP}/apf.err"
check "--always_print_fields is scan's alone" \
  grep -q 'stats does not take --always_print_fields (scan does)' "${TMP}/apf.err"
"${BIN}" compile -o "${TMP}/e.wwengine" --ruleset "${RULESET}" >/dev/null 2>&1
check "compile takes --ruleset as well as RULESET" test -s "${TMP}/e.wwengine"

finish
