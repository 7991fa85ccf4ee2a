"""watchword.Tracker: conversation rules over scanned messages."""

import json
import threading

import pytest

import watchword
from conftest import SOURCE_DIR

RULESET = SOURCE_DIR / "examples" / "conversation_rules.textproto"
ESCALATING = SOURCE_DIR / "examples" / "escalating_conversation.jsonl"
GOLDEN = SOURCE_DIR / "examples" / "escalating_conversation.verdicts.jsonl"


@pytest.fixture(scope="module")
def conversation_engine():
    return watchword.compile(RULESET)


def messages():
    with open(ESCALATING, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_scan_many_escalates_the_conversation_as_a_whole(conversation_engine):
    tracker = watchword.Tracker(conversation_engine)
    verdicts = tracker.scan_many(messages(), threads=2)
    alone = [max((m.action for m in v.rule_matches), default=0)
             for v in verdicts]
    assert max(alone) == watchword.Action.ACTION_LOG
    escalated = [v.request_id for v in verdicts
                 if v.action == watchword.Action.ACTION_ESCALATE]
    assert escalated[0] == "esc-0009"
    first = verdicts[8].conversation.matches[0]
    assert first.rule_id == "progression.stages"
    assert [c.message_id for c in first.contributions] == [
        "esc-0003", "esc-0005", "esc-0009"]
    assert tracker.conversation_count == 1


def test_scan_many_agrees_with_the_cli_golden_file(conversation_engine):
    tracker = watchword.Tracker(conversation_engine)
    got = [watchword.to_dict(v) for v in tracker.scan_many(messages())]
    with open(GOLDEN, encoding="utf-8") as f:
        want = [json.loads(line) for line in f]
    assert got == want


def test_engine_scan_many_alone_does_not_track(conversation_engine):
    verdicts = conversation_engine.scan_many(messages())
    assert all(not v.HasField("conversation") for v in verdicts)
    assert all(v.action <= watchword.Action.ACTION_LOG for v in verdicts)


def test_update_and_track_one_message_at_a_time(conversation_engine):
    tracker = watchword.Tracker(conversation_engine)
    fired = []
    for item in messages():
        verdict = conversation_engine.scan(item["text"],
                                           context=item["context"])
        verdict.request_id = item["id"]
        tracker.track(item["context"], verdict)
        if verdict.conversation.matches:
            fired.append(item["id"])
    assert fired[0] == "esc-0009"
    again = tracker.update(messages()[0]["context"],
                           watchword.Verdict(request_id="esc-0001"))
    assert again.duplicate


def test_snapshot_restore_continues_where_it_stopped(conversation_engine):
    items = messages()
    tracker = watchword.Tracker(conversation_engine)
    tracker.scan_many(items[:8])
    state = tracker.snapshot()
    assert isinstance(state, watchword.TrackerState)
    assert len(state.conversations) == 1
    restored = watchword.Tracker(conversation_engine)
    restored.restore(state)
    assert restored.snapshot() == state
    verdict = restored.scan_many(items[8:9])[0]
    assert verdict.action == watchword.Action.ACTION_ESCALATE
    # The text never reaches the state.
    assert b"parents" not in state.SerializeToString()
    assert b"mature" not in state.SerializeToString()


def test_bad_options_and_state_raise(conversation_engine):
    with pytest.raises(ValueError, match="shards"):
        watchword.Tracker(conversation_engine, shards=0)
    tracker = watchword.Tracker(conversation_engine)
    state = watchword.TrackerState()
    state.conversations.add(conversation_id="a")
    state.conversations.add(conversation_id="a")
    with pytest.raises(ValueError, match="repeats conversation"):
        tracker.restore(state)
    with pytest.raises(TypeError):
        tracker.update({}, "not a verdict")


def test_threads_update_different_conversations(conversation_engine):
    tracker = watchword.Tracker(conversation_engine, shards=4)
    items = messages()
    results = {}

    def run(n):
        mine = []
        for item in items:
            copy = json.loads(json.dumps(item))
            copy["id"] = f"{n}-{item['id']}"
            copy["context"]["conversation_id"] = f"conv-{n}"
            mine.append(copy)
        results[n] = [v.action for v in tracker.scan_many(mine)]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({tuple(r) for r in results.values()}) == 1
    assert tracker.conversation_count == 4
