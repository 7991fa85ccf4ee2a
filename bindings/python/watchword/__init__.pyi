# Type stub of the watchword package; keep in step with __init__.py
# (tests/test_api.py checks that the two name the same things).
import os
from typing import (Any, Iterable, Iterator, List, Mapping, Optional, Tuple,
                    Union)

from watchword.v1 import context_pb2, diagnostic_pb2, ruleset_pb2, verdict_pb2
from watchword.v1.context_pb2 import (AgeBand as AgeBand, Context as Context,
                                      Relationship as Relationship,
                                      ScanRequest as ScanRequest,
                                      Surface as Surface,
                                      TextField as TextField)
from watchword.v1.diagnostic_pb2 import Diagnostic as Diagnostic
from watchword.v1.ruleset_pb2 import (Action as Action, Mode as Mode,
                                      Ruleset as Ruleset,
                                      Severity as Severity)
from watchword.v1.verdict_pb2 import Verdict as Verdict

__version__: str
__all__: List[str]

RulesetSource = Union[str, bytes, os.PathLike[str], ruleset_pb2.Ruleset]
Text = Union[str, bytes]
Item = Union[str, bytes, Mapping[str, Any], context_pb2.ScanRequest]

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
                  timeout: Optional[float] = None) -> List[verdict_pb2.Verdict]: ...
    def scan_iter(self,
                  items: Iterable[Item],
                  *,
                  threads: int = 1,
                  echo: bool = False,
                  batch_size: int = 4096,
                  timeout: Optional[float] = None) -> Iterator[verdict_pb2.Verdict]: ...
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

def compile(ruleset: RulesetSource, *, backend: Optional[str] = None) -> Engine: ...
def load_engine(path: Union[str, bytes, os.PathLike[str]]) -> Engine: ...
def deserialize_engine(data: bytes) -> Engine: ...
def check_ruleset(ruleset: RulesetSource,
                  *,
                  backend: Optional[str] = None) -> List[diagnostic_pb2.Diagnostic]: ...
def format_diagnostic(diagnostic: diagnostic_pb2.Diagnostic) -> str: ...
def normalize(text: Text) -> NormalizedText: ...
def has_hyperscan() -> bool: ...
