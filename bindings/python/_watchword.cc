// The `watchword._watchword` extension: the C++ half of the Python package.
//
// Thin on purpose. Rulesets compile, requests scan and text normalizes in the
// C++ library; this file only turns Python arguments into C++ requests,
// turns Verdicts and Diagnostics back into the generated Python protos, and
// maps
// absl::Status to Python exceptions, in one place: RaiseStatus().
//
// watchword/__init__.py wraps this module in the documented public API; the
// names here start with "_" where the public name belongs to the wrapper.

#include <Python.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/util/thread_pool.h"
#include "watchword/watchword.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace watchword {
namespace python {

// The first virtual methods of protobuf's PyProto_API
// (python/google/protobuf/proto_api.h, which Debian does not install): the
// C++ API of the "cpp" Python implementation, published as a capsule. Its
// later methods differ between protobuf versions; these two have kept their
// place since it appeared (3.6), and are the only ones called. Outside the
// anonymous namespace: there, the compiler would see no implementation of
// these methods and turn the calls into __cxa_pure_virtual.
struct PyProtoApiPrefix {
  virtual ~PyProtoApiPrefix() = default;
  virtual const google::protobuf::Message* GetMessagePointer(
      PyObject* msg) const = 0;
  virtual google::protobuf::Message* GetMutableMessagePointer(
      PyObject* msg) const = 0;
};

namespace {

namespace py = ::pybind11;

// Most items per chunk of scan_many(): the unit converted with the GIL held,
// then scanned without it.
constexpr size_t kChunkItems = 1024;
// Text bytes per chunk of scan_many(): a chunk ends once its items' text
// adds up to this (always after at least one item), so the C++ copies of a
// list of large messages stay small. Two chunks are in flight at a time.
constexpr size_t kChunkBytes = size_t{4} << 20;
// A chunk slot whose item had more text than this is freed after its chunk,
// so that one large item does not pin its copies until the call ends.
constexpr size_t kKeepSlotBytes = size_t{64} << 10;
// Items a scan_many() worker claims at a time (as in the CLI).
constexpr size_t kItemsPerClaim = 16;
// Most worker threads one scan_many() call may use, as in the CLI: each has
// its own Scanner, which holds some 150 times the largest field it scans.
constexpr int kMaxThreads = 64;
// Idle Scanners an engine keeps for reuse. Each keeps up to about 10 MiB
// between scans (ScanOptions::scratch_high_water_bytes); Scanners beyond
// this are destroyed when their call ends.
constexpr size_t kMaxPooledScanners = 8;

// ------------------------------------------------------------ Python objects

// Python objects the module uses. Created once with the GIL held and never
// destroyed: destroying them at interpreter exit would need the GIL.
struct PyRefs {
  PyObject* ruleset_error = nullptr;  // watchword.RulesetError
  PyObject* scan_error = nullptr;     // watchword.ScanError
  PyObject* engine_file_error = nullptr;  // watchword.EngineFileError
  py::object verdict_from_string;     // ...verdict_pb2.Verdict.FromString
  py::object verdict_class;           // ...verdict_pb2.Verdict
  // Set by SharedVerdicts(): protobuf's C++ API for its Python messages, or
  // null when Python Verdicts do not wrap this library's v1::Verdict.
  const PyProtoApiPrefix* proto_api = nullptr;
  int shared_verdicts = -1;           // SharedVerdicts(): -1 not yet known
  py::object diagnostic_from_string;  // ...diagnostic_pb2.Diagnostic.FromString
  py::object fspath;                  // os.fspath
};

PyRefs& Refs() {
  static PyRefs* refs = new PyRefs();
  return *refs;
}

// Returns *slot, first setting it to module.name1[.name2]. The generated
// message classes are imported on first use rather than at module import,
// so that `watchword/__init__.py` controls the import order.
const py::object& Cached(py::object* slot, const char* module,
                         const char* name1, const char* name2 = nullptr) {
  if (!*slot) {
    py::object value = py::module_::import(module).attr(name1);
    *slot = name2 == nullptr ? value : value.attr(name2);
  }
  return *slot;
}

const py::object& VerdictFromString() {
  return Cached(&Refs().verdict_from_string, "watchword.v1.verdict_pb2",
                "Verdict", "FromString");
}
const py::object& VerdictClass() {
  return Cached(&Refs().verdict_class, "watchword.v1.verdict_pb2", "Verdict");
}
const py::object& DiagnosticFromString() {
  return Cached(&Refs().diagnostic_from_string, "watchword.v1.diagnostic_pb2",
                "Diagnostic", "FromString");
}
const py::object& Fspath() { return Cached(&Refs().fspath, "os", "fspath"); }

// Calls `from_string(bytes)`, i.e. Message.FromString.
py::object ProtoFromBytes(const py::object& from_string,
                          const std::string& bytes) {
  py::bytes data(bytes.data(), bytes.size());
  PyObject* message = PyObject_CallOneArg(from_string.ptr(), data.ptr());
  if (message == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(message);
}

// True when a Python Verdict wraps this library's C++ v1::Verdict, so that
// a scanned Verdict can be swapped into a new Python one rather than
// serialized and parsed again. That holds with python3-protobuf's "cpp"
// implementation (Debian's) and the same libprotobuf.so as this module:
// the generated Python modules then find watchword/v1/*.proto in the C++
// generated pool, which is why watchword/__init__.py imports this module
// before them. Anything else (the upb or pure-Python implementation, a
// protobuf wheel with its own libprotobuf) keeps the serialized path.
bool SharedVerdicts() {
  PyRefs& refs = Refs();
  if (refs.shared_verdicts >= 0) return refs.shared_verdicts == 1;
  refs.shared_verdicts = 0;
  void* capsule =
      PyCapsule_Import("google.protobuf.pyext._message.proto_API", 0);
  if (capsule == nullptr) {
    PyErr_Clear();
    return false;
  }
  const auto* api = static_cast<const PyProtoApiPrefix*>(capsule);
  py::object probe = VerdictClass()();
  const google::protobuf::Message* message = api->GetMessagePointer(probe.ptr());
  if (message == nullptr) {
    PyErr_Clear();
    return false;
  }
  if (message->GetDescriptor() != v1::Verdict::descriptor() ||
      dynamic_cast<const v1::Verdict*>(message) == nullptr) {
    return false;
  }
  refs.proto_api = api;
  refs.shared_verdicts = 1;
  return true;
}

// Returns a new Python Verdict with the content of *verdict, which is left
// empty or unchanged. `scratch` holds the serialized form on the fallback
// path (see SharedVerdicts()).
py::object VerdictToPy(v1::Verdict* verdict, std::string* scratch) {
  if (SharedVerdicts()) {
    PyObject* object = PyObject_CallNoArgs(VerdictClass().ptr());
    if (object == nullptr) throw py::error_already_set();
    py::object out = py::reinterpret_steal<py::object>(object);
    google::protobuf::Message* message =
        Refs().proto_api->GetMutableMessagePointer(object);
    if (message == nullptr) throw py::error_already_set();
    auto* target = dynamic_cast<v1::Verdict*>(message);
    if (target != nullptr) {
      // Both live on the heap (no arena), so this swaps pointers.
      target->Swap(verdict);
      return out;
    }
  }
  verdict->SerializeToString(scratch);
  return ProtoFromBytes(VerdictFromString(), *scratch);
}

py::list DiagnosticList(const std::vector<v1::Diagnostic>& diagnostics) {
  py::list out;
  std::string bytes;
  for (const v1::Diagnostic& d : diagnostics) {
    d.SerializeToString(&bytes);
    out.append(ProtoFromBytes(DiagnosticFromString(), bytes));
  }
  return out;
}

// ------------------------------------------------------------ errors

// Which call failed decides how a status code reads in Python: an
// InvalidArgument from the compiler is a bad ruleset, from the scanner a bad
// request.
enum class Phase {
  kCompile,  // compile(), check_ruleset()
  kScan,     // Engine.scan()
  kLoad,     // load_engine(), deserialize_engine(), Engine.save()
};

// Raises the Python exception for `status`. This is the one place where
// absl::Status becomes a Python exception:
//
//   compile: NotFound                        -> FileNotFoundError
//            InvalidArgument, ResourceExhausted -> watchword.RulesetError
//            Unimplemented                   -> NotImplementedError
//            anything else                   -> RuntimeError
//   scan:    InvalidArgument                 -> ValueError
//            DeadlineExceeded                -> TimeoutError
//            anything else                   -> watchword.ScanError
//   load:    NotFound                        -> FileNotFoundError
//            PermissionDenied                -> PermissionError
//            InvalidArgument, DataLoss,
//            FailedPrecondition              -> watchword.EngineFileError
//            anything else                   -> OSError
//
// Compile errors carry `.diagnostics` (every Diagnostic, errors and
// warnings); ScanError carries `.code` (the absl::StatusCode name) and
// `.verdict` (what the Scanner returned, with `error` set); EngineFileError
// carries `.code`.
// REQUIRES: !status.ok(), the GIL is held.
[[noreturn]] void RaiseStatus(const absl::Status& status, Phase phase,
                              const std::vector<v1::Diagnostic>* diagnostics,
                              const v1::Verdict* verdict) {
  PyObject* type = PyExc_RuntimeError;
  if (phase == Phase::kCompile) {
    switch (status.code()) {
      case absl::StatusCode::kNotFound:
        type = PyExc_FileNotFoundError;
        break;
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kResourceExhausted:
        type = Refs().ruleset_error;
        break;
      case absl::StatusCode::kUnimplemented:
        type = PyExc_NotImplementedError;
        break;
      default:
        break;
    }
  } else if (phase == Phase::kLoad) {
    switch (status.code()) {
      case absl::StatusCode::kNotFound:
        type = PyExc_FileNotFoundError;
        break;
      case absl::StatusCode::kPermissionDenied:
        type = PyExc_PermissionError;
        break;
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kDataLoss:
      case absl::StatusCode::kFailedPrecondition:
        type = Refs().engine_file_error;
        break;
      default:
        type = PyExc_OSError;
        break;
    }
  } else {
    switch (status.code()) {
      case absl::StatusCode::kInvalidArgument:
        type = PyExc_ValueError;
        break;
      case absl::StatusCode::kDeadlineExceeded:
        type = PyExc_TimeoutError;
        break;
      default:
        type = Refs().scan_error;
        break;
    }
  }
  py::object exception = py::reinterpret_borrow<py::object>(type)(
      py::str(std::string(status.message())));
  if (phase == Phase::kCompile) {
    exception.attr("diagnostics") =
        diagnostics != nullptr ? DiagnosticList(*diagnostics) : py::list();
  }
  if (type == Refs().engine_file_error) {
    exception.attr("code") = absl::StatusCodeToString(status.code());
  }
  if (type == Refs().scan_error) {
    exception.attr("code") = absl::StatusCodeToString(status.code());
    if (verdict != nullptr) {
      exception.attr("verdict") =
          ProtoFromBytes(VerdictFromString(), verdict->SerializeAsString());
    } else {
      exception.attr("verdict") = py::none();
    }
  }
  PyErr_SetObject(type, exception.ptr());
  throw py::error_already_set();
}

// A status's code by the name Python callers pass to _raise_status().
absl::StatusCode CodeFromName(const std::string& name) {
  for (int code = 0; code <= 16; ++code) {
    auto c = static_cast<absl::StatusCode>(code);
    if (absl::StatusCodeToString(c) == name) return c;
  }
  throw py::value_error(absl::StrCat("unknown status code \"", name, "\""));
}

// True if `name` looks like a field name (letters, digits and '_'), and so
// may be shown in an error message; any other key could be message text.
bool LooksLikeFieldName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// Replaces each invalid UTF-8 sequence of *s with U+FFFD. Protobuf strings
// must be valid UTF-8, but the bytes a Match.text echoes come from the
// caller and need not be.
void ReplaceInvalidUtf8(std::string* s) {
  auto cont = [](unsigned char c) { return (c & 0xC0) == 0x80; };
  std::string out;
  bool changed = false;
  size_t i = 0;
  const size_t n = s->size();
  while (i < n) {
    const auto* p = reinterpret_cast<const unsigned char*>(s->data()) + i;
    size_t len = 0;      // Length of a valid sequence at i, or 0.
    size_t invalid = 1;  // Bytes to replace if it is invalid.
    if (p[0] < 0x80) {
      len = 1;
    } else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
      if (i + 1 < n && cont(p[1])) len = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
      unsigned char lo = p[0] == 0xE0 ? 0xA0 : 0x80;
      unsigned char hi = p[0] == 0xED ? 0x9F : 0xBF;
      if (i + 1 < n && p[1] >= lo && p[1] <= hi) {
        invalid = 2;
        if (i + 2 < n && cont(p[2])) len = 3;
      }
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
      unsigned char lo = p[0] == 0xF0 ? 0x90 : 0x80;
      unsigned char hi = p[0] == 0xF4 ? 0x8F : 0xBF;
      if (i + 1 < n && p[1] >= lo && p[1] <= hi) {
        invalid = 2;
        if (i + 2 < n && cont(p[2])) {
          invalid = 3;
          if (i + 3 < n && cont(p[3])) len = 4;
        }
      }
    }
    if (len > 0) {
      if (changed) out.append(s->data() + i, len);
      i += len;
      continue;
    }
    if (!changed) {
      out.assign(s->data(), i);
      changed = true;
    }
    out.append("\xEF\xBF\xBD");
    i += invalid;
  }
  if (changed) s->swap(out);
}

// Makes every string of *verdict that can hold caller bytes valid UTF-8.
void SanitizeVerdict(v1::Verdict* verdict) {
  for (v1::RuleMatch& rule_match : *verdict->mutable_rule_matches()) {
    for (v1::Match& match : *rule_match.mutable_matches()) {
      if (!match.text().empty()) ReplaceInvalidUtf8(match.mutable_text());
    }
  }
}

// ------------------------------------------------------------ conversions
//
// These run with the GIL held. They throw py::type_error or py::value_error
// with messages that never quote message text; scan_many() turns them into
// a Verdict with `error` set.

bool IsBytesLike(py::handle obj) {
  return PyBytes_Check(obj.ptr()) || PyByteArray_Check(obj.ptr());
}

std::string TypeName(py::handle obj) { return Py_TYPE(obj.ptr())->tp_name; }

// Message text: bytes are taken byte-exact (spans index them); str is UTF-8
// encoded, with lone surrogates written as their 3-byte form
// ("surrogatepass"), which the normalizer treats like any invalid UTF-8.
void TextFromPy(py::handle obj, const char* what, std::string* out) {
  if (PyUnicode_Check(obj.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (data != nullptr) {
      out->assign(data, static_cast<size_t>(size));
      return;
    }
    PyErr_Clear();
    PyObject* bytes =
        PyUnicode_AsEncodedString(obj.ptr(), "utf-8", "surrogatepass");
    if (bytes == nullptr) throw py::error_already_set();
    py::bytes owned = py::reinterpret_steal<py::bytes>(bytes);
    out->assign(PyBytes_AS_STRING(bytes),
                static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
    return;
  }
  if (PyBytes_Check(obj.ptr())) {
    out->assign(PyBytes_AS_STRING(obj.ptr()),
                static_cast<size_t>(PyBytes_GET_SIZE(obj.ptr())));
    return;
  }
  if (PyByteArray_Check(obj.ptr())) {
    out->assign(PyByteArray_AS_STRING(obj.ptr()),
                static_cast<size_t>(PyByteArray_GET_SIZE(obj.ptr())));
    return;
  }
  throw py::type_error(
      absl::StrCat(what, " must be str or bytes, not ", TypeName(obj)));
}

// Names and ids end up in Verdict strings, so they must be valid Unicode.
// bytes must hold valid UTF-8.
void NameFromPy(py::handle obj, const char* what, std::string* out) {
  if (PyUnicode_Check(obj.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (data == nullptr) {
      PyErr_Clear();
      throw py::value_error(
          absl::StrCat(what,
                       " contains a lone surrogate; it must be valid "
                       "Unicode"));
    }
    out->assign(data, static_cast<size_t>(size));
    return;
  }
  if (IsBytesLike(obj)) {
    TextFromPy(obj, what, out);
    std::string checked = *out;
    ReplaceInvalidUtf8(&checked);
    if (checked != *out) {
      throw py::value_error(absl::StrCat(what, " is not valid UTF-8"));
    }
    return;
  }
  throw py::type_error(
      absl::StrCat(what, " must be str or bytes, not ", TypeName(obj)));
}

// A filesystem path argument (str, bytes or os.PathLike), as a string.
std::string PathFromPy(py::handle obj, const char* what) {
  py::object path;
  try {
    path = Fspath()(obj);
  } catch (py::error_already_set&) {
    throw py::type_error(
        absl::StrCat("expected a path for the ", what, ", not ", TypeName(obj)));
  }
  std::string out;
  if (PyUnicode_Check(path.ptr())) {
    NameFromPy(path, what, &out);
  } else {
    TextFromPy(path, what, &out);
  }
  return out;
}

// A dict key as UTF-8, or "" if it is not a str (or not valid Unicode), so
// that it matches no known key.
std::string KeyName(py::handle key) {
  if (!PyUnicode_Check(key.ptr())) return "";
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(key.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    return "";
  }
  return std::string(data, static_cast<size_t>(size));
}

// True if `obj` is a generated Python message of type `full_name`.
bool IsMessage(py::handle obj, absl::string_view full_name) {
  if (!py::hasattr(obj, "DESCRIPTOR") ||
      !py::hasattr(obj, "SerializeToString")) {
    return false;
  }
  py::object descriptor = obj.attr("DESCRIPTOR");
  return py::hasattr(descriptor, "full_name") &&
         KeyName(descriptor.attr("full_name")) == full_name;
}

// Serializes a Python message and parses it into *out.
void MessageFromPy(py::handle obj, google::protobuf::Message* out) {
  py::bytes bytes = obj.attr("SerializeToString")();
  char* data = nullptr;
  Py_ssize_t size = 0;
  PyBytes_AsStringAndSize(bytes.ptr(), &data, &size);
  if (!out->ParseFromArray(data, static_cast<int>(size))) {
    throw py::value_error(
        absl::StrCat("cannot parse ", out->GetDescriptor()->full_name()));
  }
}

[[noreturn]] void BadContext(absl::string_view why) {
  throw py::value_error(
      absl::StrCat("context is not a watchword.v1.Context: ", why));
}

// Throws TypeError unless `obj` is something json.dumps() takes.
void CheckJsonLike(py::handle obj) {
  PyObject* p = obj.ptr();
  if (p == Py_None || PyBool_Check(p) || PyLong_Check(p) ||
      PyFloat_Check(p) || PyUnicode_Check(p) || PyList_Check(p) ||
      PyTuple_Check(p) || PyDict_Check(p)) {
    return;
  }
  throw py::type_error(absl::StrCat("context is not JSON-like: Object of type ",
                                    TypeName(obj), " is not JSON serializable"));
}

// Sets one singular field or map value of a Context from a Python value, as
// the proto JSON mapping reads it: enums by name or number, integers from
// int (or an integral float or a decimal str), doubles from int or float.
// `place` names the field in messages: the map's name for a map entry.
void SetContextValue(const google::protobuf::FieldDescriptor* field,
                     py::handle value, google::protobuf::Message* message,
                     const std::string& place) {
  namespace gp = google::protobuf;
  const gp::Reflection* reflection = message->GetReflection();
  PyObject* p = value.ptr();
  CheckJsonLike(value);
  const bool is_int = PyLong_Check(p) && !PyBool_Check(p);
  auto wrong = [&](absl::string_view expected) {
    BadContext(absl::StrCat("(", place, "): expected ", expected,
                            ", not ", TypeName(value)));
  };
  switch (field->type()) {
    case gp::FieldDescriptor::TYPE_ENUM: {
      if (PyUnicode_Check(p)) {
        const gp::EnumValueDescriptor* named =
            field->enum_type()->FindValueByName(KeyName(value));
        if (named == nullptr) {
          BadContext(
              absl::StrCat("(", place, "): invalid value for type TYPE_ENUM"));
        }
        reflection->SetEnumValue(message, field, named->number());
      } else if (is_int) {
        reflection->SetEnumValue(message, field, value.cast<int>());
      } else {
        wrong("an enum name or number");
      }
      return;
    }
    case gp::FieldDescriptor::TYPE_DOUBLE:
      if (!is_int && !PyFloat_Check(p)) wrong("a number");
      reflection->SetDouble(message, field, PyFloat_AsDouble(p));
      if (PyErr_Occurred()) throw py::error_already_set();
      return;
    case gp::FieldDescriptor::TYPE_INT64: {
      int64_t number = 0;
      if (is_int) {
        int overflow = 0;
        number = PyLong_AsLongLongAndOverflow(p, &overflow);
        if (overflow != 0) wrong("a 64-bit integer");
      } else if (PyFloat_Check(p)) {
        const double d = PyFloat_AsDouble(p);
        if (d != static_cast<double>(static_cast<int64_t>(d))) {
          wrong("an integer");
        }
        number = static_cast<int64_t>(d);
      } else if (PyUnicode_Check(p)) {
        if (!absl::SimpleAtoi(KeyName(value), &number)) wrong("an integer");
      } else {
        wrong("an integer");
      }
      reflection->SetInt64(message, field, number);
      return;
    }
    case gp::FieldDescriptor::TYPE_STRING: {
      if (!PyUnicode_Check(p)) wrong("a str");
      std::string text;
      NameFromPy(value, "context string", &text);
      reflection->SetString(message, field, std::move(text));
      return;
    }
    default:
      BadContext(absl::StrCat("(", place, "): unsupported field"));
  }
}

// A Context proto, or a dict in the proto JSON mapping (enum names or
// numbers, e.g. {"recipient_age_band": "AGE_BAND_13_15"}), read directly,
// with no JSON in between.
void ContextFromPy(py::handle obj, v1::Context* out) {
  namespace gp = google::protobuf;
  if (IsMessage(obj, "watchword.v1.Context")) {
    MessageFromPy(obj, out);
    return;
  }
  if (!PyDict_Check(obj.ptr())) {
    throw py::type_error(
        absl::StrCat("context must be a dict or a watchword.v1.Context, not ",
                     TypeName(obj)));
  }
  out->Clear();
  const gp::Descriptor* descriptor = out->GetDescriptor();
  const gp::Reflection* reflection = out->GetReflection();
  try {
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(obj)) {
      CheckJsonLike(value);
      const std::string name = KeyName(key);
      const gp::FieldDescriptor* field = descriptor->FindFieldByName(name);
      if (field == nullptr) field = descriptor->FindFieldByCamelcaseName(name);
      if (field == nullptr) {
        BadContext(absl::StrCat(
            LooksLikeFieldName(name) ? name : "(name not shown)",
            ": Cannot find field"));
      }
      if (value.is_none()) continue;  // null is the default, as in JSON.
      if (!field->is_map()) {
        SetContextValue(field, value, out, field->name());
        continue;
      }
      if (!PyDict_Check(value.ptr())) {
        BadContext(absl::StrCat("(", field->name(), "): expected a dict, not ",
                                TypeName(value)));
      }
      const gp::FieldDescriptor* key_field = field->message_type()->map_key();
      const gp::FieldDescriptor* value_field =
          field->message_type()->map_value();
      for (auto [map_key, map_value] :
           py::reinterpret_borrow<py::dict>(value)) {
        if (!PyUnicode_Check(map_key.ptr())) {
          BadContext(absl::StrCat("(", field->name(), "): keys must be str"));
        }
        gp::Message* entry = reflection->AddMessage(out, field);
        SetContextValue(key_field, map_key, entry, field->name());
        SetContextValue(value_field, map_value, entry, field->name());
      }
    }
  } catch (...) {
    out->Clear();
    throw;
  }
}

// Appends one field; a None text means the field is absent.
void AddField(py::handle name, py::handle text, v1::ScanRequest* request) {
  if (text.is_none()) return;
  v1::TextField* field = request->add_fields();
  NameFromPy(name, "field name", field->mutable_name());
  TextFromPy(text, "field text", field->mutable_text());
}

// A mapping {name: text}, or a list of {"name": ..., "text": ...} as in the
// proto JSON mapping of ScanRequest.fields.
void FieldsFromPy(py::handle obj, v1::ScanRequest* request) {
  if (PyDict_Check(obj.ptr())) {
    for (auto [name, text] : py::reinterpret_borrow<py::dict>(obj)) {
      AddField(name, text, request);
    }
    return;
  }
  if (!PyList_Check(obj.ptr()) && !PyTuple_Check(obj.ptr())) {
    throw py::type_error(
        absl::StrCat("fields must be a dict of name to text, or a list of "
                     "{\"name\": ..., \"text\": ...}, not ",
                     TypeName(obj)));
  }
  for (py::handle entry : py::reinterpret_borrow<py::sequence>(obj)) {
    if (!PyDict_Check(entry.ptr())) {
      throw py::type_error(absl::StrCat(
          "each entry of a fields list must be a dict with \"name\" and "
          "\"text\", not ",
          TypeName(entry)));
    }
    py::dict field = py::reinterpret_borrow<py::dict>(entry);
    for (auto [key, value] : field) {
      std::string k = KeyName(key);
      if (k != "name" && k != "text") {
        throw py::value_error(
            "a fields entry may only have the keys \"name\" and \"text\"");
      }
    }
    // A missing key is the proto default, "", as in proto JSON; the Scanner
    // rejects a field without a name.
    py::object name = field.contains("name") ? py::object(field["name"])
                                             : py::object(py::str(""));
    py::object text = field.contains("text") ? py::object(field["text"])
                                             : py::object(py::str(""));
    AddField(name, text, request);
  }
}

// A request id: str, or an int (CSV and JSON exports often number them;
// anything with __index__, such as a numpy integer, counts).
void IdFromPy(py::handle obj, std::string* out) {
  if (PyIndex_Check(obj.ptr()) && !PyBool_Check(obj.ptr())) {
    PyObject* number = PyNumber_Index(obj.ptr());
    if (number == nullptr) throw py::error_already_set();
    *out = std::string(py::str(py::reinterpret_steal<py::object>(number)));
    return;
  }
  NameFromPy(obj, "request id", out);
}

// The keys of a scan_many() item mapping that hold the request's id, text
// and context (its id_key, text_key and context_key), and the fixed ones,
// as str objects made once per call (they cache their hash).
// REQUIRES: the GIL is held while one is made, used or destroyed.
struct ItemKeys {
  ItemKeys(std::string id_name, std::string text_name,
           std::string context_name)
      : text(std::move(text_name)),
        id_key(py::str(id_name)),
        text_key(py::str(text)),
        context_key(py::str(context_name)),
        fields_key(py::str("fields")),
        echo_key(py::str("echo_matched_text")),
        echo_json_key(py::str("echoMatchedText")) {}

  std::string text;
  py::object id_key;
  py::object text_key;
  py::object context_key;
  py::object fields_key;
  py::object echo_key;
  py::object echo_json_key;
};

// mapping[key], or a null handle if it has no such key.
py::handle Lookup(const py::dict& mapping, const py::object& key) {
  PyObject* value = PyDict_GetItemWithError(mapping.ptr(), key.ptr());
  if (value == nullptr && PyErr_Occurred()) throw py::error_already_set();
  return py::handle(value);
}

// One scan_many() item: str or bytes (the body text), a ScanRequest proto,
// or a mapping (a dict, or anything with keys() and [], such as
// sqlite3.Row): the request's id, text and context under `keys`, and
// "fields" and "echo_matched_text" as in the JSON form of ScanRequest.
// Other keys are ignored, so a row of an export with more columns works;
// a mapping with neither the text key nor "fields" is an error, since it
// would scan nothing, most likely because `keys.text` names no column.
void RequestFromItem(py::handle item, const ItemKeys& keys,
                     v1::ScanRequest* request) {
  request->Clear();
  if (PyUnicode_Check(item.ptr()) || IsBytesLike(item)) {
    TextFromPy(item, "text", request->mutable_text());
    return;
  }
  // A dict first: IsMessage() on it would raise and clear an AttributeError
  // per item, which costs more than the rest of the conversion.
  const bool is_dict = PyDict_Check(item.ptr());
  if (!is_dict && IsMessage(item, "watchword.v1.ScanRequest")) {
    MessageFromPy(item, request);
    return;
  }
  py::dict dict = is_dict ? py::reinterpret_borrow<py::dict>(item) : py::dict();
  if (!is_dict) {
    if (!py::hasattr(item, "keys")) {
      throw py::type_error(absl::StrCat(
          "an item must be str, bytes, a mapping or watchword.v1.ScanRequest, "
          "not ",
          TypeName(item)));
    }
    if (PyDict_Merge(dict.ptr(), item.ptr(), 1) != 0) {
      throw py::error_already_set();
    }
  }
  // The id first, so that a verdict for a bad item still names it.
  py::handle id = Lookup(dict, keys.id_key);
  if (id && !id.is_none()) IdFromPy(id, request->mutable_id());
  py::handle text = Lookup(dict, keys.text_key);
  py::handle fields = Lookup(dict, keys.fields_key);
  if (!text && !fields) {
    throw py::value_error(absl::StrCat("the item has no \"", keys.text,
                                       "\" or \"fields\" key"));
  }
  if (text && !text.is_none()) {
    TextFromPy(text, "text", request->mutable_text());
  }
  if (fields && !fields.is_none()) FieldsFromPy(fields, request);
  py::handle context = Lookup(dict, keys.context_key);
  if (context && !context.is_none()) {
    ContextFromPy(context, request->mutable_context());
  }
  py::handle echo = Lookup(dict, keys.echo_key);
  if (!echo) echo = Lookup(dict, keys.echo_json_key);
  if (echo && !echo.is_none()) {
    int on = PyObject_IsTrue(echo.ptr());
    if (on < 0) throw py::error_already_set();
    request->set_echo_matched_text(on == 1);
  }
}

// Turns what a conversion threw into InvalidArgument. Python errors are
// reduced to their type and message.
absl::Status ConversionError() {
  try {
    throw;
  } catch (py::error_already_set& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        TypeName(e.value()), ": ", std::string(py::str(e.value()))));
  } catch (std::exception& e) {  // py::type_error, py::value_error, ...
    return absl::InvalidArgumentError(e.what());
  }
}

// ------------------------------------------------------------ Engine

Backend BackendFromPy(py::handle obj) {
  if (obj.is_none()) return Backend::kDefault;
  if (!PyUnicode_Check(obj.ptr())) {
    throw py::type_error(
        absl::StrCat("backend must be a str or None, not ", TypeName(obj)));
  }
  std::string name = KeyName(obj);
  if (name == "default") return Backend::kDefault;
  if (name == "hyperscan") return Backend::kHyperscan;
  if (name == "re2") return Backend::kRe2;
  throw py::value_error(absl::StrCat(
      "backend must be \"hyperscan\", \"re2\", \"default\" or None, not \"",
      name.substr(0, 40), "\""));
}

// Bytes of text in `request`: its `text` and every field's.
size_t TextBytes(const v1::ScanRequest& request) {
  size_t bytes = request.text().size();
  for (const v1::TextField& field : request.fields()) {
    bytes += field.text().size();
  }
  return bytes;
}

// One scan_many() item on its way through.
struct Slot {
  v1::ScanRequest request;
  absl::Status status;  // Not OK if the item could not be converted.
  v1::Verdict verdict;
  std::string bytes;   // The serialized verdict, when VerdictToPy() needs it.
  uint32_t index = 0;  // 1-based position in the input.
};

// Fills slot->verdict, as the CLI fills a record: every
// item gets a Verdict, and a failed one has `error` set with `line`.
void ScanSlot(const v1::RulesetInfo& info, Scanner* scanner, Slot* slot) {
  v1::Verdict& verdict = slot->verdict;
  if (!slot->status.ok()) {
    verdict.Clear();
    verdict.set_request_id(slot->request.id());
    *verdict.mutable_ruleset() = info;
    v1::ScanError* error = verdict.mutable_error();
    error->set_code(absl::StatusCodeToString(slot->status.code()));
    error->set_message(std::string(slot->status.message()));
  } else {
    absl::Status status = scanner->Scan(slot->request, &verdict);
    if (!status.ok() && verdict.error().code().empty()) {
      // Never report a failed scan as a clean "no match".
      verdict.mutable_error()->set_code(
          absl::StatusCodeToString(status.code()));
      verdict.mutable_error()->set_message(std::string(status.message()));
    }
    SanitizeVerdict(&verdict);
  }
  if (verdict.has_error()) verdict.mutable_error()->set_line(slot->index);
}

// Scans jobs (arrays of Slots) with one Scanner per thread: scanners[0]
// belongs to the calling thread, which takes part in Finish(); each other
// Scanner gets a thread of a ThreadPool that lives as long as this object.
// Items are claimed kItemsPerClaim at a time, so uneven messages balance
// out.
class ParallelScan {
 public:
  // `info` and `scanners` are borrowed and must outlive this object.
  ParallelScan(const v1::RulesetInfo& info,
               const std::vector<Scanner*>& scanners)
      : info_(info),
        scanners_(scanners),
        pool_(static_cast<int>(scanners.size()) - 1) {}

  // Starts scanning slots[0, count) on the pool and returns.
  // REQUIRES: the previous job is finished; `slots` lives until Finish().
  void Begin(Slot* slots, size_t count) {
    slots_ = slots;
    count_ = count;
    next_.store(0, std::memory_order_relaxed);
    pool_.Start([this](int t) { RunClaims(scanners_[t + 1]); });
  }

  // Scans unclaimed items of the current job on this thread, then waits
  // until the pool is done with it.
  void Finish() {
    RunClaims(scanners_[0]);
    pool_.Wait();
  }

 private:
  void RunClaims(Scanner* scanner) {
    while (true) {
      const size_t begin = next_.fetch_add(kItemsPerClaim);
      if (begin >= count_) return;
      const size_t end = std::min(begin + kItemsPerClaim, count_);
      for (size_t i = begin; i < end; ++i) ScanSlot(info_, scanner, &slots_[i]);
    }
  }

  const v1::RulesetInfo& info_;
  const std::vector<Scanner*>& scanners_;
  // Set by Begin() before the job starts; read by the job.
  Slot* slots_ = nullptr;
  size_t count_ = 0;
  std::atomic<size_t> next_{0};  // Next unclaimed item of the job.
  // Last: destroyed first, so it waits for a running job before the
  // members above go.
  ThreadPool pool_;
};

// Holds Python's cyclic garbage collector off for a scope, if it was on.
// Every Verdict is a tracked container, so a batch of 100,000 of them set
// off some 140 collections while scan_many() built them, one of them a full
// collection over every object the interpreter holds (the caller's items
// too): about 15% of the call on the SMS corpus. Held off, the collector
// runs once over the new Verdicts, at the first allocations after the call
// (allocations are still counted). Other Python threads that run while the
// GIL is released see the collector off, as after gc.disable().
// REQUIRES: the GIL is held when it is made and destroyed.
class GcPause {
 public:
  GcPause() : was_enabled_(Enable(false)) {}
  ~GcPause() {
    if (was_enabled_) Enable(true);
  }
  GcPause(const GcPause&) = delete;
  GcPause& operator=(const GcPause&) = delete;

 private:
  // Turns the collector on or off; returns whether it was on.
  static bool Enable(bool on) {
#if PY_VERSION_HEX >= 0x030A0000
    return (on ? PyGC_Enable() : PyGC_Disable()) == 1;
#else
    py::module_ gc = py::module_::import("gc");
    const bool was = gc.attr("isenabled")().cast<bool>();
    gc.attr(on ? "enable" : "disable")();
    return was;
#endif
  }

  const bool was_enabled_;
};

// The C++ side of watchword.Engine: a shared Engine and a pool of Scanners,
// so that Python threads may call scan() concurrently, each on its own
// Scanner, with the GIL released.
class PyEngine {
 public:
  PyEngine(std::shared_ptr<const Engine> engine,
           std::vector<v1::Diagnostic> diagnostics)
      : engine_(std::move(engine)), diagnostics_(std::move(diagnostics)) {}

  py::object Scan(py::handle text, py::handle fields, py::handle context,
                  py::handle request, bool echo,
                  std::optional<double> timeout) {
    const ScanOptions options = OptionsWithTimeout(timeout);
    v1::ScanRequest req;
    if (!request.is_none()) {
      if (!text.is_none() || !fields.is_none() || !context.is_none()) {
        throw py::type_error(
            "pass either request, or text/fields/context, not both");
      }
      if (!IsMessage(request, "watchword.v1.ScanRequest")) {
        throw py::type_error(
            absl::StrCat("request must be a watchword.v1.ScanRequest, not ",
                         TypeName(request)));
      }
      MessageFromPy(request, &req);
    } else {
      if (!text.is_none()) TextFromPy(text, "text", req.mutable_text());
      if (!fields.is_none()) FieldsFromPy(fields, &req);
      if (!context.is_none()) ContextFromPy(context, req.mutable_context());
    }
    if (echo) req.set_echo_matched_text(true);

    v1::Verdict verdict;
    absl::Status status;
    std::string bytes;
    {
      std::unique_ptr<Scanner> scanner = AcquireScanner();
      scanner->set_options(options);
      py::gil_scoped_release release;
      status = scanner->Scan(req, &verdict);
      SanitizeVerdict(&verdict);
      ReleaseScanner(std::move(scanner));
    }
    if (!status.ok()) RaiseStatus(status, Phase::kScan, nullptr, &verdict);
    return VerdictToPy(&verdict, &bytes);
  }

  // Scans `items` (a list or tuple) on `threads` threads; returns a list of
  // Verdicts in input order. Item i reports errors with `line` =
  // first_index + i.
  //
  // A pipeline over chunks of at most kChunkItems items and about
  // kChunkBytes of text: while `threads - 1` workers scan chunk k without
  // the GIL, this thread turns the Verdicts of chunk k - 1 into Python
  // objects and the items of chunk k + 1 into requests (work that needs the
  // GIL), then helps scan what is left of chunk k. With one thread, the same
  // steps run one after another.
  // With a non-null `tracker`, each scanned item's verdict then goes
  // through tracker->Track() in input order.
  py::list ScanBatch(py::sequence items, int threads, bool echo,
                     uint32_t first_index, std::optional<double> timeout,
                     const ItemKeys& keys,
                     ConversationTracker* tracker = nullptr) {
    const ScanOptions options = OptionsWithTimeout(timeout);
    if (threads < 1 || threads > kMaxThreads) {
      throw py::value_error(
          absl::StrCat("threads must be between 1 and ", kMaxThreads));
    }
    const size_t n = py::len(items);
    py::list out(n);
    if (n == 0) return out;
    GcPause gc_pause;
    // Declared before the pool: its workers may touch them until it is
    // destroyed, even if converting a Verdict throws.
    std::vector<Slot> buffers[2];
    for (auto& buffer : buffers) buffer.resize(std::min(n, kChunkItems));
    ScannerLease lease(this, threads);
    for (Scanner* scanner : lease.scanners()) scanner->set_options(options);
    ParallelScan pool(engine_->info(), lease.scanners());

    // Converts items from `start` into `slots` until the chunk is full;
    // returns how many.
    auto convert = [&](size_t start, std::vector<Slot>& slots) {
      size_t count = 0;
      size_t bytes = 0;
      while (start + count < n && count < kChunkItems && bytes < kChunkBytes) {
        Slot& slot = slots[count];
        slot.index = static_cast<uint32_t>(first_index + start + count);
        slot.status = absl::OkStatus();
        try {
          RequestFromItem(items[start + count], keys, &slot.request);
        } catch (...) {
          slot.status = ConversionError();
        }
        if (echo) slot.request.set_echo_matched_text(true);
        bytes += TextBytes(slot.request);
        ++count;
      }
      return count;
    };
    auto build = [&](size_t start, size_t count, std::vector<Slot>& slots) {
      for (size_t i = 0; i < count; ++i) {
        if (tracker != nullptr && slots[i].status.ok() &&
            !slots[i].verdict.has_error()) {
          tracker->Track(slots[i].request.context(), &slots[i].verdict);
        }
        PyObject* verdict =
            VerdictToPy(&slots[i].verdict, &slots[i].bytes).release().ptr();
        PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(start + i), verdict);
        if (TextBytes(slots[i].request) > kKeepSlotBytes ||
            slots[i].bytes.capacity() > kKeepSlotBytes) {
          Slot fresh;
          std::swap(slots[i], fresh);
        }
      }
    };

    size_t start = 0;
    size_t count = convert(0, buffers[0]);
    pool.Begin(buffers[0].data(), count);
    for (size_t chunk = 0; start < n; ++chunk) {
      const size_t next_start = start + count;
      std::vector<Slot>& next_slots = buffers[(chunk + 1) % 2];
      size_t next_count = 0;
      if (next_start < n) next_count = convert(next_start, next_slots);
      {
        py::gil_scoped_release release;
        pool.Finish();
      }
      if (next_count > 0) pool.Begin(next_slots.data(), next_count);
      build(start, count, buffers[chunk % 2]);
      start = next_start;
      count = next_count;
      // Ctrl-C is seen between chunks, not only when the whole call ends.
      // Throwing destroys the pool, which waits for its workers first.
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    return out;
  }

  const std::shared_ptr<const Engine>& engine() const { return engine_; }

  py::dict Info() const {
    py::dict info;
    info["name"] = engine_->info().name();
    info["version"] = engine_->info().version();
    info["fingerprint"] = engine_->info().fingerprint();
    info["backend"] = BackendName(engine_->backend());
    info["rule_count"] = engine_->rule_count();
    info["pattern_count"] = engine_->pattern_count();
    return info;
  }

  // Returns [(name, alternate_leet, text, begin, end, folds)] for each view
  // MatchedViews() gives, with `folds` one tuple of v1::Fold names per byte
  // of `text`. Raises as scan() does for a text the Scanner rejects.
  py::list Views(py::handle text) const {
    std::string input;
    TextFromPy(text, "text", &input);
    absl::StatusOr<std::vector<View>> views;
    {
      py::gil_scoped_release release;
      views = MatchedViews(*engine_, input);
    }
    if (!views.ok()) RaiseStatus(views.status(), Phase::kScan, nullptr, nullptr);
    // Few distinct fold masks occur in one text: one tuple for each.
    std::map<uint16_t, py::tuple> fold_tuples;
    auto folds_of = [&](const View& view, size_t i) -> const py::tuple& {
      auto [it, inserted] = fold_tuples.try_emplace(view.fold_bits[i]);
      if (inserted) {
        std::vector<v1::Fold> folds = view.Folds(i);
        it->second = py::tuple(folds.size());
        for (size_t f = 0; f < folds.size(); ++f) {
          PyTuple_SET_ITEM(it->second.ptr(), f,
                           py::str(v1::Fold_Name(folds[f])).release().ptr());
        }
      }
      return it->second;
    };
    py::list out;
    for (const View& view : *views) {
      const size_t n = view.text.size();
      py::list begin(n);
      py::list end(n);
      py::list folds(n);
      for (size_t i = 0; i < n; ++i) {
        PyList_SET_ITEM(begin.ptr(), i, PyLong_FromUnsignedLong(view.begin[i]));
        PyList_SET_ITEM(end.ptr(), i, PyLong_FromUnsignedLong(view.end[i]));
        PyList_SET_ITEM(folds.ptr(), i, folds_of(view, i).inc_ref().ptr());
      }
      out.append(py::make_tuple(view.name, view.alternate_leet,
                                py::str(view.text), begin, end, folds));
    }
    return out;
  }

  py::bytes RulesetBytes() const {
    return py::bytes(engine_->ruleset().SerializeAsString());
  }

  py::list Diagnostics() const { return DiagnosticList(diagnostics_); }

  py::bytes Serialize() const {
    absl::StatusOr<std::string> bytes;
    {
      py::gil_scoped_release release;
      bytes = SerializeEngine(*engine_);
    }
    if (!bytes.ok()) RaiseStatus(bytes.status(), Phase::kLoad, nullptr, nullptr);
    return py::bytes(*bytes);
  }

  void Save(py::handle path_obj) const {
    const std::string path = PathFromPy(path_obj, "engine file path");
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = SaveEngineFile(*engine_, path);
    }
    if (!status.ok()) RaiseStatus(status, Phase::kLoad, nullptr, nullptr);
  }

 private:
  // Default ScanOptions with `timeout` seconds (none if empty), for one
  // call: the pool's Scanners are shared by calls with other timeouts.
  static ScanOptions OptionsWithTimeout(std::optional<double> timeout) {
    ScanOptions options;
    if (timeout.has_value()) {
      if (!(*timeout >= 0)) throw py::value_error("timeout must be >= 0");
      options.timeout = absl::Seconds(*timeout);
    }
    return options;
  }

  // Borrows `count` Scanners from the pool for one call, and returns them.
  class ScannerLease {
   public:
    ScannerLease(PyEngine* engine, int count) : engine_(engine) {
      for (int i = 0; i < count; ++i) {
        owned_.push_back(engine_->AcquireScanner());
        scanners_.push_back(owned_.back().get());
      }
    }
    ~ScannerLease() {
      bool dropped = false;
      for (auto& scanner : owned_) {
        dropped |= !engine_->ReleaseScanner(std::move(scanner));
      }
#if defined(__GLIBC__)
      // The scratch of Scanners the pool had no room for went back to the
      // per-thread heaps of the workers that used it, not to the system.
      if (dropped) malloc_trim(0);
#endif
    }
    const std::vector<Scanner*>& scanners() const { return scanners_; }

   private:
    PyEngine* engine_;
    std::vector<std::unique_ptr<Scanner>> owned_;
    std::vector<Scanner*> scanners_;
  };

  std::unique_ptr<Scanner> AcquireScanner() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pool_.empty()) {
        std::unique_ptr<Scanner> scanner = std::move(pool_.back());
        pool_.pop_back();
        return scanner;
      }
    }
    return std::make_unique<Scanner>(engine_);
  }

  // Returns `scanner` to the pool, or destroys it if the pool is full;
  // returns whether it was pooled.
  bool ReleaseScanner(std::unique_ptr<Scanner> scanner) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (pool_.size() < kMaxPooledScanners) {
        pool_.push_back(std::move(scanner));
        return true;
      }
    }
    return false;  // Destroyed outside the lock.
  }

  const std::shared_ptr<const Engine> engine_;
  const std::vector<v1::Diagnostic> diagnostics_;  // Warnings of compile().
  std::mutex mu_;
  std::vector<std::unique_ptr<Scanner>> pool_;  // Guarded by mu_.
};

// ------------------------------------------------------------ Tracker

// A ConversationTracker of an _Engine; wrapped by watchword.Tracker, which
// turns the bytes below into messages.
class PyTracker {
 public:
  PyTracker(const PyEngine& engine, const TrackerOptions& options) {
    absl::StatusOr<std::unique_ptr<ConversationTracker>> tracker =
        ConversationTracker::Create(engine.engine(), options);
    if (!tracker.ok()) {
      throw py::value_error(std::string(tracker.status().message()));
    }
    tracker_ = *std::move(tracker);
  }

  // Returns the serialized ConversationVerdict.
  py::bytes Update(py::handle context, py::handle verdict) {
    v1::Context c;
    ContextFromPy(context, &c);
    v1::Verdict v;
    if (!IsMessage(verdict, "watchword.v1.Verdict")) {
      throw py::type_error(absl::StrCat(
          "verdict must be a watchword.v1.Verdict, not ", TypeName(verdict)));
    }
    MessageFromPy(verdict, &v);
    std::string bytes;
    {
      py::gil_scoped_release release;
      tracker_->Update(c, v).SerializeToString(&bytes);
    }
    return py::bytes(bytes);
  }

  // Returns the serialized Verdict that Track() makes of `verdict`.
  py::bytes Track(py::handle context, py::handle verdict) {
    v1::Context c;
    ContextFromPy(context, &c);
    v1::Verdict v;
    if (!IsMessage(verdict, "watchword.v1.Verdict")) {
      throw py::type_error(absl::StrCat(
          "verdict must be a watchword.v1.Verdict, not ", TypeName(verdict)));
    }
    MessageFromPy(verdict, &v);
    std::string bytes;
    {
      py::gil_scoped_release release;
      tracker_->Track(c, &v);
      v.SerializeToString(&bytes);
    }
    return py::bytes(bytes);
  }

  py::bytes Snapshot() const {
    v1::TrackerState state;
    std::string bytes;
    {
      py::gil_scoped_release release;
      tracker_->Snapshot(&state);
      state.SerializeToString(&bytes);
    }
    return py::bytes(bytes);
  }

  void Restore(py::handle state) {
    v1::TrackerState s;
    if (!IsMessage(state, "watchword.v1.TrackerState")) {
      throw py::type_error(absl::StrCat(
          "state must be a watchword.v1.TrackerState, not ", TypeName(state)));
    }
    MessageFromPy(state, &s);
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = tracker_->Restore(s);
    }
    if (!status.ok()) throw py::value_error(std::string(status.message()));
  }

  void Expire(int64_t now_ms) {
    py::gil_scoped_release release;
    tracker_->Expire(now_ms);
  }

  size_t conversation_count() const { return tracker_->conversation_count(); }
  size_t sender_count() const { return tracker_->sender_count(); }
  ConversationTracker* get() const { return tracker_.get(); }

 private:
  std::unique_ptr<ConversationTracker> tracker_;
};

// ------------------------------------------------------------ module functions

// The ruleset argument of compile() and check_ruleset(): a Ruleset proto, a
// path (str, bytes or os.PathLike), or ruleset text (`source=`).
struct RulesetSource {
  enum class Kind { kMessage, kPath, kText };
  Kind kind = Kind::kPath;
  v1::Ruleset ruleset;  // kMessage
  std::string path;     // kPath
  std::string text;     // kText
};

// What diagnostics and errors call ruleset text passed as `source=`, where
// a file's would name the file: "<source>:3:7: error WW104: ...".
constexpr char kSourceName[] = "<source>";

RulesetSource SourceFromPy(py::handle obj, py::handle text_obj) {
  RulesetSource source;
  if (!text_obj.is_none()) {
    if (!obj.is_none()) {
      throw py::type_error(
          "pass a ruleset path or Ruleset, or source= ruleset text, not both");
    }
    source.kind = RulesetSource::Kind::kText;
    TextFromPy(text_obj, "source", &source.text);
    return source;
  }
  if (IsMessage(obj, "watchword.v1.Ruleset")) {
    source.kind = RulesetSource::Kind::kMessage;
    MessageFromPy(obj, &source.ruleset);
    return source;
  }
  py::object path;
  try {
    path = Fspath()(obj);
  } catch (py::error_already_set&) {
    throw py::type_error(
        absl::StrCat("expected a path or a watchword.v1.Ruleset, or source= "
                     "ruleset text, not ",
                     TypeName(obj)));
  }
  if (PyUnicode_Check(path.ptr())) {
    NameFromPy(path, "ruleset path", &source.path);
  } else {
    TextFromPy(path, "ruleset path", &source.path);
  }
  return source;
}

// Compiles ruleset text from a private temporary file: the library reads
// rulesets, with file:line:column for every problem, only from files, and
// this keeps the loader in one place. Proto JSON if the text starts with
// "{" (after whitespace), text format otherwise. Diagnostics and the status
// name the file kSourceName.
// REQUIRES: the GIL is released.
absl::StatusOr<std::shared_ptr<const Engine>> CompileText(
    const std::string& text, const CompileOptions& options,
    std::vector<v1::Diagnostic>* diagnostics) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::string dir_template =
      (fs::temp_directory_path(error) / "watchword-source-XXXXXX").string();
  if (error || mkdtemp(dir_template.data()) == nullptr) {
    return absl::InternalError(
        "cannot make a temporary directory for the ruleset source");
  }
  const fs::path dir(dir_template);
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && text[first] == '{';
  const std::string file =
      (dir / (json ? "source.json" : "source.textproto")).string();
  absl::StatusOr<std::shared_ptr<const Engine>> engine;
  {
    std::ofstream out(file, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      engine = absl::InternalError(
          "cannot write the ruleset source to a temporary file");
    } else {
      engine = CompileFile(file, options, diagnostics);
    }
  }
  fs::remove_all(dir, error);
  if (diagnostics != nullptr) {
    for (v1::Diagnostic& d : *diagnostics) {
      if (d.file() == file) d.set_file(kSourceName);
    }
  }
  if (!engine.ok()) {
    return absl::Status(engine.status().code(),
                        absl::StrReplaceAll(engine.status().message(),
                                            {{file, kSourceName}}));
  }
  return engine;
}

absl::StatusOr<std::shared_ptr<const Engine>> CompileSource(
    const RulesetSource& source, Backend backend,
    std::vector<v1::Diagnostic>* diagnostics) {
  CompileOptions options;
  options.backend = backend;
  py::gil_scoped_release release;
  switch (source.kind) {
    case RulesetSource::Kind::kMessage:
      return Compile(source.ruleset, options, diagnostics);
    case RulesetSource::Kind::kText:
      return CompileText(source.text, options, diagnostics);
    case RulesetSource::Kind::kPath:
      break;
  }
  return CompileFile(source.path, options, diagnostics);
}

std::unique_ptr<PyEngine> CompileForPython(py::handle source_obj,
                                           py::handle text_obj,
                                           py::handle backend_obj) {
  RulesetSource source = SourceFromPy(source_obj, text_obj);
  Backend backend = BackendFromPy(backend_obj);
  std::vector<v1::Diagnostic> diagnostics;
  auto engine = CompileSource(source, backend, &diagnostics);
  if (!engine.ok()) {
    RaiseStatus(engine.status(), Phase::kCompile, &diagnostics, nullptr);
  }
  return std::make_unique<PyEngine>(*std::move(engine), std::move(diagnostics));
}

std::unique_ptr<PyEngine> LoadEngineForPython(py::handle path_obj) {
  const std::string path = PathFromPy(path_obj, "engine file path");
  absl::StatusOr<std::shared_ptr<const Engine>> engine;
  {
    py::gil_scoped_release release;
    engine = LoadEngineFile(path);
  }
  if (!engine.ok()) RaiseStatus(engine.status(), Phase::kLoad, nullptr, nullptr);
  return std::make_unique<PyEngine>(*std::move(engine),
                                    std::vector<v1::Diagnostic>());
}

std::unique_ptr<PyEngine> DeserializeEngineForPython(py::handle data_obj) {
  if (!PyBytes_Check(data_obj.ptr())) {
    throw py::type_error(
        absl::StrCat("engine bytes must be bytes, not ", TypeName(data_obj)));
  }
  char* data = nullptr;
  Py_ssize_t size = 0;
  PyBytes_AsStringAndSize(data_obj.ptr(), &data, &size);
  absl::StatusOr<std::shared_ptr<const Engine>> engine;
  {
    // The bytes object is immutable and `data_obj` keeps it alive.
    py::gil_scoped_release release;
    engine = DeserializeEngine(
        absl::string_view(data, static_cast<size_t>(size)));
  }
  if (!engine.ok()) RaiseStatus(engine.status(), Phase::kLoad, nullptr, nullptr);
  return std::make_unique<PyEngine>(*std::move(engine),
                                    std::vector<v1::Diagnostic>());
}

py::list CheckRuleset(py::handle source_obj, py::handle text_obj,
                      py::handle backend_obj) {
  RulesetSource source = SourceFromPy(source_obj, text_obj);
  Backend backend = BackendFromPy(backend_obj);
  std::vector<v1::Diagnostic> diagnostics;
  auto engine = CompileSource(source, backend, &diagnostics);
  bool has_error = std::any_of(
      diagnostics.begin(), diagnostics.end(), [](const v1::Diagnostic& d) {
        return d.severity() == v1::Diagnostic::SEVERITY_ERROR;
      });
  if (!engine.ok() && !has_error) {
    // Some failures (a compile budget, a backend) come without a
    // Diagnostic; as in `watchword check`, the status becomes one.
    v1::Diagnostic d;
    d.set_severity(v1::Diagnostic::SEVERITY_ERROR);
    d.set_message(std::string(engine.status().message()));
    d.set_file(source.kind == RulesetSource::Kind::kText ? kSourceName
                                                          : source.path);
    diagnostics.push_back(std::move(d));
  }
  return DiagnosticList(diagnostics);
}

py::tuple NormalizeForPython(py::handle text) {
  std::string input;
  TextFromPy(text, "text", &input);
  NormalizedText normalized;
  {
    py::gil_scoped_release release;
    Normalize(input, &normalized);
  }
  const size_t n = normalized.text.size();
  py::list begin(n);
  py::list end(n);
  for (size_t i = 0; i < n; ++i) {
    PyList_SET_ITEM(begin.ptr(), i,
                    PyLong_FromUnsignedLong(normalized.begin[i]));
    PyList_SET_ITEM(end.ptr(), i, PyLong_FromUnsignedLong(normalized.end[i]));
  }
  return py::make_tuple(py::str(normalized.text), begin, end);
}

std::string FormatDiagnosticForPython(py::bytes bytes) {
  v1::Diagnostic diagnostic;
  if (!diagnostic.ParseFromString(std::string(bytes))) {
    throw py::value_error("cannot parse watchword.v1.Diagnostic");
  }
  return FormatDiagnostic(diagnostic);
}

[[noreturn]] void RaiseStatusForTesting(const std::string& phase,
                                        const std::string& code,
                                        const std::string& message) {
  Phase p;
  if (phase == "compile") {
    p = Phase::kCompile;
  } else if (phase == "scan") {
    p = Phase::kScan;
  } else if (phase == "load") {
    p = Phase::kLoad;
  } else {
    throw py::value_error("phase must be \"compile\", \"scan\" or \"load\"");
  }
  absl::Status status(CodeFromName(code), message);
  if (status.ok()) throw py::value_error("code must not be OK");
  RaiseStatus(status, p, nullptr, nullptr);
}

PyObject* NewException(py::module_& m, const char* name, const char* doc,
                       PyObject* base) {
  std::string qualified = absl::StrCat("watchword.", name);
  PyObject* type =
      PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.attr(name) = py::reinterpret_borrow<py::object>(type);
  return type;  // The module holds a reference, and so does Refs().
}

// Defines the module's contents; called by PYBIND11_MODULE below.
void DefineModule(py::module_& m) {
  m.attr("__version__") = WATCHWORD_VERSION;
  m.doc() =
      "C++ core of the watchword package. Use the `watchword` package; this "
      "module is private and may change without notice.";

  Refs().ruleset_error = NewException(
      m, "RulesetError",
      "The ruleset does not compile.\n\n"
      "str(e) is the first error as \"file:line:column: error WWnnn: ...\"; "
      "`e.diagnostics` is the list of every watchword.v1.Diagnostic (errors "
      "and warnings).",
      PyExc_ValueError);
  Refs().scan_error = NewException(
      m, "ScanError",
      "A request could not be scanned for a reason other than the request "
      "itself, e.g. the matcher ran out of memory.\n\n"
      "`e.code` is the absl::StatusCode name (e.g. \"INTERNAL\"); "
      "`e.verdict` is the watchword.v1.Verdict the scanner returned, with "
      "`error` set and no matches.",
      PyExc_RuntimeError);
  Refs().engine_file_error = NewException(
      m, "EngineFileError",
      "An engine file (or engine bytes) does not load: it is not an engine "
      "file, is damaged, or was made by a watchword or Hyperscan build, or "
      "for a CPU, that this one cannot use. Recompile from the ruleset.\n\n"
      "`e.code` is the absl::StatusCode name: \"INVALID_ARGUMENT\" (not an "
      "engine file), \"DATA_LOSS\" (damaged) or \"FAILED_PRECONDITION\" "
      "(does not fit this build).",
      PyExc_ValueError);

  py::class_<PyEngine>(m, "_Engine",
                       "C++ engine core; wrapped by watchword.Engine.")
      .def("scan", &PyEngine::Scan, py::arg("text"), py::arg("fields"),
           py::arg("context"), py::arg("request"), py::arg("echo"),
           py::arg("timeout"))
      .def(
          "scan_batch",
          [](PyEngine& engine, py::sequence items, int threads, bool echo,
             uint32_t first_index, std::optional<double> timeout,
             std::string id_key, std::string text_key,
             std::string context_key, PyTracker* tracker) {
            return engine.ScanBatch(
                items, threads, echo, first_index, timeout,
                ItemKeys{std::move(id_key), std::move(text_key),
                         std::move(context_key)},
                tracker == nullptr ? nullptr : tracker->get());
          },
          py::arg("items"), py::arg("threads"), py::arg("echo"),
          py::arg("first_index"), py::arg("timeout"), py::arg("id_key"),
          py::arg("text_key"), py::arg("context_key"),
          py::arg("tracker") = nullptr)
      .def("views", &PyEngine::Views, py::arg("text"))
      .def("info", &PyEngine::Info)
      .def("ruleset_bytes", &PyEngine::RulesetBytes)
      .def("diagnostics", &PyEngine::Diagnostics)
      .def("serialize", &PyEngine::Serialize)
      .def("save", &PyEngine::Save, py::arg("path"));

  py::class_<PyTracker>(m, "_Tracker",
                        "C++ conversation tracker; wrapped by watchword.Tracker.")
      .def(py::init([](const PyEngine& engine, int shards,
                       size_t max_conversations, size_t max_senders,
                       int max_signals, int max_message_ids,
                       int max_recipients, int64_t expire_after_ms) {
             TrackerOptions options;
             options.shards = shards;
             options.max_conversations = max_conversations;
             options.max_senders = max_senders;
             options.max_signals = max_signals;
             options.max_message_ids = max_message_ids;
             options.max_recipients = max_recipients;
             options.expire_after_ms = expire_after_ms;
             return std::make_unique<PyTracker>(engine, options);
           }),
           py::arg("engine"), py::arg("shards"), py::arg("max_conversations"),
           py::arg("max_senders"), py::arg("max_signals"),
           py::arg("max_message_ids"), py::arg("max_recipients"),
           py::arg("expire_after_ms"), py::keep_alive<1, 2>())
      .def("update", &PyTracker::Update, py::arg("context"), py::arg("verdict"))
      .def("track", &PyTracker::Track, py::arg("context"), py::arg("verdict"))
      .def("snapshot", &PyTracker::Snapshot)
      .def("restore", &PyTracker::Restore, py::arg("state"))
      .def("expire", &PyTracker::Expire, py::arg("now_ms"))
      .def("conversation_count", &PyTracker::conversation_count)
      .def("sender_count", &PyTracker::sender_count);

  m.def("compile", &CompileForPython, py::arg("ruleset"), py::arg("source"),
        py::arg("backend"),
        "Compiles a ruleset into an _Engine; see watchword.compile.");
  m.def("load_engine", &LoadEngineForPython, py::arg("path"),
        "Loads an engine file; see watchword.load_engine().");
  m.def("deserialize_engine", &DeserializeEngineForPython, py::arg("data"),
        "Loads engine bytes; see watchword.deserialize_engine().");
  m.def("check_ruleset", &CheckRuleset, py::arg("ruleset"), py::arg("source"),
        py::arg("backend"),
        "Returns every Diagnostic; see watchword.check_ruleset.");
  m.def("normalize", &NormalizeForPython, py::arg("text"),
        "Returns (text, begin, end); see watchword.normalize.");
  m.def("format_diagnostic", &FormatDiagnosticForPython, py::arg("diagnostic"),
        "Renders a serialized Diagnostic; see watchword.format_diagnostic.");
  m.def("has_hyperscan", &HasHyperscan,
        "True when this build includes the Hyperscan backend.");
  m.def("_shared_verdicts", &SharedVerdicts,
        "True when scan results are handed to Python as C++ Verdicts, "
        "without serializing them (protobuf's cpp implementation).");
  m.def("_raise_status", &RaiseStatusForTesting, py::arg("phase"),
        py::arg("code"), py::arg("message"),
        "For tests: raises what a failed status of `code` raises.");
}

}  // namespace
}  // namespace python
}  // namespace watchword

PYBIND11_MODULE(_watchword, m) { watchword::python::DefineModule(m); }
