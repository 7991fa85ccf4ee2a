"""The Python bindings and the `watchword scan` CLI give identical verdicts."""

import json
import subprocess

import pytest
from google.protobuf import json_format

import watchword
from watchword.v1 import verdict_pb2


def cli_scan(cli, ruleset, input_path, *flags):
    result = subprocess.run(
        [cli, "scan", "--ruleset", str(ruleset), "--progress_every", "0",
         *flags, str(input_path)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def python_requests(input_path):
    with open(input_path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.parametrize("backend", ["default", "re2"])
@pytest.mark.parametrize("echo", [False, True])
def test_conversation_verdicts_equal_cli(cli, starter_path, conversation_path,
                                         backend, echo):
    flags = ["--backend", backend] if backend != "default" else []
    if echo:
        flags.append("--echo")
    cli_lines = cli_scan(cli, starter_path, conversation_path, *flags)
    engine = watchword.compile(starter_path, backend=backend)
    verdicts = engine.scan_many(python_requests(conversation_path), threads=2,
                                echo=echo)
    assert len(cli_lines) == len(verdicts) == 20
    for line, verdict in zip(cli_lines, verdicts):
        # As protos, and as the CLI's JSON (proto field names).
        assert json_format.Parse(line, verdict_pb2.Verdict()) == verdict
        assert json.loads(line) == json_format.MessageToDict(
            verdict, preserving_proto_field_name=True)
        assert json.loads(line) == watchword.to_dict(verdict)
    # The conversation escalates; make sure the comparison saw real matches.
    assert sum(len(v.rule_matches) for v in verdicts) >= 8


def test_rejected_requests_equal_cli(cli, starter_path, conversation_path, tmp_path):
    # Requests the scanner rejects get the same error verdict, with the
    # item's position as the CLI's line number.
    lines = conversation_path.read_text(encoding="utf-8").splitlines()[:5]
    lines.append(json.dumps({"id": "big", "text": "a" * ((1 << 20) + 1)}))
    lines.append(json.dumps({"id": "many", "fields": [
        {"name": f"f{i}", "text": "x"} for i in range(17)]}))
    lines.append(json.dumps({"id": "noname", "fields": [{"text": "x"}]}))
    lines.append(json.dumps({"id": "ok", "text": "add me on snap"}))
    path = tmp_path / "rejected.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    cli_lines = cli_scan(cli, starter_path, path)
    verdicts = watchword.compile(starter_path).scan_many(python_requests(path))
    assert len(cli_lines) == len(verdicts) == 9
    for line, verdict in zip(cli_lines, verdicts):
        assert json_format.Parse(line, verdict_pb2.Verdict()) == verdict
    assert [v.error.line for v in verdicts[5:]] == [6, 7, 8, 0]
