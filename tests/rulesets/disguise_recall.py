#!/usr/bin/python3
"""Recall of a ruleset on disguised forms of its own should_match examples.

For each disguise class below, copies the ruleset with every one-line
`should_match { text: "..." }` example rewritten in that disguise, runs
`watchword test` on the copy and counts the rewritten examples that no
longer match their rule. The disguises are written here from their
descriptions (issue #11), not from the folding code, so they measure what
the folds catch rather than restate them.

Usage:
  tests/rulesets/disguise_recall.py build/watchword rulesets/child_safety \
      [--min_recall 0.0] [--backend hyperscan|re2]

Prints recall per class and overall; exits 1 if overall recall is below
--min_recall, 2 if the tool cannot run.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х",
            "y": "у", "i": "і", "s": "ѕ"}
VOWELS = "aeiou"


def words(text):
    return re.findall(r"[A-Za-z]+", text)


def key_word(text):
    """The longest word, the one a rule most likely needs."""
    ws = words(text)
    return max(ws, key=len) if ws else ""


def replace_word(text, word, new):
    return re.sub(r"\b%s\b" % re.escape(word), lambda _: new, text, count=1)


def leet(text):
    return "".join(LEET.get(c, c) for c in text)


def cyrillic(text):
    return "".join(CYRILLIC.get(c, c) for c in text)


def spaced(text):
    w = key_word(text)
    return replace_word(text, w, " ".join(w)) if len(w) >= 3 else text


def repeated(text):
    w = key_word(text)
    vowels = [i for i, c in enumerate(w) if c.lower() in VOWELS]
    if not vowels:
        return text
    i = vowels[-1]
    return replace_word(text, w, w[:i] + w[i] * 4 + w[i + 1:])


def masked(text):
    w = key_word(text)
    if len(w) < 4:
        return text
    vowels = [i for i, c in enumerate(w) if c.lower() in VOWELS and 0 < i < len(w) - 1]
    i = vowels[0] if vowels else 1
    return replace_word(text, w, w[:i] + "*" + w[i + 1:])


def curly_apostrophe(text):
    return text.replace("'", "\u2019")


def no_apostrophe(text):
    return text.replace("'", "")


CLASSES = [
    ("leetspeak", leet),
    ("cyrillic", cyrillic),
    ("spaced", spaced),
    ("repeated", repeated),
    ("masked", masked),
    ("curly-apostrophe", curly_apostrophe),
    ("no-apostrophe", no_apostrophe),
]

EXAMPLE = re.compile(r'^(\s*should_match \{ text: ")((?:[^"\\]|\\.)*)(".*)$')


def unescape(s):
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape") \
        .encode("latin-1").decode("utf-8") if "\\" in s else s


def escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def rewrite(src_dir, dst_dir, disguise):
    """Copies the ruleset, disguising one-line should_match texts; returns
    how many changed."""
    changed = 0
    for name in sorted(os.listdir(src_dir)):
        src = os.path.join(src_dir, name)
        if not name.endswith(".textproto"):
            continue
        out = []
        with open(src, encoding="utf-8") as f:
            for line in f:
                m = EXAMPLE.match(line.rstrip("\n"))
                if m:
                    text = unescape(m.group(2))
                    new = disguise(text)
                    if new != text:
                        changed += 1
                        line = m.group(1) + escape(new) + m.group(3) + "\n"
                out.append(line)
        with open(os.path.join(dst_dir, name), "w", encoding="utf-8") as f:
            f.writelines(out)
    return changed


def misses(watchword, ruleset, backend):
    args = [watchword, "test", "--min_examples", "0", ruleset]
    if backend:
        args[2:2] = ["--backend", backend]
    run = subprocess.run(args, capture_output=True, text=True)
    if "FAIL" not in run.stdout and run.returncode != 0:
        sys.exit("disguise_recall: %s failed: %s" % (" ".join(args), run.stderr[-2000:]))
    return sum(1 for line in run.stdout.splitlines()
               if line.startswith("FAIL") and "should_match[" in line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("watchword")
    parser.add_argument("ruleset", help="a ruleset directory")
    parser.add_argument("--min_recall", type=float, default=0.0)
    parser.add_argument("--backend", default="")
    args = parser.parse_args()
    baseline = misses(args.watchword, args.ruleset, args.backend)
    total_examples = total_matched = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, disguise in CLASSES:
            dst = os.path.join(tmp, name)
            os.mkdir(dst)
            n = rewrite(args.ruleset, dst, disguise)
            missed = misses(args.watchword, dst, args.backend) - baseline
            matched = n - missed
            total_examples += n
            total_matched += matched
            print("%-18s %4d/%4d  %5.1f%%" % (name, matched, n,
                                              100.0 * matched / max(n, 1)))
            shutil.rmtree(dst)
    recall = total_matched / max(total_examples, 1)
    print("%-18s %4d/%4d  %5.1f%%" % ("all", total_matched, total_examples,
                                      100.0 * recall))
    return 0 if recall >= args.min_recall else 1


if __name__ == "__main__":
    sys.exit(main())
