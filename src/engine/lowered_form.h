// The lowered form of a ruleset as an engine file stores it: the rule logic
// and pattern table of an EngineRep (engine_rep.h), so that loading an
// engine file needs no loader, validator or lowering, only this decoder.
//
// A file may be crafted: its checksum and fingerprints catch damage, not
// tampering. So decoding checks every invariant of an EngineRep that the
// scanner relies on and that validation and lowering guarantee for a
// compiled ruleset (indices in range, operands of any / all / none / near,
// expression depth, unique rule ids, strings that are UTF-8 without NUL, a
// set predicate in each condition, ...). Regexes are checked when the
// matchers are built (serialize.cc).
//
// Encoding (integers u32 little-endian; `str` is a u32 length, then the
// bytes; `list of X` is a u32 count, then the Xs):
//
//   patterns      list of: kind, flags (1 substring, 2 literal_prefilter,
//                 4 case_folded), text, base_text, then Pattern::forms
//                 slot by slot after kBaseSlot (view_registry.h): a list
//                 of str where MatcherSlotSpec::several, else one str
//                 (empty: none). Today: folded, joined (list), squeezed,
//                 squeezed_joined (list), masked, masked_squeezed.
//   term_refs     list of: pattern, id, term_list, disabled_folds
//   field_names   list of str
//   rules         list of: id, category, severity, action, shadow, fields
//                 (list of u32), expr, conditions (list of str: serialized
//                 v1::Condition), exceptions (list of: terms (list of u32),
//                 within_words, only_terms (list of str)), positive_terms
//                 (list of u32), require_folds, severity_if_folded,
//                 action_if_folded
//     expr        op, terms (list of u32), max_words, children (list of expr)
//   fold_config   enabled, squeeze_all_runs, alone_letters, leet (list of
//                 from, to; sorted), equivalences (list of str word, str
//                 canonical; sorted)
//   mixed_script_pattern   u32 (0xffffffff: none)
//
// Any change here bumps kEngineFileFormatVersion (engine_file.h).
#ifndef WATCHWORD_SRC_ENGINE_LOWERED_FORM_H_
#define WATCHWORD_SRC_ENGINE_LOWERED_FORM_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/engine/engine_rep.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Returns the lowered form of `rep`. Deterministic.
std::string EncodeLoweredForm(const EngineRep& rep);

// Replaces the patterns, term_refs, field_names, rules, fold_config and
// mixed_script_pattern of *rep with those `bytes` hold, checks them, then
// calls IndexEngineRep(rep).
//
// Returns DataLoss ("engine file is corrupt: ...", naming the rule where
// there is one) if `bytes` are malformed or break an invariant.
absl::Status DecodeLoweredForm(absl::string_view bytes, EngineRep* rep);

// Fills what follows from the rest of *rep: rules_by_pattern,
// term_refs_by_pattern, alternate_fold_config, alternate_stand_ins and
// fold_config's stand-in words (FoldConfig::SetTermWords).
// REQUIRES: the other members hold their lowered values.
void IndexEngineRep(EngineRep* rep);

// Hex digest of `ruleset`'s deterministic serialization: the fingerprint of
// RulesetInfo, and of the ruleset an engine file holds.
std::string RulesetFingerprint(const v1::Ruleset& ruleset);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_LOWERED_FORM_H_
