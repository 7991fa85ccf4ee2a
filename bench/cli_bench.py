#!/usr/bin/python3
"""Times `watchword scan` end to end on a generated JSON Lines corpus.

    python3 bench/cli_bench.py --cli build-bench/watchword --out cli.json

Writes a corpus of --messages requests (deterministic: fixed vocabulary and
seed; about 128 bytes of chat text each, 1 in 100 carrying a should_match
example of the ruleset, so mostly benign with a few hits), then runs
`watchword scan --ruleset RULESET --threads N CORPUS > /dev/null` for each
N in --threads, --repeat times, and records the best wall time and the CPU
time of that run. The CLI's own summary line gives the scan phase alone
(after the ruleset is compiled); wall time includes compiling it. Standard
library only.
"""

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time

WORDS = ("hey are you coming to the game later lol i think so maybe after "
         "dinner my mum said we can go park tomorrow what time works for "
         "team practice was great today thanks see ya homework math test "
         "friday ok cool nice bus late again pizza movie").split()

SUMMARY = re.compile(r"elapsed_s=([0-9.]+)")
EXAMPLE = re.compile(r'should_match\s*\{\s*text:\s*"((?:[^"\\]|\\.)*)"\s*\}')


def unescape(text):
    """Undoes textproto string escapes (\\", \\\\, \\n, octal and UTF-8)."""
    return (text.encode("latin-1", "backslashreplace")
            .decode("unicode_escape").encode("latin-1").decode("utf-8"))


def hit_phrases(ruleset):
    """should_match examples (body only, no context) of a ruleset path."""
    files = ([os.path.join(ruleset, f) for f in sorted(os.listdir(ruleset))
              if f.endswith(".textproto")]
             if os.path.isdir(ruleset) else [ruleset])
    phrases = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for match in EXAMPLE.finditer(f.read()):
                try:
                    phrases.append(unescape(match.group(1)))
                except UnicodeError:
                    pass
    return phrases


def write_corpus(path, ruleset, messages, size, seed=42):
    rng = random.Random(seed)
    phrases = hit_phrases(ruleset)
    total = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(messages):
            words = [rng.choice(phrases)] if phrases and i % 100 == 50 else []
            text = " ".join(words)
            while len(text) < size:
                text = (text + " " + rng.choice(WORDS)).lstrip()
            text = text[:size] if not words else text
            total += len(text.encode("utf-8"))
            out.write(json.dumps({"id": "m%d" % i, "text": text},
                                 ensure_ascii=False) + "\n")
    return total


def run(cli, ruleset, corpus, threads):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        proc = subprocess.run(
            [cli, "scan", "--ruleset", ruleset, "--threads", str(threads),
             "--progress_every", "0", corpus],
            stdout=devnull, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit("cli_bench: watchword scan failed (%d): %s"
                 % (proc.returncode, proc.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = proc.stderr.strip().splitlines()[-1:]
    scan = SUMMARY.search(summary[0]) if summary else None
    return wall, cpu, float(scan.group(1)) if scan else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the watchword binary")
    parser.add_argument("--ruleset", default="rulesets/child_safety")
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--bytes", type=int, default=128,
                        help="text bytes per message")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", default=None,
                        help="where to write the corpus (default: beside --out)")
    parser.add_argument("--out", required=True, help="JSON results file")
    args = parser.parse_args()

    corpus = args.corpus or os.path.join(os.path.dirname(os.path.abspath(
        args.out)), "cli_corpus.jsonl")
    text_bytes = write_corpus(corpus, args.ruleset, args.messages, args.bytes)
    file_bytes = os.path.getsize(corpus)
    # One untimed run loads the ruleset files and corpus into the page cache.
    run(args.cli, args.ruleset, corpus, 1)
    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        best = None
        for _ in range(args.repeat):
            wall, cpu, scan = run(args.cli, args.ruleset, corpus, threads)
            if best is None or wall < best[0]:
                best = (wall, cpu, scan)
        wall, cpu, scan = best
        results.append({
            "threads": threads,
            "messages": args.messages,
            "text_bytes": text_bytes,
            "file_bytes": file_bytes,
            "wall_seconds": wall,
            "cpu_seconds": cpu,
            "messages_per_second": args.messages / wall,
            "scan_seconds": scan,
            "scan_messages_per_second": args.messages / scan if scan else None,
        })
        print("cli_bench: --threads %d: %.0f messages/s with startup (%.2f s "
              "wall, %.2f s CPU), %.0f messages/s scanning (%.2f s)"
              % (threads, args.messages / wall, wall, cpu,
                 args.messages / scan if scan else 0, scan or 0))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"ruleset": args.ruleset, "runs": results}, f, indent=1)


if __name__ == "__main__":
    main()
