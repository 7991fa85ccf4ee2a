#!/usr/bin/env bash
# Instructions per scanned message (callgrind), child_safety, for this
# checkout and optionally others, side by side:
#
#   scripts/instructions.sh [--backend hyperscan|re2] [--kind ascii|cyrillic|emoji]
#                           [--bytes 128] [--cache] [--prebuilt] [CHECKOUT ...]
#
# Each CHECKOUT (default: this one) is built in its build-bench/ (Release)
# and measured on the same messages. Times on a shared machine vary by 30%
# between runs; instruction counts do not, so a 5% change is visible. They
# are not time (SIMD, cache misses), so confirm a win with scan_bench on a
# quiet machine. Needs valgrind (apt-get install valgrind).
# --cache also simulates the caches (32 KB 8-way L1i and L1d, 64-byte lines,
#   as on this machine's EPYC) and prints L1i and L1d misses per message,
#   a deterministic proxy for the time that instructions do not show.
# --prebuilt uses each CHECKOUT's build-bench/ as it is, without cmake (for
#   a baseline worktree that must not be rebuilt, e.g. /work/wt/base8a).
set -euo pipefail

backend=hyperscan kind=ascii bytes=128 cache=0 prebuilt=0
checkouts=()
while (($#)); do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --kind) kind="$2"; shift 2 ;;
    --bytes) bytes="$2"; shift 2 ;;
    --cache) cache=1; shift ;;
    --prebuilt) prebuilt=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) checkouts+=("$(cd "$1" && pwd)"); shift ;;
  esac
done
((${#checkouts[@]})) || checkouts=("$(cd "$(dirname "$0")/.." && pwd)")
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
# Callgrind's counts in ScanAll() for N messages: instructions, and with
# --cache also L1i misses and L1d misses (reads plus writes).
count() {
  local sim=()
  ((cache)) && sim=(--cache-sim=yes --I1=32768,8,64 --D1=32768,8,64
    --LL=16777216,16,64)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "${sim[@]}" \
    --toggle-collect='*ScanAll*' "$1" run "$2" "$3" 2>&1 |
    sed -n 's/.*Collected : //p' |
    awk '{ if (NF >= 6) print $1, $4, $5 + $6; else print $1, 0, 0 }'
}
driver="$(cd "$(dirname "$0")/.." && pwd)/bench/scan_instructions.cc"
for checkout in "${checkouts[@]}"; do
  # The driver is this checkout's, compiled and linked as the checkout
  # builds scan_bench, so older commits can be measured too.
  build="${checkout}/build-bench"
  ((prebuilt)) || (cd "${checkout}" &&
    CCACHE_BASEDIR="${checkout}" cmake -S . -B build-bench -G Ninja \
      -DCMAKE_BUILD_TYPE=Release -DWATCHWORD_BUILD_BENCH=ON \
      -DWATCHWORD_BUILD_TESTS=OFF >/dev/null &&
    CCACHE_BASEDIR="${checkout}" cmake --build build-bench -j2 \
      --target scan_bench >/dev/null)
  commands="$(ninja -C "${build}" -t commands scan_bench)"
  compile="$(grep -m1 -- '-c [^ ]*bench/bench_inputs.cc' <<<"${commands}" |
    sed 's/ -MD / /; s/ -MT [^ ]*//; s/ -MF [^ ]*//; s/ -o [^ ]*//; s/ -c [^ ]*$//')"
  link="$(tail -1 <<<"${commands}" | sed 's/^: && //; s/ && :$//')"
  object="${work}/driver.o" binary="${work}/scan_instructions"
  (cd "${build}" && eval "${compile} -o ${object} -c ${driver}" &&
    eval "$(sed "s| CMakeFiles/scan_bench.dir/[^ ]*||g; s| -o scan_bench | -o ${binary} ${object} |; s| [^ ]*libbenchmark[^ ]*||g" <<<"${link}")")
  dir="${work}/$(basename "${checkout}")-$RANDOM"
  mkdir -p "${dir}"
  # The messages are written once, by the first checkout, for all.
  (cd "${checkout}" && valgrind -q --tool=none "${binary}" prep "${dir}" \
    "${backend}" "${kind}" "${bytes}" >/dev/null)
  # Two counts, so that loading and the first scans' warm-up cancel out.
  read -r few_ir few_i1 few_d1 <<<"$(count "${binary}" "${dir}" 1000)"
  read -r many_ir many_i1 many_d1 <<<"$(count "${binary}" "${dir}" 3000)"
  misses=""
  ((cache)) && misses="$(printf ', L1i misses %d, L1d misses %d' \
    $(((many_i1 - few_i1) / 2000)) $(((many_d1 - few_d1) / 2000)))"
  printf '%s (%s): %d instructions per message%s (%s, %s, %s bytes)\n' \
    "${checkout}" "$(git -C "${checkout}" rev-parse --short HEAD)" \
    $(((many_ir - few_ir) / 2000)) "${misses}" "${backend}" "${kind}" \
    "${bytes}"
done
