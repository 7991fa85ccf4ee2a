"""Watchword: detection of child-grooming signals in chat text.

Compile a ruleset once, then scan messages; every result is a
``watchword.v1.Verdict`` protobuf message, the same one the C++ library and
the ``watchword`` command line tool produce::

    import watchword

    engine = watchword.compile("rulesets/examples/starter.textproto")
    verdict = engine.scan("add me on snap")
    verdict.action == watchword.Action.ACTION_REVIEW   # True
    verdict.rule_matches[0].rule_id   # 'platform.move-off-platform'
    watchword.flagged(verdict)        # True: a rule matched
    watchword.to_dict(verdict)        # {'action': 'ACTION_REVIEW', ...}, as the CLI prints it
    watchword.to_json(verdict)        # the CLI's JSON line for it, byte for byte

    verdicts = engine.scan_many(messages, threads=2)   # input order
    frame = watchword.to_dataframe(verdicts, texts=messages)  # pandas, a row per match

    # The rulesets that ship with the package, usable from any directory:
    engine = watchword.compile(watchword.rulesets.path("child_safety"))

Everything runs in the C++ library; this package only converts arguments and
results. ``python3 -m watchword scan`` is the CLI's ``scan`` (JSON Lines in,
verdict lines out). Inputs and outputs are the generated protobuf classes of
``watchword.v1`` (``context_pb2``, ``ruleset_pb2``, ``verdict_pb2``,
``diagnostic_pb2``); the common ones are re-exported here. Their enums
(``Action``, ``Severity``, ``Mode``, ``Fold``, ``AgeBand``, ``Surface``,
``Relationship``) are re-exported as ``enum.IntEnum`` classes, equal to the
ints that messages hold: ``watchword.Fold(m.folds[0])`` is
``<Fold.FOLD_LEETSPEAK: 4>``. ``Value(name)`` and ``Name(number)`` work as
on the protobuf enum wrappers.

Errors:
    RulesetError (a ValueError)  the ruleset does not compile; ``.diagnostics``
    EngineFileError (ValueError) an engine file does not load; ``.code``
    FileNotFoundError            the ruleset path does not exist
    ValueError                   a request the scanner rejects (a field over
                                 1 MiB, more than 16 fields, ...)
    TypeError                    an argument of the wrong type
    TimeoutError                 a scan deadline passed
    ScanError (a RuntimeError)   the matcher failed; ``.code``, ``.verdict``

Text: ``bytes`` are scanned byte-exact. ``str`` is encoded as UTF-8; a lone
surrogate (e.g. ``"\\ud800"``, which strict UTF-8 cannot encode) is written
as its 3-byte form (``errors="surrogatepass"``) and matched like any invalid
UTF-8, as U+FFFD. ``Match.begin``/``Match.end`` are byte offsets into
``text.encode("utf-8", "surrogatepass")``, which equals ``text.encode()``
for every str without lone surrogates. ``char_span(text, match)`` turns them
into str indices: ``text[slice(*watchword.char_span(text, m))]`` is what
matched, in fullwidth, Cyrillic or emoji text alike.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import json
import os
from typing import (Any, Dict, Iterable, Iterator, List, Mapping, Optional,
                    Tuple, Union)

# The extension is imported before the generated protos: with protobuf's
# "cpp" Python implementation they then find watchword/v1/*.proto in the C++
# library's generated pool, so a Python Verdict wraps a C++ v1::Verdict and
# scan results are handed over without serializing them (see
# SharedVerdicts() in _watchword.cc). Any other order or implementation
# still works, through serialized bytes.
try:
    from watchword import _watchword
    from watchword.v1 import context_pb2, diagnostic_pb2, ruleset_pb2, verdict_pb2
    from watchword.v1 import tracker_pb2
except ImportError as e:  # pragma: no cover -- the unbuilt source tree.
    raise ImportError(
        "watchword is not built here (no extension or generated watchword.v1 "
        "modules): put <build>/python on PYTHONPATH after building with "
        "-DWATCHWORD_BUILD_PYTHON=ON, or pip install ./bindings/python") from e
from google.protobuf import json_format
from watchword.v1.context_pb2 import Context, ScanRequest, TextField
from watchword.v1.diagnostic_pb2 import Diagnostic
from watchword.v1.ruleset_pb2 import Ruleset
from watchword.v1.tracker_pb2 import TrackerState
from watchword.v1.verdict_pb2 import ConversationVerdict, Verdict

from watchword._watchword import EngineFileError, RulesetError, ScanError
from watchword import rulesets

__version__: str = _watchword.__version__

__all__ = [
    "compile", "check_ruleset", "format_diagnostic", "normalize",
    "has_hyperscan", "load_engine", "deserialize_engine",
    "flagged", "char_span", "to_dict", "to_json", "to_dataframe", "rulesets",
    "Engine", "EngineInfo", "NormalizedText", "View", "Tracker",
    "RulesetError", "ScanError", "EngineFileError",
    "Verdict", "ScanRequest", "Context", "TextField", "Ruleset", "Diagnostic",
    "ConversationVerdict", "TrackerState",
    "Action", "Severity", "Mode", "Fold", "AgeBand", "Surface", "Relationship",
]


class _ProtoEnum(enum.IntEnum):
    """A watchword.v1 proto enum as a Python enum.

    Members are ints, so they compare equal to the numbers messages hold
    and can be assigned to message fields. Value() and Name() keep the
    protobuf enum wrapper's spelling.
    """

    @classmethod
    def Value(cls, name: str) -> "_ProtoEnum":  # noqa: N802 -- protobuf's name.
        """The member named `name`, e.g. Action.Value("ACTION_LOG").

        Raises:
            ValueError: No member has that name.
        """
        try:
            return cls[name]
        except KeyError:
            raise ValueError(f"{cls.__name__} has no value named {name!r}") from None

    @classmethod
    def Name(cls, number: int) -> str:  # noqa: N802 -- protobuf's name.
        """The name of the member equal to `number`; ValueError if none is."""
        return cls(number).name


def _proto_enum(wrapper: Any) -> Any:
    return _ProtoEnum(wrapper.DESCRIPTOR.name, wrapper.items(), module=__name__)


# What a rule does and how bad its match is (ruleset.proto).
Action = _proto_enum(ruleset_pb2.Action)
Severity = _proto_enum(ruleset_pb2.Severity)
Mode = _proto_enum(ruleset_pb2.Mode)
# The disguise a Match needed (RuleMatch.folds, Match.folds).
Fold = _proto_enum(ruleset_pb2.Fold)
# Who talks to whom, and where (context.proto).
AgeBand = _proto_enum(context_pb2.AgeBand)
Surface = _proto_enum(context_pb2.Surface)
Relationship = _proto_enum(context_pb2.Relationship)

# A ruleset argument: a path to a .textproto/.json file or a directory of
# them, or a Ruleset message.
RulesetSource = Union[str, bytes, "os.PathLike[str]", ruleset_pb2.Ruleset]
# Text of a message: str, or bytes scanned byte-exact.
Text = Union[str, bytes]
# One scan_many() item.
Item = Union[str, bytes, Mapping[str, Any], context_pb2.ScanRequest]


@dataclasses.dataclass(frozen=True)
class EngineInfo:
    """What an Engine was compiled from and with.

    Attributes:
        name: The ruleset's name, as echoed in every Verdict.
        version: The ruleset's version, as echoed in every Verdict.
        fingerprint: Hex digest of the ruleset's content: equal fingerprints,
            equal rules.
        backend: The matcher running the terms: "hyperscan" or "re2".
        rule_count: Number of rules.
        pattern_count: Number of distinct patterns handed to the matcher.
    """

    name: str
    version: str
    fingerprint: str
    backend: str
    rule_count: int
    pattern_count: int


class Engine:
    """A compiled ruleset, ready to scan messages. Make one with compile(),
    or load one saved with save() using load_engine().

    An Engine is immutable and thread-safe: share one across threads and
    call scan() from any of them. Each call borrows a C++ Scanner from a
    pool kept by the Engine and releases the GIL while it scans, so Python
    threads scan in parallel. For many messages, scan_many() (a list) or
    scan_iter() (a stream) scan on several threads in one call.

    Attributes (read-only):
        info: An EngineInfo (name, version, fingerprint, backend, counts).
        ruleset: The validated watchword.v1.Ruleset it was compiled from.
        diagnostics: The warnings compile() found (a list of Diagnostic).
    """

    __slots__ = ("_core", "_info")

    def __init__(self) -> None:
        """Not for use: make an Engine with watchword.compile()."""
        raise TypeError("make an Engine with watchword.compile(ruleset)")

    @classmethod
    def _from_core(cls, core: Any) -> "Engine":
        engine = object.__new__(cls)
        engine._core = core
        engine._info = EngineInfo(**core.info())
        return engine

    @property
    def info(self) -> EngineInfo:
        """Name, version, fingerprint, backend, rule_count, pattern_count."""
        return self._info

    @property
    def ruleset(self) -> ruleset_pb2.Ruleset:
        """The validated Ruleset this Engine was compiled from (a new copy)."""
        return ruleset_pb2.Ruleset.FromString(self._core.ruleset_bytes())

    @property
    def diagnostics(self) -> List[diagnostic_pb2.Diagnostic]:
        """The warnings compile() reported (errors would have raised)."""
        return self._core.diagnostics()

    def scan(self,
             text: Optional[Text] = None,
             *,
             fields: Optional[Mapping[str, Optional[Text]]] = None,
             context: Union[context_pb2.Context, Mapping[str, Any], None] = None,
             request: Optional[context_pb2.ScanRequest] = None,
             echo: bool = False,
             timeout: Optional[float] = None) -> verdict_pb2.Verdict:
        """Scans one message and returns its watchword.v1.Verdict.

        Args:
            text: The message body (the "body" field). None means no body.
            fields: More text fields by name, e.g. {"username": "..."}; a
                None value is skipped. Also accepted: a list of
                {"name": ..., "text": ...} dicts, as in ScanRequest JSON.
            context: A watchword.v1.Context, or a dict in its JSON form,
                e.g. {"recipient_age_band": "AGE_BAND_13_15"}.
            request: A complete watchword.v1.ScanRequest, instead of text,
                fields and context.
            echo: Copy matched text into Match.text (invalid UTF-8 in it
                becomes U+FFFD). Off by default: Watchword does not repeat
                message text unless asked.
            timeout: Seconds the scan may take (ScanOptions::timeout);
                None means no limit.

        Returns:
            The Verdict. A message with no text at all gets an empty Verdict
            (no action), as in the C++ library.

        Raises:
            ValueError: The scanner rejects the request (a field over 1 MiB,
                more than 16 fields, an empty field name), or the context
                dict is not a Context.
            TypeError: An argument has the wrong type, or `request` is
                combined with text/fields/context.
            TimeoutError: `timeout` passed before the scan finished.
            ScanError: The matcher failed; `.verdict` has `error` set.
        """
        return self._core.scan(text, fields, context, request, echo, timeout)

    def scan_many(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  timeout: Optional[float] = None,
                  id_key: str = "id",
                  text_key: str = "text",
                  context_key: str = "context") -> List[verdict_pb2.Verdict]:
        """Scans every item and returns their Verdicts, in input order.

        Args:
            items: Each one is a str or bytes (the body text), a
                watchword.v1.ScanRequest, or a mapping: a dict (e.g.
                json.loads() of a line the CLI reads, or a csv.DictReader
                row) or anything with keys() and [] (a sqlite3.Row, a
                pandas row). A mapping holds the request's id under
                `id_key` (a str or an int), its body text under `text_key`,
                its context (a dict in the JSON form of Context, or a
                Context) under `context_key`, and, as in ScanRequest's JSON,
                more text fields under "fields" (a dict {name: text} or a
                list of {"name", "text"}) and "echo_matched_text". Other keys
                are ignored; a None value counts as absent. A mapping with
                neither `text_key` nor "fields" gets an error Verdict, since
                it would scan nothing.
            threads: Threads that scan, each with its own C++ Scanner and
                without the GIL; the calling thread is one of them, and also
                converts items and Verdicts while the others scan. Verdicts
                come back in input order whatever the count.
            echo: Set echo_matched_text on every request (the CLI's --echo).
            timeout: Seconds each item's scan may take; None means no limit.
                An item that takes longer gets a Verdict with `truncated`
                set and `error.code` "DEADLINE_EXCEEDED" (the matches found
                before it stopped are kept), like the CLI's --timeout_ms.
            id_key, text_key, context_key: The keys of a mapping item that
                hold the id, the body text and the context, e.g.
                text_key="message" for rows with a "message" column.

        Returns:
            One Verdict per item. An item that cannot be scanned (a wrong
            type, a field over 1 MiB, a mapping without its text, ...) gets a
            Verdict with `error` set (code, message, and `line` = its
            1-based position in `items`) instead of raising, as the CLI
            does, so one bad item never loses the others. Verdicts echo
            the id as `request_id` (a str: str(id) for an int). The cyclic
            garbage collector is held off during the call (as by
            gc.disable(), and restored after), so that it runs once over
            the new Verdicts rather than many times while they are made.

        Raises:
            ValueError: `threads` is not between 1 and 64, or `timeout` is
                negative.
            KeyboardInterrupt: Ctrl-C, seen between chunks (at most 1,024
                items or about 4 MiB of text each).

        Items are copied to C++ a chunk at a time, two chunks in flight, so
        the call holds some 8 MiB of copies beside `items` and the Verdicts,
        whatever the items' count and size.
        """
        if not isinstance(items, (list, tuple)):
            items = list(items)
        return self._core.scan_batch(items, threads, echo, 1, timeout, id_key,
                                     text_key, context_key)

    def scan_iter(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  batch_size: int = 4096,
                  timeout: Optional[float] = None,
                  id_key: str = "id",
                  text_key: str = "text",
                  context_key: str = "context") -> Iterator[verdict_pb2.Verdict]:
        """Like scan_many(), but streams: yields Verdicts in input order.

        Reads `items` lazily, `batch_size` at a time, so a large export can
        be scanned in bounded memory. Error Verdicts carry `line` = the
        item's 1-based position in the whole stream.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        iterator = iter(items)
        first = 1
        while True:
            batch = list(itertools.islice(iterator, batch_size))
            if not batch:
                return
            yield from self._core.scan_batch(batch, threads, echo, first,
                                             timeout, id_key, text_key,
                                             context_key)
            first += len(batch)

    def views(self, text: Text) -> List["View"]:
        """Returns the views of `text` this Engine matches, for debugging.

        The Scanner does not match the text as written: it matches regexes
        on the base view (what normalize() returns) and phrases on folded
        views, each made only when the text holds what it undoes. This
        returns those views, from the code the Scanner runs, in the order
        it matches them, so that an analyst can see why "s 3 n d ur p*c"
        matched (with rulesets/child_safety, where "ur" means "your"):

            >>> for view in engine.views("s 3 n d ur p*c"):
            ...     print(view.name, repr(view.text))
            base 's 3 n d ur p*c'
            folded 's 3 n d your p*c'
            masked 's 3 n d ur p*c'
            joined 'send your p*c'

        View names are "base", "folded", "masked", "masked_joined",
        "joined", "squeezed_joined", "squeezed", "masked_squeezed" and
        "squeezed_rejoined"; views of the second fold, made for text with
        a stand-in that reads two ways ("1" is "i" in "p1c", "l" in "1ove"),
        start with "alternate_".

        Args:
            text: One text field, as for scan() (str, or bytes byte-exact).

        Returns:
            A list of View: the base view first, then the folded views in
            scan order.

        Raises:
            ValueError: The scanner rejects the text (over 1 MiB).
            TypeError: `text` is not str or bytes.
        """
        return [View(*fields) for fields in self._core.views(text)]

    def save(self, path: Union[str, bytes, "os.PathLike[str]"]) -> None:
        """Writes this Engine to an engine file that load_engine() reads.

        Loading takes milliseconds where compiling takes up to seconds. The
        file is a cache of compile(), not a release artifact: it loads only
        in a watchword build with the same Hyperscan version and pattern
        lowering, on a CPU like this one; keep the ruleset to recompile. The
        file is written beside `path` and renamed, so readers never see a
        partial file. The GIL is released while writing.

        Raises:
            FileNotFoundError, PermissionError, OSError: It cannot be
                written.
        """
        self._core.save(path)

    def serialize(self) -> bytes:
        """Returns the bytes save() would write; see deserialize_engine()."""
        return self._core.serialize()

    def __repr__(self) -> str:
        i = self._info
        return (f"<watchword.Engine {i.name} {i.version} ({i.fingerprint}): "
                f"{i.rule_count} rules, {i.backend}>")


class Tracker:
    """Applies an Engine's conversation rules across messages.

    A Tracker remembers, per conversation (per sender within it, where a
    rule asks) and per sender, which message-level rules fired in which
    message (by id) and when; never message text. Memory is bounded by the
    options (the least recently active conversation is dropped first) and
    each update takes bounded time. Thread-safe: Python threads may update
    it at once (the GIL is released while it works). See
    watchword/conversation.h for the C++ class it wraps.

        tracker = watchword.Tracker(engine)
        for verdict in tracker.scan_many(messages):   # one conversation or many
            if verdict.conversation.matches: ...

    Args:
        engine: The Engine whose ruleset holds the conversation rules.
        shards: Independent parts of the state, each with its own lock.
        max_conversations, max_senders: Most conversations and senders kept.
        max_signals: Most messages with signals kept per conversation,
            direction or sender.
        max_message_ids: Message ids remembered per conversation to drop
            duplicates.
        max_recipients: Recipients remembered per sender (new_contacts).
        expire_after_ms: State this much older than the newest timestamp is
            dropped; 0 never.

    Raises:
        ValueError: An option is out of range.
    """

    __slots__ = ("_core", "_engine")

    def __init__(self, engine: Engine, *, shards: int = 16,
                 max_conversations: int = 1 << 20,
                 max_senders: int = 1 << 18, max_signals: int = 32,
                 max_message_ids: int = 16, max_recipients: int = 256,
                 expire_after_ms: int = 7 * 24 * 3600 * 1000) -> None:
        self._engine = engine
        self._core = _watchword._Tracker(engine._core, shards,
                                         max_conversations, max_senders,
                                         max_signals, max_message_ids,
                                         max_recipients, expire_after_ms)

    def update(self, context: Union[context_pb2.Context, Mapping[str, Any]],
               verdict: verdict_pb2.Verdict
               ) -> verdict_pb2.ConversationVerdict:
        """Feeds one scanned message (known by verdict.request_id, sent in
        `context`: conversation_id, sender_id, recipient_id, timestamp_ms,
        age bands) and returns the conversation rules that fired on it. A
        message id seen before in its conversation counts once: the result
        then has `duplicate` set."""
        return verdict_pb2.ConversationVerdict.FromString(
            self._core.update(context, verdict))

    def track(self, context: Union[context_pb2.Context, Mapping[str, Any]],
              verdict: verdict_pb2.Verdict) -> None:
        """Like update(), then sets verdict.conversation and raises
        verdict.action and verdict.severity where the conversation verdict
        is stronger, in place."""
        verdict.CopyFrom(
            verdict_pb2.Verdict.FromString(self._core.track(context, verdict)))

    def scan_many(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  timeout: Optional[float] = None,
                  id_key: str = "id",
                  text_key: str = "text",
                  context_key: str = "context") -> List[verdict_pb2.Verdict]:
        """Engine.scan_many() over the messages of one or more
        conversations, in order, each verdict then tracked as by track():
        verdict.conversation says which conversation rules fired on it. The
        conversation verdicts do not depend on `threads`. Items without a
        conversation or sender id in their context are scanned only."""
        if not isinstance(items, (list, tuple)):
            items = list(items)
        return self._engine._core.scan_batch(items, threads, echo, 1, timeout,
                                             id_key, text_key, context_key,
                                             self._core)

    def snapshot(self) -> tracker_pb2.TrackerState:
        """Returns the whole state, for restore() after a restart."""
        return tracker_pb2.TrackerState.FromString(self._core.snapshot())

    def restore(self, state: tracker_pb2.TrackerState) -> None:
        """Replaces the state with a snapshot(); rules the ruleset no longer
        has are dropped.

        Raises:
            ValueError: The state repeats a conversation or sender id.
        """
        self._core.restore(state)

    def expire(self, now_ms: int) -> None:
        """Drops state idle for expire_after_ms before `now_ms`."""
        self._core.expire(now_ms)

    @property
    def conversation_count(self) -> int:
        """Conversations tracked now."""
        return self._core.conversation_count()

    @property
    def sender_count(self) -> int:
        """Senders tracked now."""
        return self._core.sender_count()


def compile(ruleset: Optional[RulesetSource] = None,  # noqa: A001
            *,
            source: Optional[Text] = None,
            backend: Optional[str] = None) -> Engine:
    """Compiles a ruleset into an Engine.

    Pass either `ruleset` or `source`::

        watchword.compile("rulesets/examples/starter.textproto")
        watchword.compile(source='name: "x" rules { id: "r" ... }')

    Args:
        ruleset: A path (str, bytes or os.PathLike) to a .textproto, .txtpb,
            .pbtxt or .json ruleset file, or to a directory whose ruleset
            files are merged; or a watchword.v1.Ruleset message.
        source: The text of one ruleset file (str or bytes): proto JSON if
            it starts with "{", protobuf text format otherwise. Problems
            are reported as in a file named "<source>", with line:column.
        backend: "hyperscan", "re2", or None/"default" (Hyperscan where this
            build has it). Both give identical verdicts.

    Returns:
        The Engine. Warnings are in `engine.diagnostics`.

    Raises:
        RulesetError: The ruleset has errors. str(e) is the first one, as
            "file:line:column: error WWnnn: ..." ("<source>:line:column:
            ..." for `source`, a field path instead of file:line:column for
            a Ruleset message); e.diagnostics holds every Diagnostic,
            errors and warnings.
        FileNotFoundError: The path does not exist.
        NotImplementedError: The backend is not in this build.
        TypeError: Neither or both of `ruleset` and `source`, or a wrong
            type.
        ValueError: Bad arguments.
    """
    return Engine._from_core(_watchword.compile(ruleset, source, backend))


def load_engine(path: Union[str, bytes, "os.PathLike[str]"]) -> Engine:
    """Loads an Engine saved with Engine.save() (or `watchword compile`).

    The Engine scans exactly like the one that was saved; its diagnostics
    are empty. The GIL is released while loading.

    Raises:
        FileNotFoundError, PermissionError, OSError: It cannot be read.
        EngineFileError: It does not load. e.code is "INVALID_ARGUMENT" (not
            an engine file), "DATA_LOSS" (truncated or damaged) or
            "FAILED_PRECONDITION" (another format version, Hyperscan
            version, CPU or watchword lowering: compile the ruleset again).
    """
    return Engine._from_core(_watchword.load_engine(path))


def deserialize_engine(data: bytes) -> Engine:
    """Like load_engine(), from the bytes of Engine.serialize()."""
    return Engine._from_core(_watchword.deserialize_engine(data))


def check_ruleset(ruleset: Optional[RulesetSource] = None,
                  *,
                  source: Optional[Text] = None,
                  backend: Optional[str] = None) -> List[diagnostic_pb2.Diagnostic]:
    """Checks a ruleset without raising; returns every Diagnostic.

    Like `watchword check`: errors and warnings, with file:line:column. The
    ruleset compiles if and only if no Diagnostic has severity
    SEVERITY_ERROR. A failure that comes without a Diagnostic (a missing
    path, a compile budget) is reported as one. Arguments as for compile().
    """
    return _watchword.check_ruleset(ruleset, source, backend)


def format_diagnostic(diagnostic: diagnostic_pb2.Diagnostic) -> str:
    """Renders a Diagnostic as "file:line:column: error WW104: ...".

    The same text the CLI prints and RulesetError messages start with.
    """
    return _watchword.format_diagnostic(diagnostic.SerializeToString())


@dataclasses.dataclass(frozen=True)
class NormalizedText:
    """Text as the matcher sees it, with a map back to the original bytes.

    Normalization is Unicode NFKC with case folding, removal of zero-width
    and other default-ignorable characters, whitespace runs collapsed to one
    space and invalid UTF-8 replaced by U+FFFD.

    Attributes:
        text: The normalized text.
        begin, end: Byte offsets: byte i of text.encode() came from the
            original bytes [begin[i], end[i]). One entry per UTF-8 byte of
            `text`, not per character.
    """

    text: str
    begin: List[int]
    end: List[int]

    def original_span(self, begin: int, end: int) -> Tuple[int, int]:
        """Maps normalized bytes [begin, end) to original bytes.

        Raises:
            IndexError: Unless 0 <= begin < end <= len(text.encode()).
        """
        if not 0 <= begin < end <= len(self.begin):
            raise IndexError(f"span [{begin}, {end}) is not inside the "
                             f"{len(self.begin)} normalized bytes")
        return self.begin[begin], self.end[end - 1]


@dataclasses.dataclass(frozen=True)
class View:
    """One view of a text, as the Scanner matched it; see Engine.views().

    Attributes:
        name: Which view: "base", "folded", "masked", "masked_joined",
            "joined", "squeezed_joined", "squeezed", "masked_squeezed" or
            "squeezed_rejoined", with "alternate_" in front for the views
            of the second, alternate-leetspeak fold.
        alternate_leet: True for the views of the second fold.
        text: The view, as the matchers see it: "*" for a mask, canonical
            words for chat-speak ("you" for "u").
        begin, end: Byte offsets, as in NormalizedText: byte i of
            text.encode() came from the original bytes [begin[i], end[i])
            (of text.encode("utf-8", "surrogatepass") for str input, the
            offsets of Match.begin/end). One entry per UTF-8 byte of `text`.
        folds: For each UTF-8 byte of `text`, a tuple of the names of the
            watchword.v1.Fold values that produced it, e.g.
            ("FOLD_LEETSPEAK",); () where the byte is as written.
    """

    name: str
    alternate_leet: bool
    text: str
    begin: List[int]
    end: List[int]
    folds: List[Tuple[str, ...]]

    def original_span(self, begin: int, end: int) -> Tuple[int, int]:
        """Maps view bytes [begin, end) to original bytes.

        Raises:
            IndexError: Unless 0 <= begin < end <= len(text.encode()).
        """
        if not 0 <= begin < end <= len(self.begin):
            raise IndexError(f"span [{begin}, {end}) is not inside the "
                             f"{len(self.begin)} bytes of the view")
        return self.begin[begin], self.end[end - 1]


def normalize(text: Text) -> NormalizedText:
    """Normalizes text as the scanner does, for debugging rules.

    This is the base view, where regexes run. Phrases run on folded views
    of it (leetspeak, homoglyphs, spaced and stretched letters, masks),
    which depend on the ruleset: see Engine.views() for all of them.

    `text` is handled as by Engine.scan(); offsets are bytes of the original
    UTF-8 (see the package docstring).
    """
    normalized, begin, end = _watchword.normalize(text)
    return NormalizedText(normalized, begin, end)


def has_hyperscan() -> bool:
    """True when this build includes the Hyperscan backend."""
    return _watchword.has_hyperscan()


def flagged(verdict: verdict_pb2.Verdict) -> bool:
    """True when a rule matched: `verdict.rule_matches` is not empty.

    Shadow-mode rules count, since an analyst reviews their matches too;
    `verdict.action` is the enforced outcome (ACTION_UNSPECIFIED when only
    shadow rules matched). An error Verdict from scan_many() is flagged only
    if it holds matches found before the error.
    """
    return len(verdict.rule_matches) > 0


# UTF-8 continuation bytes, 10xxxxxx: deleting them leaves one byte per
# character.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def char_span(text: Text, match: verdict_pb2.Match) -> Tuple[int, int]:
    """Returns `match`'s span in `text` as str indices: (char_begin, char_end).

    Match.begin and Match.end are byte offsets into the UTF-8 text, as in
    the C++ library and the CLI; Python indexes code points, so for
    fullwidth, Cyrillic or emoji text the two differ. With the text that was
    scanned (for a field other than the body, that field's text)::

        b, e = watchword.char_span(text, m)
        text[b:e]   # what matched, as written

    Args:
        text: The str (or bytes) that was scanned. For bytes, the byte
            offsets are the indices, and are returned as they are.
        match: A watchword.v1.Match of a Verdict for `text`.

    Returns:
        (char_begin, char_end), with text[char_begin:char_end] covering
        exactly the characters whose UTF-8 bytes the match covers.

    Raises:
        ValueError: The match does not fit in `text` (a Verdict of another
            text).
        TypeError: `text` is not str or bytes.
    """
    begin, end = match.begin, match.end
    if isinstance(text, str):
        data = text.encode("utf-8", "surrogatepass")
    elif isinstance(text, (bytes, bytearray)):
        data = bytes(text)
    else:
        raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
    if not 0 <= begin <= end <= len(data):
        raise ValueError(f"match bytes [{begin}, {end}) are not inside the "
                         f"{len(data)} bytes of the text")
    if not isinstance(text, str) or len(data) == len(text):
        return begin, end  # bytes, or ASCII: one byte per character.
    char_begin = len(data[:begin].translate(None, _CONTINUATION_BYTES))
    if begin < len(data) and 0x80 <= data[begin] < 0xC0:
        # Inside a character (only a lone surrogate's bytes, matched one by
        # one as invalid UTF-8): start at that character.
        char_begin -= 1
    char_end = len(data[:end].translate(None, _CONTINUATION_BYTES))
    return char_begin, char_end


def to_dict(verdict: verdict_pb2.Verdict) -> Dict[str, Any]:
    """Returns `verdict` as a dict, exactly as `watchword scan` prints it.

    json.loads() of a line of the CLI's output equals this: proto field
    names (rule_matches, request_id), enums as their names
    ("ACTION_REVIEW", "FOLD_LEETSPEAK"), and the proto3 JSON mapping's
    rules: fields at their default (0, "", false, empty) are left out, so
    read offsets as m.get("begin", 0), and 64-bit counters
    (stats.bytes_scanned) are strings.
    """
    return json_format.MessageToDict(verdict, preserving_proto_field_name=True)



# Code points that protobuf's JSON printer, and so `watchword scan`, writes as
# \uXXXX escapes although JSON allows them raw: '<', '>', DEL and C1
# controls, and invisible format characters (soft hyphen, zero-width
# spaces, bidi controls, tags, ...). Astral ones become surrogate pairs.
_JSON_ESCAPED_RANGES = ((0x3C, 0x3C), (0x3E, 0x3E), (0x7F, 0x9F), (0xAD, 0xAD),
                        (0x600, 0x603), (0x6DD, 0x6DD), (0x70F, 0x70F),
                        (0x17B4, 0x17B5), (0x200B, 0x200F), (0x2028, 0x202E),
                        (0x2060, 0x2064), (0x206A, 0x206F), (0xFEFF, 0xFEFF),
                        (0xFFF9, 0xFFFB), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
                        (0xE0020, 0xE007F))


def _json_escape(cp: int) -> str:
    if cp < 0x10000:
        return "\\u%04x" % cp
    cp -= 0x10000
    return "\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF))


_JSON_ESCAPES = {cp: _json_escape(cp) for first, last in _JSON_ESCAPED_RANGES
                 for cp in range(first, last + 1)}


def to_json(verdict: verdict_pb2.Verdict) -> str:
    """Returns `verdict` as one JSON line (no newline), byte for byte what
    `watchword scan` prints for it: to_dict(), compact, with the escapes of
    protobuf's JSON printer."""
    return json.dumps(to_dict(verdict), ensure_ascii=False,
                      separators=(",", ":")).translate(_JSON_ESCAPES)

# The columns of to_dataframe(), in order.
_FRAME_COLUMNS = ("request_id", "rule_id", "category", "severity", "action",
                  "shadow", "field", "term_id", "term_list", "begin", "end",
                  "char_begin", "char_end", "text")


def to_dataframe(verdicts: Iterable[verdict_pb2.Verdict],
                 texts: Optional[Iterable[Any]] = None) -> Any:
    """Returns a pandas DataFrame with one row per Match of every rule match.

    Columns: request_id, rule_id, category, severity and action (names, as
    the CLI prints them: "SEVERITY_HIGH", "ACTION_REVIEW"), shadow, field,
    term_id, term_list, begin and end (UTF-8 byte offsets), char_begin and
    char_end (str indices, see char_span()), and text (the matched text, if
    the scan echoed it, else ""). A rule match without term matches gives
    one row whose match columns are empty; a Verdict without rule matches
    gives none, so ``len(df)`` counts matches and
    ``df.groupby("category").request_id.nunique()`` flagged messages.

    Args:
        verdicts: Verdicts, e.g. what scan_many() returned.
        texts: Optional, one per Verdict, in the same order: what was
            scanned, as the items given to scan_many() (str, bytes, or a
            mapping with its body under "text" and more text under
            "fields"), to fill char_begin/char_end. Without it, or for a
            field whose text is not known, they are missing (pandas NA).

    Raises:
        ImportError: pandas is not installed (it is optional for watchword:
            ``apt install python3-pandas`` or ``pip install pandas``).
    """
    try:
        import pandas  # noqa: PLC0415 -- optional, only needed here.
    except ImportError as e:
        raise ImportError(
            "watchword.to_dataframe() needs pandas, which watchword does not "
            "require: apt install python3-pandas, or pip install pandas") from e
    severity_name = Severity.Name
    action_name = Action.Name
    rows = []
    text_list = None if texts is None else list(texts)
    for index, verdict in enumerate(verdicts):
        fields = _scanned_fields(text_list[index]) if text_list is not None else {}
        for rule in verdict.rule_matches:
            common = (verdict.request_id, rule.rule_id, rule.category,
                      severity_name(rule.severity), action_name(rule.action),
                      rule.shadow)
            if not rule.matches:
                rows.append(common + ("", "", "", None, None, None, None, ""))
                continue
            for m in rule.matches:
                char_begin = char_end = None
                text = fields.get(m.field)
                if text is not None:
                    try:
                        char_begin, char_end = char_span(text, m)
                    except (TypeError, ValueError):
                        pass  # Not the text that was scanned.
                rows.append(common + (m.field, m.term_id, m.term_list,
                                      m.begin, m.end, char_begin, char_end,
                                      m.text))
    frame = pandas.DataFrame.from_records(rows, columns=list(_FRAME_COLUMNS))
    for column in ("begin", "end", "char_begin", "char_end"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _scanned_fields(item: Any) -> Dict[str, Any]:
    """{field name: text} of one scan_many() item ("body" is the text)."""
    if isinstance(item, (str, bytes, bytearray)):
        return {"body": item}
    if not hasattr(item, "keys"):
        return {}
    fields = {}
    text = item.get("text") if hasattr(item, "get") else None
    if isinstance(text, (str, bytes, bytearray)):
        fields["body"] = text
    extra = item.get("fields") if hasattr(item, "get") else None
    if isinstance(extra, Mapping):
        fields.update((k, v) for k, v in extra.items()
                      if isinstance(v, (str, bytes, bytearray)))
    elif isinstance(extra, (list, tuple)):
        for f in extra:
            if isinstance(f, Mapping) and isinstance(f.get("text"), (str, bytes)):
                fields[f.get("name", "")] = f["text"]
    return fields
