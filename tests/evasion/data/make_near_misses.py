#!/usr/bin/env python3
"""Writes near_misses.txt: benign sentences that come close to the terms of
tests/evasion/terms.textproto and rulesets/child_safety without meaning them.

    /usr/bin/python3 tests/evasion/data/make_near_misses.py \
        > tests/evasion/data/near_misses.txt

Needs Debian's wamerican (/usr/share/dict/words) and tests/data/sms_ham.jsonl:
a "real word" is a dictionary word that also occurs in that real chat, so the
substitutes are common words, not dictionary curiosities. Deterministic. The
other-language sentences are in other_languages.txt beside this script,
written by hand. Categories:

  one_letter   a term's phrase with one word changed by one letter into
               another real word ("send me a pin", "how old are yon" is not
               produced: both words must be real and common)
  code         an alphanumeric code (room, order, ticket, postcode, licence
               plate, flight, ...) that holds a short term, plain or in leet
  language     a sentence in another language (other_languages.txt)
  split_word   a dictionary word of 9+ letters that splits into two or three
               words, some of which spell a term's phrase ("backwards" is
               "back" "wards", "snapshots" is "snap" "shots"): what a reading
               of words typed together could take for the phrase
  run_together a dictionary word that holds, or is, a term's phrase of 2+
               words with its spaces dropped ("asking" holds "askin", "a
               skin"; "canister" holds "cani", "can i")
"""

import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

# Letter pairs that are look-alikes or leet readings of each other: changing
# one into the other is a disguise, not a near miss.
CONFUSABLE = {frozenset("il"), frozenset("uv"), frozenset("oq"), frozenset("ce"),
              frozenset("nm"), frozenset("vw")}


def phrases_and_equivalents():
    phrases, equivalents = set(), set()
    paths = [os.path.join(ROOT, "tests/evasion/terms.textproto")]
    cs = os.path.join(ROOT, "rulesets/child_safety")
    paths += [os.path.join(cs, f) for f in sorted(os.listdir(cs))
              if f.endswith(".textproto")]
    for path in paths:
        text = open(path, encoding="utf-8").read()
        for p in re.findall(r'phrase: "([^"]*)"', text):
            phrases.add(p.lower())
        for words in re.findall(r"words: \[([^\]]*)\]", text):
            equivalents.update(re.findall(r'"([^"]*)"', words))
    return phrases, equivalents


def dictionary_words():
    words = set()
    with open("/usr/share/dict/words", encoding="utf-8") as f:
        for w in f:
            w = w.strip()
            if w.isascii() and w.isalpha() and w.islower():
                words.add(w)
    return words


def common_words():
    chat = set()
    with open(os.path.join(ROOT, "tests/data/sms_ham.jsonl"), encoding="utf-8") as f:
        for line in f:
            chat.update(re.findall(r"[a-z]+", json.loads(line)["text"].lower()))
    return dictionary_words() & chat


def holds_a_term(tokens, term_tokens):
    """Whether a term (or equivalent) occurs in `tokens` as whole words: then
    the sentence is a true match, not a near miss."""
    for term in term_tokens:
        n = len(term)
        if any(tokens[k:k + n] == term for k in range(len(tokens) - n + 1)):
            return True
    return False


FRAMES = ["{}", "{}", "lol {}", "{} haha", "wait {}?", "i think {}", "{} then",
          "so {}", "{} tbh", "ok {}"]


def one_letter(phrases, equivalents, words, rng):
    out = []
    banned = set(phrases) | equivalents
    term_tokens = [p.split() for p in banned | set(SHORT_TERMS)]
    for phrase in sorted(phrases):
        tokens = phrase.split()
        if not all(t.isalpha() for t in tokens):
            continue
        found = []
        for i, token in enumerate(tokens):
            if len(token) < 3 or token in equivalents:
                continue
            for k in range(len(token)):
                for c in "abcdefghijklmnopqrstuvwxyz":
                    if c == token[k] or frozenset((c, token[k])) in CONFUSABLE:
                        continue
                    w = token[:k] + c + token[k + 1:]
                    if w not in words or w in banned:
                        continue
                    near = tokens[:i] + [w] + tokens[i + 1:]
                    if not holds_a_term(near, term_tokens):
                        found.append(" ".join(near))
        rng.shuffle(found)
        out += found[:4]
    return sorted(set(out))


# Words of one or two letters that count as words when splitting a long one
# (the dictionary lists every letter and many abbreviations).
SHORT_WORDS = {"a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he",
               "hi", "if", "in", "is", "it", "me", "my", "no", "of", "oh",
               "ok", "on", "or", "so", "to", "up", "us", "we"}


def splits(word, words, parts):
    """The ways to write `word` as `parts` words of `words` or SHORT_WORDS."""
    if parts == 1:
        return [[word]] if word in words or word in SHORT_WORDS else []
    out = []
    for k in range(1, len(word)):
        head = word[:k]
        if head in SHORT_WORDS or (len(head) >= 3 and head in words):
            out += [[head] + rest for rest in splits(word[k:], words, parts - 1)]
    return out


def split_word(phrases, equivalents, rng):
    words = {w for w in dictionary_words() if len(w) >= 3}
    banned = set(phrases) | equivalents
    found = {}
    for word in sorted(words):
        if len(word) < 9 or word in banned:
            continue
        for parts in (2, 3):
            for split in splits(word, words, parts):
                spans = [" ".join(split[a:b]) for a in range(parts)
                         for b in range(a + 1, parts + 1)]
                hits = [s for s in spans if s in phrases and s != word]
                if hits:
                    found.setdefault(hits[0], set()).add(word)
    out = []
    # A few words for each phrase, so that no common word ("back") fills
    # the category.
    for phrase in sorted(found):
        words_for = sorted(found[phrase])
        rng.shuffle(words_for)
        out += [rng.choice(FRAMES).format(w) for w in words_for[:4]]
    return sorted(set(out))


SHORT_TERMS = ["asl", "dm", "ig", "fb", "sc", "kik", "pic", "pix", "vid", "snd",
               "rbx", "wsp", "ur", "u", "pik"]
LEET = {"a": "4", "s": "5", "i": "1", "e": "3", "o": "0", "t": "7", "b": "8",
        "g": "9"}
CODE_FRAMES = [
    "the seminar is in room {}",
    "lecture moved to room {} today",
    "your order {} has shipped",
    "order number {} arrived damaged",
    "ticket {} was closed by support",
    "booking reference {}",
    "the parcel is going to postcode {}",
    "postcode is {} if you need it",
    "the car with plate {} is blocking the gate",
    "licence plate {}",
    "flight {} is delayed by an hour",
    "we board at gate {}",
    "invoice {} is attached",
    "seat {} is by the window",
    "serial number {} on the back",
    "part {} is out of stock",
    "tracking code {}",
    "the wifi code is {}",
    "bus {} leaves at 7",
    "locker {} is mine",
]


def code(rng):
    term = rng.choice(SHORT_TERMS)
    if rng.random() < 0.35:
        term = "".join(LEET.get(c, c) if rng.random() < 0.6 else c for c in term)
    term = term.upper() if rng.random() < 0.7 else term
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
    L = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))
    shape = rng.randrange(9)
    if shape == 0:
        return term + d(rng.randrange(2, 6))
    if shape == 1:
        return d(rng.randrange(1, 4)) + term
    if shape == 2:
        return term + "-" + d(rng.randrange(3, 6))
    if shape == 3:
        return d(3) + "-" + term + "-" + d(2)
    if shape == 4:
        return d(1) + term + d(1)
    if shape == 5:
        return term + d(1) + " " + d(1) + L(2)
    if shape == 6:
        return L(2) + d(2) + " " + term
    if shape == 7:
        return term + " " + d(3)
    return "#" + d(2) + term + d(2)


def run_together(phrases, equivalents, rng):
    """Words that hold a phrase typed together: the whole word is no match
    (words under 9 letters), nor a part of it whose rest is no term word."""
    term_words = {w for p in phrases for w in p.split()} | equivalents
    joined = set()
    for phrase in phrases:
        tokens = phrase.split()
        if len(tokens) >= 2 and all(t.isalpha() for t in tokens):
            joined.add("".join(tokens))
    out = []
    for w in sorted(dictionary_words() - term_words):
        if any(len(j) >= 4 and j in w for j in sorted(joined)):
            out.append(rng.choice(FRAMES).format(w))
    return out


def main():
    rng = random.Random(11)
    phrases, equivalents = phrases_and_equivalents()
    words = common_words()
    lines = ["# Near-miss sentences for tests/evasion/disguise_recall_test.cc:",
             "# category<TAB>sentence. Written by make_near_misses.py (see there);",
             "# do not edit by hand, edit other_languages.txt or the script."]
    for s in one_letter(phrases, equivalents, words, rng):
        lines.append("one_letter\t" + rng.choice(FRAMES).format(s))
    codes = set()
    while len(codes) < 360:
        codes.add(rng.choice(CODE_FRAMES).format(code(rng)))
    lines += ["code\t" + s for s in sorted(codes)]
    with open(os.path.join(HERE, "other_languages.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append("language\t" + line)
    # Each has its own generator: the categories above stay as they were.
    for s in split_word(phrases, equivalents, random.Random(13)):
        lines.append("split_word\t" + s)
    lines += ["run_together\t" + s for s in
              run_together(phrases, equivalents, random.Random(12))]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
