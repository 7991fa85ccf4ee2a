"""Engine.scan_many() and scan_iter(): order, threads, bad items, the GIL."""

import collections
import collections.abc
import csv
import gc
import io
import random
import sqlite3
import sys
import threading
import types

import pytest
from google.protobuf import json_format

import watchword
from watchword.v1 import context_pb2, ruleset_pb2

MiB = 1 << 20

WORDS = ("hey are you coming to the game later lol i think so maybe after "
         "dinner my mum said we can go park tomorrow what time works for "
         "team practice was great today thanks see ya homework math test").split()


def mixed_items(engine, count, seed=1):
    """Benign chat, the starter's examples, and requests in every item form."""
    rng = random.Random(seed)
    examples = [e for r in engine.ruleset.rules
                for e in list(r.should_match) + list(r.should_not_match)]
    items = []
    for i in range(count):
        kind = i % 5
        if kind == 0:
            items.append(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 25))))
        elif kind == 1:
            example = rng.choice(examples)
            items.append({"id": f"m{i}", "text": example.text,
                          "fields": [{"name": f.name, "text": f.text} for f in example.fields],
                          "context": {"recipient_age_band": "AGE_BAND_13_15"}})
        elif kind == 2:
            items.append(rng.choice(examples).text.encode())
        elif kind == 3:
            request = context_pb2.ScanRequest(id=str(i), text=rng.choice(examples).text)
            request.context.sender_age_band = context_pb2.AGE_BAND_ADULT
            request.context.recipient_age_band = context_pb2.AGE_BAND_UNDER_13
            items.append(request)
        else:
            items.append({"id": i, "fields": {"username": "FreeRobux4U", "body": rng.choice(examples).text}})
    return items


def scan_one(engine, item):
    """What scan() returns for a scan_many() item."""
    if isinstance(item, dict):
        fields = item.get("fields")
        request = context_pb2.ScanRequest(id=str(item.get("id", "")))
        if "text" in item:
            request.text = item["text"]
        pairs = fields.items() if isinstance(fields, dict) else [
            (f["name"], f["text"]) for f in fields or []]
        for name, text in pairs:
            request.fields.add(name=name, text=text)
        if "context" in item:
            request.context.recipient_age_band = context_pb2.AgeBand.Value(
                item["context"]["recipient_age_band"])
        return engine.scan(request=request)
    if isinstance(item, context_pb2.ScanRequest):
        return engine.scan(request=item)
    return engine.scan(item)


def test_ten_thousand_items_two_threads_equal_sequential(engine):
    items = mixed_items(engine, 10_000)
    sequential = [scan_one(engine, item) for item in items]
    one = engine.scan_many(items, threads=1)
    two = engine.scan_many(items, threads=2)
    four = engine.scan_many(iter(items), threads=4)
    assert len(two) == len(items)
    assert one == sequential
    assert two == sequential
    assert four == sequential
    # Not a trivial input: every action occurs, and ids come back in order.
    actions = {v.action for v in two}
    assert {ruleset_pb2.ACTION_UNSPECIFIED, ruleset_pb2.ACTION_LOG,
            ruleset_pb2.ACTION_REVIEW, ruleset_pb2.ACTION_BLOCK,
            ruleset_pb2.ACTION_ESCALATE} <= actions
    assert [v.request_id for v in two[1:50:5]] == [f"m{i}" for i in range(1, 50, 5)]


class BadBool:
    def __bool__(self):
        raise ZeroDivisionError("no truth")


def test_bad_items_get_error_verdicts_in_place(engine):
    too_many = context_pb2.ScanRequest(text="x")
    for i in range(16):
        too_many.fields.add(name=f"f{i}", text="x")
    items = [
        "add me on snap",                                  # 1
        None,                                              # 2
        3.5,                                               # 3
        {"id": "k", "txt": "typo"},                        # 4
        {"id": "big", "text": "a" * (MiB + 1)},            # 5
        {"id": "\ud800", "text": "x"},                     # 6
        too_many,                                          # 7
        {"id": "ctx", "text": "x", "context": {"surface": "SURFACE_MOON"}},  # 8
        {"id": "f", "fields": {"": "x"}},                  # 9
        "send me a pic",                                   # 10
        {"id": "k2", 1: "x"},                              # 11
        {"id": "k3", "te\ud800xt": "x"},                  # 12
        {"id": "e", "text": "x", "echo_matched_text": BadBool()},  # 13
        {"id": "t", "text": "x", "context": {"timestamp_ms": 1.5}},  # 14
    ]
    verdicts = engine.scan_many(items, threads=2)
    assert len(verdicts) == len(items)
    assert verdicts[0].action == ruleset_pb2.ACTION_REVIEW
    assert verdicts[9].action == ruleset_pb2.ACTION_BLOCK
    errors = {i + 1: v for i, v in enumerate(verdicts) if v.HasField("error")}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]
    for line, verdict in errors.items():
        assert verdict.error.line == line
        assert verdict.error.code == "INVALID_ARGUMENT"
        assert verdict.action == ruleset_pb2.ACTION_UNSPECIFIED
        assert len(verdict.rule_matches) == 0
        assert verdict.ruleset.name == "watchword-starter"
    assert "NoneType" in errors[2].error.message
    assert "float" in errors[3].error.message
    assert errors[4].error.message == 'the item has no "text" or "fields" key'
    assert errors[4].request_id == "k"  # The id is kept when it is valid.
    assert errors[5].error.message == f'field "body" has {MiB + 1} bytes; limit is {MiB}'
    assert errors[5].request_id == "big"
    assert "lone surrogate" in errors[6].error.message
    assert "17 text fields" in errors[7].error.message
    assert "context is not a watchword.v1.Context" in errors[8].error.message
    assert errors[9].error.message == "a text field has no name"
    assert "has no \"text\" or \"fields\" key" in errors[11].error.message
    assert "has no \"text\" or \"fields\" key" in errors[12].error.message
    assert errors[13].error.message == "ZeroDivisionError: no truth"
    assert "context is not a watchword.v1.Context" in errors[14].error.message


def test_scan_iter_streams_in_order_with_global_lines(engine):
    items = mixed_items(engine, 500, seed=2)
    items[301] = 7  # A bad item in a later batch.
    expected = engine.scan_many(items)
    generator = (item for item in items)
    streamed = list(engine.scan_iter(generator, threads=2, batch_size=64))
    assert streamed == expected
    assert streamed[301].error.line == 302
    with pytest.raises(ValueError, match="batch_size"):
        next(engine.scan_iter(items, batch_size=0))


def test_empty_input(engine):
    assert engine.scan_many([]) == []
    assert engine.scan_many(iter(()), threads=2) == []
    assert list(engine.scan_iter([])) == []


def test_echo_applies_to_every_item(engine):
    verdicts = engine.scan_many(["add me on snap", {"text": "send me a pic"}], echo=True)
    assert [m.text for m in verdicts[0].rule_matches[0].matches] == ["add me", "snap"]
    assert [m.text for m in verdicts[1].rule_matches[0].matches] == ["send me", "pic"]


@pytest.mark.parametrize("threads", [0, -1, 65])
def test_thread_count_is_checked(engine, threads):
    with pytest.raises(ValueError, match="threads must be between 1 and 64"):
        engine.scan_many(["x"], threads=threads)


def test_thread_count_type(engine):
    with pytest.raises(TypeError):
        engine.scan_many(["x"], threads="2")


def test_python_threads_share_one_engine(engine):
    items = mixed_items(engine, 1_000, seed=3)
    expected = engine.scan_many(items)
    failures = []

    def worker(k):
        try:
            if k % 2:
                got = [scan_one(engine, item) for item in items]
            else:
                got = engine.scan_many(items, threads=2)
            if got != expected:
                failures.append(k)
        except Exception as e:  # noqa: BLE001 -- reported below.
            failures.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_scanning_releases_the_gil(engine):
    # With a long switch interval, another Python thread runs during the
    # call only if the call releases the GIL.
    items = ["hey are you coming to the game later " * 100] * 4000
    ticks = [0]
    stop = threading.Event()
    started = threading.Event()

    def spin():
        started.set()
        while not stop.is_set():
            ticks[0] += 1

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.5)
    thread = threading.Thread(target=spin)
    try:
        thread.start()
        started.wait()
        before = ticks[0]
        engine.scan_many(items)
        during = ticks[0] - before
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old_interval)
    assert during > 0


class _Probe:
    """An item whose conversion runs Python code (attribute lookups).

    The first one has another thread press Ctrl-C a moment later, while
    scan_many() is in C++. The last one, many chunks
    later, swallows the interrupt if scan_many() has not acted on it by
    then: its lookup runs Python code, where CPython handles the pending
    SIGINT, and hasattr() discards the KeyboardInterrupt that raises.
    """

    def __init__(self, press):
        self.press = press

    def __getattr__(self, name):
        if self.press:
            self.press = False
            import _thread
            # Later, once this lookup has returned into scan_many()'s C++.
            threading.Timer(0.01, _thread.interrupt_main).start()
        raise AttributeError(name)


@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_stops_scan_many_between_chunks(engine, threads):
    items = ([_Probe(press=True)] + ["are you home alone?"] * 100_000 +
             [_Probe(press=False)])
    with pytest.raises(KeyboardInterrupt):
        engine.scan_many(items, threads=threads)
    assert gc.isenabled()  # Held off during the call only.


def test_collector_is_held_off_while_scan_many_builds_verdicts(engine):
    seen = []

    class Row(collections.abc.Mapping):
        def __getitem__(self, key):
            seen.append(gc.isenabled())
            return {"text": "add me on snap"}[key]

        def __iter__(self):
            return iter(["text"])

        def __len__(self):
            return 1

    assert gc.isenabled()
    verdicts = engine.scan_many([Row(), "hello"], threads=2)
    assert seen and not any(seen)
    assert gc.isenabled()
    assert verdicts[0].rule_matches[0].rule_id == "platform.move-off-platform"
    # Off before the call stays off: scan_many() does not turn it on.
    gc.disable()
    try:
        engine.scan_many(["hello"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_timeout_gives_each_late_item_a_truncated_error_verdict(engine):
    verdicts = engine.scan_many(["add me on snap", "hello"] * 3, threads=2,
                                timeout=0)
    assert len(verdicts) == 6
    for i, verdict in enumerate(verdicts):
        assert verdict.error.code == "DEADLINE_EXCEEDED"
        assert verdict.error.line == i + 1
        assert verdict.truncated
    verdicts = list(engine.scan_iter(["add me on snap"], timeout=60))
    assert not verdicts[0].HasField("error")
    assert verdicts[0].action == ruleset_pb2.ACTION_REVIEW


def test_large_items_keep_order_and_one_verdict_each(engine):
    # Sizes that end chunks on bytes (about 4 MiB each), not on count, at
    # uneven places: each verdict must still be its own item's.
    items = []
    for i in range(24):
        pad = "x" * ((i % 5) * 250_000)
        items.append(pad + " add me on snap" if i % 3 == 0 else pad + " hello")
    items.insert(7, {"txt": "hi", "colour": 1})  # A bad item in the middle.
    verdicts = engine.scan_many(items, threads=2)
    assert len(verdicts) == len(items)
    for i, (item, verdict) in enumerate(zip(items, verdicts)):
        if isinstance(item, dict):
            assert verdict.error.line == i + 1
            continue
        assert not verdict.HasField("error")
        assert verdict == engine.scan(item), i


MEET = "we should meet up this weekend"
MINOR = {"sender_age_band": "AGE_BAND_ADULT", "recipient_age_band": "AGE_BAND_13_15"}


def rows_as_requests(rows, id_key="id", text_key="text", context_key="context"):
    requests = []
    for row in rows:
        request = context_pb2.ScanRequest(id=str(row.get(id_key) or ""))
        if row.get(text_key) is not None:
            request.text = row[text_key]
        if row.get(context_key) is not None:
            json_format.ParseDict(row[context_key], request.context)
        requests.append(request)
    return requests


def test_mappings_with_extra_keys_scan_like_requests(engine):
    rows = [
        {"id": 1, "text": MEET, "context": MINOR, "user": "u1", "ts": 17, 3: "x"},
        {"id": "m2", "text": MEET, "channel": "dm", "context": None},
        {"id": 3, "text": "add me on snap", "fields": {"username": "x"},
         "echo_matched_text": True, "lang": "en"},
        {"id": None, "text": None, "score": 0.5},
    ]
    verdicts = engine.scan_many(rows, threads=2)
    assert [v.request_id for v in verdicts] == ["1", "m2", "3", ""]
    assert not any(v.HasField("error") for v in verdicts)
    assert verdicts[0].action == ruleset_pb2.ACTION_ESCALATE  # Context used.
    assert verdicts[1].action != ruleset_pb2.ACTION_ESCALATE
    assert verdicts[2].rule_matches[0].matches[0].text == "add me"  # Echoed.
    assert not watchword.flagged(verdicts[3])
    expected = [engine.scan(request=r) for r in rows_as_requests(rows[:2])]
    assert verdicts[:2] == expected


def test_keys_name_the_columns(engine):
    rows = [{"message_id": 10 + i, "message": text, "meta": MINOR, "id": "no",
             "text": "add me on snap"}
            for i, text in enumerate([MEET, "hi there", "send me a pic"])]
    keys = {"id_key": "message_id", "text_key": "message", "context_key": "meta"}
    verdicts = engine.scan_many(rows, threads=2, **keys)
    assert verdicts == engine.scan_many(rows_as_requests(rows, *keys.values()))
    assert [v.request_id for v in verdicts] == ["10", "11", "12"]
    assert [v.action for v in verdicts] == [ruleset_pb2.ACTION_ESCALATE,
                                            ruleset_pb2.ACTION_UNSPECIFIED,
                                            ruleset_pb2.ACTION_BLOCK]
    assert list(engine.scan_iter(iter(rows), batch_size=2, **keys)) == verdicts
    # A text key that names no column is an error for every row, not a
    # silent scan of nothing.
    missing = engine.scan_many(rows, text_key="body")
    assert [v.error.message for v in missing] == [
        'the item has no "body" or "fields" key'] * 3
    assert [v.request_id for v in missing] == ["no"] * 3


class Row(collections.abc.Mapping):
    """A read-only mapping that is not a dict."""

    def __init__(self, **values):
        self._values = values

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


class Id:
    """An integer id that is not an int, like numpy.int64."""

    def __index__(self):
        return 42


def test_any_mapping_and_int_like_ids(engine):
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    (sqlite_row,) = db.execute("SELECT 5 AS id, 'add me on snap' AS text, 'x' AS extra")
    csv_rows = list(csv.DictReader(io.StringIO("id,text,user\n6,send me a pic,u\n")))
    items = [
        sqlite_row,
        csv_rows[0],
        types.MappingProxyType({"id": 7, "text": "add me on snap"}),
        Row(id=Id(), text="send me a pic", other=[1]),
        collections.OrderedDict(id="9", text="hi"),
    ]
    verdicts = engine.scan_many(items, threads=2)
    assert len(verdicts) == len(items)
    assert not any(v.HasField("error") for v in verdicts)
    assert [v.request_id for v in verdicts] == ["5", "6", "7", "42", "9"]
    assert [v.action for v in verdicts] == [
        ruleset_pb2.ACTION_REVIEW, ruleset_pb2.ACTION_BLOCK,
        ruleset_pb2.ACTION_REVIEW, ruleset_pb2.ACTION_BLOCK,
        ruleset_pb2.ACTION_UNSPECIFIED]
    # Ids are str or int; anything else is an error Verdict, in place.
    bad = engine.scan_many([{"id": 1.5, "text": "x"}, {"id": True, "text": "x"},
                            "add me on snap"])
    assert [v.HasField("error") for v in bad] == [True, True, False]
    assert "request id must be str or bytes, not float" in bad[0].error.message


def test_verdicts_are_handed_over_without_serializing(engine):
    # With protobuf's "cpp" Python implementation (Debian's python3-protobuf)
    # a Python Verdict wraps the C++ v1::Verdict, and scan results are
    # swapped in; that needs the extension imported before the generated
    # modules (watchword/__init__.py).
    from google.protobuf.internal import api_implementation
    if api_implementation.Type() != "cpp":
        pytest.skip("protobuf's %s implementation" % api_implementation.Type())
    assert watchword._watchword._shared_verdicts()
    verdicts = engine.scan_many(["add me on snap", "hello", "add me on snap"])
    # Each is its own message: changing one changes no other.
    verdicts[0].rule_matches[0].rule_id = "changed"
    assert verdicts[2].rule_matches[0].rule_id == "platform.move-off-platform"
    assert verdicts[2] == engine.scan("add me on snap")
    assert verdicts[1] == watchword.Verdict.FromString(
        verdicts[1].SerializeToString())
    assert not verdicts[1].rule_matches
