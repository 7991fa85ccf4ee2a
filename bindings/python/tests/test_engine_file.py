"""Engine.save(), load_engine(), Engine.serialize(), deserialize_engine()."""

import pathlib

import pytest

import watchword
from watchword.v1 import context_pb2

from conftest import SOURCE_DIR

CHILD_SAFETY = SOURCE_DIR / "rulesets" / "child_safety"


def requests(conversation_path: pathlib.Path):
    lines = conversation_path.read_text(encoding="utf-8").splitlines()
    from google.protobuf import json_format
    out = [json_format.Parse(line, context_pb2.ScanRequest())
           for line in lines if line.strip()]
    # Disguised spellings, sent by an adult to a 13-15 year old.
    for text in ["s3nd m3 a p1c", "ѕеnd me a pic", "s e n d a p*c",
                 "dont tell ur mom", "add me on snapchat", "sennnd a pic"]:
        request = context_pb2.ScanRequest(text=text)
        request.context.sender_age_band = watchword.AgeBand.Value(
            "AGE_BAND_ADULT")
        request.context.recipient_age_band = watchword.AgeBand.Value(
            "AGE_BAND_13_15")
        out.append(request)
    return out


@pytest.mark.parametrize("ruleset", ["starter", "child_safety"])
def test_loaded_engine_scans_like_the_compiled_one(tmp_path, starter_path,
                                                   conversation_path, ruleset):
    path = starter_path if ruleset == "starter" else CHILD_SAFETY
    compiled = watchword.compile(path)
    engine_path = tmp_path / f"{ruleset}.wwengine"
    compiled.save(engine_path)
    loaded = watchword.load_engine(engine_path)
    assert loaded.info == compiled.info
    assert loaded.ruleset == compiled.ruleset
    assert loaded.diagnostics == []
    reqs = requests(conversation_path)
    expected = compiled.scan_many(reqs)
    assert loaded.scan_many(reqs, threads=2) == expected
    assert sum(1 for v in expected if v.rule_matches) >= 5


def test_serialize_round_trips(engine):
    data = engine.serialize()
    assert isinstance(data, bytes)
    loaded = watchword.deserialize_engine(data)
    assert loaded.info == engine.info
    assert loaded.serialize() == data
    assert loaded.scan("add me on snap") == engine.scan("add me on snap")


def test_save_accepts_str_and_bytes_paths(tmp_path, engine):
    engine.save(str(tmp_path / "a.wwengine"))
    engine.save(bytes(tmp_path / "b.wwengine"))
    assert (tmp_path / "a.wwengine").read_bytes() == (
        tmp_path / "b.wwengine").read_bytes()


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.wwengine"):
        watchword.load_engine(tmp_path / "absent.wwengine")


def test_save_to_missing_directory_is_file_not_found(tmp_path, engine):
    with pytest.raises(FileNotFoundError, match="no/such/dir"):
        engine.save(tmp_path / "no" / "such" / "dir" / "x.wwengine")


def test_ruleset_is_not_an_engine_file(starter_path):
    with pytest.raises(watchword.EngineFileError,
                       match="not a watchword engine file") as e:
        watchword.load_engine(starter_path)
    assert e.value.code == "INVALID_ARGUMENT"
    assert isinstance(e.value, ValueError)


def test_truncated_and_damaged_bytes_are_data_loss(engine):
    data = engine.serialize()
    for size in (0, 5, 27, 100, len(data) // 2, len(data) - 1):
        with pytest.raises(watchword.EngineFileError) as e:
            watchword.deserialize_engine(data[:size])
        assert e.value.code == "DATA_LOSS", size
        assert "truncated" in str(e.value)
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    with pytest.raises(watchword.EngineFileError, match="checksum") as e:
        watchword.deserialize_engine(bytes(damaged))
    assert e.value.code == "DATA_LOSS"


def test_other_format_version_says_to_recompile(engine):
    data = bytearray(engine.serialize())
    data[8] = 99  # The little-endian format version follows the magic.
    with pytest.raises(watchword.EngineFileError,
                       match="format version 99.*recompile") as e:
        watchword.deserialize_engine(bytes(data))
    assert e.value.code == "FAILED_PRECONDITION"


def test_deserialize_needs_bytes():
    with pytest.raises(TypeError, match="must be bytes"):
        watchword.deserialize_engine("not bytes")
