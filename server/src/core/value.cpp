#include "core/value.h"

#include "core/numbers.h"

namespace rill::core {

namespace {
constexpr size_t kEmbstrMax = 44;  // Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT
}

std::string_view type_name(Type t) {
  switch (t) {
    case Type::kString: return "string";
    case Type::kList: return "list";
    case Type::kSet: return "set";
    case Type::kZSet: return "zset";
    case Type::kHash: return "hash";
    case Type::kStream: return "stream";
  }
  return "none";
}

Value Value::string(std::string_view s) {
  Value v;
  v.str.assign(s);
  if (s.size() <= 20 && parse_int(s)) {
    v.enc = StrEnc::kInt;
  } else {
    v.enc = s.size() <= kEmbstrMax ? StrEnc::kEmbstr : StrEnc::kRaw;
  }
  return v;
}

Value Value::raw_string(std::string s) {
  Value v;
  v.str = std::move(s);
  v.enc = StrEnc::kRaw;
  return v;
}

Value Value::integer(int64_t n) {
  Value v;
  v.str = int_to_string(n);
  v.enc = StrEnc::kInt;
  return v;
}

Value Value::plain_string(std::string s) {
  Value v;
  v.enc = s.size() <= kEmbstrMax ? StrEnc::kEmbstr : StrEnc::kRaw;
  v.str = std::move(s);
  return v;
}

Value Value::clone() const {
  Value v;
  v.type = type;
  v.enc = enc;
  v.lru = lru;
  v.str = str;
  if (obj) v.obj = obj->clone();
  return v;
}

std::string_view Value::encoding() const {
  if (type != Type::kString) return obj ? obj->encoding() : "unknown";
  switch (enc) {
    case StrEnc::kInt: return "int";
    case StrEnc::kEmbstr: return "embstr";
    case StrEnc::kRaw: return "raw";
  }
  return "raw";
}

}  // namespace rill::core
