"""Python-native results: str offsets, flagged(), to_dict() and the enums."""

import pytest

import watchword
from watchword.v1 import context_pb2, ruleset_pb2, verdict_pb2

# Disguised texts with non-ASCII characters before and inside what matches,
# so that str indices and UTF-8 byte offsets differ.
DISGUISED = {
    "fullwidth": "ｈｉ！ ａｄｄ ｍｅ ｏｎ ｓｎａｐ ｏｋ？ ｄｏｎ'ｔ ｔｅｌｌ ｕｒ ｍｏｍ",
    # The "а", "е" and "о" of the matches are Cyrillic.
    "cyrillic": "привет! аdd mе on snаp, keep this bеtween us, dоn't tell ur mom",
    "emoji": "🙂🙂 add me on snap 🙈 keep this between us 🤫 don't tell ur mom",
    "mixed": "👋🏽 ｋｅｅｐ ｔｈｉｓ bеtween us — dоn't tell 🙊 ur mom, аdd mе on snаp",
}


def all_matches(verdict):
    return [m for rule_match in verdict.rule_matches for m in rule_match.matches]


@pytest.mark.parametrize("name", sorted(DISGUISED))
def test_char_span_slices_exactly_what_matched(engine, name):
    text = DISGUISED[name]
    verdict = engine.scan(text, echo=True)
    matches = all_matches(verdict)
    assert len(matches) >= 2, name
    data = text.encode()
    spans = []
    for m in matches:
        char_begin, char_end = watchword.char_span(text, m)
        # Match.text is the original text of the occurrence (echo=True).
        assert m.text and text[char_begin:char_end] == m.text, (name, m)
        assert text[char_begin:char_end].encode() == data[m.begin:m.end]
        spans.append((char_begin, char_end))
    # The text before the first match is not ASCII: the two kinds differ.
    assert all(span != (m.begin, m.end) for span, m in zip(spans, matches))


def test_char_span_in_another_field(engine):
    fields = {"username": "ｓｎａｐ", "bio": DISGUISED["emoji"]}
    verdict = engine.scan(fields=fields, echo=True)
    matches = [m for m in all_matches(verdict) if m.field == "bio"]
    assert matches
    for m in matches:
        char_begin, char_end = watchword.char_span(fields[m.field], m)
        assert fields[m.field][char_begin:char_end] == m.text


def test_char_span_of_bytes_and_ascii_is_the_byte_span(engine):
    text = "ok, add me on snap"
    (m,) = [m for m in all_matches(engine.scan(text)) if m.begin > 0][:1]
    assert watchword.char_span(text, m) == (m.begin, m.end)
    data = DISGUISED["emoji"].encode()
    m = all_matches(engine.scan(data))[0]
    assert watchword.char_span(data, m) == (m.begin, m.end) != (0, 0)


def test_char_span_inside_a_character_widens_to_it():
    # A lone surrogate is 3 bytes matched one by one as invalid UTF-8; a
    # span over some of them covers the whole character.
    text = "\ud800x"
    assert watchword.char_span(text, verdict_pb2.Match(begin=1, end=2)) == (0, 1)
    assert watchword.char_span(text, verdict_pb2.Match(begin=3, end=4)) == (1, 2)
    assert watchword.char_span("é", verdict_pb2.Match(begin=0, end=0)) == (0, 0)


def test_char_span_rejects_a_match_of_another_text():
    with pytest.raises(ValueError, match="not inside the 2 bytes"):
        watchword.char_span("é", verdict_pb2.Match(begin=1, end=3))
    with pytest.raises(TypeError, match="str or bytes"):
        watchword.char_span(12, verdict_pb2.Match())


def test_flagged_means_a_rule_matched(engine):
    assert not watchword.flagged(engine.scan("hello, how was school?"))
    assert not watchword.flagged(engine.scan())
    assert watchword.flagged(engine.scan("add me on snap"))
    # A shadow rule alone flags the message without an enforced action.
    shadow = engine.scan("you're so mature for your age")
    assert [rm.shadow for rm in shadow.rule_matches] == [True]
    assert watchword.flagged(shadow)
    assert shadow.action == watchword.Action.ACTION_UNSPECIFIED


def test_to_dict_has_proto_names_and_enum_names(engine):
    verdict = engine.scan("4dd me on sn4p", echo=True)
    d = watchword.to_dict(verdict)
    assert d["action"] == watchword.Action(verdict.action).name
    rule_match = d["rule_matches"][0]
    assert rule_match["rule_id"] == verdict.rule_matches[0].rule_id
    assert rule_match["severity"].startswith("SEVERITY_")
    folds = [f for m in rule_match["matches"] for f in m.get("folds", [])]
    assert "FOLD_LEETSPEAK" in folds
    assert set(d["stats"]) >= {"fields_scanned", "bytes_scanned"}
    assert d["ruleset"]["name"] == engine.info.name


ENUMS = {
    "Action": ruleset_pb2.Action, "Severity": ruleset_pb2.Severity,
    "Mode": ruleset_pb2.Mode, "Fold": ruleset_pb2.Fold,
    "AgeBand": context_pb2.AgeBand, "Surface": context_pb2.Surface,
    "Relationship": context_pb2.Relationship,
}


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_enums_are_python_enums_of_the_proto_values(name):
    cls = getattr(watchword, name)
    assert [(m.name, m.value) for m in cls] == list(ENUMS[name].items())
    for member in cls:
        assert member == member.value and isinstance(member, int)
        assert cls.Value(member.name) is member
        assert cls.Name(member.value) == member.name
    with pytest.raises(ValueError):
        cls.Value("NO_SUCH_NAME")
    with pytest.raises(ValueError):
        cls.Name(999)


def test_enums_read_verdicts_and_fill_messages(engine):
    verdict = engine.scan("4dd me on sn4p")
    folds = {watchword.Fold(f) for rm in verdict.rule_matches for f in rm.folds}
    assert watchword.Fold.FOLD_LEETSPEAK in folds
    assert repr(watchword.Fold.FOLD_LEETSPEAK) == "<Fold.FOLD_LEETSPEAK: 4>"
    context = watchword.Context(recipient_age_band=watchword.AgeBand.AGE_BAND_13_15)
    assert context.recipient_age_band == 2
    assert watchword.Action.ACTION_BLOCK > watchword.Action.ACTION_REVIEW
