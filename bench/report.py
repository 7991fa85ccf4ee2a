#!/usr/bin/python3
"""Writes bench/RESULTS.md from the JSON that scripts/bench.sh collects.

    python3 bench/report.py --results build-bench/bench-results \
        --build build-bench --out bench/RESULTS.md

Reads scan.json, compile.json, latency.json, normalize.json (Google
Benchmark --benchmark_out, medians of repetitions when present), cli.json
(bench/cli_bench.py) and serve.json (bench/serve_bench.cc) from --results, describes the machine, and prints the
tables, the ratios and the issue #5 targets, met or not. Standard library
only; a missing file or benchmark leaves its cells as "n/a".
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess

NA = "n/a"
SIZES = (32, 128, 1024, 16384)
KINDS = ("ascii", "cyrillic", "emoji")
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Results:
    """Benchmarks by name; the median of repetitions when there are some."""

    def __init__(self, directory):
        self.runs = {}
        self.context = {}
        for name in ("scan", "compile", "latency", "normalize", "tracker"):
            path = os.path.join(directory, name + ".json")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                try:
                    data = json.load(f)
                except ValueError:  # Empty: the filter matched nothing.
                    continue
            self.context.setdefault(name, data.get("context", {}))
            for b in data.get("benchmarks", []):
                if b.get("error_occurred"):
                    continue
                run_name = b.get("run_name", b["name"])
                if b.get("run_type") == "aggregate":
                    if b.get("aggregate_name") == "median":
                        self.runs[run_name] = b
                elif run_name not in self.runs:
                    self.runs[run_name] = b
        cli = os.path.join(directory, "cli.json")
        self.cli = None
        if os.path.exists(cli):
            with open(cli, encoding="utf-8") as f:
                self.cli = json.load(f)
        # serve.json: a list of bench/serve_bench.cc's objects, one per
        # window.
        serve = os.path.join(directory, "serve.json")
        self.serve = None
        if os.path.exists(serve):
            with open(serve, encoding="utf-8") as f:
                self.serve = json.load(f)
        # cli_before.json: cli_bench.py on an earlier build, if given.
        before = os.path.join(directory, "cli_before.json")
        self.cli_before = None
        if os.path.exists(before):
            with open(before, encoding="utf-8") as f:
                self.cli_before = json.load(f)

    def get(self, name):
        # Google Benchmark appends what a benchmark fixes to its name.
        for suffix in ("", "/repeats:1", "/iterations:1/repeats:1",
                       "/iterations:1"):
            if name + suffix in self.runs:
                return self.runs[name + suffix]
        return None

    def cpu_ns(self, name):
        b = self.get(name)
        if b is None:
            return None
        return b["cpu_time"] * UNIT_NS[b.get("time_unit", "ns")]

    def real_ns(self, name):
        b = self.get(name)
        if b is None:
            return None
        return b["real_time"] * UNIT_NS[b.get("time_unit", "ns")]

    def value(self, name, key):
        b = self.get(name)
        return None if b is None else b.get(key)


def ns(value):
    """1234.5 -> '1.23 µs'."""
    if value is None:
        return NA
    if value >= 1e9:
        return "%.1f s" % (value / 1e9)
    if value >= 1e6:
        return "%.2f ms" % (value / 1e6)
    if value >= 1e3:
        return "%.2f µs" % (value / 1e3)
    return "%.0f ns" % value


def rate(per_second):
    if per_second is None:
        return NA
    if per_second >= 1e6:
        return "%.2fM/s" % (per_second / 1e6)
    if per_second >= 1e3:
        return "%.0fk/s" % (per_second / 1e3)
    return "%.0f/s" % per_second


def mb(bytes_per_second):
    return NA if bytes_per_second is None else "%.0f MB/s" % (
        bytes_per_second / 1e6)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def x(value, digits=1):
    return NA if value is None else ("%." + str(digits) + "fx") % value


def size(value):
    if value is None:
        return NA
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return "%.1f %s" % (value / scale, unit)
    return "%d B" % value


def command(args, cwd=None):
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                              check=False, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(args):
    cpu = NA
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = NA
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory = "%.1f GiB" % (int(line.split()[1]) / 2**20)
    except OSError:
        pass
    system = platform.platform()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    system = "%s, Linux %s" % (
                        line.split("=", 1)[1].strip().strip('"'),
                        platform.release())
    except OSError:
        pass
    cache = {}
    try:
        with open(os.path.join(args.build, "CMakeCache.txt"),
                  encoding="utf-8") as f:
            for line in f:
                if ":" in line and "=" in line and not line.startswith("#"):
                    key, value = line.rstrip("\n").split("=", 1)
                    cache[key.split(":")[0]] = value
    except OSError:
        pass
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    compiler_version = command([compiler, "--version"]).splitlines()[:1]
    commit = command(["git", "rev-parse", "--short", "HEAD"], cwd=args.source)
    subject = command(["git", "log", "-1", "--format=%s"], cwd=args.source)
    if subject:
        commit += ' "%s"' % subject
    if command(["git", "status", "--porcelain", "--untracked-files=no"],
               cwd=args.source):
        commit += ", with uncommitted changes in the tree"
    return [
        ("CPU", "%s, %d cores" % (cpu, os.cpu_count() or 0)),
        ("Memory", memory),
        ("OS", system),
        ("Compiler", "%s, CMAKE_BUILD_TYPE=%s" % (
            compiler_version[0] if compiler_version else compiler,
            cache.get("CMAKE_BUILD_TYPE", NA))),
        ("Hyperscan", command(["pkg-config", "--modversion", "libhs"]) or NA),
        ("RE2, Google Benchmark", "%s, %s" % (
            command(["dpkg-query", "-W", "-f=${Version}", "libre2-dev"]) or
            command(["pkg-config", "--modversion", "re2"]) or NA,
            command(["pkg-config", "--modversion", "benchmark"]) or NA)),
        ("Commit", commit or NA),
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC")),
        ("Load average (1, 5, 15 min)", "%s before, %s after" % (
            args.load_before or NA, args.load_after or NA)),
        ("Settings", args.settings or NA),
    ]


def table(out, header, rows, numbers=True):
    """A markdown table; columns after the first are right-aligned numbers
    unless `numbers` is false."""
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(
        "---" if i == 0 or not numbers else "---:"
        for i in range(len(header))) + "|")
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    out.append("")


def table_lines(header, rows):
    """table() as a list of lines, every column left-aligned."""
    out = []
    table(out, header, rows, numbers=False)
    return out


def targets(r):
    scan = "BM_Scan/child_safety/hyperscan/ascii/128"
    benign = "BM_ScanHits/child_safety/hyperscan/ascii/128/none"
    pipeline = r.cpu_ns(scan)
    benign_rate = r.value(benign, "items_per_second")
    bare = r.cpu_ns("BM_BareHyperscan/child_safety/ascii/128")
    re2_set = r.cpu_ns("BM_Re2Set/child_safety/ascii/128")
    per_rule = r.cpu_ns("BM_Re2PerRule/child_safety/ascii/128")
    scaling = ratio(r.cpu_ns("BM_Scan/terms:10000/hyperscan/ascii/128"),
                    r.cpu_ns("BM_Scan/terms:100/hyperscan/ascii/128"))
    allocs = r.value("BM_Latency/child_safety/hyperscan/ascii/128/benign",
                     "allocs_per_scan")
    p99 = r.value("BM_Latency/child_safety/hyperscan/ascii/128/mixed",
                  "p99_ns")

    def met(ok):
        return NA if ok is None else ("**met**" if ok else "**not met**")

    def check(value, test):
        return None if value is None else test(value)

    pipeline_vs_bare = ratio(pipeline, bare)
    set_vs_pipeline = ratio(re2_set, pipeline)
    loop_vs_pipeline = ratio(per_rule, pipeline)
    return [
        ("≥ 1,000,000 messages/s on one core: 128 B benign ASCII, "
         "child_safety, normalization and Verdict included",
         "%s per CPU-second (%s with 1%% flagged)" % (
             rate(benign_rate), rate(r.value(scan, "items_per_second"))),
         met(check(benign_rate, lambda v: v >= 1e6))),
        ("Whole pipeline ≤ 3x a bare hs_scan of the normalized text, same "
         "databases", "%s (%s vs %s)" % (x(pipeline_vs_bare), ns(pipeline),
                                         ns(bare)),
         met(check(pipeline_vs_bare, lambda v: v <= 3))),
        ("≥ 5x faster than RE2::Set on the same work",
         "%s (RE2::Set %s)" % (x(set_vs_pipeline, 2), ns(re2_set)),
         met(check(set_vs_pipeline, lambda v: v >= 5))),
        ("≥ 500x faster than a per-rule RE2 loop",
         "%s (loop %s)" % (x(loop_vs_pipeline), ns(per_rule)),
         met(check(loop_vs_pipeline, lambda v: v >= 500))),
        ("10,000 terms cost < 4x what 100 terms cost per message",
         x(scaling, 2), met(check(scaling, lambda v: v < 4))),
        ("Zero heap allocations per benign scan in steady state",
         NA if allocs is None else "%.2f per scan" % allocs,
         met(check(allocs, lambda v: v == 0))),
        ("p99 latency per message reported",
         NA if p99 is None else "p99 %s (128 B ASCII, 1%% flagged)" % ns(p99),
         met(p99 is not None)),
    ]


def why(r):
    """Figures that bound what the targets ask, from the same run."""
    lines = []
    benign = r.cpu_ns("BM_ScanHits/child_safety/hyperscan/ascii/128/none")
    bare = r.cpu_ns("BM_BareHyperscan/child_safety/ascii/128")
    re2_set = r.cpu_ns("BM_Re2Set/child_safety/ascii/128")
    loop = r.cpu_ns("BM_Re2PerRule/child_safety/ascii/128")
    rules = r.value("BM_Re2PerRule/child_safety/ascii/128", "regexes")
    if None not in (benign, bare):
        lines.append(
            "- A benign 128-byte message costs %s; one bare hs_scan of the "
            "Engine's database (phrases and regexes) over the normalized "
            "text costs %s, so matching alone caps one core at %s "
            "messages/s before any normalization, folding or rule logic. "
            "The pipeline scans that database on the base view and, where "
            "folding changed the text, again on the folded view." % (
                ns(benign), ns(bare), rate(1e9 / bare)[:-2]))
    if None not in (re2_set, bare):
        lines.append(
            "- RE2::Set finds the same terms in %s, %s the bare Hyperscan "
            "scan of the Engine's database (%s); a 5x lead over RE2::Set "
            "would need the whole pipeline under %s per message." % (
                ns(re2_set),
                "faster than" if re2_set < bare else "slower than",
                ns(bare), ns(re2_set / 5)))
    if loop is not None:
        lines.append(
            "- The per-rule loop is %s regexes at %s each on average; 500x "
            "would need the pipeline at %s per message." % (
                "%d" % rules if rules else NA,
                ns(loop / rules) if rules else NA, ns(loop / 500)))
    return lines


def cell(r, name):
    """'2.91 µs · 344k/s · 42 MB/s' for a one-thread benchmark."""
    if r.get(name) is None:
        return NA
    return "%s · %s · %s" % (ns(r.cpu_ns(name)),
                            rate(r.value(name, "items_per_second")),
                            mb(r.value(name, "bytes_per_second")))


PERF_CASES = (("128", "benign, 128 B"), ("16384", "16 KiB, 1% flagged"))


def read_perf(directory, name):
    """Shares by library and by named function, from perf report files."""
    dsos, symbols = {}, {}
    try:
        with open(os.path.join(directory, "perf-dso-%s.txt" % name),
                  encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0].endswith("%"):
                    dsos[parts[1]] = float(parts[0][:-1])
        with open(os.path.join(directory, "perf-%s.txt" % name),
                  encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(None, 3)
                if (len(parts) == 4 and parts[0].endswith("%") and
                        parts[2] == "[.]" and not parts[3].startswith("0x")):
                    # perf pads the column; a C++ name has no double space.
                    symbol = re.split(r"\s{2,}", parts[3].strip())[0]
                    symbol = re.sub(r"<.*>", "<...>", symbol)[:80]
                    key = (symbol, parts[1])
                    symbols[key] = symbols.get(key, 0) + float(parts[0][:-1])
    except (OSError, ValueError):
        return None
    return dsos, symbols


def perf(out, directory):
    """The perf profiles of the Hyperscan pipeline, side by side."""
    cases = [(label, read_perf(directory, name)) for name, label in PERF_CASES]
    cases = [(label, data) for label, data in cases if data and data[0]]
    if not cases:
        return
    labels = [label for label, _ in cases]
    out.append("`perf record` of the Hyperscan pipeline on child_safety, "
               "ASCII (share of samples; libhs and libre2 have no symbols, "
               "so each counts as one):")
    out.append("")

    def share(value):
        return "%.1f%%" % value if value else ""

    libraries = sorted({d for _, (dsos, _) in cases for d in dsos},
                       key=lambda d: -max(c[1][0].get(d, 0) for c in cases))
    table(out, ["library"] + labels,
          [[d] + [share(data[0].get(d)) for _, data in cases]
           for d in libraries[:6]])
    functions = sorted({k for _, (_, symbols) in cases for k in symbols},
                       key=lambda k: -max(c[1][1].get(k, 0) for c in cases))
    table(out, ["function (with a symbol)", "library"] + labels,
          [["`%s`" % k[0], k[1]] + [share(data[1].get(k)) for _, data in cases]
           for k in functions[:16]])


def report(args):
    r = Results(args.results)
    out = []
    add = out.append
    add("# Benchmark results")
    add("")
    add("Generated by `bash scripts/bench.sh` (bench/report.py); do not edit "
        "by hand, rerun it. The harness is described in bench/*.cc; "
        "[PYTHON.md](PYTHON.md) has the Python bindings figures, measured "
        "separately.")
    add("")
    add("## Machine")
    add("")
    table(out, ["", ""], machine(args), numbers=False)

    add("## Targets (issue #5)")
    add("")
    add("All on one core and in the same run; *ratios* are CPU time per "
        "message of the baseline over the pipeline (or the reverse for the "
        "3x bound), on the same 128-byte ASCII messages (1 in 100 flagged) "
        "and the same terms.")
    add("")
    table(out, ["Target", "Measured", ""], targets(r), numbers=False)
    for line in why(r):
        add(line)
    add("")

    add("## End to end, one thread")
    add("")
    add("`Scanner::Scan(text, &verdict)`: normalization, folded views, "
        "matching, rule logic and a filled `v1::Verdict` (not serialized). "
        "Each cell: CPU time per message · messages per CPU-second · input "
        "MB per CPU-second. 1 message in 100 carries a `should_match` "
        "example of the ruleset; the rest are checked benign.")
    add("")
    for ruleset in ("child_safety", "starter"):
        patterns = r.value("BM_Scan/%s/hyperscan/ascii/128" % ruleset,
                           "patterns")
        add("**%s** (%s patterns)" % (ruleset, NA if patterns is None else
                                      "%d" % patterns))
        add("")
        rows = []
        for backend in ("hyperscan", "re2"):
            for kind in KINDS:
                rows.append(["%s, %s" % (backend, kind)] + [
                    cell(r, "BM_Scan/%s/%s/%s/%d" % (ruleset, backend, kind, s))
                    for s in SIZES])
        table(out, ["backend, text"] + ["%d B" % s for s in SIZES], rows)

    add("## Threads")
    add("")
    add("One Engine shared, one Scanner per thread, child_safety, ASCII; "
        "messages per wall-clock second, all threads together.")
    add("")
    rows = []
    for backend in ("hyperscan", "re2"):
        for s in (128, 1024):
            base = "BM_ScanThreads/child_safety/%s/ascii/%d/real_time" % (
                backend, s)
            one = r.value(base + "/threads:1", "items_per_second")
            two = r.value(base + "/threads:2", "items_per_second")
            rows.append(["%s, %d B" % (backend, s), rate(one), rate(two),
                         x(ratio(two, one), 2)])
    table(out, ["", "1 thread", "2 threads", "speed-up"], rows)

    add("## Baselines and ratios")
    add("")
    add("Same messages; the baselines get them already normalized and only "
        "find terms (no folds, no word-boundary checks, no rules, no "
        "Verdict). CPU time per message; ratio columns are baseline / "
        "pipeline (Hyperscan backend), except *pipeline / bare*.")
    add("")
    rows = []
    cases = [("child_safety", "ascii", s) for s in SIZES] + [
        ("child_safety", "cyrillic", 128), ("child_safety", "emoji", 128),
        ("starter", "ascii", 128)]
    for ruleset, kind, s in cases:
        pipeline = r.cpu_ns("BM_Scan/%s/hyperscan/%s/%d" % (ruleset, kind, s))
        backend = r.cpu_ns("BM_Scan/%s/re2/%s/%d" % (ruleset, kind, s))
        bare = r.cpu_ns("BM_BareHyperscan/%s/%s/%d" % (ruleset, kind, s))
        re2_set = r.cpu_ns("BM_Re2Set/%s/%s/%d" % (ruleset, kind, s))
        loop = r.cpu_ns("BM_Re2PerRule/%s/%s/%d" % (ruleset, kind, s))
        rows.append(["%s, %s, %d B" % (ruleset, kind, s), ns(pipeline),
                     ns(backend), ns(bare), ns(re2_set), ns(loop),
                     x(ratio(pipeline, bare)), x(ratio(backend, pipeline), 2),
                     x(ratio(re2_set, pipeline), 2), x(ratio(loop, pipeline))])
    table(out, ["", "pipeline", "RE2 backend", "bare hs_scan", "RE2::Set",
                "per-rule RE2", "pipeline / bare", "RE2 backend",
                "RE2::Set", "per-rule RE2"], rows)

    add("## Scaling with ruleset size")
    add("")
    add("Generated rulesets: N single-word phrases (random pronounceable "
        "words of 5 to 9 letters), 10 per rule; 128-byte ASCII messages, "
        "1 in 100 carrying one of the phrases. Compile time is the CPU time "
        "of `Compile()` on the in-memory ruleset (validation, lowering, every view's "
        "database); database size sums all views' matchers. Load time is the "
        "CPU time of `LoadEngineFile()` on the engine file `SaveEngineFile()` "
        "wrote for that Engine (reading, checking and rebuilding its "
        "matchers: what a service pays to start or swap rulesets without "
        "compiling).")
    add("")
    rows = []
    for terms in (10, 100, 1000, 10000):
        t = "terms:%d" % terms
        hs_scan = r.cpu_ns("BM_Scan/%s/hyperscan/ascii/128" % t)
        rows.append([
            "{:,}".format(terms),
            ns(r.cpu_ns("BM_Compile/%s/hyperscan" % t)),
            size(r.value("BM_Compile/%s/hyperscan" % t, "database_bytes")),
            ns(r.cpu_ns("BM_LoadEngine/%s/hyperscan" % t)),
            ns(r.cpu_ns("BM_Compile/%s/re2" % t)),
            ns(r.cpu_ns("BM_LoadEngine/%s/re2" % t)),
            ns(hs_scan),
            x(ratio(hs_scan, r.cpu_ns("BM_Scan/terms:100/hyperscan/ascii/128")),
              2),
            ns(r.cpu_ns("BM_Scan/%s/re2/ascii/128" % t)),
            ns(r.cpu_ns("BM_BareHyperscan/%s/ascii/128" % t)),
            ns(r.cpu_ns("BM_Re2Set/%s/ascii/128" % t)),
            ns(r.cpu_ns("BM_Re2PerRule/%s/ascii/128" % t)),
        ])
    for ruleset in ("starter", "child_safety"):
        rows.append([
            ruleset,
            ns(r.cpu_ns("BM_Compile/%s/hyperscan" % ruleset)),
            size(r.value("BM_Compile/%s/hyperscan" % ruleset,
                         "database_bytes")),
            ns(r.cpu_ns("BM_LoadEngine/%s/hyperscan" % ruleset)),
            ns(r.cpu_ns("BM_Compile/%s/re2" % ruleset)),
            ns(r.cpu_ns("BM_LoadEngine/%s/re2" % ruleset)),
            ns(r.cpu_ns("BM_Scan/%s/hyperscan/ascii/128" % ruleset)),
            "",
            ns(r.cpu_ns("BM_Scan/%s/re2/ascii/128" % ruleset)),
            ns(r.cpu_ns("BM_BareHyperscan/%s/ascii/128" % ruleset)),
            ns(r.cpu_ns("BM_Re2Set/%s/ascii/128" % ruleset)),
            ns(r.cpu_ns("BM_Re2PerRule/%s/ascii/128" % ruleset)),
        ])
    table(out, ["terms", "compile (hs)", "database (hs)", "load (hs)",
                "compile (re2)", "load (re2)", "scan (hs)", "vs 100 terms", "scan (re2)", "bare hs_scan",
                "RE2::Set", "per-rule RE2"], rows)

    add("## Profile: where a 128-byte message goes")
    add("")
    add("child_safety, ASCII, one thread, CPU time per message. Stages are "
        "measured alone (bench/stage_bench.cc), so they do not add up "
        "exactly; *other* is the whole scan minus normalization and the "
        "bare matchers: folded views, word-boundary checks, offset mapping "
        "and bookkeeping; the Verdict is reset and its stats filled even when "
        "nothing matches.")
    add("")
    none = r.cpu_ns("BM_ScanHits/child_safety/hyperscan/ascii/128/none")
    allhit = r.cpu_ns("BM_ScanHits/child_safety/hyperscan/ascii/128/all")
    normalize = r.cpu_ns("BM_Normalize/ascii/128")
    bare = r.cpu_ns("BM_BareHyperscan/child_safety/ascii/128")
    other = None
    if None not in (none, normalize, bare):
        other = none - normalize - bare
    # The folded view, from normalize_bench: folded minus base, per byte.
    folded = None
    base_bps = r.value("BM_NormalizeBase/ascii", "bytes_per_second")
    folded_bps = r.value("BM_NormalizeFolded/ascii", "bytes_per_second")
    if base_bps and folded_bps:
        folded = 128 * (1e9 / folded_bps - 1e9 / base_bps)
    rows = [
        ["whole scan, benign message (Hyperscan)", ns(none)],
        ["  normalization (`Normalize`, NFKC_Casefold + byte map)",
         ns(normalize)],
        ["  bare hs_scan, the Engine's database, once", ns(bare)],
        ["  other", ns(other)],
        ["    of which the folded view (`FoldAscii`; normalize_bench, "
         "per byte x 128)", ns(folded)],
        ["whole scan, every message flagged (Hyperscan)", ns(allhit)],
        ["  rule evaluation alone, per flagged message (%s hits, %s rules)" % (
            "%.1f" % r.value("BM_RuleEval/child_safety", "hits_per_msg")
            if r.get("BM_RuleEval/child_safety") else NA,
            "%.1f" % r.value("BM_RuleEval/child_safety", "rules_per_msg")
            if r.get("BM_RuleEval/child_safety") else NA),
         ns(r.cpu_ns("BM_RuleEval/child_safety"))],
        ["  Verdict construction (rule matches and matches)",
         ns(r.cpu_ns("BM_VerdictBuild/child_safety"))],
        ["Verdict `SerializeToString`, benign / flagged", "%s / %s" % (
            ns(r.cpu_ns("BM_VerdictSerialize/child_safety/benign")),
            ns(r.cpu_ns("BM_VerdictSerialize/child_safety/flagged")))],
        ["Verdict to a JSON line (as the CLI), benign / flagged", "%s / %s" % (
            ns(r.cpu_ns("BM_VerdictJson/child_safety/benign")),
            ns(r.cpu_ns("BM_VerdictJson/child_safety/flagged")))],
        ["whole scan, benign message (RE2 backend)",
         ns(r.cpu_ns("BM_ScanHits/child_safety/re2/ascii/128/none"))],
    ]
    table(out, ["stage", "CPU per message"], rows)
    benign = "BM_ScanHits/child_safety/hyperscan/ascii/128/none"
    hits = r.value(benign, "term_hits_per_msg")
    rules = r.value(benign, "rules_per_msg")
    db_hits = r.value("BM_BareHyperscan/child_safety/ascii/128",
                      "hits_per_msg")
    if hits is not None:
        add("A benign message is not an empty one: on average it has %.2f "
            "term occurrences (after word-boundary checks) and %.2f rules "
            "evaluated; one scan of the Engine's database over the "
            "normalized text reports %s hits per message (a phrase, or a "
            "regex or a string it must contain, which RE2 then checks)." % (
                hits, rules or 0,
                NA if db_hits is None else "%.2f" % db_hits))
        add("")
    perf(out, args.results)

    add("## Normalization alone")
    add("")
    add("ns per input byte. *Normalize*: the base view alone, on the "
        "messages above (scan_bench). *base* / *folded*: "
        "bench/normalize_bench.cc on 1 KiB texts; *folded* adds the folded "
        "view the scanner matches phrases in (diacritics, homoglyphs, "
        "leetspeak) with its byte maps.")
    add("")
    rows = []
    for kind in KINDS:
        row = [kind]
        for s in (128, 1024):
            name = "BM_Normalize/%s/%d" % (kind, s)
            bps = r.value(name, "bytes_per_second")
            row.append(NA if not bps else "%.2f" % (1e9 / bps))
        for which in ("Base", "Folded"):
            bps = r.value("BM_Normalize%s/%s" % (which, kind),
                          "bytes_per_second")
            row.append(NA if not bps else "%.2f" % (1e9 / bps))
        rows.append(row)
    table(out, ["text", "Normalize, 128 B", "Normalize, 1 KiB",
                "base, 1 KiB", "folded, 1 KiB"], rows)

    add("## Latency and allocations")
    add("")
    add("bench/latency_bench.cc: each scan timed with `steady_clock` (its own "
        "20-40 ns included), percentiles over every scan of the run; "
        "allocations counted by a replaced `operator new` after a warm-up "
        "pass. child_safety; *mixed* has 1 message in 100 flagged, "
        "*benign* none.")
    add("")
    rows = []
    for backend in ("hyperscan", "re2"):
        for kind, s in [("ascii", 128), ("ascii", 1024), ("ascii", 16384),
                        ("cyrillic", 128), ("emoji", 128)]:
            for mix in ("mixed", "benign"):
                name = "BM_Latency/child_safety/%s/%s/%d/%s" % (
                    backend, kind, s, mix)
                if r.get(name) is None:
                    continue
                allocs = r.value(name, "allocs_per_scan")
                rows.append(["%s, %s, %d B, %s" % (backend, kind, s, mix)] + [
                    ns(r.value(name, k))
                    for k in ("p50_ns", "p99_ns", "p999_ns", "max_ns")] + [
                    "%.2f" % allocs])
    table(out, ["", "p50", "p99", "p99.9", "max", "allocations / scan"], rows)

    add("## Conversation tracker")
    add("")
    for line in tracker_section(r):
        add(line)
    add("")

    out.extend(cli_section(r.cli, r.cli_before))
    out.extend(service_section(r.serve))

    add("## How to read these numbers")
    add("")
    for line in HOW_TO_READ:
        add(line)
    add("")
    return "\n".join(out)


def tracker_section(r):
    """The ConversationTracker figures (bench/tracker_bench.cc) as lines."""
    lines = [
        "bench/tracker_bench.cc, rules of examples/conversation_rules.textproto "
        "(per direction, adult to minor). *Updates/s*: wall-clock (all threads "
        "together), and CPU time per update; each update "
        "to a random one of the tracked conversations, 1 in 4 with a signal; "
        "*memory*: heap bytes (glibc `mallinfo2`) per conversation after "
        "filling a tracker; "
        "*scan*: `Scanner::Scan` of the example conversation's messages over "
        "1,000 conversations, without and with `Track()`.",
        ""]
    rows = []
    for conversations in (1000, 1000000):
        row = ["%s conversations" % "{:,}".format(conversations)]
        for threads in (1, 2):
            name = ("BM_TrackerUpdate/conversations:%d/real_time/threads:%d"
                    % (conversations, threads))
            b = r.get(name)
            row.append("%s · %s CPU each" % (
                rate(b.get("items_per_second")), ns(r.cpu_ns(name)))
                if b else NA)
        rows.append(row)
    lines += table_lines(["updates/s", "1 thread", "2 threads"], rows)
    rows = []
    for conversations, signals in ((1000000, 1), (100000, 32)):
        name = ("BM_TrackerMemory/conversations:%d/signals:%d/iterations:1"
                % (conversations, signals))
        value = r.value(name, "bytes_per_conversation")
        rows.append(["%s conversations, %d message%s with signals each" % (
            "{:,}".format(conversations), signals, "" if signals == 1 else "s"),
            NA if value is None else "%d B" % value])
    lines += table_lines(["memory", "per conversation"], rows)
    untracked = r.cpu_ns("BM_Scan/Untracked")
    tracked = r.cpu_ns("BM_Scan/Tracked")
    if untracked and tracked:
        lines.append("- A scan costs %s alone and %s with `Track()`: the "
                     "tracker adds %s per message (%.0f%%)." % (
                         ns(untracked), ns(tracked), ns(tracked - untracked),
                         100.0 * (tracked - untracked) / untracked))
    else:
        lines.append("- Scan cost with and without tracking: n/a")
    return lines


def us(value):
    """123.4 (µs) -> '123 µs'; 4000 -> '4.0 ms'."""
    if value is None:
        return NA
    return "%.1f ms" % (value / 1e3) if value >= 1e3 else "%.0f µs" % value


def service_section(serve):
    """The "Service" section: serve.json, bench/serve_bench.cc's runs."""
    out = []
    add = out.append
    add("## Service")
    add("")
    if not serve:
        add("n/a (serve.json missing)")
        add("")
        return out
    first = serve[0]
    add("`watchword serve` over loopback (issue #14): `serve_bench --threads "
        "%d --window W` (bench/serve_bench.cc). The service runs in the "
        "benchmark's process as `watchword serve` builds it (WatchwordService "
        "on gRPC's synchronous server, `%s`); %d client threads each keep one "
        "ScanStream open over TCP loopback with up to W requests in flight, "
        "sending the %s messages of `tests/data/sms_ham.jsonl` over and over "
        "for %.0f s or so. Latency is from just before a request's `Write()` "
        "to the `Read()` of its verdict. Clients, server and scans share the "
        "machine's cores." % (
            first.get("client_threads", 0), first.get("ruleset", NA),
            first.get("client_threads", 0),
            "{:,}".format(first.get("input_messages", 0)),
            first.get("seconds", 0)))
    add("")
    rows = []
    for run in serve:
        rows.append([
            "%d%s" % (run["window"],
                      " (one request at a time)" if run["window"] == 1
                      else ""),
            rate(run.get("messages_per_second")),
            us(run.get("latency_p50_us")),
            us(run.get("latency_p99_us")),
            rate(run.get("library_one_thread_messages_per_second")),
            "yes" if run.get("ok") else "**no**",
        ])
    table(out, ["window per stream", "messages/s", "p50 latency",
                "p99 latency", "library, 1 thread, same run",
                "every request answered"], rows)
    add("*Library* is one Scanner on one thread scanning the same messages "
        "in process right after each run: what one core does without gRPC "
        "(HTTP/2 framing, one write per verdict on the synchronous API).")
    add("")
    return out


def pct(share):
    return NA if share is None else "%.0f%%" % (100 * share)


def cli_section(cli, before=None):
    """The "Command line" section: cli.json from bench/cli_bench.py, and
    optionally the same from an earlier build (`before`) beside it."""
    out = []
    add = out.append
    add("## Command line")
    add("")
    if cli is None:
        add("n/a (cli.json missing)")
        add("")
        return out
    runs = cli.get("runs", [])
    first = runs[0] if runs else {}
    if cli.get("input", "generated") == "generated":
        corpus = ("%s generated requests (%s of text, %s of JSON Lines; "
                  "about 128 bytes of ASCII chat each, 1 in 100 carrying a "
                  "`should_match` example)" % (
                      "{:,}".format(first.get("messages", 0)),
                      size(first.get("text_bytes")),
                      size(first.get("file_bytes"))))
    else:
        corpus = ("%s requests, `%s` repeated %d times (%s of text, %s of "
                  "JSON Lines)" % (
                      "{:,}".format(first.get("messages", 0)), cli["input"],
                      cli.get("copies", 1), size(first.get("text_bytes")),
                      size(first.get("file_bytes"))))
    source = ("--engine ENGINE" if first.get("engine_file")
              else "--ruleset %s" % cli.get("ruleset", NA))
    add("`watchword scan %s --threads N corpus.jsonl > /dev/null` on %s, "
        "bench/cli_bench.py, best of its runs. *With startup* counts the "
        "whole process, including %s; *scanning* is the CLI's own summary "
        "(reading, parsing, scanning, printing JSON). `--threads N` is N "
        "scanning threads; reading and writing run on two more." % (
            source, corpus,
            "loading the engine file" if first.get("engine_file")
            else "compiling the ruleset"))
    add("")
    rows = []
    for run in runs:
        rows.append([
            "--threads %d" % run["threads"],
            rate(run.get("scan_messages_per_second")),
            "%.2f s" % run["scan_seconds"] if run.get("scan_seconds")
            else NA,
            rate(run["messages_per_second"]),
            "%.2f s / %.2f s" % (run["wall_seconds"], run["cpu_seconds"]),
        ])
    table(out, ["", "messages/s scanning", "scan phase",
                "messages/s with startup", "wall / CPU, whole process"],
          rows)
    if "library" not in cli:
        return out

    library = cli["library"]
    add("The same messages in the same run, in rounds that interleave the "
        "contestants: the library in process (bench/corpus_bench.cc: one "
        "Scanner on one thread, requests parsed beforehand, one reused "
        "Verdict) at %s by wall time and %s per CPU-second, and Python's "
        "`engine.scan_many(dicts, threads=1)` from the same engine file. A "
        "*share* is the library's time over the contestant's, the median "
        "of the rounds' ratios: by wall time (the scan phase, for the "
        "CLI) and by CPU time (the whole process, for the CLI; steadier on "
        "a shared machine)." % (rate(library["messages_per_second"]),
                                rate(library["messages_per_cpu_second"])))
    add("")

    def rows_of(report):
        got = {}
        for run in report.get("runs", []):
            got["CLI --threads %d" % run["threads"]] = (
                run.get("scan_messages_per_second"),
                run.get("share_of_library"), run.get("cpu_share_of_library"))
        if "python" in report:
            py = report["python"]
            got["Python scan_many, 1 thread"] = (
                py["messages_per_second"], py.get("share_of_library"),
                py.get("cpu_share_of_library"))
        return got

    now = rows_of(cli)
    if before:
        then = rows_of(before)
        add("*Before* is `%s`, measured the same way in the same session, "
            "its shares against its own library; *after* is `%s`." % (
                before.get("label", "an earlier build"),
                cli.get("label") or "this build"))
        add("")
        rows = []
        for name, (speed, wall, cpu) in now.items():
            b = then.get(name, (None, None, None))
            rows.append([name, rate(b[0]), pct(b[1]), pct(b[2]), rate(speed),
                         pct(wall), pct(cpu)])
        table(out, ["", "before: messages/s", "share (wall)", "share (CPU)",
                    "after: messages/s", "share (wall)", "share (CPU)"], rows)
    else:
        rows = [[name, rate(speed), pct(wall), pct(cpu)]
                for name, (speed, wall, cpu) in now.items()]
        table(out, ["", "messages/s", "share of library (wall)",
                    "share of library (CPU)"], rows)
    return out


HOW_TO_READ = """\
- Time per message is **CPU time** of the benchmark thread, so figures
  stay comparable when other processes share the machine; wall-clock time
  is only used for the thread-scaling and CLI tables. Look at the load
  average above: on a busy 2-core VM, 2 threads cannot beat 1 by much, and
  percentiles (p99, max) suffer first. Latencies of about 4 ms are the
  kernel giving the core to another process for a scheduler tick, not
  the scan.
- Each figure is the median of several repetitions (see Settings); the
  harness is deterministic (fixed seeds), so two runs scan the same bytes
  and a change of more than a few percent between commits is real.
- A message is **flagged** when its Verdict has a rule match. 1 in 100 is,
  as in production chat; flagged messages cost several times a benign one
  (rule logic, Verdict with matches), which the *every message flagged*
  row of the profile shows.
- The baselines only find terms in text already normalized; the pipeline
  also normalizes (NFKC, case folding, offset map), builds folded views
  that undo disguises, checks whole words, evaluates rules and fills a
  Verdict. A ratio below 1 means the baseline is faster at its (smaller)
  job.
- The Verdict is a C++ protobuf object; serializing it (binary or JSON)
  is a separate cost, shown in the profile. The CLI's figure is dominated
  by JSON parsing and printing, not scanning.
- Google Benchmark's "Library was built as DEBUG" warning is about
  Debian's libbenchmark package, not Watchword, which is built Release.
- `database (hs)` is the Hyperscan bytecode of all views (folded, squeezed,
  joined, masked) the Engine keeps in memory; `compile` is what a hot
  reload of such a ruleset costs, and `load` what a reload from its
  engine file (`watchword compile` output) costs instead.""".splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--build", default="build-bench")
    parser.add_argument("--source", default=".")
    parser.add_argument("--load-before", default="")
    parser.add_argument("--load-after", default="")
    parser.add_argument("--settings", default="")
    parser.add_argument("--out", default="bench/RESULTS.md")
    parser.add_argument("--only-cli", action="store_true",
                        help="print only the Command line section (from "
                        "cli.json and cli_before.json in --results)")
    parser.add_argument("--only-serve", action="store_true",
                        help="print only the Service section (from "
                        "serve.json in --results)")
    args = parser.parse_args()
    if args.only_cli or args.only_serve:
        r = Results(args.results)
        if args.only_cli:
            print("\n".join(cli_section(r.cli, r.cli_before)))
        if args.only_serve:
            print("\n".join(service_section(r.serve)))
        return
    text = report(args)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("report: wrote %s" % args.out)


if __name__ == "__main__":
    main()
