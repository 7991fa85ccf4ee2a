# Shared by the CLI test scripts: source it after `set -uo pipefail`.
# Gives TMP (a scratch directory removed on exit), pass, fail, check NAME
# COMMAND... (passes if the command succeeds) and finish, which prints
# "N passed, M failed" and returns non-zero if anything failed.

TMP="$(mktemp -d)"
trap 'rm -rf "${TMP}"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
check() {
  local name="$1"
  shift
  if "$@"; then pass "${name}"; else fail "${name}"; fi
}
finish() {
  echo "${passed} passed, ${failed} failed"
  [[ ${failed} -eq 0 ]]
}
