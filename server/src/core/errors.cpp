#include "core/errors.h"

#include <cctype>

namespace rill::errors {

namespace {
// Redis formats user arguments into errors with %s, which stops at the first NUL byte; so
// do we, or the bytes on the wire would differ.
std::string_view c_str(std::string_view s) { return s.substr(0, s.find('\0')); }
}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// As Redis builds it: the name cut at 128 bytes, then quoted arguments while the list is
// shorter than 128 bytes, each cut so the list stays near that size.
std::string unknown_command(std::span<const std::string_view> argv) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += '\'';
    args.append(c_str(argv[i].substr(0, room)));
    args += "' ";
  }
  std::string out = "ERR unknown command '";
  out.append(c_str(argv[0].substr(0, 128)));
  out += "', with args beginning with: ";
  out += args;
  return out;
}

std::string wrong_arity(std::string_view command_name) {
  return "ERR wrong number of arguments for '" + lower(command_name) + "' command";
}

std::string unknown_subcommand(std::string_view sub, std::string_view container) {
  std::string upper(c_str(container));
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "ERR unknown subcommand '" + std::string(c_str(sub.substr(0, 128))) + "'. Try " + upper +
         " HELP.";
}

std::string subscribe_mode_only(std::string_view command_name) {
  return "ERR Can't execute '" + lower(command_name) +
         "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
         "context";
}

std::string subcommand_syntax(std::string_view sub, std::string_view container) {
  std::string upper(c_str(container));
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "ERR unknown subcommand or wrong number of arguments for '" +
         std::string(c_str(sub.substr(0, 128))) + "'. Try " + upper + " HELP.";
}

std::string invalid_expire(std::string_view command_name) {
  return "ERR invalid expire time in '" + lower(command_name) + "' command";
}

std::string xclaim_option(std::string_view option) {
  return "ERR Unrecognized XCLAIM option '" + std::string(c_str(option)) + "'";
}

std::string no_group(std::string_view key, std::string_view group) {
  return "NOGROUP No such consumer group '" + std::string(c_str(group)) + "' for key name '" +
         std::string(c_str(key)) + "'";
}

std::string no_key_or_group(std::string_view key, std::string_view group, bool xreadgroup) {
  std::string out = "NOGROUP No such key '" + std::string(c_str(key)) + "' or consumer group '" +
                    std::string(c_str(group)) + "'";
  if (xreadgroup) out += " in XREADGROUP with GROUP option";
  return out;
}

std::string hello_syntax(std::string_view option) {
  return "ERR Syntax error in HELLO option '" + std::string(c_str(option)) + "'";
}

std::string unsupported_option(std::string_view option) {
  return "ERR Unsupported option " + std::string(c_str(option));
}

std::string unknown_client_type(std::string_view type) {
  return "ERR Unknown client type '" + std::string(c_str(type)) + "'";
}

std::string no_such_user(std::string_view user) {
  return "ERR No such user '" + std::string(c_str(user)) + "'";
}

std::string unrecognized_option(std::string_view option) {
  return "ERR Unrecognized option '" + std::string(c_str(option)) + "'";
}

std::string invalid_client_attr(std::string_view attr) {
  return "ERR " + std::string(c_str(attr)) + " cannot contain spaces, newlines or special characters.";
}

std::string config_set_unknown(std::string_view name) {
  return "ERR Unknown option or number of arguments for CONFIG SET - '" + std::string(c_str(name)) + "'";
}

std::string config_set_failed(std::string_view name, std::string_view reason) {
  return "ERR CONFIG SET failed (possibly related to argument '" + std::string(c_str(name)) + "') - " +
         std::string(reason);
}

}  // namespace rill::errors
