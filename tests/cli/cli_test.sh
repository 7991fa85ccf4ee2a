#!/usr/bin/env bash
# End-to-end tests of the `watchword` CLI.
#
# Usage: WATCHWORD_BIN=build/watchword bash tests/cli/cli_test.sh SOURCE_DIR
# ctest runs it as `cli_end_to_end`. Prints "N passed, M failed" and exits
# non-zero if anything failed.
set -uo pipefail

SRC="${1:?usage: cli_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"
RULESET="${SRC}/rulesets/examples/starter.textproto"
INPUT="${SRC}/examples/conversation.jsonl"
GOLDEN="${SRC}/examples/conversation.verdicts.jsonl"

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scan() { "${BIN}" scan --ruleset "${RULESET}" --progress_every 0 "$@"; }
# Number of lines that are not blank (the CLI's records).
records() { grep -cv '^[[:space:]]*$' "$1"; }

# ------------------------------------------------------------------ check
"${BIN}" check "${RULESET}" >"${TMP}/check.out" 2>&1
check "check starter exits 0" test $? -eq 0
check "check starter prints a summary" \
  grep -q '^ok: ruleset watchword-starter version 0.1.0$' "${TMP}/check.out"
check "check starter counts rules" grep -q '^rules: 8 (1 shadow)$' "${TMP}/check.out"
check "check starter lists categories" \
  grep -q '^  grooming.secrecy  *1$' "${TMP}/check.out"

# Two errors: a malformed rule id (line 4) and a reference to a term list
# that does not exist (line 13).
cat >"${TMP}/broken.textproto" <<'EOF'
name: "broken"
version: "1"
rules {
  id: "Not A Valid Id"
  category: "test"
  severity: SEVERITY_LOW
  action: ACTION_LOG
  match { term { phrase: "hello" } }
}
rules {
  id: "unknown-list"
  action: ACTION_LOG
  match { term_list: "no.such.list" }
}
EOF
"${BIN}" check "${TMP}/broken.textproto" >"${TMP}/broken.out" 2>&1
check "check broken exits 1" test $? -eq 1
check "check broken reports the bad id at file:line:col" \
  grep -Eq "broken.textproto:4:[0-9]+: error WW101" "${TMP}/broken.out"
check "check broken reports the unknown list at file:line:col" \
  grep -Eq "broken.textproto:13:[0-9]+: error WW203" "${TMP}/broken.out"

# ------------------------------------------------------------------ scan
scan "${INPUT}" >"${TMP}/golden.out" 2>"${TMP}/golden.err"
check "scan exits 0" test $? -eq 0
check "scan output equals the golden file" diff "${GOLDEN}" "${TMP}/golden.out"
check "one output line per input record" \
  test "$(wc -l <"${TMP}/golden.out")" -eq "$(records "${INPUT}")"
check "stderr has the final summary" \
  grep -q '^watchword scan: summary: records=20 errors=0 ' "${TMP}/golden.err"
check "stderr holds no message text" \
  bash -c "! grep -q -e 'little' -e 'robux for' -e 'pick you up' '${TMP}/golden.err'"
check "no matched text without --echo" \
  bash -c "! grep -q '\"text\"' '${TMP}/golden.out'"

scan --echo "${INPUT}" >"${TMP}/echo.out" 2>/dev/null
check "--echo copies matched text" \
  grep -q '"text":"our little ｓｅｃｒｅｔ"' "${TMP}/echo.out"

scan <"${INPUT}" >"${TMP}/stdin.out" 2>/dev/null
check "reads stdin when FILE is absent" diff "${GOLDEN}" "${TMP}/stdin.out"
scan - <"${INPUT}" >"${TMP}/dash.out" 2>/dev/null
check "reads stdin when FILE is -" diff "${GOLDEN}" "${TMP}/dash.out"

# A blank line (line 3, skipped) and a malformed line (line 6) in the middle.
{
  sed -n '1,2p' "${INPUT}"
  echo "   "
  sed -n '3,4p' "${INPUT}"
  echo '{"id": "bad", "text": "unterminated'
  sed -n '5,$p' "${INPUT}"
} >"${TMP}/malformed.jsonl"
scan "${TMP}/malformed.jsonl" >"${TMP}/malformed.out" 2>"${TMP}/malformed.err"
check "malformed input still exits 0" test $? -eq 0
check "malformed: one line per non-blank record" \
  test "$(wc -l <"${TMP}/malformed.out")" -eq "$(records "${TMP}/malformed.jsonl")"
check "malformed line yields INVALID_ARGUMENT with its line number" \
  grep -Eq '"error":\{"code":"INVALID_ARGUMENT",.*"line":6\}\}$' \
  <(sed -n '5p' "${TMP}/malformed.out")
check "malformed line's error quotes no input" \
  bash -c "! grep -q unterminated '${TMP}/malformed.out'"
check "records before and after the malformed line are scanned as usual" \
  diff <(sed '5d' "${TMP}/malformed.out") "${GOLDEN}"

# --timeout_ms: a 1 MiB record (line 2) cannot be scanned in 1 ms; it gets a
# truncated DEADLINE_EXCEEDED verdict and the stream goes on.
{
  echo '{"id": "a", "text": "add me on snap"}'
  /usr/bin/python3 -c 'print("{\"id\": \"big\", \"text\": \"" + "add me on snap " * 69905 + "\"}")'
  echo '{"id": "c", "text": "add me on snap"}'
} >"${TMP}/timeout.jsonl"
scan --timeout_ms 1 "${TMP}/timeout.jsonl" >"${TMP}/timeout.out" 2>/dev/null
check "--timeout_ms still exits 0" test $? -eq 0
check "--timeout_ms: one line per record" test "$(wc -l <"${TMP}/timeout.out")" -eq 3
check "--timeout_ms: the slow record is DEADLINE_EXCEEDED, truncated, with its line" \
  grep -Eq '"error":\{"code":"DEADLINE_EXCEEDED",.*"line":2\},"truncated":true' \
  <(sed -n '2p' "${TMP}/timeout.out")
check "--timeout_ms: the record after it is scanned" \
  grep -q '"request_id":"c"' <(sed -n '3p' "${TMP}/timeout.out")
scan --timeout_ms -1 "${TMP}/timeout.jsonl" >/dev/null 2>&1
check "--timeout_ms must not be negative" test $? -ne 0
check "summary counts the error" \
  grep -q 'summary: records=21 errors=1 ' "${TMP}/malformed.err"

# About 5,000 records for the threading and backend comparisons.
for i in $(seq 1 250); do cat "${INPUT}"; done |
  awk '{ sub(/"id": "dm-/, "\"id\": \"r" NR "-dm-"); print }' >"${TMP}/big.jsonl"
scan --threads 1 "${TMP}/big.jsonl" >"${TMP}/t1.out" 2>/dev/null
scan --threads 2 "${TMP}/big.jsonl" >"${TMP}/t2.out" 2>/dev/null
check "5000 records in, 5000 out" test "$(wc -l <"${TMP}/t1.out")" -eq 5000
check "--threads 2 output equals --threads 1" diff -q "${TMP}/t1.out" "${TMP}/t2.out"
scan --threads 65 "${INPUT}" >/dev/null 2>"${TMP}/threads65.err"
check "--threads above 64 exits 2" test $? -eq 2
check "--threads above 64 says the bound" \
  grep -q -- '--threads must be between 1 and 64' "${TMP}/threads65.err"
scan --backend re2 "${TMP}/big.jsonl" >"${TMP}/re2.out" 2>/dev/null
check "--backend re2 verdicts equal the default backend's" \
  diff -q "${TMP}/t1.out" "${TMP}/re2.out"
scan --backend re2 "${INPUT}" >"${TMP}/re2golden.out" 2>/dev/null
check "--backend re2 matches the golden file" diff "${GOLDEN}" "${TMP}/re2golden.out"

# A field over 1 MiB is rejected by the Scanner, in-band.
{
  printf '{"id": "big", "text": "'
  head -c 1048577 /dev/zero | tr '\0' 'a'
  printf '"}\n{"id": "after", "text": "how old r u"}\n'
} >"${TMP}/oversize.jsonl"
scan "${TMP}/oversize.jsonl" >"${TMP}/oversize.out" 2>/dev/null
check "oversize field yields INVALID_ARGUMENT on line 1" \
  grep -Eq '^\{"request_id":"big".*"error":\{"code":"INVALID_ARGUMENT",.*"line":1\}\}$' \
  <(sed -n '1p' "${TMP}/oversize.out")
check "record after the oversize one is scanned" \
  grep -q '"request_id":"after","action":"ACTION_LOG"' <(sed -n '2p' "${TMP}/oversize.out")

# ------------------------------------------------------------------ early reader exit
# A reader that stops after one line (`| head -1`) is ordinary use: the scan
# ends quietly with status 0, not 141 (killed by SIGPIPE) or 2. The input is
# long enough that its verdicts overflow the pipe's buffer.
for i in $(seq 1 3000); do cat "${INPUT}"; done >"${TMP}/long.jsonl"
scan "${TMP}/long.jsonl" 2>"${TMP}/pipe.err" | head -1 >"${TMP}/pipe.out"
pipe_status=("${PIPESTATUS[@]}")
check "scan | head -1 exits 0" test "${pipe_status[0]}" -eq 0
check "scan | head -1 prints one verdict" test "$(wc -l <"${TMP}/pipe.out")" -eq 1
check "scan | head -1 prints no write error" \
  bash -c "! grep -q 'writing output' '${TMP}/pipe.err'"

# ------------------------------------------------------------------ conversations
# The example conversation escalates as a whole at its 9th message although
# no message does alone; the same verdicts whatever the thread count.
CONV_RULESET="${SRC}/rulesets/examples/conversation.textproto"
CONV_INPUT="${SRC}/examples/escalating_conversation.jsonl"
CONV_GOLDEN="${SRC}/examples/escalating_conversation.verdicts.jsonl"
for threads in 1 2; do
  "${BIN}" scan --ruleset "${CONV_RULESET}" --progress_every 0 \
    --threads "${threads}" "${CONV_INPUT}" >"${TMP}/conv.out" 2>/dev/null
  check "conversation scan (--threads ${threads}) equals the golden file" \
    diff "${CONV_GOLDEN}" "${TMP}/conv.out"
done
check "no message of the example conversation escalates alone" \
  bash -c "! grep -q '\"rule_matches\":\\[[^]]*ACTION_ESCALATE' '${CONV_GOLDEN}'"
check "the example conversation escalates at its 9th message" \
  grep -q '^{"request_id":"esc-0009","action":"ACTION_ESCALATE"' "${CONV_GOLDEN}"
"${BIN}" test "${CONV_RULESET}" >"${TMP}/conv-test.out" 2>&1
check "test runs the conversation examples" \
  grep -q '^PASS: .*8 rules, 24 should_match and 24 should_not_match' \
  "${TMP}/conv-test.out"

# ------------------------------------------------------------------ fatal errors
scan "${TMP}/does-not-exist.jsonl" >/dev/null 2>&1
check "missing input file exits 2" test $? -eq 2
"${BIN}" scan --ruleset "${TMP}/broken.textproto" "${INPUT}" \
  >"${TMP}/badrules.out" 2>"${TMP}/badrules.err"
check "scan with a broken ruleset exits 2" test $? -eq 2
check "scan with a broken ruleset prints its diagnostics" \
  grep -q 'error WW101' "${TMP}/badrules.err"
"${BIN}" frobnicate >/dev/null 2>&1
check "unknown subcommand exits 2" test $? -eq 2

finish
