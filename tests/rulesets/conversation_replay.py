#!/usr/bin/python3
"""Replays conversations through `watchword scan` and measures escalation.

Two corpora, two modes:

  corpus  tests/data/conversations/: synthetic conversations labelled
          grooming, benign or hard (manifest.jsonl). A conversation
          escalates at its first message whose verdict action is
          ACTION_ESCALATE (a message-level rule or, where the ruleset has
          them, a conversation rule). For grooming conversations the
          manifest names the reference message: where a reviewer should
          have been called.
  sms     a JSON Lines corpus of benign messages (tests/data/sms_ham.jsonl),
          cut into conversations of --sms_length consecutive messages, all
          sent by one account to another: once adult to adult, once adult to
          a 13-to-15-year-old. A conversation escalates as above.

Usage:
  tests/rulesets/conversation_replay.py corpus build/watchword \\
      rulesets/child_safety tests/data/conversations [--check]
  tests/rulesets/conversation_replay.py sms build/watchword \\
      rulesets/child_safety tests/data/sms_ham.jsonl [--check]

Prints the figures. With --check, exits 1 if they miss issue #13's bounds:
  corpus: at most one grooming conversation does not escalate, at least
          20 escalate by their reference message, at most one benign
          conversation escalates (hard cases are reported, not checked);
  sms:    no adult-to-adult conversation escalates (the adult-to-minor rate
          is reported).
Exits 2 if the tool cannot run or the input is malformed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ESCALATE = "ACTION_ESCALATE"


def die(message):
    print(f"conversation_replay: {message}", file=sys.stderr)
    sys.exit(2)


def scan(watchword, ruleset, requests):
    """Returns {request id: verdict} for `requests` (dicts), one scan run."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    proc = subprocess.run([watchword, "scan", "--ruleset", ruleset, "-"],
                          input=data.encode(), capture_output=True)
    if proc.returncode != 0:
        die(f"watchword scan exited {proc.returncode}: "
            f"{proc.stderr.decode(errors='replace')[-2000:]}")
    verdicts = {}
    for line in proc.stdout.decode().splitlines():
        v = json.loads(line)
        if "error" in v:
            die(f"request {v.get('request_id')}: {v['error']}")
        verdicts[v["request_id"]] = v
    if len(verdicts) != len(requests):
        die(f"{len(requests)} requests but {len(verdicts)} verdicts")
    return verdicts


def request(message_id, text, conversation_id, sender_id, recipient_id,
            sender_band, recipient_band, surface, relationship, timestamp_ms):
    return {
        "id": message_id,
        "text": text,
        "context": {
            "sender_age_band": sender_band,
            "recipient_age_band": recipient_band,
            "surface": surface,
            "relationship": relationship,
            "conversation_id": conversation_id,
            "sender_id": sender_id,
            "recipient_id": recipient_id,
            "timestamp_ms": str(timestamp_ms),
        },
    }


def first_escalation(message_ids, verdicts):
    """Index of the first escalated message, or None."""
    for i, mid in enumerate(message_ids):
        if verdicts[mid].get("action") == ESCALATE:
            return i
    return None


def escalating_rules(verdict):
    rules = [m["rule_id"] for m in verdict.get("rule_matches", [])
             if m.get("action") == ESCALATE and not m.get("shadow")]
    conversation = verdict.get("conversation", {})
    rules += [m["rule_id"] for m in conversation.get("matches", [])
              if m.get("action") == ESCALATE and not m.get("shadow")]
    return rules


def run_corpus(args):
    manifest = {}
    with open(os.path.join(args.input, "manifest.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            manifest[m["conversation_id"]] = m
    messages = {}  # conversation id -> [message]
    with open(os.path.join(args.input, "conversations.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            messages.setdefault(m["conversation_id"], []).append(m)
    if set(messages) != set(manifest):
        die("conversations.jsonl and manifest.jsonl list different conversations")
    requests = []
    for conv in messages.values():
        for m in conv:
            requests.append(request(
                m["message_id"], m["text"], m["conversation_id"], m["sender_id"],
                m["recipient_id"], m["sender_age_band"], m["recipient_age_band"],
                m["surface"], m["relationship"], m["timestamp_ms"]))
    verdicts = scan(args.watchword, args.ruleset, requests)

    results = {}
    for cid, conv in messages.items():
        ids = [m["message_id"] for m in conv]
        at = first_escalation(ids, verdicts)
        results[cid] = (at, escalating_rules(verdicts[ids[at]]) if at is not None else [])

    failures = []
    for split in ("dev", "holdout", "all"):
        chosen = [c for c in manifest.values() if split in ("all", c["split"])]
        if not chosen:
            continue
        grooming = [c for c in chosen if c["label"] == "grooming"]
        benign = [c for c in chosen if c["label"] == "benign"]
        escalated = [c for c in grooming if results[c["conversation_id"]][0] is not None]
        on_time = [c for c in escalated
                   if results[c["conversation_id"]][0] <= c["reference_index"]]
        late = [results[c["conversation_id"]][0] - c["reference_index"] for c in escalated]
        subtle = [c for c in grooming if c.get("subtle")]
        subtle_escalated = [c for c in subtle if c in escalated]
        false_alarms = [c for c in benign if results[c["conversation_id"]][0] is not None]
        print(f"[{split}] grooming escalated {len(escalated)}/{len(grooming)}, "
              f"by the reference message {len(on_time)}/{len(grooming)}, "
              f"median offset {statistics.median(late) if late else 'n/a'} messages; "
              f"without an explicit message {len(subtle_escalated)}/{len(subtle)}; "
              f"benign escalated {len(false_alarms)}/{len(benign)}")
        if split == "all" and args.check:
            if len(grooming) - len(escalated) > 1:
                failures.append(f"{len(grooming) - len(escalated)} grooming conversations "
                                "do not escalate (at most 1)")
            if len(on_time) < min(20, len(grooming)):
                failures.append(f"{len(on_time)} grooming conversations escalate by "
                                "the reference message (at least 20)")
            if len(false_alarms) > 1:
                failures.append(f"{len(false_alarms)} benign conversations escalate (at most 1)")

    print("per conversation (label, escalated at / reference, first escalating rules):")
    for cid, c in sorted(manifest.items()):
        at, rules = results[cid]
        ref = c.get("reference_index")
        mark = ""
        if c["label"] == "grooming":
            mark = "MISSED" if at is None else ("late" if at > ref else "ok")
        elif at is not None:
            mark = "FALSE ESCALATION" if c["label"] == "benign" else "escalated"
        expect = f" expect={c['expect']}" if "expect" in c else ""
        print(f"  {cid} {c['label']:8} {c['split']:7} "
              f"{'-' if at is None else at:>2} / {'-' if ref is None else ref:>2} "
              f"{mark:16} {','.join(rules)}{expect}")
    return failures


def run_sms(args):
    texts = []
    with open(args.input, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    n = args.sms_length
    chunks = [texts[i:i + n] for i in range(0, len(texts) - n + 1, n)]
    base_ms = 1767225600000  # 2026-01-01, one message a minute
    requests = {}
    for label, recipient in (("adult", "AGE_BAND_ADULT"), ("minor", "AGE_BAND_13_15")):
        reqs = []
        for c, chunk in enumerate(chunks):
            cid = f"sms-{label}-{c:04d}"
            for i, text in enumerate(chunk):
                reqs.append(request(f"{cid}-{i:02d}", text, cid, f"{cid}-a", f"{cid}-b",
                                    "AGE_BAND_ADULT", recipient, "SURFACE_DIRECT_MESSAGE",
                                    "RELATIONSHIP_NOT_CONNECTED", base_ms + i * 60000))
        requests[label] = reqs
    verdicts = scan(args.watchword, args.ruleset, requests["adult"] + requests["minor"])
    failures = []
    for label in ("adult", "minor"):
        escalated = 0
        rules = {}
        for c in range(len(chunks)):
            cid = f"sms-{label}-{c:04d}"
            ids = [f"{cid}-{i:02d}" for i in range(n)]
            at = first_escalation(ids, verdicts)
            if at is not None:
                escalated += 1
                for r in escalating_rules(verdicts[ids[at]]):
                    rules[r] = rules.get(r, 0) + 1
        who = "adult to adult" if label == "adult" else "adult to 13-15"
        top = ", ".join(f"{r} {k}" for r, k in sorted(rules.items(), key=lambda x: -x[1]))
        print(f"{who}: {escalated}/{len(chunks)} conversations of {n} messages escalate "
              f"({100.0 * escalated / len(chunks):.1f}%){'; ' + top if top else ''}")
        if label == "adult" and escalated and args.check:
            failures.append(f"{escalated} adult-to-adult conversations escalate (none allowed)")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=("corpus", "sms"))
    parser.add_argument("watchword", help="the watchword binary")
    parser.add_argument("ruleset", help="ruleset file or directory")
    parser.add_argument("input", help="conversation directory (corpus) or JSONL file (sms)")
    parser.add_argument("--check", action="store_true", help="exit 1 outside the bounds")
    parser.add_argument("--sms_length", type=int, default=20, help="messages per conversation")
    args = parser.parse_args()
    failures = run_corpus(args) if args.mode == "corpus" else run_sms(args)
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
