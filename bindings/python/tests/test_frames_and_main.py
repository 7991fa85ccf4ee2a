"""watchword.to_dataframe() and `python3 -m watchword scan`."""

import csv
import json
import os
import subprocess
import sys

import pytest

import watchword


def run_module(*args, stdin=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run([sys.executable, "-m", "watchword", *args],
                          input=stdin, capture_output=True, text=True,
                          env=env, check=False)


def test_dataframe_has_one_row_per_match(engine):
    pandas = pytest.importorskip("pandas")
    texts = ["🙂🙂 add me on snap", "hello there", "ａｄｄ ｍｅ on snap"]
    verdicts = engine.scan_many(texts)
    frame = watchword.to_dataframe(verdicts, texts=texts)
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == [
        "request_id", "rule_id", "category", "severity", "action", "shadow",
        "field", "term_id", "term_list", "begin", "end", "char_begin",
        "char_end", "text"]
    expected = [(v, r, m) for v in verdicts for r in v.rule_matches
                for m in r.matches]
    assert len(frame) == len(expected) >= 4
    for (_, row), (verdict, rule, match) in zip(frame.iterrows(), expected):
        assert row.rule_id == rule.rule_id
        assert row.category == rule.category
        assert row.severity == watchword.Severity.Name(rule.severity)
        assert row.action == watchword.Action.Name(rule.action)
        assert (row.begin, row.end) == (match.begin, match.end)
        assert (row.field, row.term_id) == (match.field, match.term_id)
    # Character offsets index the str that was scanned.
    for (_, row), text in zip(frame.iterrows(),
                              [texts[0]] * 2 + [texts[2]] * 2):
        assert text[row.char_begin:row.char_end].lower() in (
            "add me", "snap", "ａｄｄ ｍｅ")
    assert frame.char_begin.iloc[0] == 3  # After two 4-byte emoji and a space.


def test_dataframe_without_texts_has_missing_char_offsets(engine):
    pandas = pytest.importorskip("pandas")
    items = [{"id": "a", "text": "add me on snap"}, {"id": "b", "text": "hi"}]
    frame = watchword.to_dataframe(engine.scan_many(items))
    assert set(frame.request_id) == {"a"}
    assert frame.char_begin.isna().all()
    assert frame.begin.tolist() == [0, 10]
    # With the items as texts, the mapping's "text" is the body.
    frame = watchword.to_dataframe(engine.scan_many(items), texts=items)
    assert frame.char_begin.tolist() == [0, 10]
    assert watchword.to_dataframe([]).empty
    assert isinstance(watchword.to_dataframe([]), pandas.DataFrame)


def test_dataframe_names_pandas_when_absent(engine, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails.
    with pytest.raises(ImportError, match="python3-pandas"):
        watchword.to_dataframe([engine.scan("add me on snap")])


def test_module_scan_prints_what_the_cli_prints(cli, starter_path,
                                                conversation_path):
    for flags in ([], ["--echo", "--threads", "2"]):
        ours = run_module("scan", "--ruleset", str(starter_path), *flags,
                          str(conversation_path))
        theirs = subprocess.run(
            [cli, "scan", "--ruleset", str(starter_path), "--progress_every",
             "0", *flags, str(conversation_path)],
            capture_output=True, text=True, check=False)
        assert ours.returncode == theirs.returncode == 0, ours.stderr
        assert ours.stdout == theirs.stdout
        assert len(ours.stdout.splitlines()) == 20


def test_module_scan_reads_csv_and_stdin_with_bundled_rulesets(tmp_path):
    path = tmp_path / "export.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["message_id", "body", "channel"])
        writer.writerow(["m1", "add me on snap, bye", "dm"])
        writer.writerow(["m2", "see you at practice", "dm"])
    result = run_module("scan", "--ruleset", "child_safety", "--id_field",
                        "message_id", "--text_field", "body", str(path))
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["request_id"] for v in verdicts] == ["m1", "m2"]
    assert verdicts[0]["action"] == "ACTION_REVIEW"
    assert "rule_matches" not in verdicts[1]

    stdin = '{"id": 7, "text": "add me on snap"}\nnot json\n\n{"text": "hi"}\n'
    result = run_module("scan", "--ruleset", "examples", stdin=stdin)
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == 3
    assert verdicts[0]["request_id"] == "7"
    assert verdicts[1]["error"]["line"] == 2  # Input lines, as the CLI counts.
    assert verdicts[2]["stats"]["fields_scanned"] == 1


def test_module_scan_exit_status(tmp_path):
    bad = tmp_path / "bad.textproto"
    bad.write_text('rules { id: "x" pattern: "(" }', encoding="utf-8")
    assert run_module("scan", "--ruleset", str(bad)).returncode == 2
    assert run_module("scan", "--ruleset", "examples",
                      str(tmp_path / "missing.jsonl")).returncode == 2
    result = run_module("check")
    assert result.returncode == 2 and "only `scan`" in result.stderr
    assert run_module("--help").returncode == 0


def test_to_json_escapes_as_the_cli_does(cli, starter_path, tmp_path):
    # Every code point of the BMP and the tags block, as a request id: the
    # CLI's printer escapes some that JSON allows raw ('<', C1 controls,
    # zero-width and bidi characters, tags).
    points = [cp for cp in range(0x10000) if not 0xD800 <= cp < 0xE000]
    points += list(range(0x1D170, 0x1D180)) + list(range(0xE0000, 0xE0080))
    path = tmp_path / "ids.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for cp in points:
            f.write(json.dumps({"id": "a" + chr(cp) + "b", "text": ""}) + "\n")
    theirs = subprocess.run(
        [cli, "scan", "--ruleset", str(starter_path), "--progress_every", "0",
         str(path)], capture_output=True, text=True, check=True).stdout
    verdicts = watchword.compile(starter_path).scan_many(
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    ours = "".join(watchword.to_json(v) + "\n" for v in verdicts)
    assert ours.splitlines() == theirs.splitlines()
    assert "\\u200b" in ours and "\\u003c" in ours
