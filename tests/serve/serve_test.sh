#!/usr/bin/env bash
# End to end tests of `watchword serve`: start it on a free loopback port,
# check health, Info, a real verdict, request limits and /metrics through
# watchword-client; reload under load (a client streams all along while the
# server gets SIGHUP, then a changed ruleset file, then a broken one) with
# no request failed or lost; then SIGTERM during a stream, which finishes
# before the server exits 0.
#
# Usage: WATCHWORD_BIN=build/watchword WATCHWORD_CLIENT=build/watchword-client
#        bash tests/serve/serve_test.sh SOURCE_DIR
# ctest runs it as `serve_end_to_end`. Waits poll for a condition with a
# generous limit, so a slow machine is slow, not failing; nothing is timed.
set -uo pipefail

SRC="${1:?usage: serve_test.sh SOURCE_DIR}"
BIN="${WATCHWORD_BIN:?set WATCHWORD_BIN to the watchword binary}"
CLIENT="${WATCHWORD_CLIENT:?set WATCHWORD_CLIENT to watchword-client}"
PYTHON=/usr/bin/python3

# shellcheck source=tests/cli/lib.sh
source "${SRC}/tests/cli/lib.sh"
SERVER_PID=""
STREAM_PID=""
cleanup() {
  for pid in ${SERVER_PID} ${STREAM_PID}; do kill -9 "${pid}" 2>/dev/null; done
  rm -rf "${TMP}"
}
trap cleanup EXIT

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    if ((SECONDS > deadline)); then return 1; fi
    sleep 0.1
  done
}

# A copy of the starter ruleset that the test rewrites.
RULESET="${TMP}/rules.textproto"
cp "${SRC}/rulesets/examples/starter.textproto" "${RULESET}"
LOG="${TMP}/server.log"
"${BIN}" serve --ruleset "${RULESET}" --listen 127.0.0.1:0 \
  --metrics_listen 127.0.0.1:0 --reload_poll_ms 100 \
  --max_message_bytes 65536 --shutdown_grace_ms 60000 2>"${LOG}" &
SERVER_PID=$!

wait_for 120 grep -q "metrics on" "${LOG}"
check "server starts" grep -q "listening on 127.0.0.1:" "${LOG}"
PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "${LOG}")"
METRICS_URL="$(sed -n 's/.*metrics on \(http:[^ ]*\)$/\1/p' "${LOG}")"
if [[ -z "${PORT}" || -z "${METRICS_URL}" ]]; then
  cat "${LOG}"
  fail "no port in the server's log"
  finish
  exit 1
fi
client() { "${CLIENT}" --target "127.0.0.1:${PORT}" "$@"; }
metrics() {
  "${PYTHON}" -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' \
    "${METRICS_URL}"
}
# metric 'NAME{LABELS}': its value, or empty.
metric() { metrics | awk -v name="$1" '$1 == name { print $2 }'; }

check "health: SERVING" test "$(client health)" = "SERVING"

client info >"${TMP}/info.json"
check "info: ruleset and version" \
  grep -q '"name":"watchword-starter","version":"0.1.0"' "${TMP}/info.json"
check "info: rule count" grep -q '"rule_count":8' "${TMP}/info.json"
check "info: generation 1" grep -q '"generation":"1"' "${TMP}/info.json"

client scan "add me on snap" >"${TMP}/verdict.json"
check "scan: a real verdict" grep -q \
  '"action":"ACTION_REVIEW".*"rule_id":"platform.move-off-platform"' \
  "${TMP}/verdict.json"
client scan "see you at school tomorrow" >"${TMP}/benign.json"
check "scan: benign text, no action" \
  bash -c "! grep -q '\"action\"' '${TMP}/benign.json'"

# A message over --max_message_bytes is refused by gRPC itself.
big="$(head -c 100000 /dev/zero | tr '\0' 'a')"
client scan "${big}" 2>"${TMP}/big.err"
check "scan: a message over --max_message_bytes is refused" \
  grep -q "RESOURCE_EXHAUSTED" "${TMP}/big.err"

check "metrics: Scan requests by status" \
  test "$(metric 'watchword_requests_total{method="Scan",code="OK"}')" = 2
check "metrics: verdicts per action" \
  test "$(metric 'watchword_verdicts_total{action="review"}')" = 1
check "metrics: latency histogram" \
  test "$(metric 'watchword_scan_latency_seconds_count')" = 2
check "metrics: engine info" grep -q \
  'watchword_engine_info{ruleset="watchword-starter",version="0.1.0"' \
  <(metrics)

# ---- reload under load. The client streams the SMS corpus over and over,
# numbering requests and checking that each verdict answers the next one,
# until verdicts come from version 0.2.0-reload.
client stream --loop --quiet --until_version 0.2.0-reload --max_seconds 600 \
  "${SRC}/tests/data/sms_ham.jsonl" 2>"${TMP}/stream.err" &
STREAM_PID=$!
scanned() { metric 'watchword_scan_latency_seconds_count'; }
scanned_over() { [[ "$(scanned)" -gt "$1" ]]; }
check "stream: under way" wait_for 300 scanned_over 2000

kill -HUP "${SERVER_PID}"
reloaded() { [[ "$(metric 'watchword_reloads_total{result="ok"}')" == "$1" ]]; }
check "SIGHUP reloads" wait_for 300 reloaded 1
before="$(scanned)"
check "stream goes on after SIGHUP" wait_for 300 scanned_over $((before + 1000))

# A changed ruleset, written the way deploy tools do (a new file renamed
# over the old one); the server sees the new modification time.
sed -e 's/^version: "0.1.0"/version: "0.2.0-reload"/' \
  "${SRC}/rulesets/examples/starter.textproto" >"${TMP}/rules.new"
mv "${TMP}/rules.new" "${RULESET}"
check "a changed file reloads" wait_for 300 reloaded 2

wait "${STREAM_PID}"
stream_status=$?
STREAM_PID=""
cat "${TMP}/stream.err"
check "stream: exits 0 (nothing lost, out of order or failed)" \
  test "${stream_status}" -eq 0
check "stream: 0 lost, 0 out of order, 0 errors, status OK" grep -q \
  "lost 0, out of order 0, errors 0, status OK" "${TMP}/stream.err"
check "stream: verdicts from both versions" grep -q \
  "0.1.0: [0-9]*, 0.2.0-reload: [0-9]*" "${TMP}/stream.err"
check "info: the new version is served" \
  grep -q '"version":"0.2.0-reload"' <(client info)
check "info: generation 3" grep -q '"generation":"3"' <(client info)
check "metrics: engine info has the new version" \
  grep -q 'watchword_engine_info{.*version="0.2.0-reload"' <(metrics)

# A ruleset that does not compile leaves the last good one serving.
echo 'rules { id: "broken" match { term { phrase: ' >"${TMP}/rules.new"
mv "${TMP}/rules.new" "${RULESET}"
failed_reload() {
  [[ "$(metric 'watchword_reloads_total{result="error"}')" == 1 ]]
}
check "a broken file: the reload fails" wait_for 300 failed_reload
check "a broken file: the old engine still serves" \
  grep -q '"version":"0.2.0-reload"' <(client info)
check "a broken file: scans go on" grep -q \
  '"rule_id":"platform.move-off-platform"' <(client scan "add me on snap")

# ---- graceful shutdown: SIGTERM while a stream is in progress. The stream
# sends for 3 s; the server finishes it before exiting 0.
client stream --loop --quiet --max_seconds 3 \
  "${SRC}/tests/data/sms_ham.jsonl" 2>"${TMP}/last.err" &
STREAM_PID=$!
in_flight() { [[ "$(metric 'watchword_in_flight_requests')" -ge 1 ]]; }
wait_for 300 in_flight
kill -TERM "${SERVER_PID}"
wait "${STREAM_PID}"
stream_status=$?
cat "${TMP}/last.err"
STREAM_PID=""
check "SIGTERM: the stream in progress finishes" test "${stream_status}" -eq 0
wait "${SERVER_PID}"
server_status=$?
SERVER_PID=""
check "SIGTERM: exit 0" test "${server_status}" -eq 0
check "SIGTERM: logged" grep -q "SIGTERM: finishing calls in progress" "${LOG}"

# ---- --max_concurrent_requests: with 1, a call while a stream is open is
# refused. A second server, on the starter ruleset.
LOG2="${TMP}/server2.log"
"${BIN}" serve --ruleset "${SRC}/rulesets/examples/starter.textproto" \
  --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
  --max_concurrent_requests 1 --reload_poll_ms 0 2>"${LOG2}" &
SERVER_PID=$!
wait_for 120 grep -q "metrics on" "${LOG2}"
PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "${LOG2}")"
METRICS_URL="$(sed -n 's/.*metrics on \(http:[^ ]*\)$/\1/p' "${LOG2}")"
client stream --loop --quiet --max_seconds 3 \
  "${SRC}/tests/data/sms_ham.jsonl" 2>"${TMP}/held.err" &
STREAM_PID=$!
wait_for 300 in_flight
client scan "add me on snap" 2>"${TMP}/refused.err"
check "--max_concurrent_requests 1: a second call is refused" \
  grep -q "RESOURCE_EXHAUSTED" "${TMP}/refused.err"
wait "${STREAM_PID}"
check "--max_concurrent_requests 1: the first call is served" test $? -eq 0
STREAM_PID=""
check "--max_concurrent_requests 1: counted" test \
  "$(metric 'watchword_requests_total{method="Scan",code="RESOURCE_EXHAUSTED"}')" = 1
kill -INT "${SERVER_PID}"
wait "${SERVER_PID}"
check "SIGINT: exit 0" test $? -eq 0
SERVER_PID=""

# The server never logs message text.
check "the log holds no message text" \
  bash -c "! grep -qiE 'snap|jurong|aaaaaaaa' '${LOG}' '${LOG2}'"
cat "${LOG}"

finish
