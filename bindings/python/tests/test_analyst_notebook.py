"""examples/analyst_notebook.py runs end to end: its table and its PNG."""

import collections
import csv
import os
import struct
import subprocess
import sys

import watchword
from conftest import SOURCE_DIR

SCRIPT = SOURCE_DIR / "examples" / "analyst_notebook.py"
EXPORT = SOURCE_DIR / "examples" / "moderation_export.csv"


def test_notebook_writes_the_table_and_the_plot(starter_path, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    out = tmp_path / "out"
    # The starter ruleset compiles in a second; the notebook's default,
    # child_safety, takes much longer.
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--ruleset", str(starter_path),
         "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

    # The table: flagged messages per (category, rule, action), as the
    # Verdicts of the same messages give them.
    with open(EXPORT, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    verdicts = watchword.compile(starter_path).scan_many(
        [{"id": r["message_id"], "text": r["body"],
          "context": {k: r[k] for k in ("sender_age_band", "recipient_age_band")}}
         for r in rows])
    expected = collections.Counter()
    for verdict in verdicts:
        for rule in {(m.category, m.rule_id, watchword.Action.Name(m.action))
                     for m in verdict.rule_matches}:
            expected[rule] += 1
    with open(out / "flagged_by_rule.csv", newline="", encoding="utf-8") as f:
        table = {(r["category"], r["rule_id"], r["action"]): int(r["messages"])
                 for r in csv.DictReader(f)}
    assert table == dict(expected)
    assert len(table) >= 4
    flagged = sum(watchword.flagged(v) for v in verdicts)
    assert f"{flagged} of {len(rows)} messages flagged" in result.stdout

    # The plot: a PNG of a sensible size.
    png = (out / "flagged_by_category.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 300 and height >= 150
