# Type stub of the watchword package; keep in step with __init__.py
# (tests/test_api.py checks that the two name the same things).
import enum
import os
from typing import (Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple,
                    Union)

from watchword.v1 import context_pb2, diagnostic_pb2, ruleset_pb2, verdict_pb2
from watchword.v1 import tracker_pb2
from watchword.v1.context_pb2 import (Context as Context,
                                      ScanRequest as ScanRequest,
                                      TextField as TextField)
from watchword.v1.diagnostic_pb2 import Diagnostic as Diagnostic
from watchword.v1.ruleset_pb2 import Ruleset as Ruleset
from watchword.v1.tracker_pb2 import TrackerState as TrackerState
from watchword.v1.verdict_pb2 import (ConversationVerdict as ConversationVerdict,
                                      Verdict as Verdict)
from watchword import rulesets as rulesets

__version__: str
__all__: List[str]

RulesetSource = Union[str, bytes, os.PathLike[str], ruleset_pb2.Ruleset]
Text = Union[str, bytes]
Item = Union[str, bytes, Mapping[str, Any], context_pb2.ScanRequest]

# The proto enums as IntEnums; tests/test_api.py checks these members
# against the generated protos.
class _ProtoEnum(enum.IntEnum):
    @classmethod
    def Value(cls, name: str) -> Any: ...
    @classmethod
    def Name(cls, number: int) -> str: ...

class Action(_ProtoEnum):
    ACTION_UNSPECIFIED = 0
    ACTION_LOG = 1
    ACTION_REVIEW = 2
    ACTION_BLOCK = 3
    ACTION_ESCALATE = 4

class Severity(_ProtoEnum):
    SEVERITY_UNSPECIFIED = 0
    SEVERITY_LOW = 1
    SEVERITY_MEDIUM = 2
    SEVERITY_HIGH = 3
    SEVERITY_CRITICAL = 4

class Mode(_ProtoEnum):
    MODE_UNSPECIFIED = 0
    MODE_ENFORCE = 1
    MODE_SHADOW = 2

class Fold(_ProtoEnum):
    FOLD_UNSPECIFIED = 0
    FOLD_INVISIBLE = 1
    FOLD_DIACRITIC = 2
    FOLD_HOMOGLYPH = 3
    FOLD_LEETSPEAK = 4
    FOLD_REPEAT = 5
    FOLD_SPACING = 6
    FOLD_CHAT_SPEAK = 7
    FOLD_MASK = 8

class AgeBand(_ProtoEnum):
    AGE_BAND_UNSPECIFIED = 0
    AGE_BAND_UNDER_13 = 1
    AGE_BAND_13_15 = 2
    AGE_BAND_16_17 = 3
    AGE_BAND_ADULT = 4

class Surface(_ProtoEnum):
    SURFACE_UNSPECIFIED = 0
    SURFACE_DIRECT_MESSAGE = 1
    SURFACE_GROUP_CHAT = 2
    SURFACE_PUBLIC = 3
    SURFACE_VOICE_TRANSCRIPT = 4
    SURFACE_PROFILE = 5

class Relationship(_ProtoEnum):
    RELATIONSHIP_UNSPECIFIED = 0
    RELATIONSHIP_NOT_CONNECTED = 1
    RELATIONSHIP_ONE_WAY = 2
    RELATIONSHIP_MUTUAL = 3
    RELATIONSHIP_FAMILY = 4

class RulesetError(ValueError):
    """The ruleset does not compile; see `diagnostics`."""
    diagnostics: List[diagnostic_pb2.Diagnostic]

class ScanError(RuntimeError):
    """The matcher failed on a request."""
    code: str
    verdict: Optional[verdict_pb2.Verdict]

class EngineFileError(ValueError):
    """An engine file does not load; `code` says why."""
    code: str

class EngineInfo:
    name: str
    version: str
    fingerprint: str
    backend: str
    rule_count: int
    pattern_count: int
    def __init__(self, name: str, version: str, fingerprint: str,
                 backend: str, rule_count: int, pattern_count: int) -> None: ...

class Engine:
    def __init__(self) -> None: ...
    @property
    def info(self) -> EngineInfo: ...
    @property
    def ruleset(self) -> ruleset_pb2.Ruleset: ...
    @property
    def diagnostics(self) -> List[diagnostic_pb2.Diagnostic]: ...
    def scan(self,
             text: Optional[Text] = None,
             *,
             fields: Optional[Mapping[str, Optional[Text]]] = None,
             context: Union[context_pb2.Context, Mapping[str, Any], None] = None,
             request: Optional[context_pb2.ScanRequest] = None,
             echo: bool = False,
             timeout: Optional[float] = None) -> verdict_pb2.Verdict: ...
    def scan_many(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  timeout: Optional[float] = None,
                  id_key: str = "id",
                  text_key: str = "text",
                  context_key: str = "context") -> List[verdict_pb2.Verdict]: ...
    def scan_iter(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  batch_size: int = 4096,
                  timeout: Optional[float] = None,
                  id_key: str = "id",
                  text_key: str = "text",
                  context_key: str = "context") -> Iterator[verdict_pb2.Verdict]: ...
    def views(self, text: Text) -> List[View]: ...
    def save(self, path: Union[str, bytes, os.PathLike[str]]) -> None: ...
    def serialize(self) -> bytes: ...

class NormalizedText:
    text: str
    begin: List[int]
    end: List[int]
    def __init__(self, text: str, begin: List[int], end: List[int]) -> None: ...
    def original_span(self, begin: int, end: int) -> Tuple[int, int]: ...

class View:
    name: str
    alternate_leet: bool
    text: str
    begin: List[int]
    end: List[int]
    folds: List[Tuple[str, ...]]
    def __init__(self, name: str, alternate_leet: bool, text: str,
                 begin: List[int], end: List[int],
                 folds: List[Tuple[str, ...]]) -> None: ...
    def original_span(self, begin: int, end: int) -> Tuple[int, int]: ...

class Tracker:
    def __init__(self, engine: Engine, *, shards: int = ...,
                 max_conversations: int = ..., max_senders: int = ...,
                 max_signals: int = ..., max_message_ids: int = ...,
                 max_recipients: int = ...,
                 expire_after_ms: int = ...) -> None: ...
    def update(self, context: Union[context_pb2.Context, Mapping[str, Any]],
               verdict: verdict_pb2.Verdict
               ) -> verdict_pb2.ConversationVerdict: ...
    def track(self, context: Union[context_pb2.Context, Mapping[str, Any]],
              verdict: verdict_pb2.Verdict) -> None: ...
    def scan_many(self, items: Iterable[Item], *, threads: int = ...,
                  echo: bool = ..., timeout: Optional[float] = ...,
                  id_key: str = ..., text_key: str = ...,
                  context_key: str = ...) -> List[verdict_pb2.Verdict]: ...
    def snapshot(self) -> tracker_pb2.TrackerState: ...
    def restore(self, state: tracker_pb2.TrackerState) -> None: ...
    def expire(self, now_ms: int) -> None: ...
    @property
    def conversation_count(self) -> int: ...
    @property
    def sender_count(self) -> int: ...

def compile(ruleset: Optional[RulesetSource] = None,
            *,
            source: Optional[Text] = None,
            backend: Optional[str] = None) -> Engine: ...
def load_engine(path: Union[str, bytes, os.PathLike[str]]) -> Engine: ...
def deserialize_engine(data: bytes) -> Engine: ...
def check_ruleset(ruleset: Optional[RulesetSource] = None,
                  *,
                  source: Optional[Text] = None,
                  backend: Optional[str] = None) -> List[diagnostic_pb2.Diagnostic]: ...
def format_diagnostic(diagnostic: diagnostic_pb2.Diagnostic) -> str: ...
def normalize(text: Text) -> NormalizedText: ...
def has_hyperscan() -> bool: ...
def flagged(verdict: verdict_pb2.Verdict) -> bool: ...
def char_span(text: Text, match: verdict_pb2.Match) -> Tuple[int, int]: ...
def to_dict(verdict: verdict_pb2.Verdict) -> Dict[str, Any]: ...
def to_json(verdict: verdict_pb2.Verdict) -> str: ...
def to_dataframe(verdicts: Iterable[verdict_pb2.Verdict],
                 texts: Optional[Iterable[Any]] = ...) -> Any: ...
