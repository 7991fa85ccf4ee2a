"""watchword.normalize(): the text the matcher sees, and the byte map back."""

import pytest

import watchword


def check_map(normalized, original_bytes):
    n = len(normalized.text.encode())
    assert len(normalized.begin) == len(normalized.end) == n
    for i in range(n):
        assert 0 <= normalized.begin[i] < normalized.end[i] <= len(original_bytes)
    assert normalized.begin == sorted(normalized.begin)
    assert normalized.end == sorted(normalized.end)


def test_fullwidth_and_case_fold():
    text = "ＳＥＣＲＥＴ"
    normalized = watchword.normalize(text)
    assert normalized.text == "secret"
    assert normalized.begin == [0, 3, 6, 9, 12, 15]
    assert normalized.end == [3, 6, 9, 12, 15, 18]
    check_map(normalized, text.encode())
    assert normalized.original_span(1, 4) == (3, 12)


def test_zero_width_is_dropped_and_mapped():
    text = "dele\u200bte"
    normalized = watchword.normalize(text)
    assert normalized.text == "delete"
    # The "e" before the zero-width space owns it.
    assert (normalized.begin[3], normalized.end[3]) == (3, 7)
    check_map(normalized, text.encode())


def test_one_character_to_many_bytes_and_whitespace_runs():
    normalized = watchword.normalize("Straße \t\n ok")
    assert normalized.text == "strasse ok"
    # "ß" (2 bytes at 4) gives "ss", both bytes mapped to it.
    assert normalized.begin[4:6] == [4, 4] and normalized.end[4:6] == [6, 6]
    # The whitespace run becomes one space spanning all of it.
    assert normalized.original_span(7, 8) == (7, 11)


def test_bytes_and_invalid_utf8():
    data = b"a\xffb"
    normalized = watchword.normalize(data)
    assert normalized.text == "a\ufffdb"
    check_map(normalized, data)
    assert normalized.original_span(1, 4) == (1, 2)


def test_lone_surrogate_becomes_replacement_character():
    text = "x\ud800y"
    normalized = watchword.normalize(text)
    assert "\ufffd" in normalized.text
    assert normalized.text.startswith("x") and normalized.text.endswith("y")
    check_map(normalized, text.encode("utf-8", "surrogatepass"))
    assert normalized.end[-1] == 5


def test_empty_and_errors():
    normalized = watchword.normalize("")
    assert (normalized.text, normalized.begin, normalized.end) == ("", [], [])
    with pytest.raises(TypeError, match="text must be str or bytes"):
        watchword.normalize(None)
    with pytest.raises(IndexError):
        watchword.normalize("abc").original_span(2, 2)
    with pytest.raises(IndexError):
        watchword.normalize("abc").original_span(0, 4)
