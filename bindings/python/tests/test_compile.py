"""compile(), check_ruleset(), RulesetError and Engine attributes."""

import pathlib
import re
import subprocess

import pytest
from google.protobuf import json_format, text_format

import watchword
from watchword.v1 import diagnostic_pb2, ruleset_pb2

# Two errors (unknown term list on line 6, missing action on line 8) and
# seven warnings (no severity, no category, no examples).
BAD_RULESET = """\
name: "bad"
rules {
  id: "a"
  category: "c"
  action: ACTION_REVIEW
  match { term_list: "no-such-list" }
}
rules { id: "b" match { term { phrase: "hello" } } }
"""

GOOD_RULESET = """\
name: "good"
version: "1"
rules {
  id: "greeting"
  category: "test.greeting"
  severity: SEVERITY_LOW
  action: ACTION_LOG
  match { term { phrase: "hello there" } }
}
"""


def write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_compile_path_str_and_pathlike(starter_path):
    by_str = watchword.compile(str(starter_path))
    by_path = watchword.compile(starter_path)
    assert by_str.info == by_path.info
    info = by_path.info
    assert (info.name, info.version) == ("watchword-starter", "0.1.0")
    assert re.fullmatch(r"[0-9a-f]{16}", info.fingerprint)
    assert info.rule_count == 8
    assert info.pattern_count > info.rule_count
    assert info.backend == ("hyperscan" if watchword.has_hyperscan() else "re2")
    assert "watchword-starter" in repr(by_path)


def test_compile_ruleset_message_gives_same_engine(engine):
    ruleset = engine.ruleset
    assert isinstance(ruleset, ruleset_pb2.Ruleset)
    assert len(ruleset.rules) == 8
    again = watchword.compile(ruleset)
    assert again.info.fingerprint == engine.info.fingerprint
    text = "add me on snap"
    assert again.scan(text) == engine.scan(text)


def test_both_backends_give_identical_verdicts(starter_path, engine):
    re2 = watchword.compile(starter_path, backend="re2")
    assert re2.info.backend == "re2"
    if watchword.has_hyperscan():
        assert watchword.compile(starter_path, backend="hyperscan").info.backend == "hyperscan"
    texts = [e.text for r in engine.ruleset.rules
             for e in list(r.should_match) + list(r.should_not_match) if e.text]
    assert len(texts) > 40
    assert re2.scan_many(texts) == engine.scan_many(texts)


def test_ruleset_error_has_first_error_with_location_and_all_diagnostics(tmp_path):
    path = write(tmp_path, "bad.textproto", BAD_RULESET)
    with pytest.raises(watchword.RulesetError) as caught:
        watchword.compile(path)
    error = caught.value
    assert isinstance(error, ValueError)
    message = str(error)
    # file:line:column of the first error, then its code.
    assert message.startswith(f"{path}:6:"), message
    assert re.match(re.escape(str(path)) + r":6:\d+: error WW203: ", message)
    assert "and 1 more error" in message
    codes = sorted(d.code for d in error.diagnostics)
    assert all(isinstance(d, diagnostic_pb2.Diagnostic) for d in error.diagnostics)
    assert "WW203" in codes and "WW104" in codes  # Both errors.
    assert "WW106" in codes  # And the warnings.
    assert len(codes) == 9
    missing_action = next(d for d in error.diagnostics if d.code == "WW104")
    assert (missing_action.file, missing_action.line) == (str(path), 8)
    assert missing_action.rule_id == "b"
    assert missing_action.severity == diagnostic_pb2.Diagnostic.SEVERITY_ERROR
    first_error = next(d for d in error.diagnostics
                       if d.severity == diagnostic_pb2.Diagnostic.SEVERITY_ERROR)
    assert watchword.format_diagnostic(first_error) == message.split(" (and")[0]


def test_ruleset_error_for_message_names_field_path():
    ruleset = text_format.Parse(BAD_RULESET, ruleset_pb2.Ruleset())
    with pytest.raises(watchword.RulesetError) as caught:
        watchword.compile(ruleset)
    assert str(caught.value).startswith("rules[0].match.term_list: error WW203")
    assert len(caught.value.diagnostics) == 9
    assert all(d.file == "" and d.field_path for d in caught.value.diagnostics)


def test_syntax_error_is_ruleset_error_with_location(tmp_path):
    path = write(tmp_path, "syntax.textproto", 'name: "x"\nrules { id: "a" \n')
    with pytest.raises(watchword.RulesetError) as caught:
        watchword.compile(path)
    assert str(caught.value).startswith(f"{path}:3:")
    assert [d.code for d in caught.value.diagnostics] == ["WW001"]


def as_source(diagnostics, path):
    """(file, line, column, code, message) with `path` read as "<source>"."""
    return [("<source>" if d.file == str(path) else d.file, d.line, d.column,
             d.code, d.message.replace(str(path), "<source>"))
            for d in diagnostics]


def test_source_text_compiles_like_its_file(tmp_path):
    from_file = watchword.compile(write(tmp_path, "good.textproto", GOOD_RULESET))
    for source in (GOOD_RULESET, GOOD_RULESET.encode()):
        engine = watchword.compile(source=source)
        assert engine.info == from_file.info
        assert engine.scan("well hello there") == from_file.scan("well hello there")
        assert watchword.flagged(engine.scan("well hello there"))
    # Proto JSON, recognized by its "{".
    ruleset = text_format.Parse(GOOD_RULESET, ruleset_pb2.Ruleset())
    engine = watchword.compile(source="\n  " + json_format.MessageToJson(ruleset),
                               backend="re2")
    assert engine.info.fingerprint == from_file.info.fingerprint
    assert engine.info.backend == "re2"


def test_source_errors_carry_line_and_column_like_a_file(tmp_path):
    path = write(tmp_path, "bad.textproto", BAD_RULESET)
    with pytest.raises(watchword.RulesetError) as from_file:
        watchword.compile(path)
    with pytest.raises(watchword.RulesetError) as from_source:
        watchword.compile(source=BAD_RULESET)
    assert str(from_source.value) == str(from_file.value).replace(str(path), "<source>")
    assert str(from_source.value).startswith("<source>:6:")
    assert (as_source(from_source.value.diagnostics, path)
            == as_source(from_file.value.diagnostics, path))
    assert all(d.file == "<source>" and d.line > 0
               for d in from_source.value.diagnostics)
    assert (as_source(watchword.check_ruleset(source=BAD_RULESET), path)
            == as_source(watchword.check_ruleset(path), path))
    # Syntax errors, in text format and JSON.
    with pytest.raises(watchword.RulesetError, match=r"^<source>:3:") as caught:
        watchword.compile(source='name: "x"\nrules { id: "a" \n')
    assert [d.code for d in caught.value.diagnostics] == ["WW001"]
    with pytest.raises(watchword.RulesetError, match=r"^<source>") as caught:
        watchword.compile(source='{"name": "x", "rules": [{"id": 1')
    assert caught.value.diagnostics[0].file == "<source>"


def test_source_leaves_no_temporary_files(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    watchword.compile(source=GOOD_RULESET)
    with pytest.raises(watchword.RulesetError):
        watchword.compile(source=BAD_RULESET)
    watchword.check_ruleset(source=BAD_RULESET)
    assert list(scratch.iterdir()) == []


def test_source_or_ruleset_not_both(tmp_path):
    path = write(tmp_path, "good.textproto", GOOD_RULESET)
    with pytest.raises(TypeError, match="not both"):
        watchword.compile(path, source=GOOD_RULESET)
    with pytest.raises(TypeError, match="source="):
        watchword.compile()
    with pytest.raises(TypeError, match="str or bytes"):
        watchword.compile(source=ruleset_pb2.Ruleset())
    with pytest.raises(TypeError, match="not both"):
        watchword.check_ruleset(path, source=GOOD_RULESET)


def test_missing_path_is_file_not_found(tmp_path):
    missing = tmp_path / "nope.textproto"
    with pytest.raises(FileNotFoundError, match="no such file"):
        watchword.compile(missing)
    diagnostics = watchword.check_ruleset(missing)
    assert [(d.code, d.file) for d in diagnostics] == [("WW002", str(missing))]


def test_check_ruleset_returns_errors_and_warnings_without_raising(tmp_path, cli):
    path = write(tmp_path, "bad.textproto", BAD_RULESET)
    bad = watchword.check_ruleset(path)
    # Exactly what `watchword check` prints, in the same order.
    result = subprocess.run([cli, "check", str(path)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    cli_lines = [line for line in result.stdout.splitlines()
                 if line.startswith(str(path) + ":")]
    assert [watchword.format_diagnostic(d) for d in bad] == cli_lines
    severities = {d.code: d.severity for d in bad}
    assert severities["WW203"] == diagnostic_pb2.Diagnostic.SEVERITY_ERROR
    assert severities["WW106"] == diagnostic_pb2.Diagnostic.SEVERITY_WARNING
    good = watchword.check_ruleset(write(tmp_path, "good.textproto", GOOD_RULESET))
    assert [d for d in good if d.severity == d.SEVERITY_ERROR] == []
    # The same check on a message.
    ruleset = text_format.Parse(BAD_RULESET, ruleset_pb2.Ruleset())
    assert sorted(d.code for d in watchword.check_ruleset(ruleset)) == sorted(d.code for d in bad)


def test_check_ruleset_reports_invalid_utf8_without_raising(tmp_path):
    # Raw bytes that are not UTF-8 in a phrase and a category, and a NUL in
    # a phrase: errors with places, never a DecodeError.
    path = tmp_path / "bytes.textproto"
    path.write_bytes(b'rules { id: "r" category: "c\xff" action: ACTION_LOG\n'
                     b'  match { any { exprs { term { phrase: "sn\xe2\x82p" } }\n'
                     b'                exprs { term { phrase: "a\\000b" } } } } }\n')
    found = watchword.check_ruleset(path)
    errors = [(d.code, d.line, d.column) for d in found
              if d.severity == d.SEVERITY_ERROR]
    assert errors == [("WW007", 1, 17), ("WW007", 2, 32), ("WW212", 3, 32)]
    with pytest.raises(watchword.RulesetError, match="WW007"):
        watchword.compile(path)


def test_warnings_of_a_compiled_engine(tmp_path):
    # No should_match/should_not_match examples: two warnings.
    engine = watchword.compile(write(tmp_path, "good.textproto", GOOD_RULESET))
    codes = sorted(d.code for d in engine.diagnostics)
    assert codes == ["WW402", "WW403"]
    assert engine.scan("well hello there").action == watchword.Action.Value("ACTION_LOG")


def test_directory_of_ruleset_files_is_merged(tmp_path):
    write(tmp_path, "a.textproto", GOOD_RULESET)
    write(tmp_path, "b.textproto",
          'rules { id: "bye" category: "t" severity: SEVERITY_LOW '
          'action: ACTION_REVIEW match { term { phrase: "bye now" } } }')
    engine = watchword.compile(tmp_path)
    assert engine.info.rule_count == 2
    verdict = engine.scan("hello there and bye now")
    assert [m.rule_id for m in verdict.rule_matches] == ["greeting", "bye"]


@pytest.mark.parametrize("backend", ["pcre", "", "HYPERSCAN"])
def test_unknown_backend_is_value_error(starter_path, backend):
    with pytest.raises(ValueError, match="backend must be"):
        watchword.compile(starter_path, backend=backend)


@pytest.mark.parametrize("source", [None, 42, ["a"], ruleset_pb2.Rule()])
def test_wrong_source_type_is_type_error(source):
    with pytest.raises(TypeError, match="expected a path or a watchword.v1.Ruleset"):
        watchword.compile(source)


def test_engine_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="watchword.compile"):
        watchword.Engine()


def test_engine_info_is_read_only(engine):
    with pytest.raises(AttributeError):
        engine.info = None
    with pytest.raises(Exception):
        engine.info.name = "other"
