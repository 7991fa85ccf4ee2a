"""Engine.scan(): behaviour, text handling and error paths."""

import random

import pytest

import watchword
from watchword.v1 import context_pb2, ruleset_pb2, verdict_pb2

MiB = 1 << 20
REVIEW = ruleset_pb2.ACTION_REVIEW
ESCALATE = ruleset_pb2.ACTION_ESCALATE


def scan_example(engine, example):
    return engine.scan(
        example.text or None,
        fields=[{"name": f.name, "text": f.text} for f in example.fields],
        context=example.context)


def test_starter_examples_match_as_the_ruleset_says(engine):
    # Every rule's should_match examples match it, and its near misses don't.
    checked = 0
    for rule in engine.ruleset.rules:
        for example in rule.should_match:
            ids = [m.rule_id for m in scan_example(engine, example).rule_matches]
            assert rule.id in ids, (rule.id, example)
            checked += 1
        for example in rule.should_not_match:
            ids = [m.rule_id for m in scan_example(engine, example).rule_matches]
            assert rule.id not in ids, (rule.id, example)
            checked += 1
    assert checked > 50


def test_readme_example(engine):
    verdict = engine.scan("add me on snap")
    assert isinstance(verdict, verdict_pb2.Verdict)
    assert verdict.action == REVIEW
    assert verdict.severity == ruleset_pb2.SEVERITY_MEDIUM
    [rule_match] = verdict.rule_matches
    assert rule_match.rule_id == "platform.move-off-platform"
    spans = [(m.term_id, m.begin, m.end) for m in rule_match.matches]
    assert spans == [("add me", 0, 6), ("snap", 10, 14)]
    assert [m.text for m in rule_match.matches] == ["", ""]  # No echo.
    assert verdict.ruleset.name == "watchword-starter"
    assert verdict.stats.fields_scanned == 1
    assert verdict.stats.bytes_scanned == 14


def test_benign_text_has_no_action(engine):
    verdict = engine.scan("gg, see you tomorrow")
    assert verdict.action == ruleset_pb2.ACTION_UNSPECIFIED
    assert len(verdict.rule_matches) == 0
    assert not verdict.HasField("error")


def test_echo_copies_matched_text(engine):
    verdict = engine.scan("pls ADD me on ｓｎａｐ", echo=True)
    texts = [m.text for m in verdict.rule_matches[0].matches]
    assert texts == ["ADD me", "ｓｎａｐ"]


def test_spans_are_utf8_byte_offsets(engine):
    text = "héllo 👋 add me on snap"
    data = text.encode()
    verdict = engine.scan(text)
    matches = verdict.rule_matches[0].matches
    assert [data[m.begin:m.end] for m in matches] == [b"add me", b"snap"]
    assert matches[0].begin == len("héllo 👋 ".encode())


def test_bytes_are_scanned_byte_exact(engine):
    data = b"\xff\xfe\x80 add me on snap \xc3"
    verdict = engine.scan(data)
    assert verdict.action == REVIEW
    matches = verdict.rule_matches[0].matches
    assert [data[m.begin:m.end] for m in matches] == [b"add me", b"snap"]
    assert verdict.stats.bytes_scanned == len(data)
    assert engine.scan(bytearray(data)) == verdict


def test_lone_surrogates_are_scanned_as_invalid_utf8(engine):
    text = "\ud800add me on snap\udfff"
    verdict = engine.scan(text, echo=True)
    assert verdict.action == REVIEW
    data = text.encode("utf-8", "surrogatepass")
    matches = verdict.rule_matches[0].matches
    assert [data[m.begin:m.end] for m in matches] == [b"add me", b"snap"]
    assert matches[0].begin == 3
    assert verdict.stats.bytes_scanned == len(data)
    # A surrogate inside a phrase breaks it, as invalid UTF-8 does.
    assert engine.scan("add\ud800me on snap").action != REVIEW


def test_random_bytes_with_echo_never_break_the_verdict(engine):
    rng = random.Random(5)
    items = []
    for i in range(2000):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        items.append(noise + b" send me a pic " + noise if i % 2 else noise)
    verdicts = engine.scan_many(items, echo=True)
    flagged = 0
    for data, verdict in zip(items, verdicts):
        assert not verdict.HasField("error")
        for rule_match in verdict.rule_matches:
            for m in rule_match.matches:
                assert 0 <= m.begin < m.end <= len(data)
                original = data[m.begin:m.end]
                # Echoed text is the original bytes, with invalid UTF-8
                # replaced so that it fits a protobuf string.
                assert m.text == original.decode("utf-8", "replace")
        flagged += verdict.action == ruleset_pb2.ACTION_BLOCK
    assert flagged > 500


def test_none_and_empty_give_an_empty_verdict(engine):
    for verdict in (engine.scan(), engine.scan(None), engine.scan(""),
                    engine.scan(fields={"bio": None})):
        assert verdict.action == ruleset_pb2.ACTION_UNSPECIFIED
        assert verdict.stats.fields_scanned == 0
        assert not verdict.HasField("error")
        assert verdict.ruleset.name == "watchword-starter"


def test_fields_by_name(engine):
    verdict = engine.scan(fields={"bio": "gamer | add me on snap"})
    assert verdict.action == REVIEW
    assert {m.field for m in verdict.rule_matches[0].matches} == {"bio"}
    # The rule does not look at usernames.
    assert engine.scan(fields={"username": "add me on snap"}).action != REVIEW
    as_list = engine.scan(fields=[{"name": "bio", "text": "gamer | add me on snap"}])
    assert as_list == verdict
    both = engine.scan("hi", fields={"username": b"FreeRobux4U"})
    assert [m.rule_id for m in both.rule_matches] == ["gifts.offer"]
    assert both.stats.fields_scanned == 2


def test_context_dict_and_proto_are_equivalent(engine):
    text = "we should meet up this weekend"
    as_dict = engine.scan(text, context={"sender_age_band": "AGE_BAND_ADULT",
                                         "recipient_age_band": "AGE_BAND_13_15",
                                         "timestamp_ms": 1767268800000})
    proto = context_pb2.Context(sender_age_band=context_pb2.AGE_BAND_ADULT,
                                recipient_age_band=context_pb2.AGE_BAND_13_15,
                                timestamp_ms=1767268800000)
    as_proto = engine.scan(text, context=proto)
    assert as_dict == as_proto
    assert as_dict.action == ESCALATE
    # The rule needs a minor recipient.
    adult = engine.scan(text, context={"recipient_age_band": context_pb2.AGE_BAND_ADULT})
    assert adult.action == ruleset_pb2.ACTION_UNSPECIFIED


def test_full_request(engine):
    request = context_pb2.ScanRequest(id="r1", text="send me a pic",
                                      echo_matched_text=True)
    request.context.surface = context_pb2.SURFACE_DIRECT_MESSAGE
    verdict = engine.scan(request=request)
    assert verdict.request_id == "r1"
    assert verdict.action == ruleset_pb2.ACTION_BLOCK
    assert verdict.rule_matches[0].matches[1].text == "pic"


def test_field_over_limit_is_value_error_without_text(engine):
    secret = "tell-no-one "
    text = secret * (MiB // len(secret) + 1)
    with pytest.raises(ValueError) as caught:
        engine.scan(text)
    message = str(caught.value)
    assert message == f'field "body" has {len(text)} bytes; limit is {MiB}'
    assert secret not in message
    assert engine.scan("x" * MiB).stats.bytes_scanned == MiB  # At the limit.


def test_huge_input_does_not_crash(engine):
    with pytest.raises(ValueError, match="limit is"):
        engine.scan(b"a" * (64 * MiB))
    with pytest.raises(ValueError, match='field "notes" has'):
        engine.scan(fields={"notes": "ü" * (8 * MiB)})


def test_too_many_fields_is_value_error(engine):
    fields = {f"f{i}": "x" for i in range(16)}
    assert engine.scan(fields=fields).stats.fields_scanned == 16
    with pytest.raises(ValueError, match="request has 17 text fields; limit is 16"):
        engine.scan("x", fields=fields)


def test_empty_field_name_is_value_error(engine):
    with pytest.raises(ValueError, match="a text field has no name"):
        engine.scan(fields={"": "x"})


def test_field_name_with_lone_surrogate_is_value_error(engine):
    with pytest.raises(ValueError, match="field name contains a lone surrogate"):
        engine.scan(fields={"bi\ud800o": "x"})


@pytest.mark.parametrize("kwargs, message", [
    ({"text": 42}, "text must be str or bytes, not int"),
    ({"text": ["a"]}, "text must be str or bytes, not list"),
    ({"fields": "bio"}, "fields must be a dict"),
    ({"fields": {"bio": 1.5}}, "field text must be str or bytes, not float"),
    ({"fields": {1: "x"}}, "field name must be str or bytes, not int"),
    ({"fields": [("bio", "x")]}, "each entry of a fields list must be a dict"),
    ({"context": "AGE_BAND_ADULT"}, "context must be a dict or a watchword.v1.Context"),
    ({"context": context_pb2.ScanRequest()}, "context must be a dict or"),
    ({"context": {"surface": object()}}, "context is not JSON-like"),
    ({"request": {"text": "x"}}, "request must be a watchword.v1.ScanRequest"),
    ({"request": context_pb2.ScanRequest(), "text": "x"}, "either request"),
])
def test_wrong_types_are_type_errors(engine, kwargs, message):
    with pytest.raises(TypeError, match=message):
        engine.scan(**kwargs)


@pytest.mark.parametrize("context, message", [
    ({"no_such_field": 1}, "context is not a watchword.v1.Context"),
    ({"surface": "SURFACE_MOON"}, "context is not a watchword.v1.Context"),
    ({"fields": [{"name": "a", "text": "b"}]}, "context is not a watchword.v1.Context"),
])
def test_bad_context_dict_is_value_error(engine, context, message):
    with pytest.raises(ValueError, match=message):
        engine.scan("x", context=context)


def test_bad_fields_entry_is_value_error(engine):
    with pytest.raises(ValueError, match='only have the keys "name" and "text"'):
        engine.scan(fields=[{"name": "bio", "txt": "x"}])
    with pytest.raises(ValueError, match="a text field has no name"):
        engine.scan(fields=[{"text": "x"}])


# Every status code a call can fail with, and what Python sees.
@pytest.mark.parametrize("phase, code, exception", [
    ("compile", "INVALID_ARGUMENT", watchword.RulesetError),
    ("compile", "RESOURCE_EXHAUSTED", watchword.RulesetError),
    ("compile", "NOT_FOUND", FileNotFoundError),
    ("compile", "UNIMPLEMENTED", NotImplementedError),
    ("compile", "FAILED_PRECONDITION", RuntimeError),
    ("compile", "INTERNAL", RuntimeError),
    ("scan", "INVALID_ARGUMENT", ValueError),
    ("scan", "DEADLINE_EXCEEDED", TimeoutError),
    ("scan", "INTERNAL", watchword.ScanError),
    ("scan", "RESOURCE_EXHAUSTED", watchword.ScanError),
])
def test_status_codes_map_to_exceptions(phase, code, exception):
    with pytest.raises(exception, match="^boom$") as caught:
        watchword._watchword._raise_status(phase, code, "boom")
    assert type(caught.value) is exception
    if phase == "compile":
        assert caught.value.diagnostics == []
    if exception is watchword.ScanError:
        assert caught.value.code == code
        assert caught.value.verdict is None
        assert isinstance(caught.value, RuntimeError)


def test_exception_classes():
    assert issubclass(watchword.RulesetError, ValueError)
    assert issubclass(watchword.ScanError, RuntimeError)
    assert watchword.RulesetError.__module__ == "watchword"
    assert watchword.ScanError.__module__ == "watchword"
    assert "diagnostics" in watchword.RulesetError.__doc__
    assert "verdict" in watchword.ScanError.__doc__


def test_echoed_invalid_utf8_is_replaced_as_python_decodes_it():
    # `\W+` spans the invalid bytes, so the echoed original text holds them.
    ruleset = ruleset_pb2.Ruleset(name="echo")
    rule = ruleset.rules.add(id="r", category="c", action=ruleset_pb2.ACTION_LOG,
                             severity=ruleset_pb2.SEVERITY_LOW)
    rule.match.term.regex = r"send\W+pic"
    for backend in ("re2", None):
        engine = watchword.compile(ruleset, backend=backend)
        for junk in (b"\xff", b"\xe0\x80", b"\xed\xa0\x80", b"\xf0\x9f\x98",
                     b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xe2\x82 \xff"):
            data = b"send" + junk + b"pic"
            [rule_match] = engine.scan(data, echo=True).rule_matches
            [match] = rule_match.matches
            assert (match.begin, match.end) == (0, len(data))
            assert match.text == data.decode("utf-8", "replace"), junk


def test_timeout_raises_timeout_error_never_a_clean_verdict(engine):
    # A zero budget passes before anything is matched.
    with pytest.raises(TimeoutError, match="deadline"):
        engine.scan("add me on snap", timeout=0)
    with pytest.raises(ValueError, match="timeout"):
        engine.scan("add me on snap", timeout=-1)
    # The pooled Scanner does not keep the last call's timeout.
    assert engine.scan("add me on snap", timeout=60).action == REVIEW
    assert engine.scan("add me on snap").action == REVIEW


def test_context_dicts_are_read_as_the_proto_json_mapping(engine):
    # Every example context of the ruleset, as a dict with proto names and
    # with JSON (camelCase) names, scans as the proto does.
    from google.protobuf import json_format
    compared = 0
    for rule in engine.ruleset.rules:
        for example in list(rule.should_match) + list(rule.should_not_match):
            if not example.HasField("context"):
                continue
            want = scan_example(engine, example)
            for names in (True, False):
                as_dict = json_format.MessageToDict(
                    example.context, preserving_proto_field_name=names)
                got = engine.scan(
                    example.text or None,
                    fields=[{"name": f.name, "text": f.text} for f in example.fields],
                    context=as_dict)
                assert got == want, (rule.id, as_dict)
                compared += 1
    assert compared >= 4


def test_context_dict_takes_every_json_form(engine):
    # Enum numbers, int64 as str or int, maps, and None for "unset".
    context = {"senderAgeBand": 4, "recipient_age_band": "AGE_BAND_13_15",
               "surface": None, "timestamp_ms": "1700000000000",
               "sender_account_age_days": 2, "conversation_id": "c1",
               "string_attributes": {"locale": "es"},
               "numberAttributes": {"reports_last_30d": 2}}
    assert not engine.scan("x", context=context).HasField("error")
    with pytest.raises(ValueError, match="string_attributes"):
        engine.scan("x", context={"string_attributes": {"a": 1}})
    with pytest.raises(ValueError, match=r"\(name not shown\)"):
        engine.scan("x", context={"plugh me": 1})
