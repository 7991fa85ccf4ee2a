#!/usr/bin/env python3
"""Retro-scans an export of reported conversations with a Watchword ruleset.

Reads a CSV or JSON Lines export, scans every message and prints how many
messages each category matched, by action. Needs only the standard library
and the `watchword` package:

    PYTHONPATH=build/python python3 examples/retro_scan.py \\
        --ruleset rulesets/examples/starter.textproto examples/conversation.jsonl
    PYTHONPATH=build/python python3 examples/retro_scan.py --threads 2 \\
        --field username examples/reports_sample.csv

Input records have an `id`, a `text` and optionally context:
  * CSV: a header row; columns `id` and `text` (see --id-column and
    --text-column), context columns named like watchword.v1.Context fields
    (sender_age_band, recipient_age_band, surface, relationship,
    sender_account_age_days, conversation_id, timestamp_ms) and any extra
    text columns named with --field. Empty cells are ignored.
  * JSON Lines: one object per line, either the CLI's ScanRequest shape
    ({"id", "text", "fields", "context"}) or flat like a CSV row.

A record that cannot be scanned (a bad context value, a field over 1 MiB)
is counted under "errors" with its line, and the scan goes on.
"""

import argparse
import collections
import csv
import json
import pathlib
import sys
import time

import watchword

CONTEXT_FIELDS = ("sender_age_band", "recipient_age_band", "surface",
                  "relationship", "sender_account_age_days",
                  "conversation_id", "timestamp_ms")
ACTIONS = ("ACTION_LOG", "ACTION_REVIEW", "ACTION_BLOCK", "ACTION_ESCALATE")
DEFAULT_RULESET = (pathlib.Path(__file__).resolve().parent.parent /
                   "rulesets" / "examples" / "starter.textproto")


def request_from_row(row, args):
    """Maps one flat record (a CSV row or JSON object) to a request dict."""
    if "context" in row or "fields" in row:  # Already a ScanRequest shape.
        return row
    request = {"id": row.get(args.id_column) or "",
               "text": row.get(args.text_column) or ""}
    context = {k: row[k] for k in CONTEXT_FIELDS if row.get(k) not in (None, "")}
    if context:
        request["context"] = context
    fields = {f: row[f] for f in args.field if row.get(f) not in (None, "")}
    if fields:
        request["fields"] = fields
    return request


def read_records(path, args, errors):
    """Yields (line, request); `line` is the 1-based line in the file.

    A JSON line that does not parse is appended to `errors` and skipped.
    """
    is_csv = args.format == "csv" or (
        args.format == "auto" and path.suffix.lower() in (".csv", ".tsv"))
    # Undecodable bytes become U+FFFD: this script reports counts, not spans.
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        if is_csv:
            dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
            reader = csv.DictReader(f, dialect=dialect)
            for row in reader:
                yield reader.line_num, request_from_row(row, args)
            return
        for line_number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{path}:{line_number}: not JSON: {e.msg}")
                continue
            if not isinstance(row, dict):
                errors.append(f"{path}:{line_number}: not a JSON object")
                continue
            yield line_number, request_from_row(row, args)


def print_table(title, header, rows, out):
    """Prints `rows` (lists of cells) under `header`, columns aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    numeric = [all(isinstance(r[i], int) for r in rows) for i in range(len(header))]
    print(f"\n{title}", file=out)
    for r in [header] + rows:
        cells = [str(c).rjust(w) if n else str(c).ljust(w)
                 for c, w, n in zip(r, widths, numeric)]
        print(("  " + "  ".join(cells)).rstrip(), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", type=pathlib.Path,
                        help="CSV (.csv/.tsv) or JSON Lines files")
    parser.add_argument("--ruleset", default=str(DEFAULT_RULESET),
                        help="ruleset file or directory (default: the starter)")
    parser.add_argument("--backend", choices=("hyperscan", "re2"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--format", choices=("auto", "csv", "jsonl"), default="auto")
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--field", action="append", default=[],
                        help="another text column to scan, e.g. username")
    parser.add_argument("--flagged", action="store_true",
                        help="also list each message with an enforced match")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")

    try:
        engine = watchword.compile(args.ruleset, backend=args.backend)
    except (watchword.RulesetError, FileNotFoundError) as e:
        print(f"retro_scan: {e}", file=sys.stderr)
        for d in getattr(e, "diagnostics", []):
            print("  " + watchword.format_diagnostic(d), file=sys.stderr)
        return 2

    Action = watchword.Action
    by_category = collections.defaultdict(collections.Counter)  # Enforced.
    shadow = collections.Counter()
    verdict_actions = collections.Counter()
    errors = []
    flagged = []
    unreadable = []  # Lines that are not records; counted as errors.
    messages = 0  # Scanned, with or without an error Verdict.
    start = time.monotonic()
    for path in args.inputs:
        # scan_iter() streams: it reads a batch of requests, then yields
        # their verdicts, so `pending` holds at most a batch.
        pending = collections.deque()

        def requests(path=path, pending=pending):
            for line, request in read_records(path, args, unreadable):
                pending.append((line, request.get("id", "")))
                yield request

        for verdict in engine.scan_iter(requests(), threads=args.threads):
            line, request_id = pending.popleft()
            messages += 1
            if verdict.HasField("error"):
                errors.append(f"{path}:{line}: {verdict.error.code}: {verdict.error.message}")
                continue
            verdict_actions[Action.Name(verdict.action)] += 1
            seen = set()
            for m in verdict.rule_matches:
                key = (m.category or "(none)", Action.Name(m.action), m.shadow)
                if key in seen:  # Count messages, not rules.
                    continue
                seen.add(key)
                if m.shadow:
                    shadow[m.category or "(none)"] += 1
                else:
                    by_category[m.category or "(none)"][Action.Name(m.action)] += 1
            if verdict.action != Action.Value("ACTION_UNSPECIFIED"):
                rules = ",".join(m.rule_id for m in verdict.rule_matches if not m.shadow)
                flagged.append((request_id, Action.Name(verdict.action)[7:].lower(), rules))
    seconds = time.monotonic() - start
    messages += len(unreadable)
    errors = unreadable + errors

    info = engine.info
    out = sys.stdout
    print(f"retro_scan: {messages} messages from {len(args.inputs)} file(s); "
          f"ruleset {info.name} {info.version} ({info.fingerprint}), "
          f"backend {info.backend}, {args.threads} thread(s), {seconds:.2f} s", file=out)
    header = ["category"] + [a[7:].lower() for a in ACTIONS] + ["total"]
    rows = [[c] + [counts[a] for a in ACTIONS] + [sum(counts.values())]
            for c, counts in sorted(by_category.items())]
    print_table("Messages with an enforced match, per category and action:",
                header, rows or [["(none)"] + [0] * (len(ACTIONS) + 1)], out)
    if shadow:
        print_table("Shadow rules (reported, not enforced):", ["category", "messages"],
                    [[c, n] for c, n in sorted(shadow.items())], out)
    print_table("Messages per verdict action:", ["action", "messages"],
                [[a[7:].lower() if a != "ACTION_UNSPECIFIED" else "none",
                  verdict_actions[a]]
                 for a in ("ACTION_UNSPECIFIED",) + ACTIONS] + [["error", len(errors)]], out)
    if args.flagged and flagged:
        print_table("Flagged messages:", ["id", "action", "rules"],
                    [list(f) for f in flagged], out)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
