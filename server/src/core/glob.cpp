#include "core/glob.h"

#include <cctype>

namespace rill::core {

namespace {

char fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Returns 1 on match, 0 on mismatch, -1 when the text ran out (so an enclosing '*' can stop
// trying further positions: Redis's skipLongerMatches, which bounds the work on patterns
// like "a*a*a*a*b").
int match(const char* p, const char* pend, const char* s, const char* send, bool nocase,
          int nesting) {
  if (nesting > 1000) return 0;
  while (p < pend && s < send) {
    switch (*p) {
      case '*': {
        while (p + 1 < pend && p[1] == '*') ++p;
        if (p + 1 == pend) return 1;
        for (; s < send; ++s) {
          int r = match(p + 1, pend, s, send, nocase, nesting + 1);
          if (r == 1) return 1;
          if (r == -1) return -1;
        }
        return -1;
      }
      case '?':
        ++s;
        break;
      case '[': {
        ++p;
        bool negate = p < pend && *p == '^';
        if (negate) ++p;
        bool found = false;
        while (true) {
          if (p >= pend) {
            --p;
            break;
          }
          if (*p == '\\' && p + 1 < pend) {
            ++p;
            if (*p == *s) found = true;  // Redis compares an escaped class member exactly, even nocase
          } else if (*p == ']') {
            break;
          } else if (p + 2 < pend && p[1] == '-') {
            // Ordered first, folded after, as Redis does: nocase "[a-Z]" matches nothing.
            char start = p[0], end = p[2];
            if (start > end) std::swap(start, end);
            start = fold(start, nocase);
            end = fold(end, nocase);
            const char c = fold(*s, nocase);
            p += 2;
            if (c >= start && c <= end) found = true;
          } else if (fold(*p, nocase) == fold(*s, nocase)) {
            found = true;
          }
          ++p;
        }
        if (negate) found = !found;
        if (!found) return 0;
        ++s;
        break;
      }
      case '\\':
        if (p + 1 < pend) ++p;
        [[fallthrough]];
      default:
        if (fold(*p, nocase) != fold(*s, nocase)) return 0;
        ++s;
        break;
    }
    ++p;
    if (s == send) {
      while (p < pend && *p == '*') ++p;
      break;
    }
  }
  return (p == pend && s == send) ? 1 : 0;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool nocase) {
  return match(pattern.data(), pattern.data() + pattern.size(), text.data(),
               text.data() + text.size(), nocase, 0) == 1;
}

}  // namespace rill::core
