// Number parsing and formatting with Redis's exact rules: "01", "+1", " 1" and "1 " are not
// integers; floats reject spaces and NaN. Every command that reads a number goes through here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rill::core {

// Redis's string2ll: optional '-', no leading zeros, no '+', no spaces, fits in int64.
std::optional<int64_t> parse_int(std::string_view s);
// Redis's string2ull for unsigned 64-bit (used by SCAN cursors).
std::optional<uint64_t> parse_uint(std::string_view s);
// Redis's getDoubleFromObject: strtod, no leading space, no NaN, no overflow.
std::optional<double> parse_double(std::string_view s);
// Redis's string2ld: strtold, no spaces, no NaN, no overflow.
std::optional<long double> parse_long_double(std::string_view s);

std::string int_to_string(int64_t v);

// ASCII case-insensitive equality, for option names ("EX", "nx").
bool iequals(std::string_view a, std::string_view b);

}  // namespace rill::core
