"""watchword.rulesets: the bundled rulesets, as package data."""

import pathlib

import pytest

import watchword
from conftest import SOURCE_DIR

REPO_RULESETS = SOURCE_DIR / "rulesets"


def test_every_repository_ruleset_is_bundled_byte_for_byte():
    expected = sorted(d.name for d in REPO_RULESETS.iterdir() if d.is_dir())
    assert watchword.rulesets.names() == expected
    assert "child_safety" in expected
    package_dir = pathlib.Path(watchword.__file__).parent
    for name in expected:
        bundled = watchword.rulesets.path(name)
        assert bundled.parent.parent == package_dir
        files = sorted(f.name for f in (REPO_RULESETS / name).iterdir())
        assert sorted(f.name for f in bundled.iterdir()) == files
        for file in files:
            assert (bundled / file).read_bytes() == (REPO_RULESETS / name / file).read_bytes()


def test_bundled_child_safety_compiles_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # RE2: a quarter of Hyperscan's compile time here. The files are the
    # repository's (above), so one compile shows the path works.
    engine = watchword.compile(watchword.rulesets.path("child_safety"), backend="re2")
    assert engine.info.name == "watchword-child-safety"
    assert engine.info.rule_count > 20
    assert watchword.flagged(engine.scan("add me on snap"))
    starter = watchword.compile(watchword.rulesets.path("examples"))
    assert starter.info.name == "watchword-starter"


@pytest.mark.parametrize("name", ["nope", "../v1", "", "__pycache__"])
def test_unknown_name_is_value_error(name):
    with pytest.raises(ValueError, match="no bundled ruleset named"):
        watchword.rulesets.path(name)
