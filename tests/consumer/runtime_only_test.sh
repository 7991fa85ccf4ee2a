#!/usr/bin/env bash
# ctest `runtime_links_no_compiler`: RUNTIME_BIN is runtime_consumer.cc
# linked with watchword_runtime only. It must load engine files that the CLI
# compiled (Hyperscan where built in, and RE2) and scan with them, and hold
# none of the compiler: no Hyperscan compiler (hs_compile*), no Watchword
# loader, validator, lowering or matcher builder, no libhs.so (only
# libhs_runtime.so).
#
# Usage: runtime_only_test.sh SOURCE_DIR WATCHWORD_BIN RUNTIME_BIN WORK_DIR
set -euo pipefail
src="$1" cli="$2" bin="$3" work="$4"
mkdir -p "${work}"
ruleset="${src}/rulesets/examples/starter.textproto"

for backend in default re2; do
  engine="${work}/starter_${backend}.wwengine"
  if [[ "${backend}" == default ]]; then
    "${cli}" compile "${ruleset}" -o "${engine}"
  else
    "${cli}" compile "${ruleset}" -o "${engine}" --backend "${backend}"
  fi
  "${bin}" "${engine}"
done

# Every symbol the binary defines or needs, demangled.
symbols="$(nm -C "${bin}")"
status=0
for forbidden in 'hs_compile' 'hs_expression_info' \
    'watchword::ValidateRuleset' 'watchword::LowerRuleset' \
    'watchword::LoadRuleset' 'watchword::Compile(' 'watchword::CompileFile' \
    'watchword::BuildMatcher' 'watchword::FormatDiagnostic' \
    'watchword::LowerRegexForms' 'watchword::SourceMap'; do
  if grep -F -- "${forbidden}" <<<"${symbols}" >/dev/null; then
    echo "runtime binary holds ${forbidden}:"
    grep -F -- "${forbidden}" <<<"${symbols}" | head -3
    status=1
  fi
done
needed="$(readelf -d "${bin}" | grep NEEDED || true)"
if grep -E 'libhs\.so' <<<"${needed}" >/dev/null; then
  echo "runtime binary needs libhs.so (Hyperscan's compiler):"
  echo "${needed}"
  status=1
fi
if [[ ${status} -eq 0 ]]; then
  echo "runtime binary: no compiler symbols; $(grep -c . <<<"${needed}") shared libraries needed"
fi
exit ${status}
