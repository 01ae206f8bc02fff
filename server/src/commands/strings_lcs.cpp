// LCS: the longest common subsequence of two strings, as the subsequence itself, its length
// (LEN), or the matching ranges of both strings (IDX), computed with the classic dynamic-
// programming table. Redis 7.0 walks the table back from its last cell, preferring to drop a
// byte of the second string on a tie; we walk it the same way, because which of several
// equally long subsequences is returned, and the order of the IDX ranges (last first), are
// part of the reply.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

// Reads the options after the two keys; false when an error has been replied.
bool read_lcs_options(Ctx& ctx, Args a, LcsOptions& o) {
  for (size_t i = 3; i < a.size(); ++i) {
    if (iequals(a[i], "LEN")) {
      o.len = true;
    } else if (iequals(a[i], "IDX")) {
      o.idx = true;
    } else if (iequals(a[i], "WITHMATCHLEN")) {
      o.with_match_len = true;
    } else if (iequals(a[i], "MINMATCHLEN") && i + 1 < a.size()) {
      auto n = int_arg(ctx, a[++i]);
      if (!n) return false;
      o.min_match_len = *n < 0 ? 0 : *n;
    } else {
      ctx.out().error(errors::kSyntax);
      return false;
    }
  }
  if (o.len && o.idx) {
    ctx.out().error(errors::kLcsLenAndIdx);
    return false;
  }
  return true;
}

// A run of consecutive matching bytes: a[a_from..a_to] equals b[b_from..b_to].
struct Match {
  uint32_t a_from, a_to, b_from, b_to;
  uint32_t size() const { return a_to - a_from + 1; }
};

// The table of LCS lengths of every pair of prefixes: at(i, j) = LCS(a[0..i), b[0..j)).
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b, uint32_t* cells)
      : a_(a), b_(b), cols_(b.size() + 1), cells_(cells) {
    for (size_t i = 0; i <= a.size(); ++i) {
      for (size_t j = 0; j <= b.size(); ++j) {
        uint32_t v = 0;
        if (i > 0 && j > 0) {
          v = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
        }
        cells_[i * cols_ + j] = v;
      }
    }
  }
  uint32_t at(size_t i, size_t j) const { return cells_[i * cols_ + j]; }
  uint32_t length() const { return at(a_.size(), b_.size()); }

  // Walks back from the last cell and collects the subsequence (when `text`) and the runs of
  // at least `min_len` bytes (when `matches`), last run first.
  void walk(std::string* text, std::vector<Match>* matches, int64_t min_len) const {
    if (text) text->assign(length(), '\0');
    size_t i = a_.size(), j = b_.size(), k = length();
    bool in_run = false;
    Match run{};
    auto close_run = [&] {
      if (matches && (min_len == 0 || run.size() >= min_len)) matches->push_back(run);
      in_run = false;
    };
    while (i > 0 && j > 0) {
      if (a_[i - 1] == b_[j - 1]) {
        const auto p = static_cast<uint32_t>(i - 1), q = static_cast<uint32_t>(j - 1);
        if (text) (*text)[--k] = a_[p];
        // Going back diagonally, a match extends the run the previous match started.
        if (in_run) {
          run.a_from = p;
          run.b_from = q;
        } else {
          run = {p, p, q, q};
          in_run = true;
        }
        --i;
        --j;
        if (p == 0 || q == 0) close_run();
      } else {
        if (at(i - 1, j) > at(i, j - 1)) {
          --i;
        } else {
          --j;
        }
        if (in_run) close_run();
      }
    }
  }

 private:
  std::string_view a_, b_;
  size_t cols_;
  uint32_t* cells_;
};

void reply_matches(Ctx& ctx, const std::vector<Match>& matches, bool with_len, uint32_t total) {
  auto& out = ctx.out();
  out.map(2);
  out.bulk("matches");
  out.array(matches.size());
  for (const Match& m : matches) {
    out.array(with_len ? 3 : 2);
    out.array(2);
    out.integer(m.a_from);
    out.integer(m.a_to);
    out.array(2);
    out.integer(m.b_from);
    out.integer(m.b_to);
    if (with_len) out.integer(m.size());
  }
  out.bulk("len");
  out.integer(total);
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
//
// Missing keys read as empty strings. The table takes (|a|+1)*(|b|+1) 32-bit cells; like
// Redis we refuse one larger than proto-max-bulk-len rather than try to allocate it.
void lcs(Ctx& ctx, Args a) {
  const Entry* ea = ctx.read(a[1]);
  const Entry* eb = ctx.read(a[2]);
  if ((ea && ea->value.type != Type::kString) || (eb && eb->value.type != Type::kString)) {
    return ctx.out().error(errors::kLcsNotStrings);
  }
  LcsOptions o;
  if (!read_lcs_options(ctx, a, o)) return;
  std::string_view sa = ea ? std::string_view(ea->value.str) : std::string_view();
  std::string_view sb = eb ? std::string_view(eb->value.str) : std::string_view();
  constexpr uint64_t kMaxLen = std::numeric_limits<uint32_t>::max() - 1;
  if (sa.size() >= kMaxLen || sb.size() >= kMaxLen) return ctx.out().error(errors::kLcsTooLong);
  const uint64_t cells = (sa.size() + 1) * (sb.size() + 1);
  const auto limit = static_cast<uint64_t>(ctx.engine().config().proto_max_bulk_len);
  if (cells > limit / sizeof(uint32_t)) return ctx.out().error(errors::kLcsOverBulkLimit);
  std::unique_ptr<uint32_t[]> storage(new (std::nothrow) uint32_t[cells]);
  if (!storage) return ctx.out().error(errors::kLcsNoMemory);

  LcsTable table(sa, sb, storage.get());
  if (o.len) return ctx.out().integer(table.length());
  if (o.idx) {
    std::vector<Match> matches;
    table.walk(nullptr, &matches, o.min_match_len);
    return reply_matches(ctx, matches, o.with_match_len, table.length());
  }
  std::string text;
  table.walk(&text, nullptr, 0);
  ctx.out().bulk(text);
}

const Command kStringLcs[] = {
    {"lcs", -3, kReadOnly, 1, 2, 1, lcs,
     {"Find longest common substring", "7.0.0", "string",
      "O(N*M) where N and M are the lengths of s1 and s2, respectively",
      "key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]"}},
};

}  // namespace

void add_string_lcs_commands(CommandTable& t) { t.add(kStringLcs); }

}  // namespace rill::commands
