"""The rulesets that ship with watchword, as package data.

The build copies each directory of the repository's rulesets/ here, so an
installed package compiles them from anywhere::

    import watchword

    engine = watchword.compile(watchword.rulesets.path("child_safety"))
    watchword.rulesets.names()   # ['child_safety', 'examples']

A name is the directory's name in the repository: rulesets/child_safety is
"child_safety" (its README.md describes it), rulesets/examples (the starter
ruleset) is "examples".
"""

from __future__ import annotations

import pathlib
from typing import List

__all__ = ["names", "path"]

_HERE = pathlib.Path(__file__).resolve().parent


def names() -> List[str]:
    """The names of the bundled rulesets, sorted."""
    return sorted(entry.name for entry in _HERE.iterdir()
                  if entry.is_dir() and not entry.name.startswith(("_", ".")))


def path(name: str) -> pathlib.Path:
    """The directory of the bundled ruleset `name`, for watchword.compile().

    Its ruleset files are merged when compiled, as for any directory.

    Raises:
        ValueError: No bundled ruleset has that name.
    """
    if name not in names():
        raise ValueError(f"no bundled ruleset named {name!r}; there are: "
                         f"{', '.join(names())}")
    return _HERE / name
