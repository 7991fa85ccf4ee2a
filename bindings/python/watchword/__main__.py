"""`python3 -m watchword scan`: the CLI's `scan`, from the Python package.

    python3 -m watchword scan --ruleset child_safety messages.jsonl > verdicts.jsonl
    watchword-scan --ruleset child_safety messages.csv     # the console script

Reads JSON Lines of watchword.v1.ScanRequest (or CSV/TSV with a header row)
and writes one Verdict JSON line per record, in input order, exactly as
`watchword scan` of the C++ tool prints it (watchword.to_json()). Its flags
are the C++ tool's, with the same names and meanings, for those it has;
`--ruleset` also takes the name of a bundled ruleset
(watchword.rulesets.names()). Only `scan` is here: `compile`, `check`,
`test`, `stats` and `diff` are in the C++ tool.

Exit status: 0 when every record was written (even if some carry errors), 2
if the ruleset does not compile, the engine file does not load or the input
cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import sys
from typing import Any, Dict, Iterator, List, Optional, Sequence, TextIO, Tuple

import watchword

# Records scanned per scan_many() call: bounds memory on large inputs.
_BATCH = 4096


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Scan JSON Lines (or CSV/TSV) requests into "
        "verdicts, one JSON line each, in input order.")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="JSON Lines of ScanRequests; - or absent reads stdin")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ruleset", metavar="RULESET",
                        help="ruleset file or directory, or the name of a "
                        "bundled ruleset (%s)" % ", ".join(watchword.rulesets.names()))
    source.add_argument("--engine", metavar="FILE",
                        help="engine file written by `watchword compile`")
    parser.add_argument("--threads", type=int, default=0, metavar="N",
                        help="scanning threads, 1 to 64; 0 (default) is one per core")
    parser.add_argument("--context", metavar="JSON",
                        help="a watchword.v1.Context in proto JSON, merged into "
                        "every request (its set fields replace the record's)")
    parser.add_argument("--echo", action="store_true",
                        help="set echo_matched_text on every request")
    parser.add_argument("--input_format", choices=("jsonl", "csv", "tsv"),
                        help="by default, by FILE's extension (.csv, .tsv; else JSON Lines)")
    parser.add_argument("--id_field", default="id", metavar="PATH",
                        help="dotted path of each record's id (default: id)")
    parser.add_argument("--text_field", default="text", metavar="PATH",
                        help="dotted path of each record's text (default: text)")
    parser.add_argument("--context_field", default="context", metavar="PATH",
                        help="dotted path of each record's Context (default: context)")
    parser.add_argument("--timeout_ms", type=int, default=0, metavar="MS",
                        help="milliseconds each record's scan may take; 0 is no limit")
    parser.add_argument("--backend", choices=("hyperscan", "re2"),
                        help="matcher backend (with --ruleset); verdicts are identical")
    return parser


def _lookup(record: Any, path: str) -> Any:
    """record[a][b]... for the dotted `path` "a.b"; None if absent."""
    for part in path.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def _records(stream: TextIO, input_format: str) -> Iterator[Tuple[int, Any]]:
    """Yields (1-based line number, record or the ValueError it raised)."""
    if input_format == "jsonl":
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue  # Blank lines are not records, as in the CLI.
            try:
                yield number, json.loads(line)
            except ValueError as e:
                yield number, ValueError(f"line {number}: invalid JSON: {e.msg}")
        return
    reader = csv.DictReader(stream, delimiter="," if input_format == "csv" else "\t")
    for row in reader:
        # The record's first line, the header being line 1.
        yield reader.line_num, row


def _request(record: Any, args: argparse.Namespace,
             context: Optional[Dict[str, Any]]) -> Any:
    """The scan_many() item for `record`: a dict with the CLI's field paths
    resolved, or `record` itself (a non-object) for scan_many() to reject."""
    if not isinstance(record, dict):
        return record
    item = {k: v for k, v in record.items()
            if k in ("fields", "echo_matched_text", "echoMatchedText")}
    for key, path in (("id", args.id_field), ("text", args.text_field),
                      ("context", args.context_field)):
        value = _lookup(record, path)
        if value is not None:
            item[key] = value
    if context is not None:
        merged = dict(item.get("context") or {})
        if not isinstance(merged, dict):
            merged = {}
        merged.update(context)
        item["context"] = merged
    return item


def _error_verdict(engine: watchword.Engine, record: Any, line: int,
                   error: Exception) -> watchword.Verdict:
    verdict = watchword.Verdict()
    record_id = _lookup(record, "id") if isinstance(record, dict) else None
    if record_id is not None:
        verdict.request_id = str(record_id)
    verdict.ruleset.name = engine.info.name
    verdict.ruleset.version = engine.info.version
    verdict.ruleset.fingerprint = engine.info.fingerprint
    verdict.error.code = "INVALID_ARGUMENT"
    verdict.error.message = str(error)
    verdict.error.line = line
    return verdict


def scan(argv: Sequence[str], stdout: TextIO, prog: str = "watchword scan") -> int:
    """Runs `scan` with the C++ tool's flags `argv`; returns the exit status."""
    args = _parser(prog).parse_args(argv)
    try:
        if args.engine:
            engine = watchword.load_engine(args.engine)
        else:
            ruleset = args.ruleset
            if not os.path.exists(ruleset) and ruleset in watchword.rulesets.names():
                ruleset = watchword.rulesets.path(ruleset)
            engine = watchword.compile(ruleset, backend=args.backend)
    except (OSError, ValueError) as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 2
    context = None
    if args.context:
        try:
            context = json.loads(args.context)
        except ValueError as e:
            print(f"{prog}: --context is not JSON: {e}", file=sys.stderr)
            return 2
    input_format = args.input_format or (
        "csv" if args.file.endswith(".csv") else
        "tsv" if args.file.endswith(".tsv") else "jsonl")
    threads = args.threads or min(os.cpu_count() or 1, 64)
    timeout = args.timeout_ms / 1000 if args.timeout_ms > 0 else None
    try:
        stream = (io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
                  if args.file == "-" else
                  open(args.file, encoding="utf-8", newline=""))
    except OSError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 2
    with stream:
        records = _records(stream, input_format)
        while True:
            batch: List[Tuple[int, Any]] = list(itertools.islice(records, _BATCH))
            if not batch:
                break
            good = [(line, record) for line, record in batch
                    if not isinstance(record, ValueError)]
            verdicts = iter(engine.scan_many(
                [_request(record, args, context) for _, record in good],
                threads=threads, echo=args.echo, timeout=timeout))
            for line, record in batch:
                if isinstance(record, ValueError):
                    verdict = _error_verdict(engine, None, line, record)
                else:
                    verdict = next(verdicts)
                    if verdict.HasField("error") and verdict.error.line:
                        verdict.error.line = line  # The input line, not the item.
                stdout.write(watchword.to_json(verdict))
                stdout.write("\n")
    stdout.flush()
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python3 -m watchword scan ...`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if argv else 2
    if argv[0] != "scan":
        print(f"python3 -m watchword: unknown command {argv[0]!r}; only `scan` "
              "is here (the others are in the C++ `watchword` tool)",
              file=sys.stderr)
        return 2
    return scan(argv[1:], sys.stdout)


def scan_main() -> int:
    """The `watchword-scan` console script: `scan` without the command word."""
    return scan(sys.argv[1:], sys.stdout, prog="watchword-scan")


if __name__ == "__main__":
    sys.exit(main())
