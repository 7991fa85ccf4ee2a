// Lowering: a validated Ruleset becomes the rule logic and pattern table of
// an EngineRep. The matcher is built separately (matcher_builder.h).
#ifndef WATCHWORD_SRC_COMPILE_LOWER_H_
#define WATCHWORD_SRC_COMPILE_LOWER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "src/engine/engine_rep.h"
#include "src/engine/lowered_form.h"  // RulesetFingerprint()
#include "src/normalize/fold.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Returns the EngineRep for `ruleset`, without its matcher.
// REQUIRES: ValidateRuleset() found no errors in `ruleset`.
// Returns Internal if the ruleset breaks an invariant validation ensures.
absl::StatusOr<std::unique_ptr<EngineRep>> LowerRuleset(
    const v1::Ruleset& ruleset);

// The id a term is reported under: its `id`, else its phrase or regex.
const std::string& EffectiveTermId(const v1::Term& term);

// The kFold* mask of a list of v1::Fold values (unknown values ignored).
uint16_t FoldMask(const google::protobuf::RepeatedField<int>& folds);

// The FoldConfig of a ruleset's normalization settings.
// REQUIRES: `normalization` passed validation.
FoldConfig BuildFoldConfig(const v1::Normalization& normalization);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_LOWER_H_
