#!/usr/bin/env python3
"""Writes the seed corpus of engine_file_fuzzer: small valid engine files
for both backends, in each of the fuzzer's input modes (its first byte; see
tests/fuzz/engine_file_fuzzer.cc).

    tests/fuzz/make_engine_file_corpus.py build/watchword tests/fuzz/corpus/engine_file_fuzzer

Engine files depend on the watchword and Hyperscan versions that wrote them,
so rerun it when the layout or the lowering changes (old seeds still work as
seeds: the fuzzer only needs bytes close to valid ones).
"""
import os
import pathlib
import struct
import subprocess
import sys
import tempfile

# A one-rule ruleset: the smallest Hyperscan databases.
TINY = """\
name: "tiny"
term_lists { id: "apps" terms { phrase: "snap" } terms { regex: "k[i1]k" } }
rules {
  id: "move"
  action: ACTION_REVIEW
  match {
    near {
      max_words: 2
      exprs { term { phrase: "add me" } }
      exprs { term_list: "apps" }
    }
  }
  exceptions { terms { phrase: "snap pea" } }
}
"""

# (name, path or None for TINY, backends); Hyperscan databases of a bigger
# ruleset run to hundreds of kilobytes.
RULESETS = [("tiny", None, ("re2", "hyperscan")),
            ("diff", "tests/api/testdata/diff.textproto", ("re2",))]
HEADER = 8 + 4 + 8 + 8  # magic, format version, payload size, checksum


def lowered_bytes(payload: bytes) -> bytes:
    """The `lowered` field of an engine file payload (engine_file.h)."""
    at = 0

    def string():
        nonlocal at
        (size,) = struct.unpack_from("<Q", payload, at)
        at += 8 + size
        return payload[at - size:at]

    string()   # library_version
    at += 4    # backend
    string()   # hyperscan_version
    string()   # ruleset_fingerprint
    string()   # ruleset
    return string()


def main() -> None:
    cli, out = sys.argv[1], pathlib.Path(sys.argv[2])
    root = pathlib.Path(__file__).resolve().parents[2]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, path, backends in RULESETS:
            if path is None:
                path = os.path.join(tmp, name + ".textproto")
                pathlib.Path(path).write_text(TINY)
            else:
                path = str(root / path)
            for backend in backends:
                engine = os.path.join(tmp, f"{name}_{backend}.wwengine")
                result = subprocess.run(
                    [cli, "compile", path, "-o", engine, "--backend", backend],
                    capture_output=True, text=True, check=False)
                if result.returncode != 0:
                    print(f"skipping {name} on {backend}: {result.stderr.strip()}")
                    continue
                data = pathlib.Path(engine).read_bytes()
                payload = data[HEADER:]
                seeds = {0: data, 1: payload, 2: payload}
                if backend == "re2":
                    seeds[3] = lowered_bytes(payload)
                for mode, body in seeds.items():
                    seed = out / f"{name}_{backend}_mode{mode}"
                    seed.write_bytes(bytes([mode]) + body)
                    print(f"wrote {seed} ({len(body) + 1} bytes)")


if __name__ == "__main__":
    main()
