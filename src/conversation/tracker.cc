// The ConversationTracker: sharded, bounded state per conversation and per
// sender, and the evaluation of conversation rules over it.
//
// A scope's state is a Lane: how many messages it counted, and the last
// `max_signals` messages that gave signals (ids, times, which signals),
// sorted by (timestamp, arrival). Each update inserts at most one entry per
// lane and evaluates only the rules the message gave signals to, over at
// most `max_signals` entries: time per update is bounded by the options.
#include "watchword/conversation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "src/conversation/conversation_rules.h"
#include "src/scan/conditions.h"

namespace watchword {
namespace {

using Kind = ResolvedConversationRule::Kind;

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();
constexpr uint32_t kNoSource = std::numeric_limits<uint32_t>::max();
constexpr int16_t kNewContact = -1;  // Hit::signal of a new_contacts hit.
// Most senders tracked apart within one conversation (group chats); past
// it, the least recently active sender's direction is dropped.
constexpr size_t kMaxDirections = 8;
// Expired states dropped per update at most, to keep updates bounded.
constexpr int kExpirePerUpdate = 2;

// A stable 64-bit fingerprint (FNV-1a) of an id: snapshots store it, so it
// must not change between processes, as absl::Hash may.
uint64_t Fingerprint(absl::string_view id) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// One signal of one conversation rule that a message gave.
struct Hit {
  uint16_t rule;
  int16_t signal;   // kNewContact for new_contacts.
  uint32_t source;  // Message-level rule index; kNoSource for new_contacts.
};

// One message that gave signals in a scope.
struct Entry {
  std::string message_id;
  std::string conversation_id;  // Sender scope only.
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;   // 1-based arrival number in the scope.
  uint64_t recipient = 0;  // Fingerprint; sender scope only.
  absl::InlinedVector<Hit, 2> hits;
};

bool Before(const Entry& a, const Entry& b) {
  return a.timestamp_ms != b.timestamp_ms ? a.timestamp_ms < b.timestamp_ms
                                          : a.sequence < b.sequence;
}

struct Lane {
  std::string sender_id;  // For a direction.
  uint64_t message_count = 0;
  int64_t newest_ms = kNoTime;
  std::vector<Entry> entries;  // Sorted by Before().
};

struct ConversationState {
  int64_t newest_ms = kNoTime;
  std::vector<uint64_t> recent_ids;  // Oldest first.
  Lane whole;
  std::vector<Lane> directions;
};

struct SenderState {
  int64_t newest_ms = kNoTime;
  std::vector<uint64_t> recent_ids;  // Oldest first.
  Lane lane;
  std::vector<uint64_t> recipients;  // Oldest first.
};

// True if `id` (a fingerprint) is in `recent`; otherwise appends it,
// keeping at most `cap`.
bool SeenBefore(uint64_t id, int cap, std::vector<uint64_t>* recent) {
  if (std::find(recent->begin(), recent->end(), id) != recent->end()) {
    return true;
  }
  recent->push_back(id);
  if (recent->size() > static_cast<size_t>(cap)) recent->erase(recent->begin());
  return false;
}

// States keyed by id, split into shards with a lock each, with least
// recently active eviction and expiry per shard.
template <typename State>
class Table {
 public:
  struct Slot;
  // node_hash_map keeps each element at one address, which the recency
  // list points at.
  using Map = absl::node_hash_map<std::string, Slot>;
  struct Slot {
    State state;
    typename std::list<typename Map::value_type*>::iterator recency;
  };
  struct Shard {
    mutable absl::Mutex mu;
    Map map ABSL_GUARDED_BY(mu);
    // Least recently active first.
    std::list<typename Map::value_type*> recency ABSL_GUARDED_BY(mu);
    int64_t newest_ms ABSL_GUARDED_BY(mu) = kNoTime;
  };

  Table(int shards, size_t capacity, int64_t expire_after_ms)
      : per_shard_((capacity + shards - 1) / shards),
        expire_after_ms_(expire_after_ms) {
    for (int i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
  }

  Shard& ShardFor(absl::string_view key) {
    return *shards_[absl::Hash<absl::string_view>{}(key) % shards_.size()];
  }

  // Returns the state of `key`, made the most recently active; creates it
  // (evicting the least recently active if the shard is full) if new.
  State& Touch(Shard& shard, absl::string_view key, int64_t timestamp_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    shard.newest_ms = std::max(shard.newest_ms, timestamp_ms);
    ExpireSome(shard, kExpirePerUpdate, key);
    auto it = shard.map.find(key);
    if (it != shard.map.end()) {
      shard.recency.splice(shard.recency.end(), shard.recency,
                           it->second.recency);
      return it->second.state;
    }
    if (shard.map.size() >= per_shard_) Erase(shard, shard.recency.front());
    it = shard.map.try_emplace(std::string(key)).first;
    it->second.recency = shard.recency.insert(shard.recency.end(), &*it);
    return it->second.state;
  }

  // Drops up to `limit` expired states, least recently active first, but
  // never `keep`.
  void ExpireSome(Shard& shard, int limit, absl::string_view keep)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    if (expire_after_ms_ == 0 || shard.newest_ms == kNoTime) return;
    const int64_t cutoff = shard.newest_ms - expire_after_ms_;
    for (int n = 0; n < limit && !shard.recency.empty(); ++n) {
      auto* oldest = shard.recency.front();
      if (oldest->first == keep || oldest->second.state.newest_ms >= cutoff) {
        return;
      }
      Erase(shard, oldest);
    }
  }

  // Drops every state older than `now_ms - expire_after_ms` in every shard.
  void Expire(int64_t now_ms) {
    if (expire_after_ms_ == 0) return;
    for (auto& shard : shards_) {
      absl::MutexLock lock(&shard->mu);
      shard->newest_ms = std::max(shard->newest_ms, now_ms);
      const int64_t cutoff = now_ms - expire_after_ms_;
      for (auto it = shard->recency.begin(); it != shard->recency.end();) {
        auto* element = *it++;
        if (element->second.state.newest_ms < cutoff) Erase(*shard, element);
      }
    }
  }

  size_t size() const {
    size_t n = 0;
    for (const auto& shard : shards_) {
      absl::MutexLock lock(&shard->mu);
      n += shard->map.size();
    }
    return n;
  }

  void Clear() {
    for (auto& shard : shards_) {
      absl::MutexLock lock(&shard->mu);
      shard->map.clear();
      shard->recency.clear();
      shard->newest_ms = kNoTime;
    }
  }

  // Calls visit(key, state) for every state, shard by shard, least recently
  // active first within a shard.
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const auto& shard : shards_) {
      absl::MutexLock lock(&shard->mu);
      for (const auto* element : shard->recency) {
        visit(element->first, element->second.state);
      }
    }
  }

 private:
  static void Erase(Shard& shard, typename Map::value_type* element)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    shard.recency.erase(element->second.recency);
    shard.map.erase(element->first);
  }

  std::vector<std::unique_ptr<Shard>> shards_;
  const size_t per_shard_;
  const int64_t expire_after_ms_;
};

}  // namespace

struct ConversationTrackerRep {
  ConversationTrackerRep(std::shared_ptr<const Engine> e,
                         const TrackerOptions& o)
      : engine(std::move(e)),
        options(o),
        rules(ResolveConversationRules(engine->ruleset())),
        conversations(o.shards, o.max_conversations, o.expire_after_ms),
        senders(o.shards, o.max_senders, o.expire_after_ms) {}

  // The hits `verdict` gives, for rules whose conditions hold in `context`.
  // new_contacts hits are left for the sender lane to decide.
  absl::InlinedVector<Hit, 8> Hits(const v1::Context& context,
                                   const v1::Verdict& verdict) const;

  // Adds the message to `lane`, with those of `hits` whose rule counts in
  // `scope`, and appends to *out the rules that fire.
  void UpdateLane(v1::ConversationScope scope, const Entry& message,
                  absl::Span<const Hit> hits, Lane* lane,
                  std::vector<std::pair<uint16_t, v1::ConversationMatch>>* out)
      const;

  // Appends to *out the match of rule `r` if it fires on `lane`, whose
  // entry `current` is the message just added.
  void Evaluate(uint16_t r, const Lane& lane, const Entry& current,
                std::vector<std::pair<uint16_t, v1::ConversationMatch>>* out)
      const;

  std::shared_ptr<const Engine> engine;
  TrackerOptions options;
  ConversationRules rules;
  Table<ConversationState> conversations;
  Table<SenderState> senders;
};

absl::InlinedVector<Hit, 8> ConversationTrackerRep::Hits(
    const v1::Context& context, const v1::Verdict& verdict) const {
  absl::InlinedVector<Hit, 8> hits;
  // Per conversation rule: 0 unknown, 1 conditions hold, 2 they do not.
  absl::InlinedVector<uint8_t, 16> holds(rules.rules.size(), 0);
  auto conditions_hold = [&](uint16_t r) {
    if (holds[r] == 0) {
      holds[r] = AllConditionsHold(rules.rules[r].conditions, context) ? 1 : 2;
    }
    return holds[r] == 1;
  };
  for (const v1::RuleMatch& match : verdict.rule_matches()) {
    auto it = rules.source_index.find(match.rule_id());
    if (it == rules.source_index.end()) continue;
    for (const SignalFeed& feed : rules.feeds[it->second]) {
      if (!conditions_hold(feed.rule)) continue;
      const bool per_source = rules.rules[feed.rule].kind ==
                              Kind::kRepeatedAcrossConversations;
      // A message gives each signal once (per source rule, where the
      // pattern counts source rules apart).
      const bool seen = std::any_of(hits.begin(), hits.end(), [&](const Hit& h) {
        return h.rule == feed.rule && h.signal == feed.signal &&
               (!per_source || h.source == it->second);
      });
      if (!seen) {
        hits.push_back({feed.rule, static_cast<int16_t>(feed.signal),
                        it->second});
      }
    }
  }
  for (uint16_t r = 0; r < rules.rules.size(); ++r) {
    const ResolvedConversationRule& rule = rules.rules[r];
    if (rule.kind != Kind::kNewContacts || !conditions_hold(r)) continue;
    // With signals, only messages that gave one count.
    if (!rule.signal_ids.empty() &&
        std::none_of(hits.begin(), hits.end(),
                     [&](const Hit& h) { return h.rule == r; })) {
      continue;
    }
    hits.push_back({r, kNewContact, kNoSource});
  }
  return hits;
}

void ConversationTrackerRep::UpdateLane(
    v1::ConversationScope scope, const Entry& message,
    absl::Span<const Hit> hits, Lane* lane,
    std::vector<std::pair<uint16_t, v1::ConversationMatch>>* out) const {
  ++lane->message_count;
  lane->newest_ms = std::max(lane->newest_ms, message.timestamp_ms);
  Entry entry;
  for (const Hit& hit : hits) {
    if (rules.rules[hit.rule].scope == scope) entry.hits.push_back(hit);
  }
  if (entry.hits.empty()) return;
  // Evaluation below visits each rule once, over adjacent hits.
  std::stable_sort(entry.hits.begin(), entry.hits.end(),
                   [](const Hit& a, const Hit& b) { return a.rule < b.rule; });
  entry.message_id = message.message_id;
  entry.timestamp_ms = message.timestamp_ms;
  entry.sequence = lane->message_count;
  if (scope == v1::CONVERSATION_SCOPE_SENDER) {
    entry.conversation_id = message.conversation_id;
    entry.recipient = message.recipient;
  }
  auto at = std::upper_bound(lane->entries.begin(), lane->entries.end(), entry,
                             Before);
  at = lane->entries.insert(at, std::move(entry));
  if (lane->entries.size() > static_cast<size_t>(options.max_signals)) {
    // The oldest goes; if that is the new one, it cannot make a rule fire.
    if (at == lane->entries.begin()) {
      lane->entries.erase(at);
      return;
    }
    lane->entries.erase(lane->entries.begin());
    --at;
  }
  const Entry& current = *at;
  uint16_t last = std::numeric_limits<uint16_t>::max();
  for (const Hit& hit : current.hits) {
    if (hit.rule == last) continue;  // Hits of one rule are adjacent.
    last = hit.rule;
    Evaluate(hit.rule, *lane, current, out);
  }
}

void ConversationTrackerRep::Evaluate(
    uint16_t r, const Lane& lane, const Entry& current,
    std::vector<std::pair<uint16_t, v1::ConversationMatch>>* out) const {
  const ResolvedConversationRule& rule = rules.rules[r];
  auto in_window = [&](const Entry& e) {
    return (rule.max_messages == 0 ||
            lane.message_count - e.sequence < rule.max_messages) &&
           (rule.max_duration_ms == 0 ||
            lane.newest_ms - e.timestamp_ms <= rule.max_duration_ms);
  };
  if (!in_window(current)) return;
  // The (entry, hit) pairs of this rule in the window, oldest first.
  absl::InlinedVector<std::pair<const Entry*, const Hit*>, 32> found;
  for (const Entry& e : lane.entries) {
    if (!in_window(e)) continue;
    for (const Hit& h : e.hits) {
      if (h.rule == r) found.push_back({&e, &h});
    }
  }
  absl::InlinedVector<std::pair<const Entry*, const Hit*>, 32> evidence;
  double score = 0;
  switch (rule.kind) {
    case Kind::kDistinctStages: {
      absl::flat_hash_set<int16_t> distinct;
      for (const auto& [e, h] : found) distinct.insert(h->signal);
      if (distinct.size() < rule.count) return;
      evidence = found;
      break;
    }
    case Kind::kSequence: {
      // Earliest first: each step from a later message than the one before.
      size_t step = 0;
      const Entry* previous = nullptr;
      for (const auto& pair : found) {
        if (step < rule.steps.size() && pair.first != previous &&
            pair.second->signal == rule.steps[step]) {
          evidence.push_back(pair);
          previous = pair.first;
          ++step;
        }
      }
      if (step < rule.steps.size()) return;
      break;
    }
    case Kind::kRiskScore: {
      for (const auto& [e, h] : found) {
        const double age = static_cast<double>(lane.newest_ms - e->timestamp_ms);
        score += rule.weights[h->signal] * std::exp2(-age / rule.half_life_ms);
      }
      if (score < rule.threshold) return;
      evidence = found;
      break;
    }
    case Kind::kNewContacts: {
      absl::flat_hash_set<uint64_t> recipients;
      for (const auto& [e, h] : found) {
        if (h->signal == kNewContact) {
          recipients.insert(e->recipient);
          evidence.push_back({e, h});
        }
      }
      if (recipients.size() < rule.count) return;
      break;
    }
    case Kind::kRepeatedAcrossConversations: {
      // Fires for a source rule of the current message that matched in
      // enough conversations.
      for (const Hit& mine : current.hits) {
        if (mine.rule != r) continue;
        absl::flat_hash_set<absl::string_view> conversations;
        for (const auto& [e, h] : found) {
          if (h->source == mine.source) conversations.insert(e->conversation_id);
        }
        if (conversations.size() < rule.count) continue;
        for (const auto& pair : found) {
          if (pair.second->source == mine.source) evidence.push_back(pair);
        }
        break;
      }
      if (evidence.empty()) return;
      break;
    }
  }
  v1::ConversationMatch match;
  match.set_rule_id(rule.id);
  match.set_category(rule.category);
  match.set_severity(rule.severity);
  match.set_action(rule.action);
  match.set_shadow(rule.shadow);
  match.set_scope(rule.scope);
  if (rule.kind == Kind::kRiskScore) match.set_score(score);
  for (const auto& [e, h] : evidence) {
    v1::Contribution* c = match.add_contributions();
    c->set_message_id(e->message_id);
    c->set_timestamp_ms(e->timestamp_ms);
    c->set_conversation_id(e->conversation_id);
    if (h->signal != kNewContact) {
      c->set_signal(rule.signal_ids[h->signal]);
      c->set_rule_id(rules.source_rule_ids[h->source]);
    }
  }
  out->emplace_back(r, std::move(match));
}

// ---------------------------------------------------------------- public

absl::StatusOr<std::unique_ptr<ConversationTracker>> ConversationTracker::Create(
    std::shared_ptr<const Engine> engine, const TrackerOptions& options) {
  if (options.shards < 1 || options.max_conversations < 1 ||
      options.max_senders < 1 || options.max_signals < 1 ||
      options.max_message_ids < 1 || options.max_recipients < 1 ||
      options.expire_after_ms < 0) {
    return absl::InvalidArgumentError(
        "tracker options: shards and every max_* must be >= 1, "
        "expire_after_ms >= 0");
  }
  return std::unique_ptr<ConversationTracker>(new ConversationTracker(
      std::make_unique<ConversationTrackerRep>(std::move(engine), options)));
}

ConversationTracker::ConversationTracker(
    std::unique_ptr<ConversationTrackerRep> rep)
    : rep_(std::move(rep)) {}

ConversationTracker::~ConversationTracker() = default;

v1::ConversationVerdict ConversationTracker::Update(
    const v1::Context& context, const v1::Verdict& verdict) {
  v1::ConversationVerdict result;
  ConversationTrackerRep& rep = *rep_;
  if (rep.rules.rules.empty()) return result;
  const absl::InlinedVector<Hit, 8> all_hits = rep.Hits(context, verdict);
  const uint64_t id = Fingerprint(verdict.request_id());
  const bool has_id = !verdict.request_id().empty();
  Entry message;
  message.message_id = verdict.request_id();
  message.conversation_id = context.conversation_id();
  message.timestamp_ms = context.timestamp_ms();
  message.recipient = Fingerprint(context.recipient_id());
  std::vector<std::pair<uint16_t, v1::ConversationMatch>> fired;

  const bool in_conversation = !context.conversation_id().empty();
  if (in_conversation) {
    auto& shard = rep.conversations.ShardFor(context.conversation_id());
    absl::MutexLock lock(&shard.mu);
    ConversationState& state = rep.conversations.Touch(
        shard, context.conversation_id(), context.timestamp_ms());
    if (has_id &&
        SeenBefore(id, rep.options.max_message_ids, &state.recent_ids)) {
      result.set_duplicate(true);
      return result;
    }
    state.newest_ms = std::max(state.newest_ms, context.timestamp_ms());
    if (rep.rules.uses_scope[v1::CONVERSATION_SCOPE_WHOLE_CONVERSATION]) {
      rep.UpdateLane(v1::CONVERSATION_SCOPE_WHOLE_CONVERSATION, message,
                     all_hits, &state.whole, &fired);
    }
    if (rep.rules.uses_scope[v1::CONVERSATION_SCOPE_CONVERSATION] &&
        !context.sender_id().empty()) {
      auto lane = std::find_if(
          state.directions.begin(), state.directions.end(),
          [&](const Lane& l) { return l.sender_id == context.sender_id(); });
      if (lane == state.directions.end()) {
        if (state.directions.size() >= kMaxDirections) {
          state.directions.erase(std::min_element(
              state.directions.begin(), state.directions.end(),
              [](const Lane& a, const Lane& b) {
                return a.newest_ms < b.newest_ms;
              }));
        }
        lane = state.directions.emplace(state.directions.end());
        lane->sender_id = context.sender_id();
      }
      rep.UpdateLane(v1::CONVERSATION_SCOPE_CONVERSATION, message, all_hits,
                     &*lane, &fired);
    }
  }
  if (!context.sender_id().empty() &&
      rep.rules.uses_scope[v1::CONVERSATION_SCOPE_SENDER]) {
    auto& shard = rep.senders.ShardFor(context.sender_id());
    absl::MutexLock lock(&shard.mu);
    SenderState& state =
        rep.senders.Touch(shard, context.sender_id(), context.timestamp_ms());
    if (!in_conversation && has_id &&
        SeenBefore(id, rep.options.max_message_ids, &state.recent_ids)) {
      result.set_duplicate(true);
      return result;
    }
    state.newest_ms = std::max(state.newest_ms, context.timestamp_ms());
    // A first message: to a recipient this sender has not written to, as
    // far as the tracker remembers.
    const bool new_contact =
        !context.recipient_id().empty() &&
        !SeenBefore(message.recipient, rep.options.max_recipients,
                    &state.recipients);
    absl::InlinedVector<Hit, 8> hits;
    for (const Hit& hit : all_hits) {
      if (hit.signal != kNewContact || new_contact) hits.push_back(hit);
    }
    rep.UpdateLane(v1::CONVERSATION_SCOPE_SENDER, message, hits, &state.lane,
                   &fired);
  }

  std::stable_sort(fired.begin(), fired.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [r, match] : fired) {
    if (!match.shadow()) {
      result.set_action(std::max(result.action(), match.action()));
      result.set_severity(std::max(result.severity(), match.severity()));
    }
    *result.add_matches() = std::move(match);
  }
  return result;
}

void ConversationTracker::Track(const v1::Context& context,
                                v1::Verdict* verdict) {
  *verdict->mutable_conversation() = Update(context, *verdict);
  verdict->set_action(std::max(verdict->action(), verdict->conversation().action()));
  verdict->set_severity(
      std::max(verdict->severity(), verdict->conversation().severity()));
}

void ConversationTracker::Expire(int64_t now_ms) {
  rep_->conversations.Expire(now_ms);
  rep_->senders.Expire(now_ms);
}

size_t ConversationTracker::conversation_count() const {
  return rep_->conversations.size();
}

size_t ConversationTracker::sender_count() const {
  return rep_->senders.size();
}

// ---------------------------------------------------------------- snapshots

namespace {

void SaveLane(const Lane& lane, const ConversationRules& rules,
              v1::TrackedLane* out) {
  out->set_sender_id(lane.sender_id);
  out->set_message_count(lane.message_count);
  out->set_newest_timestamp_ms(lane.newest_ms);
  for (const Entry& e : lane.entries) {
    v1::TrackedMessage* m = out->add_messages();
    m->set_message_id(e.message_id);
    m->set_timestamp_ms(e.timestamp_ms);
    m->set_sequence(e.sequence);
    m->set_conversation_id(e.conversation_id);
    m->set_recipient(e.recipient);
    for (const Hit& h : e.hits) {
      v1::TrackedSignal* s = m->add_signals();
      const ResolvedConversationRule& rule = rules.rules[h.rule];
      s->set_rule_id(rule.id);
      if (h.signal != kNewContact) {
        s->set_signal(rule.signal_ids[h.signal]);
        s->set_source_rule_id(rules.source_rule_ids[h.source]);
      }
    }
  }
}

// Restores what `rules` still knows of `in`, keeping the newest
// `max_signals` entries.
void LoadLane(const v1::TrackedLane& in, const ConversationRules& rules,
              int max_signals, Lane* lane) {
  lane->sender_id = in.sender_id();
  lane->message_count = in.message_count();
  lane->newest_ms = in.newest_timestamp_ms();
  absl::flat_hash_map<absl::string_view, uint16_t> rule_index;
  for (uint16_t r = 0; r < rules.rules.size(); ++r) {
    rule_index.try_emplace(rules.rules[r].id, r);
  }
  for (const v1::TrackedMessage& m : in.messages()) {
    Entry e;
    e.message_id = m.message_id();
    e.timestamp_ms = m.timestamp_ms();
    e.sequence = m.sequence();
    e.conversation_id = m.conversation_id();
    e.recipient = m.recipient();
    for (const v1::TrackedSignal& s : m.signals()) {
      auto r = rule_index.find(s.rule_id());
      if (r == rule_index.end()) continue;
      const ResolvedConversationRule& rule = rules.rules[r->second];
      if (s.signal().empty()) {
        if (rule.kind == Kind::kNewContacts) {
          e.hits.push_back({r->second, kNewContact, kNoSource});
        }
        continue;
      }
      auto signal = std::find(rule.signal_ids.begin(), rule.signal_ids.end(),
                              s.signal());
      auto source = rules.source_index.find(s.source_rule_id());
      if (signal == rule.signal_ids.end() || source == rules.source_index.end()) {
        continue;
      }
      e.hits.push_back(
          {r->second,
           static_cast<int16_t>(signal - rule.signal_ids.begin()),
           source->second});
    }
    if (e.hits.empty()) continue;
    std::sort(e.hits.begin(), e.hits.end(), [](const Hit& a, const Hit& b) {
      return a.rule < b.rule;
    });
    lane->entries.push_back(std::move(e));
  }
  std::stable_sort(lane->entries.begin(), lane->entries.end(), Before);
  if (lane->entries.size() > static_cast<size_t>(max_signals)) {
    lane->entries.erase(lane->entries.begin(),
                        lane->entries.end() - max_signals);
  }
}

void LoadIds(const google::protobuf::RepeatedField<uint64_t>& in, int cap,
             std::vector<uint64_t>* out) {
  const int skip = std::max(0, in.size() - cap);
  out->assign(in.begin() + skip, in.end());
}

}  // namespace

void ConversationTracker::Snapshot(v1::TrackerState* state) const {
  state->Clear();
  const ConversationTrackerRep& rep = *rep_;
  state->set_ruleset_fingerprint(rep.engine->info().fingerprint());
  rep.conversations.ForEach(
      [&](const std::string& key, const ConversationState& s) {
        v1::TrackedConversation* c = state->add_conversations();
        c->set_conversation_id(key);
        c->set_newest_timestamp_ms(s.newest_ms);
        c->mutable_recent_message_ids()->Add(s.recent_ids.begin(),
                                             s.recent_ids.end());
        SaveLane(s.whole, rep.rules, c->mutable_whole());
        for (const Lane& lane : s.directions) {
          SaveLane(lane, rep.rules, c->add_directions());
        }
      });
  rep.senders.ForEach([&](const std::string& key, const SenderState& s) {
    v1::TrackedSender* out = state->add_senders();
    out->set_sender_id(key);
    out->set_newest_timestamp_ms(s.newest_ms);
    out->mutable_recent_message_ids()->Add(s.recent_ids.begin(),
                                           s.recent_ids.end());
    SaveLane(s.lane, rep.rules, out->mutable_lane());
    out->mutable_recipients()->Add(s.recipients.begin(), s.recipients.end());
  });
}

absl::Status ConversationTracker::Restore(const v1::TrackerState& state) {
  ConversationTrackerRep& rep = *rep_;
  rep.conversations.Clear();
  rep.senders.Clear();
  const TrackerOptions& o = rep.options;
  absl::flat_hash_set<absl::string_view> seen;
  for (const v1::TrackedConversation& c : state.conversations()) {
    if (!seen.insert(c.conversation_id()).second) {
      rep.conversations.Clear();
      return absl::InvalidArgumentError(
          absl::StrCat("tracker state repeats conversation \"",
                       c.conversation_id(), "\""));
    }
    auto& shard = rep.conversations.ShardFor(c.conversation_id());
    absl::MutexLock lock(&shard.mu);
    ConversationState& s = rep.conversations.Touch(shard, c.conversation_id(),
                                                   c.newest_timestamp_ms());
    s.newest_ms = c.newest_timestamp_ms();
    LoadIds(c.recent_message_ids(), o.max_message_ids, &s.recent_ids);
    LoadLane(c.whole(), rep.rules, o.max_signals, &s.whole);
    const int skip = std::max(0, c.directions_size() -
                                     static_cast<int>(kMaxDirections));
    for (int i = skip; i < c.directions_size(); ++i) {
      LoadLane(c.directions(i), rep.rules, o.max_signals,
               &s.directions.emplace_back());
    }
  }
  seen.clear();
  for (const v1::TrackedSender& t : state.senders()) {
    if (!seen.insert(t.sender_id()).second) {
      rep.conversations.Clear();
      rep.senders.Clear();
      return absl::InvalidArgumentError(
          absl::StrCat("tracker state repeats sender \"", t.sender_id(), "\""));
    }
    auto& shard = rep.senders.ShardFor(t.sender_id());
    absl::MutexLock lock(&shard.mu);
    SenderState& s =
        rep.senders.Touch(shard, t.sender_id(), t.newest_timestamp_ms());
    s.newest_ms = t.newest_timestamp_ms();
    LoadIds(t.recent_message_ids(), o.max_message_ids, &s.recent_ids);
    LoadLane(t.lane(), rep.rules, o.max_signals, &s.lane);
    LoadIds(t.recipients(), o.max_recipients, &s.recipients);
  }
  return absl::OkStatus();
}

}  // namespace watchword
