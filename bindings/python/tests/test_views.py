"""Engine.views(): the views of a text an Engine matches, mapped back."""

import pytest
from google.protobuf import text_format

import watchword
from watchword.v1 import ruleset_pb2

RULESET = """
name: "views" version: "1"
normalization { equivalences { words: "your" words: "ur" } }
rules { id: "send" action: ACTION_REVIEW category: "c.send"
        match { term { phrase: "send" } } }
rules { id: "pic" action: ACTION_REVIEW category: "c.pic"
        match { term { phrase: "pic" } } }
"""


@pytest.fixture(scope="module")
def views_engine():
    return watchword.compile(text_format.Parse(RULESET, ruleset_pb2.Ruleset()))


def names(views):
    return [v.name for v in views]


def by_name(views, name):
    return next(v for v in views if v.name == name)


def check_map(view, original_bytes):
    n = len(view.text.encode())
    assert len(view.begin) == len(view.end) == len(view.folds) == n
    for i in range(n):
        assert 0 <= view.begin[i] < view.end[i] <= len(original_bytes)


def test_plain_text_has_base_and_folded_views(views_engine):
    views = views_engine.views("Hello there")
    assert names(views) == ["base", "folded"]
    assert views[0].text == "hello there"
    assert all(f == () for v in views for f in v.folds)
    assert not any(v.alternate_leet for v in views)


def test_base_view_is_normalize(views_engine):
    text = "Straße \u200bsend"
    base = views_engine.views(text)[0]
    normalized = watchword.normalize(text)
    assert (base.text, base.begin, base.end) == (
        normalized.text, normalized.begin, normalized.end)


def test_joined_view_maps_back_to_the_spaced_letters(views_engine):
    text = "s 3 n d ur p*c"
    views = views_engine.views(text)
    # The second joined reading keeps the run's digits as a number.
    assert names(views) == ["base", "folded", "masked", "joined", "joined"]
    joined = by_name(views, "joined")
    assert joined.text.startswith("send ")
    assert views[-1].text.startswith("s3nd ")
    assert joined.original_span(0, 4) == (0, 7)
    assert "FOLD_SPACING" in joined.folds[0]
    assert joined.folds[1] == ("FOLD_LEETSPEAK", "FOLD_SPACING")
    # "ur" is "your" for the matchers: all 4 bytes map to the 2 of "ur".
    folded = by_name(views, "folded")
    assert folded.text == "s 3 n d your p*c"
    at = folded.text.index("your")
    assert folded.original_span(at, at + 4) == (8, 10)
    assert "FOLD_CHAT_SPEAK" in folded.folds[at]
    masked = by_name(views, "masked")
    at = masked.text.index("*")
    assert masked.folds[at] == ("FOLD_MASK",)
    assert masked.original_span(at, at + 1) == (12, 13)
    for view in views:
        check_map(view, text.encode())


def test_squeezed_view(views_engine):
    views = views_engine.views("sennnd")
    assert names(views) == ["base", "folded", "squeezed"]
    squeezed = views[2]
    assert squeezed.text == "send"
    assert squeezed.original_span(2, 3) == (2, 5)
    assert squeezed.folds[2] == ("FOLD_REPEAT",)


def test_offsets_are_utf8_bytes_like_match_offsets(views_engine):
    text = "\u0455\u0435nd it"  # Cyrillic "ѕе": 2 bytes each.
    folded = views_engine.views(text)[1]
    assert folded.text == "send it"
    assert folded.original_span(0, 4) == (0, 6)
    assert folded.folds[1] == ("FOLD_HOMOGLYPH",)
    verdict = views_engine.scan(text)
    match = verdict.rule_matches[0].matches[0]
    assert (match.begin, match.end) == folded.original_span(0, 4)


def test_alternate_views_are_marked(views_engine):
    # "1" is "i" first and "l" in the alternate view; each reading takes the
    # term word a word spells, so "p1c" is "pic" in both.
    views = views_engine.views("p1c 1ove")
    assert names(views) == ["base", "folded", "alternate_folded"]
    assert views[2].alternate_leet and views[2].text == "pic love"
    assert not views[1].alternate_leet and views[1].text == "pic iove"


def test_bytes_input(views_engine):
    views = views_engine.views(b"s e n d \xff")
    assert by_name(views, "joined").text.startswith("send")
    check_map(views[0], b"s e n d \xff")


def test_rejects_what_the_scanner_rejects(views_engine):
    with pytest.raises(ValueError, match="limit is"):
        views_engine.views("a" * ((1 << 20) + 1))
    with pytest.raises(TypeError):
        views_engine.views(42)


def test_original_span_checks_its_range(views_engine):
    view = views_engine.views("send")[0]
    with pytest.raises(IndexError):
        view.original_span(2, 9)
