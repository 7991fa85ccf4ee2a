#!/usr/bin/env python3
"""Measures Python scan throughput against the C++ CLI and a plain `re` loop.

    PYTHONPATH=build/python python3 bindings/python/bench_python.py \\
        --cli build/watchword [--messages 100000] [--repeat 3]

All contestants scan the same deterministic input: `--messages` benign
chat-like messages of about 100 bytes, built from a fixed vocabulary with a
fixed seed (like bench/scan_bench.cc). Prints a Markdown table of
messages per wall-clock second and per CPU-second (each the best of
`--repeat` runs; CPU time includes child processes) for:

  * engine.scan_many(texts, threads=1) and threads=2, and a loop of
    engine.scan(text) calls;
  * the C++ engine through the CLI (`watchword scan --threads N` on the same
    messages as JSON Lines: the whole process, including compiling the
    ruleset and JSON parsing and printing) -- skipped without --cli;
  * plain Python `re`: every phrase and regex term of the ruleset compiled as
    a case-insensitive whole-word regex, each searched in every message; and
    the same terms as one alternation. These only find terms: no
    normalization, no rule logic, no Verdict.
"""

import argparse
import json
import os
import pathlib
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# This script sits beside the unbuilt package sources (bindings/python/
# watchword/), which would shadow the built package on PYTHONPATH.
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import watchword  # noqa: E402
WORDS = ("hey are you coming to the game later lol i think so maybe after "
         "dinner my mum said we can go park tomorrow what time works for "
         "team practice was great today thanks see ya homework math test "
         "friday ok cool nice").split()


def benign_messages(count, size=100, seed=42):
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        words = []
        length = 0
        while length < size:
            word = rng.choice(WORDS)
            words.append(word)
            length += len(word) + 1
        messages.append(" ".join(words)[:size])
    return messages


def cpu_seconds():
    """CPU time of this process and its finished children, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(fn, count, repeat):
    """(messages per wall second, messages per CPU second), best of `repeat`.

    On a shared machine other processes slow the wall clock; CPU time is
    what a single-threaded contestant really used.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        cpu = cpu_seconds()
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return count / min(walls), count / min(cpus)


def run_cli(cli, ruleset, path, threads):
    subprocess.run(
        [cli, "scan", "--ruleset", str(ruleset), "--threads", str(threads),
         "--progress_every", "0", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def ruleset_terms(ruleset):
    """Every phrase and regex of the ruleset (term lists, rules, exceptions)."""
    terms = []

    def add(term):
        if term.WhichOneof("kind") == "phrase":
            terms.append(re.escape(term.phrase))
        elif term.WhichOneof("kind") == "regex":
            terms.append(term.regex)

    def walk(expr):
        node = expr.WhichOneof("node")
        if node == "term":
            add(expr.term)
        elif node in ("any", "all", "none"):
            for e in getattr(expr, node).exprs:
                walk(e)
        elif node == "near":
            for e in expr.near.exprs:
                walk(e)

    for term_list in ruleset.term_lists:
        for term in term_list.terms:
            add(term)
    for rule in ruleset.rules:
        walk(rule.match)
        for exception in rule.exceptions:
            for term in exception.terms:
                add(term)
    return terms


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ruleset", default=str(ROOT / "rulesets/examples/starter.textproto"))
    parser.add_argument("--cli", help="the watchword binary, e.g. build/watchword")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    load_start = f"{os.getloadavg()[0]:.2f}"
    messages = benign_messages(args.messages)
    total_bytes = sum(len(m.encode()) for m in messages)
    engine = watchword.compile(args.ruleset)
    n = len(messages)
    rows = []

    # Sanity: the input is benign and every contestant sees the same text.
    sequential = engine.scan_many(messages)
    flagged = sum(v.action != 0 for v in sequential)
    assert engine.scan_many(messages, threads=2) == sequential

    rows.append(("Python `engine.scan_many(texts, threads=1)`",
                 measure(lambda: engine.scan_many(messages, threads=1), n, args.repeat)))
    rows.append(("Python `engine.scan_many(texts, threads=2)`",
                 measure(lambda: engine.scan_many(messages, threads=2), n, args.repeat)))
    rows.append(("Python loop of `engine.scan(text)`",
                 measure(lambda: [engine.scan(m) for m in messages], n, args.repeat)))

    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "messages.jsonl"
            with open(path, "w", encoding="utf-8") as f:
                for m in messages:
                    f.write(json.dumps({"text": m}) + "\n")
            for threads in (1, 2):
                rows.append((f"C++ CLI `watchword scan --threads {threads}` (JSONL in, JSONL out)",
                             measure(lambda: run_cli(args.cli, args.ruleset, path, threads),
                                     n, args.repeat)))

    terms = ruleset_terms(engine.ruleset)
    per_term = [re.compile(r"\b(?:" + t + r")\b", re.IGNORECASE) for t in terms]

    def re_loop():
        hits = 0
        for m in messages:
            for rx in per_term:
                if rx.search(m):
                    hits += 1
        return hits

    alternation = re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)

    def re_alternation():
        return sum(1 for m in messages if alternation.search(m))

    rows.append((f"plain Python `re`: {len(per_term)} whole-word regexes, each searched",
                 measure(re_loop, n, 1)))
    rows.append(("plain Python `re`: the same terms as one alternation",
                 measure(re_alternation, n, args.repeat)))

    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from google.protobuf.internal import api_implementation  # For the record.
    info = engine.info
    print(f"Input: {n} benign messages, {total_bytes / n:.0f} bytes on average "
          f"(seed 42), {flagged} flagged. Ruleset {info.name} {info.version}: "
          f"{info.rule_count} rules, {info.pattern_count} patterns, backend "
          f"{info.backend}; {len(terms)} terms for `re`.")
    print(f"Machine: {cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
          f"protobuf {api_implementation.Type()} implementation. Best of "
          f"{args.repeat} runs (1 for the per-regex loop); load average "
          f"{load_start} before, {os.getloadavg()[0]:.2f} after.")
    print()
    print("| Contestant | messages/s (wall) | messages per CPU-second |")
    print("|---|---:|---:|")
    for name, (wall, cpu) in rows:
        print(f"| {name} | {wall:,.0f} | {cpu:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
