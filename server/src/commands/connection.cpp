// Connection commands: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET.
// (CLIENT lives in client.cpp.)
#include "commands/args.h"
#include "commands/command_table.h"
#include "core/version.h"

namespace rill::commands {
namespace {

using core::Ctx;

// PING [message]
void ping(Ctx& ctx, Args a) {
  if (a.size() > 2) return ctx.out().error(errors::wrong_arity("ping"));
  if (ctx.session().in_subscribe_mode()) {
    // Shaped like a message, so a RESP2 subscriber's reader can take it as one.
    ctx.out().array(2);
    ctx.out().bulk("pong");
    ctx.out().bulk(a.size() == 2 ? a[1] : std::string_view());
    return;
  }
  if (a.size() == 2) return ctx.out().bulk(a[1]);
  ctx.out().simple("PONG");
}

// ECHO message
void echo(Ctx& ctx, Args a) { ctx.out().bulk(a[1]); }

// Checks a password for `user` (only "default" exists). On failure writes the error.
bool check_auth(Ctx& ctx, std::string_view user, std::string_view pass) {
  const std::string& required = ctx.engine().config().requirepass;
  bool ok = user == "default" && (required.empty() || pass == required);
  if (!ok) {
    ctx.out().error(errors::kWrongPass);
    return false;
  }
  ctx.session().authenticated = true;
  return true;
}

// AUTH [username] password
void auth(Ctx& ctx, Args a) {
  if (a.size() > 3) return ctx.out().error(errors::kSyntax);
  if (a.size() == 2 && ctx.engine().config().requirepass.empty()) {
    return ctx.out().error(errors::kAuthNoPassword);
  }
  std::string_view user = a.size() == 3 ? a[1] : "default";
  if (check_auth(ctx, user, a.back())) ctx.out().ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
void hello(Ctx& ctx, Args a) {
  core::Session& s = ctx.session();
  int64_t ver = 0;
  size_t i = 1;
  if (a.size() >= 2) {
    auto v = core::parse_int(a[1]);
    if (!v) return ctx.out().error(errors::kProtoVersionNotInteger);
    if (*v < 2 || *v > 3) return ctx.out().error(errors::kNoProto);
    ver = *v;
    i = 2;
  }
  std::string_view user, pass, name;
  bool has_auth = false, has_name = false;
  for (; i < a.size(); ++i) {
    size_t left = a.size() - i - 1;
    if (iequals(a[i], "AUTH") && left >= 2) {
      has_auth = true;
      user = a[i + 1];
      pass = a[i + 2];
      i += 2;
    } else if (iequals(a[i], "SETNAME") && left >= 1) {
      has_name = true;
      name = a[i + 1];
      i += 1;
    } else {
      return ctx.out().error(errors::hello_syntax(a[i]));
    }
  }
  if (has_auth && !check_auth(ctx, user, pass)) return;
  if (!s.authenticated) {
    return ctx.out().error(errors::kHelloNoAuth);
  }
  if (has_name) {
    if (!printable_token(name)) return ctx.out().error(errors::kInvalidClientName);
    s.name = std::string(name);
  }
  if (ver) {
    s.proto = static_cast<int>(ver);
    ctx.out().set_proto(s.proto);
  }
  auto& out = ctx.out();
  out.map(7);
  out.bulk("server");
  out.bulk("redis");
  out.bulk("version");
  out.bulk(kRedisVersion);
  out.bulk("proto");
  out.integer(s.proto);
  out.bulk("id");
  out.integer(static_cast<int64_t>(s.id));
  out.bulk("mode");
  out.bulk("standalone");
  out.bulk("role");
  out.bulk("master");
  out.bulk("modules");
  out.array(0);
}

// SELECT index
void select(Ctx& ctx, Args a) {
  auto idx = core::parse_int(a[1]);
  if (!idx) return ctx.out().error(errors::kNotInteger);
  if (*idx < INT32_MIN || *idx > INT32_MAX) return ctx.out().error(errors::kIntOutOfRange);
  if (*idx < 0 || *idx >= ctx.engine().db_count()) {
    return ctx.out().error(errors::kDbIndexOutOfRange);
  }
  ctx.session().db = static_cast<int>(*idx);
  ctx.out().ok();
}

// QUIT
void quit(Ctx& ctx, Args) {
  ctx.out().ok();
  ctx.session().close_requested = true;
}

// RESET: the connection as it was when it opened.
void reset(Ctx& ctx, Args) {
  core::Session& s = ctx.session();
  s.in_multi = false;
  s.multi_failed = false;
  s.queued.clear();
  ctx.engine().unwatch(s);
  ctx.engine().pubsub().forget(s);  // silently, as Redis's RESET does
  s.db = 0;
  s.proto = 2;
  ctx.out().set_proto(2);
  s.name.clear();
  s.reply_mode = core::ReplyMode::kOn;
  s.no_evict = false;
  s.authenticated = ctx.engine().config().requirepass.empty();
  ctx.out().simple("RESET");
}

constexpr uint32_t kConn = kNoScript | kLoading | kStale | kFast;

const Command kConnection[] = {
    {"ping", -1, kFast | kSentinel | kPubSub, 0, 0, 0, ping,
     {"Ping the server", "1.0.0", "connection", "O(1)", "[message]"}},
    {"echo", 2, kFast, 0, 0, 0, echo,
     {"Echo the given string", "1.0.0", "connection", "O(1)", "message"}},
    {"auth", -2, kConn | kNoAuth | kSentinel, 0, 0, 0, auth,
     {"Authenticate to the server", "1.0.0", "connection", "O(N) where N is the number of passwords defined for the user",
      "[username] password"}},
    {"hello", -1, kConn | kNoAuth | kSentinel, 0, 0, 0, hello,
     {"Handshake with Redis", "6.0.0", "connection", "O(1)",
      "[protover [AUTH username password] [SETNAME clientname]]"}},
    {"select", 2, kLoading | kStale | kFast, 0, 0, 0, select,
     {"Change the selected database for the current connection", "1.0.0", "connection", "O(1)",
      "index"}},
    {"quit", -1, kConn | kNoAuth | kAllowBusy | kPubSub, 0, 0, 0, quit,
     {"Close the connection", "1.0.0", "connection", "O(1)", ""}},
    {"reset", 1, kConn | kNoAuth | kAllowBusy | kPubSub, 0, 0, 0, reset,
     {"Reset the connection", "6.2.0", "connection", "O(1)", ""}},
};

}  // namespace

void add_connection_commands(CommandTable& t) { t.add(kConnection); }

}  // namespace rill::commands
