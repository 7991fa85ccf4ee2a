"""examples/retro_scan.py: its summary table agrees with scan_many()."""

import collections
import json
import os
import re
import subprocess
import sys

import watchword
from conftest import SOURCE_DIR

SCRIPT = SOURCE_DIR / "examples" / "retro_scan.py"


def run(*args):
    result = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                            capture_output=True, text=True, env=dict(os.environ),
                            check=False)
    assert result.returncode == 0, result.stderr
    return result


def table(stdout, title):
    """{first cell: [other cells]} of the table under `title`."""
    lines = stdout.split(title, 1)[1].strip("\n").split("\n\n")[0].splitlines()
    return {line.split()[0]: line.split()[1:] for line in lines[1:]}


def expected_counts(verdicts):
    by_category = collections.defaultdict(collections.Counter)
    for v in verdicts:
        for key in {(m.category, watchword.Action.Name(m.action))
                    for m in v.rule_matches if not m.shadow}:
            by_category[key[0]][key[1]] += 1
    return by_category


def test_jsonl_summary_matches_scan_many(engine, conversation_path):
    result = run("--threads", "2", conversation_path)
    assert result.stdout.startswith("retro_scan: 20 messages from 1 file(s); "
                                    "ruleset watchword-starter")
    with open(conversation_path, encoding="utf-8") as f:
        verdicts = engine.scan_many([json.loads(line) for line in f])
    rows = table(result.stdout, "per category and action:")
    expected = expected_counts(verdicts)
    assert sorted(rows) == sorted(expected)
    for category, counts in expected.items():
        cells = [int(c) for c in rows[category]]
        assert cells[:4] == [counts[a] for a in ("ACTION_LOG", "ACTION_REVIEW",
                                                 "ACTION_BLOCK", "ACTION_ESCALATE")]
        assert cells[4] == sum(counts.values())
    actions = table(result.stdout, "per verdict action:")
    assert int(actions["escalate"][0]) == sum(
        v.action == watchword.Action.Value("ACTION_ESCALATE") for v in verdicts) >= 1
    assert actions["error"] == ["0"]
    assert "grooming.flattery" in table(result.stdout, "(reported, not enforced):")


def test_csv_with_context_and_extra_fields(tmp_path):
    sample = SOURCE_DIR / "examples" / "reports_sample.csv"
    result = run("--field", "username", "--flagged", sample)
    assert result.stdout.startswith("retro_scan: 12 messages")
    rows = table(result.stdout, "per category and action:")
    # The adult-to-teen meeting proposal escalates; the adult-to-adult one
    # does not; the gift offer and the FreeRobux username are one message.
    assert rows["grooming.meeting"] == ["0", "0", "0", "1", "1"]
    assert rows["grooming.gifts"] == ["0", "1", "0", "0", "1"]
    flagged = table(result.stdout, "Flagged messages:")
    assert flagged["r-108"][0] == "escalate" and "r-109" not in flagged
    assert "r-107" not in flagged  # "a pic of your homework" is exempt.


def test_bad_records_are_counted_not_fatal(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": "add me on snap"}),
        "{not json",
        json.dumps({"id": "b", "text": "hi", "context": {"surface": "SURFACE_MOON"}}),
        "",
        json.dumps({"id": "c", "text": "x" * ((1 << 20) + 1)}),
        json.dumps({"id": "d", "text": "send me a pic"}),
    ]) + "\n", encoding="utf-8")
    result = run(path)
    assert result.stdout.startswith("retro_scan: 5 messages")
    actions = table(result.stdout, "per verdict action:")
    assert actions["error"] == ["3"]
    assert actions["review"] == ["1"] and actions["block"] == ["1"]
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    assert re.search(r"export\.jsonl:2: not JSON", errors[0])
    assert re.search(r"export\.jsonl:3: INVALID_ARGUMENT: context is not", errors[1])
    assert re.search(r"export\.jsonl:5: INVALID_ARGUMENT: field \"body\"", errors[2])


def test_bad_ruleset_exits_2_with_diagnostics(tmp_path):
    bad = tmp_path / "bad.textproto"
    bad.write_text('rules { id: "x" match { term_list: "nope" } }\n')
    result = subprocess.run([sys.executable, str(SCRIPT), "--ruleset", str(bad),
                             str(SOURCE_DIR / "examples" / "conversation.jsonl")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert f"{bad}:1:" in result.stderr and "WW203" in result.stderr
