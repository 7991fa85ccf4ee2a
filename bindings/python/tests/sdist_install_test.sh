#!/usr/bin/env bash
# The sdist builds and installs outside the checkout (issue #16):
#   1. `python3 -m build --sdist` of bindings/python;
#   2. `pip install --no-build-isolation` of that archive into a fresh
#      --system-site-packages venv in WORK (not the build tree);
#   3. from another directory, the installed package compiles the bundled
#      child_safety ruleset and flags "add me on snap"; the console script
#      watchword-scan does the same.
# The extension is built again from the archive: a lean build (no tests, no
# benchmarks, only the `watchword_python` target) through ccache, which hits
# from the second run on.
#
# Usage: sdist_install_test.sh SOURCE_DIR WORK_DIR [PYTHON]
set -euo pipefail
source_dir="$1"
work="$2"
python="${3:-/usr/bin/python3}"

rm -rf "${work}"
mkdir -p "${work}/dist" "${work}/elsewhere"
# Builds in place: the sdist's staging directory and egg-info go under
# bindings/python (git-ignored) and are removed again.
"${python}" -m build --sdist --no-isolation --outdir "${work}/dist" \
  "${source_dir}/bindings/python" >"${work}/sdist.log" 2>&1 ||
  { cat "${work}/sdist.log"; exit 1; }
archive="$(ls "${work}"/dist/watchword-*.tar.gz)"
members="$(tar -tzf "${archive}")"
for member in cpp/CMakeLists.txt cpp/src/scan cpp/include/watchword \
              cpp/proto/watchword/v1/verdict.proto cpp/rulesets/child_safety \
              cpp/cmake cpp/bindings/python/_watchword.cc setup.py; do
  grep -q "^watchword-[^/]*/${member}" <<<"${members}" ||
    { echo "sdist lacks ${member}"; exit 1; }
done

"${python}" -m venv --system-site-packages "${work}/venv"
start=$(date +%s)
# PYTHONPATH would put the build tree's package first; the venv must use
# its own. The lean build needs no help from the environment of the
# enclosing build, but shares its ccache.
env -u PYTHONPATH CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  "${work}/venv/bin/pip" install --no-build-isolation --no-index \
  --no-cache-dir --quiet "${archive}" >"${work}/pip.log" 2>&1 ||
  { tail -50 "${work}/pip.log"; exit 1; }
echo "sdist_install: pip install built the extension in $(( $(date +%s) - start )) s"

cd "${work}/elsewhere"
output="$(env -u PYTHONPATH "${work}/venv/bin/python" -c "
import watchword
assert watchword.__file__.startswith('${work}/venv/'), watchword.__file__
e = watchword.compile(watchword.rulesets.path('child_safety'))
print(e.scan('add me on snap'))
print(watchword.to_json(e.scan('add me on snap')))")"
echo "${output}" | grep -q '^action: ACTION_REVIEW$' ||
  { echo "unexpected verdict:"; echo "${output}"; exit 1; }
echo "${output}" | grep -q '"category":"grooming.platform_switch"' ||
  { echo "no platform_switch match:"; echo "${output}"; exit 1; }

echo '{"id": "m1", "text": "add me on snap"}' >request.jsonl
line="$(env -u PYTHONPATH "${work}/venv/bin/watchword-scan" --ruleset examples \
  request.jsonl)"
echo "${line}" | grep -q '"request_id":"m1","action":"ACTION_REVIEW"' ||
  { echo "watchword-scan printed: ${line}"; exit 1; }
echo "sdist_install: ok"
