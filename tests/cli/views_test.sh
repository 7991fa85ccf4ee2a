#!/usr/bin/env bash
# End-to-end tests of `watchword views`: the views of a text an engine
# matches, with the original bytes behind each fold.
#
# Usage: WATCHWORD_BIN=build/watchword bash tests/cli/views_test.sh SOURCE_DIR
# ctest runs it as `cli_views`. Prints "N passed, M failed" and exits
# non-zero if anything failed.
set -uo pipefail

SRC="${1:?usage: views_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A ruleset of our own, so that the bundled ones can change freely.
RULESET="${TMP}/views.textproto"
cat >"${RULESET}" <<'PB'
name: "views" version: "1"
normalization { equivalences { words: "your" words: "ur" } }
rules { id: "send" action: ACTION_REVIEW category: "c.send"
        match { term { phrase: "send" } } }
rules { id: "pic" action: ACTION_REVIEW category: "c.pic"
        match { term { phrase: "pic" } } }
PB
views() { "${BIN}" views --ruleset "${RULESET}" "$@"; }

views "s 3 n d ur p*c" >"${TMP}/spaced.out" 2>"${TMP}/spaced.err"
check "views exits 0" test $? -eq 0
cat >"${TMP}/spaced.want" <<'OUT'
base: "s 3 n d ur p*c"
folded: "s 3 n d your p*c"
  "your" <- "ur" [8, 10): FOLD_CHAT_SPEAK
masked: "s 3 n d ur p*c"
  "*" <- "*" [12, 13): FOLD_MASK
joined: "send your p*c"
  "s" <- "s " [0, 2): FOLD_SPACING
  "e" <- "3 " [2, 4): FOLD_LEETSPEAK, FOLD_SPACING
  "nd" <- "n d" [4, 7): FOLD_SPACING
  "your" <- "ur" [8, 10): FOLD_CHAT_SPEAK
joined: "s3nd your p*c"
  "s3nd" <- "s 3 n d" [0, 7): FOLD_SPACING
  "your" <- "ur" [8, 10): FOLD_CHAT_SPEAK
OUT
# The second joined view keeps the run's digits as a number ("g r a d e 7").
check "views prints each view and the folds behind its bytes" \
  diff "${TMP}/spaced.want" "${TMP}/spaced.out"
# Compile warnings (no examples here) go to stderr, not among the views.
check "views prints diagnostics on stderr" grep -q "warning WW402" "${TMP}/spaced.err"

views "hello there" >"${TMP}/plain.out" 2>/dev/null
check "plain text has only the base and folded views" \
  test "$(cut -d: -f1 "${TMP}/plain.out" | tr '\n' ' ')" = "base folded "

views "sennnd" >"${TMP}/squeezed.out" 2>/dev/null
check "a stretched word makes a squeezed view" \
  grep -qx '  "n" <- "nnn" \[2, 5): FOLD_REPEAT' "${TMP}/squeezed.out"

# "1" is "i" first, "l" in the alternate view ("p1c" reads "pic" in both:
# each reading takes the term word a word spells).
views "1ove p1c" >"${TMP}/alternate.out" 2>/dev/null
check "an ambiguous stand-in makes an alternate view" \
  grep -qx 'alternate_folded: "love pic"' "${TMP}/alternate.out"

# Cyrillic "ѕе" (2 bytes each): offsets are bytes of the original.
printf '\xd1\x95\xd0\xb5nd' | views - >"${TMP}/stdin.out" 2>/dev/null
check "views - reads stdin; offsets are original bytes" \
  grep -qx '  "se" <- "ѕе" \[0, 4): FOLD_HOMOGLYPH' "${TMP}/stdin.out"

views --json "p*c" >"${TMP}/json.out" 2>/dev/null
check "views --json exits 0" test $? -eq 0
check "views --json prints per-byte maps and the folded runs" \
  test "$(/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print([v for v in j["views"] if v["name"] == "masked"][0])' "${TMP}/json.out")" = \
  "{'name': 'masked', 'alternate_leet': False, 'text': 'p*c', 'begin': [0, 1, 2], 'end': [1, 2, 3], 'folded_runs': [{'begin': 1, 'end': 2, 'original_begin': 1, 'original_end': 2, 'folds': ['FOLD_MASK']}]}"
views --json "s 3 n d" >"${TMP}/joined.json" 2>/dev/null
check "views --json: a run's offsets in the view and in the original" \
  test "$(/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print([(r["begin"], r["end"], r["original_begin"], r["original_end"], r["folds"]) for v in j["views"] if v["name"] == "joined" for r in v["folded_runs"]])' "${TMP}/joined.json")" = \
  "[(0, 1, 0, 2, ['FOLD_SPACING']), (1, 2, 2, 4, ['FOLD_LEETSPEAK', 'FOLD_SPACING']), (2, 4, 4, 7, ['FOLD_SPACING']), (0, 4, 0, 7, ['FOLD_SPACING'])]"

"${BIN}" compile "${RULESET}" -o "${TMP}/views.wwengine" >/dev/null 2>&1
"${BIN}" views --engine "${TMP}/views.wwengine" "s 3 n d ur p*c" \
  >"${TMP}/engine.out" 2>/dev/null
check "views --engine prints what views --ruleset prints" \
  diff "${TMP}/spaced.out" "${TMP}/engine.out"

# Failures: exit 2 with a message.
views >/dev/null 2>"${TMP}/usage.err"
check "views without TEXT exits 2" test $? -eq 2
check "views without TEXT prints usage" grep -q "usage: watchword views" "${TMP}/usage.err"
"${BIN}" views "send" >/dev/null 2>"${TMP}/noruleset.err"
check "views without --ruleset exits 2" test $? -eq 2
head -c 1048577 /dev/zero | tr '\0' 'a' | views - >/dev/null 2>"${TMP}/big.err"
check "views of a text over 1 MiB exits 2" test $? -eq 2
check "views of a text over 1 MiB says the limit" grep -q "limit is 1048576" "${TMP}/big.err"

finish
