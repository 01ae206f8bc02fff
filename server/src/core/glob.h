// Glob matching exactly as Redis's stringmatchlen: '*', '?', '[...]' with ranges and '^'
// negation, and '\' escapes. Used by KEYS, SCAN MATCH, CONFIG GET and pub/sub patterns.
#pragma once

#include <string_view>

namespace rill::core {

bool glob_match(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace rill::core
