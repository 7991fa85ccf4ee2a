#include "src/compile/source_map.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/string_view.h"
#include "src/compile/library_message.h"

namespace watchword {
namespace {

// Returns `path` without its last component: "a.b[2]" -> "a.b" -> "a" -> "".
std::string_view Parent(std::string_view path) {
  size_t cut = path.find_last_of(".[");
  return cut == std::string_view::npos ? std::string_view()
                                       : path.substr(0, cut);
}

}  // namespace

void SourceMap::Add(std::string field_path, SourceLocation loc) {
  locations_.insert_or_assign(std::move(field_path), std::move(loc));
}

bool SourceMap::Find(std::string_view field_path, SourceLocation* loc) const {
  std::string_view path = field_path;
  while (true) {
    auto it = locations_.find(absl::string_view(path.data(), path.size()));
    if (it != locations_.end()) {
      *loc = it->second;
      return true;
    }
    if (path.empty()) return false;
    path = Parent(path);
  }
}

void SourceMap::Annotate(v1::Diagnostic* d) const {
  if (!d->file().empty()) return;
  SourceLocation loc;
  if (!Find(d->field_path(), &loc)) return;
  d->set_file(ValidUtf8(loc.file));  // A path may be any bytes.
  d->set_line(loc.line);
  d->set_column(loc.column);
}

}  // namespace watchword
