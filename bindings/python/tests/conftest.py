"""Fixtures for the watchword Python tests.

ctest runs these with PYTHONPATH=<build>/python, WATCHWORD_SOURCE_DIR and
WATCHWORD_CLI (the `watchword` binary) set; see CMakeLists.txt.
"""

import os
import pathlib

import pytest

import watchword

SOURCE_DIR = pathlib.Path(
    os.environ.get("WATCHWORD_SOURCE_DIR",
                   pathlib.Path(__file__).resolve().parents[3]))
STARTER = SOURCE_DIR / "rulesets" / "examples" / "starter.textproto"
CONVERSATION = SOURCE_DIR / "examples" / "conversation.jsonl"


@pytest.fixture(scope="session")
def starter_path() -> pathlib.Path:
    assert STARTER.is_file(), f"missing {STARTER}"
    return STARTER


@pytest.fixture(scope="session")
def conversation_path() -> pathlib.Path:
    assert CONVERSATION.is_file(), f"missing {CONVERSATION}"
    return CONVERSATION


@pytest.fixture(scope="session")
def engine(starter_path) -> watchword.Engine:
    return watchword.compile(starter_path)


@pytest.fixture(scope="session")
def cli() -> str:
    """The `watchword` CLI. Missing is a failure, not a skip."""
    path = os.environ.get("WATCHWORD_CLI")
    assert path, "WATCHWORD_CLI is not set (ctest sets it)"
    assert os.access(path, os.X_OK), f"{path} is not executable"
    return path

