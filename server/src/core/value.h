// A value in the keyspace. Strings are held inline with the encoding Redis would report for
// them (OBJECT ENCODING: int, embstr, raw), because clients and tests look at it. Other types
// hold their structure behind Object, each defined in src/types/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rill::core {

enum class Type : uint8_t { kString, kList, kSet, kZSet, kHash, kStream };

// The name TYPE prints ("string", "list", ...).
std::string_view type_name(Type t);

// Base of every non-string value type.
class Object {
 public:
  virtual ~Object() = default;
  virtual std::unique_ptr<Object> clone() const = 0;  // for COPY
  virtual std::string_view encoding() const = 0;      // for OBJECT ENCODING
};

enum class StrEnc : uint8_t { kInt, kEmbstr, kRaw };

struct Value {
  Type type = Type::kString;
  StrEnc enc = StrEnc::kRaw;
  uint32_t lru = 0;             // last access, seconds on the server clock (OBJECT IDLETIME)
  std::string str;              // the string payload, for kString
  std::unique_ptr<Object> obj;  // the structure, for every other type

  // A string as SET stores it: int if it reads as an integer of at most 20 chars, embstr up
  // to 44 bytes, raw above (Redis's tryObjectEncoding).
  static Value string(std::string_view s);
  // A string that Redis would hold raw whatever its content (APPEND, SETRANGE results).
  static Value raw_string(std::string s);
  // A string built from a number (INCR): int encoded.
  static Value integer(int64_t v);
  // A string built by INCRBYFLOAT: embstr or raw by length, never int.
  static Value plain_string(std::string s);

  Value clone() const;
  std::string_view encoding() const;
};

}  // namespace rill::core
