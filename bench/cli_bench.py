#!/usr/bin/python3
"""Times `watchword scan` end to end on a generated JSON Lines corpus.

    python3 bench/cli_bench.py --cli build-bench/watchword --out cli.json

With --input FILE (and --copies N), the corpus is FILE repeated N times
instead, e.g. the SMS corpus: --input tests/data/sms_ham.jsonl --copies 20.
With --library (build-bench/corpus_bench), the same run also times the
library in process on the same messages (one Scanner, one thread, requests
parsed beforehand), and with --python DIR (a PYTHONPATH holding the built
`watchword` package) Python's engine.scan_many() on them as dicts, one
thread; each CLI and Python figure is then also given as a share of the
library's.

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


def copy_corpus(path, source, copies):
    """Writes `source` `copies` times to `path`; returns its text bytes."""
    with open(source, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    total = sum(len(json.loads(line).get("text", "").encode("utf-8"))
                for line in lines) * copies
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(copies):
            out.writelines(lines)
    return total


def run_library(binary, engine, corpus, repeat):
    """messages/s of the library in process (bench/corpus_bench.cc)."""
    proc = subprocess.run([binary, engine, corpus, str(repeat)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        sys.exit("cli_bench: corpus_bench failed: %s" % proc.stderr)
    return json.loads(proc.stdout)


PYTHON_SCAN = r"""
import json, sys, time
import watchword
engine = watchword.load_engine(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    items = [json.loads(line) for line in f if line.strip()]
best = best_cpu = None
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    cpu_start = time.process_time()
    verdicts = engine.scan_many(items, threads=1)
    cpu = time.process_time() - cpu_start
    seconds = time.perf_counter() - start
    assert len(verdicts) == len(items)
    best = seconds if best is None else min(best, seconds)
    best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
print(json.dumps({"messages": len(items), "seconds": best,
                  "messages_per_second": len(items) / best,
                  "cpu_seconds": best_cpu,
                  "messages_per_cpu_second": len(items) / best_cpu}))
"""


def run_python(pythonpath, engine, corpus, repeat):
    """messages/s of Python's scan_many(dicts, threads=1)."""
    env = dict(os.environ, PYTHONPATH=pythonpath, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(["/usr/bin/python3", "-c", PYTHON_SCAN, engine,
                           corpus, str(repeat)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.exit("cli_bench: python scan_many failed: %s" % proc.stderr)
    return json.loads(proc.stdout)


def run(cli, ruleset, corpus, threads, engine=None):
    source = ["--engine", engine] if engine else ["--ruleset", ruleset]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        proc = subprocess.run(
            [cli, "scan"] + source + ["--threads", str(threads),
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
    parser.add_argument("--input", default=None,
                        help="a JSON Lines corpus to use instead of a "
                        "generated one")
    parser.add_argument("--copies", type=int, default=1,
                        help="times --input is repeated")
    parser.add_argument("--label", default=None,
                        help="what was measured, e.g. a commit, for reports")
    parser.add_argument("--library", default=None,
                        help="corpus_bench binary: time the library too")
    parser.add_argument("--python", default=None,
                        help="PYTHONPATH of a built watchword package: time "
                        "scan_many too")
    args = parser.parse_args()

    corpus = args.corpus or os.path.join(os.path.dirname(os.path.abspath(
        args.out)), "cli_corpus.jsonl")
    if args.input:
        text_bytes = copy_corpus(corpus, args.input, args.copies)
        with open(corpus, encoding="utf-8") as f:
            args.messages = sum(1 for line in f if line.strip())
    else:
        text_bytes = write_corpus(corpus, args.ruleset, args.messages,
                                  args.bytes)
    file_bytes = os.path.getsize(corpus)
    # With --library or --python, every contestant starts from one engine
    # file, so the CLI's CPU time is scanning, not compiling.
    engine = None
    if args.library or args.python:
        engine = corpus + ".wwengine"
        subprocess.run([args.cli, "compile", args.ruleset, "-o", engine],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
    # One untimed run loads the ruleset files and corpus into the page cache.
    run(args.cli, args.ruleset, corpus, 1, engine)
    thread_counts = [int(t) for t in args.threads.split(",")]
    # Rounds interleave the contestants (each CLI thread count, the library,
    # Python), so that each round's figures saw about the same load; the
    # shares of the library are per round, then the median is reported.
    cli_runs = {t: [] for t in thread_counts}
    library_runs, python_runs = [], []
    for _ in range(args.repeat):
        for threads in thread_counts:
            cli_runs[threads].append(run(args.cli, args.ruleset, corpus,
                                         threads, engine))
        if args.library:
            library_runs.append(run_library(args.library, engine, corpus, 1))
        if args.python:
            python_runs.append(run_python(args.python, engine, corpus, 1))

    def median(values):
        values = sorted(values)
        return values[len(values) // 2] if values else None

    results = []
    for threads in thread_counts:
        runs = cli_runs[threads]
        wall, _, scan = min(runs, key=lambda r: r[0])
        cpu = min(r[1] for r in runs)
        entry = {
            "threads": threads,
            "messages": args.messages,
            "text_bytes": text_bytes,
            "file_bytes": file_bytes,
            "wall_seconds": wall,
            "cpu_seconds": cpu,
            "messages_per_second": args.messages / wall,
            "scan_seconds": scan,
            "scan_messages_per_second": args.messages / scan if scan else None,
            "messages_per_cpu_second": args.messages / cpu,
            "engine_file": bool(engine),
        }
        if library_runs:
            entry["share_of_library"] = median(
                (lib["seconds"] / r[2]) for r, lib in zip(runs, library_runs)
                if r[2])
            entry["cpu_share_of_library"] = median(
                lib["cpu_seconds"] / r[1] for r, lib in zip(runs, library_runs))
        results.append(entry)
        print("cli_bench: --threads %d: %.0f messages/s with startup (%.2f s "
              "wall, %.2f s CPU), %.0f messages/s scanning (%.2f s)"
              % (threads, args.messages / wall, wall, cpu,
                 args.messages / scan if scan else 0, scan or 0))
    report = {"label": args.label, "ruleset": args.ruleset,
              "input": args.input or "generated",
              "copies": args.copies, "rounds": args.repeat, "runs": results}
    if library_runs:
        report["library"] = min(library_runs, key=lambda r: r["seconds"])
        print("cli_bench: library in process, one thread: %.0f messages/s"
              % report["library"]["messages_per_second"])
        for entry in results:
            print("cli_bench: --threads %d is %.0f%% of the library by wall "
                  "time, %.0f%% by CPU time (medians of per-round ratios)"
                  % (entry["threads"], 100 * (entry["share_of_library"] or 0),
                     100 * entry["cpu_share_of_library"]))
    if python_runs:
        python = dict(min(python_runs, key=lambda r: r["seconds"]))
        if library_runs:
            python["share_of_library"] = median(
                lib["seconds"] / py["seconds"]
                for py, lib in zip(python_runs, library_runs))
            python["cpu_share_of_library"] = median(
                lib["cpu_seconds"] / py["cpu_seconds"]
                for py, lib in zip(python_runs, library_runs))
        report["python"] = python
        print("cli_bench: python scan_many(dicts, threads=1): %.0f messages/s"
              % python["messages_per_second"])
        if library_runs:
            print("cli_bench: python scan_many is %.0f%% of the library by "
                  "wall time, %.0f%% by CPU time (medians of per-round "
                  "ratios)" % (100 * python["share_of_library"],
                               100 * python["cpu_share_of_library"]))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
