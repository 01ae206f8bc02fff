// CLIENT and its subcommands: who is connected, and each connection's own settings (name,
// client library, reply mode, eviction). A CLIENT LIST line is Redis 7.2's, field by field,
// because tools split it on spaces and read fields by name.
#include <optional>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Session;

enum class ClientType { kNormal, kReplica, kPubSub, kMaster };

// Redis's getClientTypeByName: "slave" and "replica" are the same type.
std::optional<ClientType> parse_client_type(std::string_view name) {
  if (iequals(name, "normal")) return ClientType::kNormal;
  if (iequals(name, "slave") || iequals(name, "replica")) return ClientType::kReplica;
  if (iequals(name, "pubsub")) return ClientType::kPubSub;
  if (iequals(name, "master")) return ClientType::kMaster;
  return std::nullopt;
}

// Every session is a normal client until replication and pub/sub exist: then a replica link
// and a RESP2 subscriber answer otherwise here.
ClientType type_of(const Session&) { return ClientType::kNormal; }

// The flags field, letters in Redis's order; "N" when none applies.
std::string flags_of(const Session& s) {
  std::string f;
  if (s.subscribed()) f += 'P';
  if (s.in_multi) f += 'x';
  if (s.blocked) f += 'b';
  if (s.watch_dirty) f += 'd';
  if (s.close_requested) f += 'c';
  if (s.is_unix) f += 'U';
  if (s.no_evict) f += 'e';
  if (f.empty()) f = "N";
  return f;
}

size_t queued_bytes(const Session& s) {
  size_t n = 0;
  for (const auto& cmd : s.queued) {
    for (const auto& arg : cmd) n += arg.size();
  }
  return n;
}

// The session running the command differs from the others in two fields: its command is the
// one running now, and its arguments are alive (argv-mem). We keep no query buffer per
// session, so qbuf and qbuf-free read 0; the reply buffer is the session's out string.
struct Caller {
  const Session* session;
  std::string_view cmd;
  size_t argv_mem;
};

void append_client_line(std::string& out, const Session& s, const Caller& caller,
                        int64_t now_ms) {
  const bool self = &s == caller.session;
  const size_t argv_mem = self ? caller.argv_mem : 0;
  const size_t multi_mem = queued_bytes(s);
  const size_t tot_mem = sizeof(Session) + s.out.capacity() + s.out_in_flight + argv_mem +
                         multi_mem + s.name.size() + s.lib_name.size() + s.lib_ver.size();
  auto field = [&out](std::string_view name, std::string_view value) {
    if (!out.empty() && out.back() != '\n') out += ' ';
    out.append(name);
    out += '=';
    out.append(value);
  };
  auto num = [&field](std::string_view name, int64_t v) { field(name, std::to_string(v)); };
  auto unum = [&field](std::string_view name, uint64_t v) { field(name, std::to_string(v)); };
  unum("id", s.id);
  field("addr", s.addr);
  field("laddr", s.laddr);
  num("fd", s.fd);
  field("name", s.name);
  num("age", (now_ms - s.created_ms) / 1000);
  num("idle", (now_ms - s.last_interaction_ms) / 1000);
  field("flags", flags_of(s));
  num("db", s.db);
  unum("sub", s.channels.size());
  unum("psub", s.patterns.size());
  unum("ssub", s.shard_channels.size());
  num("multi", s.in_multi ? static_cast<int64_t>(s.queued.size()) : -1);
  num("qbuf", 0);
  num("qbuf-free", 0);
  unum("argv-mem", argv_mem);
  unum("multi-mem", multi_mem);
  unum("rbs", s.out.capacity());
  unum("rbp", s.out.capacity());
  // The unsent output, split as Redis splits it: its fixed reply buffer (obl), then the rest
  // (omem), which is what client-output-buffer-limit judges.
  unum("obl", s.unsent() - s.unsent_past_buffer());
  num("oll", 0);
  unum("omem", s.unsent_past_buffer());
  unum("tot-mem", tot_mem);
  field("events", "r");
  field("cmd", self ? caller.cmd : std::string_view(s.last_command));
  field("user", "default");
  num("redir", -1);
  num("resp", s.proto);
  field("lib-name", s.lib_name);
  field("lib-ver", s.lib_ver);
  out += '\n';
}

Caller caller_of(Ctx& ctx, Args a, std::string_view cmd) {
  size_t argv_mem = 0;
  for (std::string_view arg : a) argv_mem += arg.size();
  return Caller{&ctx.session(), cmd, argv_mem};
}

// A session that was killed (or sent QUIT) is gone as far as clients can tell, even while
// its connection still flushes: Redis frees such a client at once.
bool is_gone(const Session& s) { return s.close_requested; }

// CLIENT ID
void client_id(Ctx& ctx, Args) { ctx.out().integer(static_cast<int64_t>(ctx.session().id)); }

// CLIENT SETNAME connection-name
void client_setname(Ctx& ctx, Args a) {
  if (!printable_token(a[2])) return ctx.out().error(errors::kInvalidClientName);
  ctx.session().name = std::string(a[2]);
  ctx.out().ok();
}

// CLIENT GETNAME
void client_getname(Ctx& ctx, Args) {
  const std::string& name = ctx.session().name;
  if (name.empty()) return ctx.out().null();
  ctx.out().bulk(name);
}

// CLIENT LIST [TYPE NORMAL | MASTER | REPLICA | PUBSUB] | [ID client-id [client-id ...]]
// As in Redis 7.0 the two filters do not combine; IDs are listed in the order given.
void client_list(Ctx& ctx, Args a) {
  core::Engine& engine = ctx.engine();
  const Caller caller = caller_of(ctx, a, "client|list");
  std::string text;
  if (a.size() == 4 && iequals(a[2], "TYPE")) {
    auto type = parse_client_type(a[3]);
    if (!type) return ctx.out().error(errors::unknown_client_type(a[3]));
    for (const auto& [id, s] : engine.sessions()) {
      if (!is_gone(*s) && type_of(*s) == *type) append_client_line(text, *s, caller, ctx.now_ms());
    }
  } else if (a.size() > 3 && iequals(a[2], "ID")) {
    std::vector<uint64_t> ids;
    for (size_t i = 3; i < a.size(); ++i) {
      auto id = core::parse_int(a[i]);
      if (!id) return ctx.out().error(errors::kInvalidClientId);
      ids.push_back(static_cast<uint64_t>(*id));
    }
    for (uint64_t id : ids) {
      auto it = engine.sessions().find(id);
      if (it != engine.sessions().end() && !is_gone(*it->second)) {
        append_client_line(text, *it->second, caller, ctx.now_ms());
      }
    }
  } else if (a.size() != 2) {
    return ctx.out().error(errors::kSyntax);
  } else {
    for (const auto& [id, s] : engine.sessions()) {
      if (!is_gone(*s)) append_client_line(text, *s, caller, ctx.now_ms());
    }
  }
  ctx.out().verbatim(text);
}

// CLIENT INFO
void client_info(Ctx& ctx, Args a) {
  std::string text;
  append_client_line(text, ctx.session(), caller_of(ctx, a, "client|info"), ctx.now_ms());
  ctx.out().verbatim(text);
}

// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
// Redis 7.2's: client libraries send it right after connecting. An empty value clears it.
void client_setinfo(Ctx& ctx, Args a) {
  std::string* dest = nullptr;
  if (iequals(a[2], "lib-name")) {
    dest = &ctx.session().lib_name;
  } else if (iequals(a[2], "lib-ver")) {
    dest = &ctx.session().lib_ver;
  } else {
    return ctx.out().error(errors::unrecognized_option(a[2]));
  }
  if (!printable_token(a[3])) return ctx.out().error(errors::invalid_client_attr(a[2]));
  *dest = std::string(a[3]);
  ctx.out().ok();
}

// Which sessions CLIENT KILL closes. Unset filters match everything.
struct KillFilter {
  uint64_t id = 0;
  std::optional<ClientType> type;
  std::optional<std::string_view> addr, laddr;
  bool skipme = true;

  bool matches(const Session& s, const Session& self) const {
    if (addr && s.addr != *addr) return false;
    if (laddr && s.laddr != *laddr) return false;
    if (type && type_of(s) != *type) return false;
    if (id != 0 && s.id != id) return false;
    return !(skipme && &s == &self);
  }
};

// Parses the new form's option pairs; on failure the error has been written.
bool parse_kill_filter(Ctx& ctx, Args a, KillFilter& f) {
  for (size_t i = 2; i < a.size(); i += 2) {
    if (i + 1 >= a.size()) {
      ctx.out().error(errors::kSyntax);
      return false;
    }
    std::string_view opt = a[i], val = a[i + 1];
    if (iequals(opt, "ID")) {
      auto id = core::parse_int(val);
      if (!id || *id < 1) {
        ctx.out().error(errors::kClientIdNotPositive);
        return false;
      }
      f.id = static_cast<uint64_t>(*id);
    } else if (iequals(opt, "TYPE")) {
      f.type = parse_client_type(val);
      if (!f.type) {
        ctx.out().error(errors::unknown_client_type(val));
        return false;
      }
    } else if (iequals(opt, "ADDR")) {
      f.addr = val;
    } else if (iequals(opt, "LADDR")) {
      f.laddr = val;
    } else if (iequals(opt, "USER")) {
      // "default" is the only user, and every session is authenticated as it.
      if (val != "default") {
        ctx.out().error(errors::no_such_user(val));
        return false;
      }
    } else if (iequals(opt, "SKIPME")) {
      if (iequals(val, "yes")) {
        f.skipme = true;
      } else if (iequals(val, "no")) {
        f.skipme = false;
      } else {
        ctx.out().error(errors::kSyntax);
        return false;
      }
    } else {
      ctx.out().error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// CLIENT KILL ip:port
// CLIENT KILL <ID client-id | TYPE type | USER username | ADDR ip:port | LADDR ip:port |
//              SKIPME yes|no> ...
// The old form answers OK or "No such client" and may kill the caller; the new form answers
// how many were killed and skips the caller unless SKIPME no. A killed session closes once
// its pending output is written; the caller closes after this reply.
void client_kill(Ctx& ctx, Args a) {
  const bool old_form = a.size() == 3;
  KillFilter filter;
  if (old_form) {
    filter.addr = a[2];
    filter.skipme = false;
  } else if (!parse_kill_filter(ctx, a, filter)) {
    return;
  }
  Session& self = ctx.session();
  std::vector<Session*> victims;
  for (const auto& [id, s] : ctx.engine().sessions()) {
    if (!is_gone(*s) && filter.matches(*s, self)) victims.push_back(s);
  }
  if (old_form) {
    if (victims.empty()) return ctx.out().error(errors::kNoSuchClient);
    ctx.out().ok();
  } else {
    ctx.out().integer(static_cast<int64_t>(victims.size()));
  }
  for (Session* s : victims) {
    s->close_requested = true;
    if (s != &self && s->sink) s->sink->on_output();
  }
}

// Reads ON / OFF; on anything else writes a syntax error.
std::optional<bool> on_off(Ctx& ctx, std::string_view v) {
  if (iequals(v, "on")) return true;
  if (iequals(v, "off")) return false;
  ctx.out().error(errors::kSyntax);
  return std::nullopt;
}

// CLIENT NO-EVICT ON|OFF
void client_no_evict(Ctx& ctx, Args a) {
  auto on = on_off(ctx, a[2]);
  if (!on) return;
  ctx.session().no_evict = *on;
  ctx.out().ok();
}

// CLIENT REPLY ON|OFF|SKIP
// OFF and SKIP answer nothing; the engine drops the replies the mode says to drop.
void client_reply(Ctx& ctx, Args a) {
  core::ReplyMode& mode = ctx.session().reply_mode;
  if (iequals(a[2], "on")) {
    mode = core::ReplyMode::kOn;
    ctx.out().ok();
  } else if (iequals(a[2], "off")) {
    mode = core::ReplyMode::kOff;
  } else if (iequals(a[2], "skip")) {
    // Under OFF every reply is dropped already; SKIP must not end the OFF.
    if (mode != core::ReplyMode::kOff) mode = core::ReplyMode::kSkipNext;
  } else {
    ctx.out().error(errors::kSyntax);
  }
}

// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
void client_unblock(Ctx& ctx, Args a) {
  auto id = core::parse_int(a[2]);
  if (!id) return ctx.out().error(errors::kNotInteger);
  bool with_error = false;
  if (a.size() == 4) {
    if (iequals(a[3], "ERROR")) {
      with_error = true;
    } else if (!iequals(a[3], "TIMEOUT")) {
      return ctx.out().error(errors::kUnblockReason);
    }
  }
  auto& sessions = ctx.engine().sessions();
  auto it = sessions.find(static_cast<uint64_t>(*id));
  bool done = it != sessions.end() && ctx.engine().unblock_client(*it->second, with_error);
  ctx.out().integer(done ? 1 : 0);
}

// CLIENT GETREDIR: -1, as there is no client-side caching to redirect.
void client_getredir(Ctx& ctx, Args) { ctx.out().integer(-1); }

constexpr std::string_view kHelp[] = {
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    // Redis 7.2's lines for SETINFO, which 7.0 does not have.
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Prints this help.",
};

// CLIENT HELP
void client_help(Ctx& ctx, Args) {
  reply_help(ctx, kHelp);
}

constexpr uint32_t kClientFlags = kNoScript | kLoading | kStale;

const Command kClientSubs[] = {
    {"client|id", 2, kClientFlags, 0, 0, 0, client_id,
     {"Returns the client ID for the current connection", "5.0.0", "connection", "O(1)", ""}},
    {"client|setname", 3, kClientFlags, 0, 0, 0, client_setname,
     {"Set the current connection name", "2.6.9", "connection", "O(1)", "connection-name"}},
    {"client|getname", 2, kClientFlags, 0, 0, 0, client_getname,
     {"Get the current connection name", "2.6.9", "connection", "O(1)", ""}},
    {"client|list", -2, kAdmin | kClientFlags, 0, 0, 0, client_list,
     {"Get the list of client connections", "2.4.0", "connection",
      "O(N) where N is the number of client connections",
      "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]"}},
    {"client|info", 2, kClientFlags, 0, 0, 0, client_info,
     {"Returns information about the current client connection.", "6.2.0", "connection",
      "O(1)", ""}},
    {"client|setinfo", 4, kClientFlags, 0, 0, 0, client_setinfo,
     {"Sets information specific to the client or connection.", "7.2.0", "connection", "O(1)",
      "<LIB-NAME libname | LIB-VER libver>"}},
    {"client|kill", -3, kAdmin | kClientFlags, 0, 0, 0, client_kill,
     {"Kill the connection of a client", "2.4.0", "connection",
      "O(N) where N is the number of client connections",
      "<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | "
      "[USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> "
      "[[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | "
      "[USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] ...]>"}},
    {"client|no-evict", 3, kAdmin | kClientFlags, 0, 0, 0, client_no_evict,
     {"Set client eviction mode for the current connection", "7.0.0", "connection", "O(1)",
      "<ON | OFF>"}},
    {"client|reply", 3, kClientFlags, 0, 0, 0, client_reply,
     {"Instruct the server whether to reply to commands", "3.2.0", "connection", "O(1)",
      "<ON | OFF | SKIP>"}},
    {"client|unblock", -3, kAdmin | kClientFlags, 0, 0, 0, client_unblock,
     {"Unblock a client blocked in a blocking command from a different connection", "5.0.0",
      "connection", "O(log N) where N is the number of client connections",
      "client-id [TIMEOUT | ERROR]"}},
    {"client|getredir", 2, kClientFlags, 0, 0, 0, client_getredir,
     {"Get tracking notifications redirection client ID if any", "6.0.0", "connection",
      "O(1)", ""}},
    {"client|help", 2, kLoading | kStale, 0, 0, 0, client_help,
     {"Show helpful text about the different subcommands", "5.0.0", "connection", "O(1)",
      ""}},
};

const Command kClient[] = {
    {"client", -2, 0, 0, 0, 0, nullptr,
     {"A container for client connection commands", "2.4.0", "connection",
      "Depends on subcommand.", ""},
     kClientSubs},
};

}  // namespace

void add_client_commands(CommandTable& t) { t.add(kClient); }

}  // namespace rill::commands
