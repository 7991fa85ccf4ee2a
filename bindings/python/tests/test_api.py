"""The package's shape: where it loads from, its stub, its documentation."""

import ast
import inspect
import pathlib
import pydoc
import re

import watchword
from conftest import SOURCE_DIR

PACKAGE_DIR = pathlib.Path(watchword.__file__).parent
PUBLIC_FUNCTIONS = ["compile", "check_ruleset", "format_diagnostic",
                    "normalize", "has_hyperscan", "load_engine",
                    "deserialize_engine", "flagged", "char_span", "to_dict",
                    "to_json", "to_dataframe"]
PROTO_ENUMS = ["Action", "Severity", "Mode", "Fold", "AgeBand", "Surface",
               "Relationship"]
PUBLIC_CLASSES = ["Engine", "EngineInfo", "NormalizedText", "View"]


def test_package_is_the_assembled_build_tree():
    # The extension, the Python files and the generated protos sit together,
    # so a stale install elsewhere on sys.path cannot stand in for the build.
    assert pathlib.Path(watchword._watchword.__file__).parent == PACKAGE_DIR
    for name in ("context", "ruleset", "verdict", "diagnostic"):
        assert (PACKAGE_DIR / "v1" / f"{name}_pb2.py").is_file()
    # Generated modules import each other as watchword.v1.*.
    from watchword.v1 import verdict_pb2
    assert verdict_pb2.DESCRIPTOR.name == "watchword/v1/verdict.proto"
    assert verdict_pb2.DESCRIPTOR.dependencies[0].name == "watchword/v1/ruleset.proto"


def test_version_is_the_project_version():
    cmake = (SOURCE_DIR / "CMakeLists.txt").read_text()
    version = re.search(r"project\(watchword VERSION ([0-9.]+)", cmake).group(1)
    assert watchword.__version__ == version


def test_all_names_exist():
    for name in watchword.__all__:
        assert hasattr(watchword, name), name


def stub_tree():
    path = PACKAGE_DIR / "__init__.pyi"
    return ast.parse(path.read_text(), filename=str(path))


def stub_params(node):
    """[(name, kind, has_default)] of an ast function, without self."""
    a = node.args
    out = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for arg, default in zip(positional, defaults):
        out.append((arg.arg, "POSITIONAL_OR_KEYWORD", default is not None))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, "KEYWORD_ONLY", default is not None))
    return [p for p in out if p[0] not in ("self", "cls")]


def runtime_params(function):
    return [(p.name, p.kind.name, p.default is not inspect.Parameter.empty)
            for p in inspect.signature(function).parameters.values()
            if p.name not in ("self", "cls")]


def test_stub_matches_the_runtime():
    tree = stub_tree()
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    for name in PUBLIC_FUNCTIONS:
        assert stub_params(functions[name]) == runtime_params(getattr(watchword, name)), name
    assert set(functions) == set(PUBLIC_FUNCTIONS)
    for name in PUBLIC_CLASSES + ["RulesetError", "ScanError",
                                  "EngineFileError"]:
        assert name in classes, name
    for class_name in PUBLIC_CLASSES:
        cls = getattr(watchword, class_name)
        for node in classes[class_name].body:
            if isinstance(node, ast.FunctionDef) and node.name != "__init__":
                member = inspect.getattr_static(cls, node.name)
                if isinstance(member, property):
                    assert any(isinstance(d, ast.Name) and d.id == "property"
                               for d in node.decorator_list), node.name
                    continue
                assert stub_params(node) == runtime_params(member), (class_name, node.name)
        stub_methods = {n.name for n in classes[class_name].body
                        if isinstance(n, ast.FunctionDef)}
        runtime_methods = {n for n, v in vars(cls).items()
                           if not n.startswith("_") and callable(v) or isinstance(v, property)}
        assert runtime_methods <= stub_methods, class_name
    # The stub lists each enum's members, as the runtime has them.
    for name in PROTO_ENUMS:
        stub_members = [(t.id, v.value) for n in classes[name].body
                        if isinstance(n, ast.Assign)
                        for t, v in [(n.targets[0], n.value)]]
        assert stub_members == [(m.name, m.value) for m in getattr(watchword, name)], name
    # Every public name is declared in the stub.
    declared = set(functions) | set(classes)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            declared |= {a.asname or a.name for a in node.names}
    assert set(watchword.__all__) <= declared


def test_everything_public_has_a_docstring():
    assert len(watchword.__doc__) > 500
    for name in PUBLIC_FUNCTIONS + PUBLIC_CLASSES + ["RulesetError", "ScanError",
                                                     "EngineFileError"]:
        assert inspect.getdoc(getattr(watchword, name)), name
    for name in ("scan", "scan_many", "scan_iter", "views", "info", "ruleset",
                 "diagnostics"):
        assert inspect.getdoc(getattr(watchword.Engine, name)), name
    assert inspect.getdoc(watchword.NormalizedText.original_span)
    assert inspect.getdoc(watchword.View.original_span)


def test_help_on_engine_is_useful():
    text = pydoc.render_doc(watchword.Engine, renderer=pydoc.plaintext)
    assert "thread-safe" in text
    for expected in ("scan(self, text: 'Optional[Text]' = None, *, fields:",
                     "scan_many(self, items: 'Iterable[Item]', *, threads: 'int' = 1",
                     "watchword.compile()", "Raises:", "ValueError",
                     "1-based position"):
        assert expected in text, expected
