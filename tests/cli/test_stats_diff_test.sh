#!/usr/bin/env bash
# End-to-end tests of `watchword test`, `watchword stats` and `watchword diff`.
#
# Usage: WATCHWORD_BIN=build/watchword bash tests/cli/test_stats_diff_test.sh SOURCE_DIR
# ctest runs it as `cli_test_stats_diff`. Prints "N passed, M failed" and
# exits non-zero if anything failed.
set -uo pipefail

SRC="${1:?usage: test_stats_diff_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"
STARTER="${SRC}/rulesets/examples/starter.textproto"
INPUT="${SRC}/examples/conversation.jsonl"

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# valid_json FILE: the file holds one JSON value.
valid_json() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"; }
# json_get FILE EXPR: prints a Python expression over the parsed JSON `j`.
json_get() { python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# ------------------------------------------------------------------ test
"${BIN}" test "${STARTER}" >"${TMP}/test.out" 2>&1
check "test starter exits 0" test $? -eq 0
check "test starter prints PASS with counts" \
  grep -Eq '^PASS: .*starter.textproto: ruleset watchword-starter version 0.1.0: 8 rules, [0-9]+ should_match and [0-9]+ should_not_match examples, 0 failures$' \
  "${TMP}/test.out"

# Line 9 holds an example that cannot match, line 11 one that must not
# match but does, and the rule has too few examples.
cat >"${TMP}/bad.textproto" <<'TEXTPROTO'
name: "bad"
rules {
  id: "secrecy.phrase"
  category: "grooming.secrecy"
  severity: SEVERITY_HIGH
  action: ACTION_REVIEW
  match { term { phrase: "our secret" } }
  should_match { text: "this is our secret" }
  should_match { text: "keep it quiet" }
  should_not_match { text: "no secrets here" }
  should_not_match { text: "shh, our secret" }
}
TEXTPROTO
"${BIN}" test "${TMP}/bad.textproto" >"${TMP}/bad.out" 2>&1
check "test with failing examples exits 1" test $? -eq 1
check "a missed should_match is reported at file:line with the text" \
  grep -q "^FAIL: ${TMP}/bad.textproto:9: rule \"secrecy.phrase\" should_match\[1\]: expected a match, got none (no rule matched); text: \"keep it quiet\"$" \
  "${TMP}/bad.out"
check "an unwanted match names the term and the verdict" \
  grep -q "^FAIL: ${TMP}/bad.textproto:11: rule \"secrecy.phrase\" should_not_match\[1\]: expected no match, but it matched on body:our secret (action review, rules matched: secrecy.phrase)" \
  "${TMP}/bad.out"
check "too few examples is a failure at the rule's line" \
  grep -q "^FAIL: ${TMP}/bad.textproto:2: rule \"secrecy.phrase\" examples: has 2 should_match and 2 should_not_match examples; needs at least 3 of each$" \
  "${TMP}/bad.out"
check "the summary counts failures" \
  grep -q '^FAILED: .*bad.textproto: ruleset bad version : 1 rules, 2 should_match and 2 should_not_match examples, 3 failures$' \
  "${TMP}/bad.out"
# --junit: the same results as JUnit XML, parsed here as a CI system would.
"${BIN}" test --junit "${TMP}/junit.xml" "${STARTER}" "${TMP}/bad.textproto" \
  >"${TMP}/junit.out" 2>&1
check "test --junit with failures still exits 1" test $? -eq 1
check "test --junit prints what test prints" \
  bash -c "grep -q '^PASS: .*starter.textproto' '${TMP}/junit.out' && grep -q '^FAILED: .*bad.textproto' '${TMP}/junit.out'"
cat >"${TMP}/junit_check.py" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
bad = sys.argv[2]
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
# One suite per ruleset file, each counting its own cases.
assert [s.get("name").split("/")[-1] for s in suites] == ["starter.textproto", "bad.textproto"], suites
total = failures = 0
for suite in suites:
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("tests")) == len(cases) > 0
    assert int(suite.get("failures")) == len(failed)
    assert suite.get("errors") == "0"
    for case in cases:
        assert case.get("classname") and case.get("name") and case.get("file")
        assert int(case.get("line")) > 0
    total += len(cases)
    failures += len(failed)
assert int(root.get("tests")) == total and int(root.get("failures")) == failures == 3
# A testcase per example: bad has 2 + 2 examples and one count check.
cases = {c.get("name"): c for c in suites[1].findall("testcase")}
assert sorted(cases) == ["examples", "should_match[0]", "should_match[1]",
                         "should_not_match[0]", "should_not_match[1]"], sorted(cases)
missed = cases["should_match[1]"]
assert (missed.get("classname"), missed.get("file"), missed.get("line")) == ("secrecy.phrase", bad, "9")
failure = missed.find("failure")
assert failure.get("message").startswith("expected a match, got none"), failure.get("message")
assert failure.text.startswith(bad + ":9: rule \"secrecy.phrase\" should_match[1]"), failure.text
assert cases["should_match[0]"].find("failure") is None
print("ok")
PY
check "test --junit writes JUnit XML: suites per file, a case per example, failures at file:line" \
  /usr/bin/python3 "${TMP}/junit_check.py" "${TMP}/junit.xml" "${TMP}/bad.textproto"
"${BIN}" test --junit "${TMP}/junit2.xml" "${TMP}/does-not-exist.textproto" >/dev/null 2>&1
check "test --junit: a ruleset that does not compile is an error case" \
  /usr/bin/python3 -c 'import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); assert (r.get("tests"), r.get("errors"), r.find("testsuite/testcase/error") is not None) == ("1", "1", True)' "${TMP}/junit2.xml"
"${BIN}" test --junit "${TMP}/no/such/dir.xml" "${STARTER}" >/dev/null 2>&1
check "test --junit to an unwritable path exits 2" test $? -eq 2

"${BIN}" test --min_examples 0 "${TMP}/bad.textproto" >"${TMP}/relaxed.out" 2>&1
check "--min_examples 0 drops the coverage failure" \
  bash -c "grep -q ', 2 failures$' '${TMP}/relaxed.out' && ! grep -q 'needs at least' '${TMP}/relaxed.out'"
"${BIN}" test "${TMP}/does-not-exist.textproto" >"${TMP}/missing.out" 2>&1
check "test on a missing ruleset exits 1" test $? -eq 1
"${BIN}" test >/dev/null 2>&1
check "test without a ruleset exits 2" test $? -eq 2

# ------------------------------------------------------------------ stats
stats() { "${BIN}" stats --ruleset "${STARTER}" "$@"; }
stats "${INPUT}" >"${TMP}/stats.out" 2>"${TMP}/stats.err"
check "stats exits 0" test $? -eq 0
check "stats counts records" grep -q '^records: 20 (0 errors)$' "${TMP}/stats.out"
check "stats shows verdicts per action" \
  grep -Eq '^  review +5 +25\.00%$' "${TMP}/stats.out"
check "stats shows per-rule hits, shadow rules included" \
  grep -Eq '^  flattery\.mature-for-age +grooming\.flattery +shadow +review +medium +1 +5\.00%$' \
  "${TMP}/stats.out"
check "stats lists sample ids" grep -q '^    dm-0009$' "${TMP}/stats.out"
check "stats prints no message text by default" \
  bash -c "! grep -q -e 'robux' -e 'little' -e 'pick you up' '${TMP}/stats.out' '${TMP}/stats.err'"
# Ids-only output is the --show_examples output with the text cut off, and
# the thread count changes nothing.
stats --show_examples --threads 2 "${INPUT}" >"${TMP}/stats_text.out" 2>/dev/null
check "--show_examples prints the text beside the id" \
  grep -q '^    dm-0019: .*pick' "${TMP}/stats_text.out"
check "stats --threads 2 --show_examples equals the default, text aside" \
  diff "${TMP}/stats.out" <(sed -E 's/^(    dm-[0-9]+): .*$/\1/' "${TMP}/stats_text.out")
stats --json <"${INPUT}" >"${TMP}/stats.json" 2>/dev/null
check "stats --json (from stdin) is valid JSON" valid_json "${TMP}/stats.json"
# report.proto's StatsReport in proto3 JSON: 64-bit counts are strings, enums
# are spelled as in verdicts.
check "stats --json counts records and rule hits" \
  test "$(json_get "${TMP}/stats.json" '(j["records"], [a["count"] for a in j["actions"] if a["action"] == "ACTION_REVIEW"], [r["hits"] for r in j["rules"] if r["rule"]["id"] == "gifts.offer"][0])')" = "('20', ['5'], '2')"
check "stats --json spells enums as scan does" \
  test "$(json_get "${TMP}/stats.json" '[(r["rule"]["mode"], r["rule"]["action"], r["rule"]["severity"]) for r in j["rules"] if r["rule"]["id"] == "flattery.mature-for-age"][0]')" = "('MODE_SHADOW', 'ACTION_REVIEW', 'SEVERITY_MEDIUM')"
check "stats --json has ids but no text" \
  test "$(json_get "${TMP}/stats.json" 'sorted({(s["id"], s["text"]) for r in j["rules"] for s in r["samples"] if s["id"] == "dm-0009"})')" = "[('dm-0009', '')]"
stats --json --show_examples "${INPUT}" >"${TMP}/stats_text.json" 2>/dev/null
check "stats --json --show_examples has the text" \
  test "$(json_get "${TMP}/stats_text.json" '[s["text"] != "" for r in j["rules"] for s in r["samples"]].count(False)')" = "0"
check "stats --json without --context has no context" \
  test "$(json_get "${TMP}/stats.json" '"context" in j')" = "False"
stats --context '{"recipient_age_band": "AGE_BAND_ADULT"}' "${INPUT}" \
  >"${TMP}/stats_ctx.out" 2>/dev/null
check "--context replaces the records' context" \
  grep -Eq '^  meeting\.in-person +grooming\.meeting +enforce +escalate +high +0 +0\.00%$' \
  "${TMP}/stats_ctx.out"
stats --context '{"no_such_field": 1}' "${INPUT}" >/dev/null 2>&1
check "a bad --context exits 2" test $? -eq 2
stats "${TMP}/does-not-exist.jsonl" >/dev/null 2>&1
check "stats on a missing corpus exits 2" test $? -eq 2
"${BIN}" stats "${INPUT}" >/dev/null 2>&1
check "stats without --ruleset exits 2" test $? -eq 2

# ------------------------------------------------------------------ diff
# The candidate: age.probe reviews instead of logging, flattery leaves
# shadow mode, the gifts rule is removed, and "gg" becomes a secrecy phrase.
sed -e 's/^  action: ACTION_LOG$/  action: ACTION_REVIEW/' \
    -e '/^  mode: MODE_SHADOW$/d' \
    -e 's/^  terms { phrase: "our secret" }$/&\n  terms { phrase: "gg" }/' \
    "${STARTER}" |
  python3 -c '
import re, sys
text = sys.stdin.read()
# Drop the gifts.offer rule (from its comment to the next one).
text = re.sub(r"# Gifts of in-game currency.*?(?=# Shadow trial)", "", text, flags=re.S)
sys.stdout.write(text)' >"${TMP}/new.textproto"
diffcmd() { "${BIN}" diff --old "${STARTER}" --new "${TMP}/new.textproto" "$@"; }
diffcmd "${INPUT}" >"${TMP}/diff.out" 2>"${TMP}/diff.err"
check "diff exits 0" test $? -eq 0
check "diff counts changed verdicts" \
  grep -q '^records: 20 (0 errors), 5 with changed verdicts$' "${TMP}/diff.out"
check "diff lists rule definition changes" \
  bash -c "grep -Eq '^  age\.probe +action log -> review$' '${TMP}/diff.out' &&
           grep -Eq '^  flattery\.mature-for-age +mode shadow -> enforce$' '${TMP}/diff.out' &&
           grep -Eq '^  gifts\.offer +removed$' '${TMP}/diff.out' &&
           grep -q 'term lists changed too' '${TMP}/diff.out'"
check "diff shows per-action totals with changes" \
  grep -Eq '^  review\+ +7 +9 +\+2$' "${TMP}/diff.out"
check "diff shows verdict action transitions" \
  grep -Eq '^  review +none +1$' "${TMP}/diff.out"
check "diff counts newly flagged records per rule" \
  grep -Eq '^  secrecy\.dont-tell +1 +3 +2 +0 +0$' "${TMP}/diff.out"
check "diff counts no-longer-flagged records of a removed rule" \
  grep -Eq '^  gifts\.offer +2 +0 +0 +2 +0$' "${TMP}/diff.out"
check "diff counts action changes" \
  grep -Eq '^  age\.probe +1 +1 +0 +0 +1$' "${TMP}/diff.out"
check "diff lists ids" \
  bash -c "grep -A3 '^  secrecy.dont-tell, newly flagged:$' '${TMP}/diff.out' | grep -q '^    dm-0001$'"
check "diff prints no message text by default" \
  bash -c "! grep -q -e 'robux' -e ' gg' '${TMP}/diff.out' '${TMP}/diff.err'"
diffcmd --show_examples --threads 2 "${INPUT}" >"${TMP}/diff_text.out" 2>/dev/null
check "diff --show_examples prints the text" \
  grep -q '^    dm-0001: hey gg in that last round$' "${TMP}/diff_text.out"
check "diff --threads 2 --show_examples equals the default, text aside" \
  diff <(sed 's/; ids only//' "${TMP}/diff.out") \
       <(sed -E 's/^(    dm-[0-9]+): .*$/\1/' "${TMP}/diff_text.out")
diffcmd --json --max_examples 0 "${INPUT}" >"${TMP}/diff.json" 2>/dev/null
check "diff --json is valid JSON" valid_json "${TMP}/diff.json"
check "diff --json reports totals and per-rule changes" \
  test "$(json_get "${TMP}/diff.json" '(j["records_changed"], [(a["old_count"], a["new_count"]) for a in j["actions"] if a["action"] == "ACTION_REVIEW"], [(r["newly_flagged"], r["no_longer_flagged"]) for r in j["rules"] if r["id"] in ("secrecy.dont-tell", "gifts.offer")])')" = "('5', [('5', '7')], [('2', '0'), ('0', '2')])"
check "diff --json reports definition changes with enums" \
  test "$(json_get "${TMP}/diff.json" '[(r["old_rule"]["action"], r["new_rule"]["action"], r["logic_changed"], r["definition_change"]) for r in j["rules"] if r["id"] == "age.probe"][0]')" = "('ACTION_LOG', 'ACTION_REVIEW', False, 'action log -> review')"
check "diff --json: a removed rule has no new_rule" \
  test "$(json_get "${TMP}/diff.json" '[("old_rule" in r, "new_rule" in r, r["definition_change"]) for r in j["rules"] if r["id"] == "gifts.offer"][0]')" = "(True, False, 'removed')"
check "diff --json lists action transitions by enum name" \
  test "$(json_get "${TMP}/diff.json" '[(t["old_action"], t["new_action"], t["records"]) for t in j["action_changes"] if t["old_action"] == "ACTION_REVIEW"]')" = "[('ACTION_REVIEW', 'ACTION_UNSPECIFIED', '1')]"
check "diff --json --max_examples 0 lists neither ids nor text" \
  bash -c "! grep -q -e 'dm-0' -e '\"text\"' '${TMP}/diff.json'"
"${BIN}" diff --old "${STARTER}" --new "${STARTER}" "${INPUT}" >"${TMP}/same.out" 2>/dev/null
check "diff of a ruleset with itself changes nothing" \
  bash -c "grep -q ', 0 with changed verdicts$' '${TMP}/same.out' && grep -q '^rule definitions: 0 changed$' '${TMP}/same.out'"
"${BIN}" diff --old "${STARTER}" "${INPUT}" >/dev/null 2>&1
check "diff without --new exits 2" test $? -eq 2
"${BIN}" diff --old "${STARTER}" --new "${TMP}/bad-syntax.textproto" "${INPUT}" >/dev/null 2>&1
check "diff with a ruleset that does not load exits 2" test $? -eq 2

finish
