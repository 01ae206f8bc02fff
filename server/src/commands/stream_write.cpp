// Stream writes: XADD, XDEL, XTRIM, XSETID, and the trimming grammar XADD and XTRIM share.
//
// Every write touches its key (WATCH, dirty); XADD also marks it ready, so clients blocked in
// XREAD on it are re-run after this command (blocking/blocked_clients.h).
#include <optional>
#include <string>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"
#include "types/stream.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using types::AddId;
using types::Stream;
using types::StreamId;
using types::TrimSpec;

Stream& stream_of(Entry* e) { return static_cast<Stream&>(*e->value.obj); }

// What the shared grammar read: the trim options and, for XADD, NOMKSTREAM and the ID.
struct AddOrTrim {
  TrimSpec trim;
  bool no_mkstream = false;
  AddId id;
  size_t next = 0;  // XADD: index of the ID argument (the fields follow it)
};

// [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] for XADD (up to and including
// its ID) and XTRIM (to the end), with Redis's order of checks and its texts. Writes the
// error and returns nullopt on failure.
std::optional<AddOrTrim> read_add_or_trim(Ctx& ctx, Args a, bool xadd) {
  AddOrTrim r;
  bool limit_given = false;
  size_t i = 2;
  for (; i < a.size(); ++i) {
    const size_t more = a.size() - 1 - i;
    std::string_view opt = a[i];
    const bool maxlen = iequals(opt, "maxlen");
    if (xadd && opt == "*") {
      break;
    } else if ((maxlen || iequals(opt, "minid")) && more) {
      r.trim.approx = false;
      std::string_view next = a[i + 1];
      if (more >= 2 && (next == "~" || next == "=")) {
        r.trim.approx = next == "~";
        ++i;
      }
      if (maxlen) {
        auto n = int_arg(ctx, a[i + 1]);
        if (!n) return std::nullopt;
        if (*n < 0) return ctx.out().error(errors::kStreamMaxlenNegative), std::nullopt;
        r.trim.maxlen = *n;
        r.trim.strategy = TrimSpec::Strategy::kMaxLen;
      } else {
        auto id = types::parse_stream_id(a[i + 1], 0, true);
        if (!id) return ctx.out().error(errors::kInvalidStreamId), std::nullopt;
        r.trim.minid = *id;
        r.trim.strategy = TrimSpec::Strategy::kMinId;
      }
      ++i;
    } else if (iequals(opt, "limit") && more) {
      auto n = int_arg(ctx, a[i + 1]);
      if (!n) return std::nullopt;
      if (*n < 0) return ctx.out().error(errors::kLimitNegative), std::nullopt;
      r.trim.limit = *n;
      limit_given = true;
      ++i;
    } else if (xadd && iequals(opt, "nomkstream")) {
      r.no_mkstream = true;
    } else if (xadd) {
      bool seq_given = true;
      auto id = types::parse_stream_id(opt, 0, true, &seq_given);
      if (!id) return ctx.out().error(errors::kInvalidStreamId), std::nullopt;
      r.id = {seq_given ? AddId::Kind::kExplicit : AddId::Kind::kMsAuto, *id};
      break;
    } else {
      return ctx.out().error(errors::kSyntax), std::nullopt;
    }
  }
  r.next = i;
  const bool no_strategy = r.trim.strategy == TrimSpec::Strategy::kNone;
  if (r.trim.limit && no_strategy) {
    return ctx.out().error(errors::kLimitWithoutStrategy), std::nullopt;
  }
  if (!xadd && no_strategy) return ctx.out().error(errors::kXtrimWithoutStrategy), std::nullopt;
  if (limit_given) {
    if (!r.trim.approx) return ctx.out().error(errors::kLimitWithoutApprox), std::nullopt;
  } else if (r.trim.approx) {
    // Redis bounds the work of a "~" trim without LIMIT to 100 nodes' worth of entries.
    int64_t limit = 100 * ctx.engine().config().stream_node_max_entries;
    r.trim.limit = limit <= 0 || limit > 1000000 ? 10000 : limit;
  } else {
    r.trim.limit = 0;
  }
  return r;
}

// A trim as the exact one that leaves the same entries: MAXLEN = the length it left, or
// MINID = the first entry it kept (the threshold itself when it kept none, which then
// removes everything on replay too). Appended to a propagated form; for an exact trim this
// is the trim as it was given.
void append_exact_trim(std::vector<std::string>& form, const Stream& s, const TrimSpec& t) {
  if (t.strategy == TrimSpec::Strategy::kMaxLen) {
    form.insert(form.end(), {"MAXLEN", "=", std::to_string(s.length())});
  } else {
    form.insert(form.end(), {"MINID", "=", (s.length() ? s.first_id() : t.minid).str()});
  }
}

types::NodeLimits node_limits(Ctx& ctx) {
  const auto& cfg = ctx.engine().config();
  return {cfg.stream_node_max_bytes, cfg.stream_node_max_entries};
}

// XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] <* | id> field value
// [field value ...]
void xadd(Ctx& ctx, Args a) {
  auto opts = read_add_or_trim(ctx, a, true);
  if (!opts) return;
  const size_t field_pos = opts->next + 1;
  if (field_pos > a.size() || a.size() - field_pos < 2 || (a.size() - field_pos) % 2) {
    return ctx.out().error(errors::wrong_arity("xadd"));
  }
  // Refused before the key is looked up, so no empty stream is created for it.
  if (opts->id.kind == AddId::Kind::kExplicit && opts->id.id == StreamId::min()) {
    return ctx.out().error(errors::kXaddIdZero);
  }
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  if (!e) {
    if (opts->no_mkstream) return ctx.out().null();
    core::Value v;
    v.type = Type::kStream;
    v.obj = std::make_unique<Stream>();
    e = ctx.add(a[1], std::move(v));
  }
  Stream& s = stream_of(e);
  auto id = s.append(a.subspan(field_pos), opts->id, ctx.now_ms(), node_limits(ctx));
  if (!id.is_ok()) return ctx.out().error(id.status().text());
  char buf[48];
  ctx.out().bulk(std::string_view(buf, id->format(buf)));
  const int64_t trimmed = s.trim(opts->trim);
  ctx.touch(a[1]);
  ctx.signal_ready(a[1]);
  ctx.notify(pubsub::kClassStream, "xadd", a[1]);
  if (trimmed) ctx.notify(pubsub::kClassStream, "xtrim", a[1]);
  // Propagated with the ID it chose, and a "~" trim as the exact one it amounted to.
  if (ctx.propagating() && (opts->id.kind != AddId::Kind::kExplicit || opts->trim.approx)) {
    std::vector<std::string> form{"XADD", std::string(a[1])};
    if (opts->no_mkstream) form.emplace_back("NOMKSTREAM");
    if (opts->trim.strategy != TrimSpec::Strategy::kNone) {
      append_exact_trim(form, s, opts->trim);
    }
    form.emplace_back(id->str());
    form.insert(form.end(), a.begin() + static_cast<ptrdiff_t>(field_pos), a.end());
    ctx.propagate(std::move(form));
  }
}

// XTRIM key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]
void xtrim(Ctx& ctx, Args a) {
  auto opts = read_add_or_trim(ctx, a, false);
  if (!opts) return;
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().integer(0);
  Stream& s = stream_of(e);
  const int64_t removed = s.trim(opts->trim);
  ctx.out().integer(removed);
  if (!removed) return;
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassStream, "xtrim", a[1]);
  if (ctx.propagating() && opts->trim.approx) {
    std::vector<std::string> form{"XTRIM", std::string(a[1])};
    append_exact_trim(form, s, opts->trim);
    ctx.propagate(std::move(form));
  }
}

// XDEL key id [id ...]
void xdel(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().integer(0);
  // Every ID is checked before any is deleted, so a bad one leaves the stream as it was.
  std::vector<StreamId> ids;
  ids.reserve(a.size() - 2);
  for (size_t i = 2; i < a.size(); ++i) {
    auto id = types::parse_stream_id(a[i], 0, true);
    if (!id) return ctx.out().error(errors::kInvalidStreamId);
    ids.push_back(*id);
  }
  Stream& s = stream_of(e);
  int64_t removed = 0;
  for (StreamId id : ids) removed += s.remove(id) ? 1 : 0;
  ctx.out().integer(removed);
  if (!removed) return;
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassStream, "xdel", a[1]);
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void xsetid(Ctx& ctx, Args a) {
  auto id = types::parse_stream_id(a[2], 0, true);
  if (!id) return ctx.out().error(errors::kInvalidStreamId);
  int64_t entries_added = -1;
  StreamId max_deleted;
  for (size_t i = 3; i < a.size(); ++i) {
    const bool more = i + 1 < a.size();
    if (iequals(a[i], "entriesadded") && more) {
      auto n = int_arg(ctx, a[++i]);
      if (!n) return;
      if (*n < 0) return ctx.out().error(errors::kXsetidEntriesAddedNegative);
      entries_added = *n;
    } else if (iequals(a[i], "maxdeletedid") && more) {
      auto m = types::parse_stream_id(a[++i], 0, true);
      if (!m) return ctx.out().error(errors::kInvalidStreamId);
      if (*id < *m) return ctx.out().error(errors::kXsetidSmallerThanMaxDeleted);
      max_deleted = *m;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().error(errors::kNoSuchKey);
  Stream& s = stream_of(e);
  if (s.length() > 0) {
    if (*id < s.last_live_id()) return ctx.out().error(errors::kXsetidSmallerThanTop);
    if (entries_added != -1 && s.length() > static_cast<uint64_t>(entries_added)) {
      return ctx.out().error(errors::kXsetidEntriesAddedSmall);
    }
  }
  s.set_last_id(*id);
  if (entries_added != -1) s.set_entries_added(static_cast<uint64_t>(entries_added));
  if (max_deleted != StreamId::min()) s.set_max_deleted_id(max_deleted);
  ctx.out().ok();
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassStream, "xsetid", a[1]);
}

constexpr uint32_t kRW = kWrite | kDenyOom;

const Command kStreamWrites[] = {
    {"xadd", -5, kRW | kFast, 1, 1, 1, xadd,
     {"Appends a new message to a stream. Creates the key if it doesn't exist.", "5.0.0",
      "stream", "O(1) when adding a new entry, O(N) when trimming where N being the number of "
      "entries evicted.",
      "key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] <* | id> field value "
      "[field value ...]"}},
    {"xtrim", -4, kWrite, 1, 1, 1, xtrim,
     {"Deletes messages from the beginning of a stream.", "5.0.0", "stream",
      "O(N), with N being the number of evicted entries.",
      "key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]"}},
    {"xdel", -3, kWrite | kFast, 1, 1, 1, xdel,
     {"Returns the number of messages after removing them from a stream.", "5.0.0", "stream",
      "O(1) for each single item to delete in the stream.", "key id [id ...]"}},
    {"xsetid", -3, kRW | kFast, 1, 1, 1, xsetid,
     {"An internal command for replicating stream values.", "5.0.0", "stream", "O(1)",
      "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]"}},
};

}  // namespace

void add_stream_write_commands(CommandTable& t) { t.add(kStreamWrites); }

}  // namespace rill::commands
