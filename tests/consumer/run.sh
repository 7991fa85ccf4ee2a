#!/usr/bin/env bash
# Builds tests/consumer/ (consumer.cc) three ways, as a project outside
# Watchword would, and runs each binary: it compiles the starter ruleset,
# saves and loads an engine file, and scans one message with each Engine.
#   1. find_package(watchword CONFIG REQUIRED) on `cmake --install BUILD_DIR`;
#   2. add_subdirectory() of the source tree (only the libraries it needs);
#   3. pkg-config --cflags --libs watchword on the same installed prefix;
#   4. runtime_consumer.cc linked with watchword::runtime only (find_package,
#      then pkg-config watchword_runtime): it loads the engine file svc
#      wrote and scans one message; the stripped sizes of both are printed;
#   and, if the build made libwatchword.so (WATCHWORD_BUILD_SHARED),
#   find_package() linking watchword::watchword_shared.
# First it checks that each installed header compiles alone.
# Registered as ctest `consumer_builds`; exits non-zero if any way fails.
#
# Usage: run.sh SOURCE_DIR BUILD_DIR   (BUILD_DIR: a Watchword build, built)
# Works in BUILD_DIR/consumer/. $CXX is the compiler (default c++).
set -euo pipefail
src="$(cd "$1" && pwd)"
build="$(cd "$2" && pwd)"
work="${build}/consumer"
cxx="${CXX:-c++}"
consumer="${src}/tests/consumer"
ruleset="${src}/rulesets/examples/starter.textproto"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths relative to the source tree, so a fresh build directory (or
  # checkout) hits what the last run compiled.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-${src}}"
fi
mkdir -p "${work}"
rm -rf "${work}/prefix" "${work}/installed" "${work}/shared" "${work}/pkgconfig"

step() { echo "=== consumer: $1 ($(date +%s) s)"; }

step "install to ${work}/prefix"
cmake --install "${build}" --prefix "${work}/prefix" >/dev/null

# What is installed is the whole API: each public header compiles on its
# own with only the installed include directory (and the system's).
step "each installed header compiles alone"
for header in "${work}/prefix/include/watchword/"*.h; do
  echo "#include \"watchword/$(basename "${header}")\"" |
    "${cxx}" -std=c++20 -fsyntax-only -x c++ - -I"${work}/prefix/include"
done

step "find_package(watchword CONFIG REQUIRED)"
cmake -S "${consumer}" -B "${work}/installed" -G Ninja \
  -DCMAKE_CXX_COMPILER="${cxx}" "${launcher[@]}" \
  -DCMAKE_PREFIX_PATH="${work}/prefix" >/dev/null
cmake --build "${work}/installed" -j2
"${work}/installed/svc" "${ruleset}" "${work}/installed/starter.wwengine"

step "find_package(watchword), watchword::runtime only"
"${work}/installed/svc_runtime" "${work}/installed/starter.wwengine"
strip -o "${work}/installed/svc.stripped" "${work}/installed/svc"
strip -o "${work}/installed/svc_runtime.stripped" "${work}/installed/svc_runtime"
echo "stripped: svc (watchword::watchword) $(stat -c %s \
  "${work}/installed/svc.stripped") bytes, svc_runtime (watchword::runtime)" \
  "$(stat -c %s "${work}/installed/svc_runtime.stripped") bytes"

if [[ -e "${work}/prefix/lib/libwatchword.so" ]]; then
  step "find_package(watchword), libwatchword.so (WATCHWORD_BUILD_SHARED)"
  cmake -S "${consumer}" -B "${work}/shared" -G Ninja \
    -DCMAKE_CXX_COMPILER="${cxx}" "${launcher[@]}" \
    -DCMAKE_PREFIX_PATH="${work}/prefix" \
    -DWATCHWORD_TARGET=watchword::watchword_shared >/dev/null
  cmake --build "${work}/shared" -j2
  # Not `ldd | grep -q`: grep's early exit would fail the pipe (pipefail).
  if [[ "$(ldd "${work}/shared/svc")" != *libwatchword.so.[0-9]* ]]; then
    echo "svc does not load libwatchword.so"
    exit 1
  fi
  "${work}/shared/svc" "${ruleset}" "${work}/shared/starter.wwengine"
  echo "libwatchword.so exports $(nm -D --defined-only \
    "${work}/prefix/lib/libwatchword.so" | wc -l) symbols"
fi

step "pkg-config watchword"
mkdir -p "${work}/pkgconfig"
export PKG_CONFIG_PATH="${work}/prefix/lib/pkgconfig"
# Word splitting of pkg-config's output is intended.
# shellcheck disable=SC2046
"${cxx}" -std=c++20 -o "${work}/pkgconfig/svc" "${consumer}/consumer.cc" \
  $(pkg-config --cflags --libs watchword)
"${work}/pkgconfig/svc" "${ruleset}" "${work}/pkgconfig/starter.wwengine"

step "pkg-config watchword_runtime"
# shellcheck disable=SC2046
"${cxx}" -std=c++20 -o "${work}/pkgconfig/svc_runtime" \
  "${consumer}/runtime_consumer.cc" $(pkg-config --cflags --libs watchword_runtime)
"${work}/pkgconfig/svc_runtime" "${work}/pkgconfig/starter.wwengine"

# The library is compiled again here. No build type (no -O2 -g) compiles
# fastest, and ccache keeps the next run's compiles.
step "add_subdirectory(${src} EXCLUDE_FROM_ALL)"
cmake -S "${consumer}" -B "${work}/subdirectory" -G Ninja \
  -DCMAKE_CXX_COMPILER="${cxx}" "${launcher[@]}" -DCMAKE_BUILD_TYPE= \
  -DWATCHWORD_SOURCE_DIR="${src}" >/dev/null
cmake --build "${work}/subdirectory" -j2
"${work}/subdirectory/svc" "${ruleset}" "${work}/subdirectory/starter.wwengine"
"${work}/subdirectory/svc_runtime" "${work}/subdirectory/starter.wwengine"
step "done"
