// Macros for propagating absl::Status, for library code and its callers.
#ifndef WATCHWORD_STATUS_MACROS_H_
#define WATCHWORD_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns `expr`'s status from the enclosing function if it is not OK.
#define WATCHWORD_RETURN_IF_ERROR(expr)                  \
  do {                                                   \
    ::absl::Status watchword_status_ = (expr);           \
    if (!watchword_status_.ok()) return watchword_status_; \
  } while (0)

#define WATCHWORD_CONCAT_INNER_(a, b) a##b
#define WATCHWORD_CONCAT_(a, b) WATCHWORD_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be
// a declaration: WATCHWORD_ASSIGN_OR_RETURN(Engine e, Build());
#define WATCHWORD_ASSIGN_OR_RETURN(lhs, rexpr) \
  WATCHWORD_ASSIGN_OR_RETURN_IMPL_(            \
      WATCHWORD_CONCAT_(watchword_statusor_, __LINE__), lhs, rexpr)

#define WATCHWORD_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) return std::move(statusor).status();     \
  lhs = *std::move(statusor)

#endif  // WATCHWORD_STATUS_MACROS_H_
