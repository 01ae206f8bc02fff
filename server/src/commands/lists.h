// What the list commands (lists.cpp) and their blocking forms (lists_blocking.cpp) share:
// the LEFT | RIGHT word, popping and moving with Redis's empty-key deletion, LMPOP's
// grammar, and the seconds timeout of the blocking pops. Each blocking command is its plain
// form plus "block if nothing was there", so the plain forms are written once, here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "commands/command.h"
#include "core/engine.h"
#include "types/list.h"

namespace rill::commands::lists {

enum class End : uint8_t { kLeft, kRight };

// LEFT or RIGHT (any case), or nullopt.
std::optional<End> parse_end(std::string_view word);

// The list at `key` for a write: null when absent; null with *wrong set (WRONGTYPE replied)
// when the key holds another type.
types::List* write_list(core::Ctx& ctx, std::string_view key, bool* wrong);

// As write_list(), creating an empty list (which the caller must fill) when absent.
types::List* list_for_push(core::Ctx& ctx, std::string_view key, bool* wrong);

// What a pop or move found.
enum class Outcome : uint8_t { kReplied, kEmpty };

// LMOVE's work: pops from `src` at `from`, pushes onto `dst` at `to` and replies the element.
// kEmpty (nothing replied) when src is absent; WRONGTYPE for either key counts as replied.
Outcome move(core::Ctx& ctx, std::string_view src, std::string_view dst, End from, End to);

// LMPOP's arguments after numkeys' position: the keys, the end and the count.
struct MpopSpec {
  Args keys;
  End end = End::kLeft;
  int64_t count = 1;
};
// Reads "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]" from a[at...]. On an error the
// reply is written and nullopt returned.
std::optional<MpopSpec> parse_mpop(core::Ctx& ctx, Args a, size_t at);
// Pops up to spec.count elements from the first non-empty key and replies [key, [elements]].
// kEmpty (nothing replied) when every key is absent; WRONGTYPE counts as replied.
Outcome mpop(core::Ctx& ctx, const MpopSpec& spec);

// Pops one element from the first non-empty of `keys` and replies [key, element] (BLPOP,
// BRPOP). kEmpty when every key is absent.
Outcome pop_first(core::Ctx& ctx, Args keys, End end);

// A blocking command's timeout in seconds ("0.1", "0" forever) as milliseconds, with Redis's
// errors; nullopt after replying one.
std::optional<int64_t> timeout_arg(core::Ctx& ctx, std::string_view arg);

}  // namespace rill::commands::lists
