"""Memory bounds of scan_many() (see "Memory bounds" in README.md), read as
RSS: what one call copies, and what an Engine keeps once it returns.

Each case runs in a fresh interpreter, so that earlier tests set neither its
baseline nor its peak. Not run under TSan (scripts/tsan.sh), whose runtime
keeps its own shadow memory.
"""

import os
import subprocess
import sys

import pytest

_CHILD = r"""
import sys
import watchword

def status_mib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) >> 10
    raise SystemExit("no " + key)

engine = watchword.compile(sys.argv[1])
engine.scan_many(["warm up"] * 8)
base = status_mib("VmRSS")
exec(sys.argv[2])
print(base, status_mib("VmHWM"), status_mib("VmRSS"))
"""


def _run(starter_path, code):
    """Runs `code` after a warm-up in a fresh interpreter; returns its RSS
    before, its peak RSS and its RSS after, in MiB."""
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc/self/status")
    out = subprocess.run([sys.executable, "-c", _CHILD, str(starter_path), code],
                         check=True, capture_output=True, text=True,
                         env=os.environ).stdout
    base, peak, after = (int(x) for x in out.split())
    print(f"rss before {base} MiB, peak {peak} MiB, after {after} MiB")
    return base, peak, after


def test_scan_many_copies_a_few_mib_at_a_time(starter_path):
    # 512 items of 1 MiB + 1 byte (one str, so Python holds 1 MiB): each is
    # copied to C++, then rejected as over max_field_bytes. Chunks of 1,024
    # items copied them all at once: a peak 511 MiB over the baseline.
    # Chunks of about 4 MiB, two in flight, keep it under 8 MiB.
    base, peak, _ = _run(starter_path, """
item = "x" * ((1 << 20) + 1)
verdicts = engine.scan_many([item] * 512, threads=2)
assert len(verdicts) == 512
for i, verdict in enumerate(verdicts):
    assert verdict.error.code == "INVALID_ARGUMENT" and verdict.error.line == i + 1
""")
    assert peak - base < 48


def test_engine_keeps_few_scanners_after_many_threads(starter_path):
    # 64 threads each grow a Scanner on a 60 KB homoglyph message (just under
    # the Scanner's 64 KiB high-water mark, so it keeps its buffers). The
    # Engine used to pool all 64 and held some 280 MiB after the call; it
    # pools 8 (some 12 MiB each at most) and returns the rest to the system:
    # some 20 MiB stay.
    base, _, after = _run(starter_path, """
item = ("ѕеnd mе а рiс " * 5000)[:60000]
verdicts = engine.scan_many([item] * 64, threads=64)
assert len(verdicts) == 64
del verdicts
""")
    assert after - base < 8 * 16
