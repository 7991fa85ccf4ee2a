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

# check --json: one CheckReport (report.proto), same exit codes.
json_get() { /usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
"${BIN}" check --json "${RULESET}" >"${TMP}/check.json" 2>/dev/null
check "check --json starter exits 0" test $? -eq 0
check "check --json starter summarizes the ruleset" \
  test "$(json_get "${TMP}/check.json" '(j["ok"], j["ruleset"]["name"], j["rules"], j["shadow_rules"], j["errors"])')" = "(True, 'watchword-starter', 8, 1, 0)"
check "check --json counts rules per action by enum name" \
  test "$(json_get "${TMP}/check.json" '[(a["action"], a["count"]) for a in j["rules_per_action"]]')" = \
  "[('ACTION_LOG', '1'), ('ACTION_REVIEW', '5'), ('ACTION_BLOCK', '1'), ('ACTION_ESCALATE', '1')]"
"${BIN}" check --json "${TMP}/broken.textproto" >"${TMP}/broken.json" 2>/dev/null
check "check --json broken exits 1" test $? -eq 1
check "check --json broken lists the diagnostics with file:line" \
  test "$(json_get "${TMP}/broken.json" '(j["ok"], j["errors"], [(d["code"], d["file"].endswith("broken.textproto"), d["line"]) for d in j["diagnostics"] if d["severity"] == "SEVERITY_ERROR"])')" = \
  "(False, 2, [('WW101', True, 4), ('WW203', True, 13)])"
"${BIN}" check --json "${TMP}/does-not-exist.textproto" >"${TMP}/missing.json" 2>/dev/null
check "check --json on a missing file exits 1 with a diagnostic" \
  test "$? $(json_get "${TMP}/missing.json" '(j["ok"], j["errors"])')" = "1 (False, 1)"

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

# --context replaces the records' context: to an adult, a meeting proposal
# is not flagged.
scan --context '{"recipient_age_band": "AGE_BAND_ADULT"}' "${INPUT}" \
  >"${TMP}/context.out" 2>/dev/null
check "scan --context exits 0" test $? -eq 0
check "without --context, the meeting rule matches" \
  grep -q '"rule_id":"meeting.in-person"' "${TMP}/golden.out"
check "with --context, the meeting rule does not" \
  bash -c "! grep -q '\"rule_id\":\"meeting.in-person\"' '${TMP}/context.out'"
check "--context leaves other records' verdicts alone" \
  test "$(wc -l <"${TMP}/context.out")" -eq "$(records "${INPUT}")"
scan --context '{"no_such_field": 1}' "${INPUT}" >/dev/null 2>"${TMP}/badctx.err"
check "a bad --context exits 2" test $? -eq 2
check "a bad --context says so" grep -q 'scan: --context: not a JSON Context' "${TMP}/badctx.err"

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
  grep -q -- '--threads must be between 0 and 64' "${TMP}/threads65.err"
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

# ------------------------------------------------------------------ input mapping
# An export's own shape: extra members, an integer id, the text and id at
# dotted paths; and verdicts with every default printed.
cat >"${TMP}/export.jsonl" <<'EOF'
{"id": 42, "text": "add me on snap", "user": {"name": "x"}, "ts": 1}
{"meta": {"msg": 7}, "message": {"body": "add me on snap"}}
EOF
scan --threads 1 "${TMP}/export.jsonl" >"${TMP}/export.out" 2>/dev/null
check "extra members are ignored and an integer id is echoed" \
  grep -Eq '^\{"request_id":"42","action":"ACTION_[A-Z]+"' <(sed -n '1p' "${TMP}/export.out")
check "a record without text is an error" \
  grep -q '"error":{"code":"INVALID_ARGUMENT","message":"record has no text' \
  <(sed -n '2p' "${TMP}/export.out")
sed -n '2p' "${TMP}/export.jsonl" >"${TMP}/nested.jsonl"
scan --threads 1 --id_field meta.msg --text_field message.body \
  "${TMP}/nested.jsonl" >"${TMP}/dotted.out" 2>/dev/null
check "--id_field and --text_field take dotted paths" \
  grep -Eq '^\{"request_id":"7","action":"ACTION_[A-Z]+"' "${TMP}/dotted.out"
sed -n '1p' "${TMP}/export.jsonl" >"${TMP}/extra.jsonl"
scan --noignore_unknown_fields "${TMP}/extra.jsonl" >"${TMP}/strict.out" 2>/dev/null
check "--noignore_unknown_fields makes extra members errors" \
  grep -q 'unknown member \\"user\\"' "${TMP}/strict.out"
echo '{"text": "snap me"}' | scan --always_print_fields - >"${TMP}/all.out" 2>/dev/null
check "--always_print_fields prints defaults" \
  grep -q '"truncated":false' "${TMP}/all.out"

# CSV with a header row: a quoted cell may hold commas and line breaks; an
# error names the record's first line.
printf 'id,text,user\n1,"add me on snap",bob\n2,"hello\nthere, friend",amy\n3,"unclosed\n' \
  >"${TMP}/export.csv"
scan --threads 2 "${TMP}/export.csv" >"${TMP}/csv.out" 2>/dev/null
check "csv: one verdict per record" test "$(wc -l <"${TMP}/csv.out")" -eq 3
check "csv: records keep their ids and order" \
  test "$(grep -o '"request_id":"[0-9]*"' "${TMP}/csv.out" | tr -d '\n')" = \
  '"request_id":"1""request_id":"2"'
check "csv: a bad record is an error on its first line" \
  grep -Eq '"error":\{"code":"INVALID_ARGUMENT",.*"line":5\}\}$' \
  <(sed -n '3p' "${TMP}/csv.out")
printf 'id\ttext\n9\tadd me on snap\n' |
  scan --input_format tsv - >"${TMP}/tsv.out" 2>/dev/null
check "tsv from stdin with --input_format" \
  grep -Eq '^\{"request_id":"9","action":"ACTION_[A-Z]+"' "${TMP}/tsv.out"

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
CONV_RULESET="${SRC}/examples/conversation_rules.textproto"
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
