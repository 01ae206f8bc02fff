// Every error text rill sends, byte-exact with Redis 7.0. Handlers never spell an error
// themselves; they name one of these. Texts are without the leading '-' and CRLF.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace rill::errors {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kDecrementOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kNanOrInfinity = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kLcsNotStrings =
    "ERR The specified keys must contain string values";
inline constexpr std::string_view kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kLcsTooLong = "ERR String too long for LCS";
inline constexpr std::string_view kLcsOverBulkLimit =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
inline constexpr std::string_view kLcsNoMemory =
    "ERR Insufficient memory, failed allocating transient memory for LCS";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kInvalidFirstDbIndex = "ERR invalid first DB index";
inline constexpr std::string_view kInvalidSecondDbIndex = "ERR invalid second DB index";
inline constexpr std::string_view kInvalidDbIndex = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kAuthNoPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are "
    "you sure your configuration is correct?";
inline constexpr std::string_view kNestedMulti = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kWatchInMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr std::string_view kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
inline constexpr std::string_view kInvalidExpire = "ERR invalid expire time in '%s' command";
inline constexpr std::string_view kUnblockedByClient =
    "UNBLOCKED client unblocked via CLIENT UNBLOCK";
inline constexpr std::string_view kUnblockReason =
    "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
inline constexpr std::string_view kExecAbortBecause = "EXECABORT Transaction discarded because of: ";
inline constexpr std::string_view kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kProtoVersionNotInteger =
    "ERR Protocol version is not an integer or out of range";
inline constexpr std::string_view kHelloNoAuth =
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
    "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
    "protocol version at the same time";
inline constexpr std::string_view kNotAllowedInMulti =
    "ERR Command not allowed inside a transaction";
// "ERR Syntax error in HELLO option 'foo'"
std::string hello_syntax(std::string_view option);
// Streams (types/stream*.cpp, commands/stream_*.cpp).
inline constexpr std::string_view kInvalidStreamId =
    "ERR Invalid stream ID specified as stream command argument";
inline constexpr std::string_view kXaddIdTooSmall =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
inline constexpr std::string_view kXaddIdZero = "ERR The ID specified in XADD must be greater than 0-0";
inline constexpr std::string_view kStreamExhausted =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
inline constexpr std::string_view kStreamElementsTooLarge = "ERR Elements are too large to be stored";
inline constexpr std::string_view kStreamMaxlenNegative = "ERR The MAXLEN argument must be >= 0.";
inline constexpr std::string_view kLimitNegative = "ERR The LIMIT argument must be >= 0.";
inline constexpr std::string_view kLimitWithoutStrategy =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
inline constexpr std::string_view kLimitWithoutApprox =
    "ERR syntax error, LIMIT cannot be used without the special ~ option";
inline constexpr std::string_view kXtrimWithoutStrategy =
    "ERR syntax error, XTRIM must be called with a trimming strategy";
inline constexpr std::string_view kInvalidStartId = "ERR invalid start ID for the interval";
inline constexpr std::string_view kInvalidEndId = "ERR invalid end ID for the interval";
inline constexpr std::string_view kTimeoutNotInteger = "ERR timeout is not an integer or out of range";
inline constexpr std::string_view kTimeoutOutOfRange = "ERR timeout is out of range";
inline constexpr std::string_view kXreadUnbalanced =
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
inline constexpr std::string_view kXreadGroupOption =
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
inline constexpr std::string_view kXreadNoackOption =
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
inline constexpr std::string_view kXreadGreaterId =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option.";
inline constexpr std::string_view kXsetidSmallerThanTop =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
inline constexpr std::string_view kXsetidEntriesAddedSmall =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
inline constexpr std::string_view kXsetidEntriesAddedNegative = "ERR entries_added must be positive";
inline constexpr std::string_view kXsetidSmallerThanMaxDeleted =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
// Consumer groups (types/stream_group.cpp, commands/stream_groups.cpp, stream_readgroup.cpp).
inline constexpr std::string_view kXgroupKeyMissing =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";
inline constexpr std::string_view kBusyGroup = "BUSYGROUP Consumer Group name already exists";
inline constexpr std::string_view kEntriesReadInvalid =
    "ERR value for ENTRIESREAD must be positive or -1";
inline constexpr std::string_view kXreadgroupDollar =
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
    "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
    "would just return an empty result set.";
inline constexpr std::string_view kBlockedGroupDestroyed =
    "NOGROUP the consumer group this client was blocked on no longer exists";
inline constexpr std::string_view kBlockedStreamDeleted =
    "UNBLOCKED the stream key no longer exists";
inline constexpr std::string_view kXreadgroupMissingGroup =
    "ERR Missing GROUP option for XREADGROUP";
inline constexpr std::string_view kXclaimMinIdle = "ERR Invalid min-idle-time argument for XCLAIM";
inline constexpr std::string_view kXautoclaimMinIdle =
    "ERR Invalid min-idle-time argument for XAUTOCLAIM";
inline constexpr std::string_view kXautoclaimCount = "ERR COUNT must be > 0";
inline constexpr std::string_view kXclaimIdle = "ERR Invalid IDLE option argument for XCLAIM";
inline constexpr std::string_view kXclaimTime = "ERR Invalid TIME option argument for XCLAIM";
inline constexpr std::string_view kXclaimRetryCount =
    "ERR Invalid RETRYCOUNT option argument for XCLAIM";
// "ERR Unrecognized XCLAIM option 'FOO'"
std::string xclaim_option(std::string_view option);
// "NOGROUP No such consumer group 'g' for key name 's'" (XGROUP, XINFO)
std::string no_group(std::string_view key, std::string_view group);
// "NOGROUP No such key 's' or consumer group 'g'" (XPENDING, XCLAIM, XAUTOCLAIM), with
// " in XREADGROUP with GROUP option" appended for XREADGROUP.
std::string no_key_or_group(std::string_view key, std::string_view group, bool xreadgroup);

// Generic key commands (keys.cpp, expire.cpp, object.cpp).
inline constexpr std::string_view kIntOutOfRange =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr std::string_view kExpireNxConflict =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kExpireGtLtConflict =
    "ERR GT and LT options at the same time are not compatible";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kLfuNotSelected =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
inline constexpr std::string_view kLfuSelected =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// Server and client management (client.cpp, server.cpp, config_command.cpp).
inline constexpr std::string_view kInvalidClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";
inline constexpr std::string_view kNoSuchClient = "ERR No such client";
inline constexpr std::string_view kInvalidClientId = "ERR Invalid client ID";
inline constexpr std::string_view kClientIdNotPositive = "ERR client-id should be greater than 0";
inline constexpr std::string_view kNoShutdownInProgress = "ERR No shutdown in progress.";
inline constexpr std::string_view kNoConfigFile = "ERR The server is running without a config file";
// The reasons CONFIG SET gives after "(possibly related to argument 'x') - ".
inline constexpr std::string_view kImmutableConfig = "can't set immutable config";
inline constexpr std::string_view kDuplicateParameter = "duplicate parameter";
inline constexpr std::string_view kInvalidEventClass =
    "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
inline constexpr std::string_view kBufferLimitArgCount =
    "Wrong number of arguments in buffer limit configuration.";
inline constexpr std::string_view kBufferLimitClass =
    "Invalid client class specified in buffer limit configuration.";
inline constexpr std::string_view kBufferLimitValue =
    "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
// COMMAND GETKEYS / GETKEYSANDFLAGS (introspection.cpp).
inline constexpr std::string_view kInvalidCommandSpecified = "ERR Invalid command specified";
inline constexpr std::string_view kNoKeyArguments = "ERR The command has no key arguments";
inline constexpr std::string_view kInvalidArgumentCount =
    "ERR Invalid number of arguments specified for command";
inline constexpr std::string_view kInvalidArguments = "ERR Invalid arguments specified for command";

// Lists (lists.cpp, lists_blocking.cpp).
inline constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";
inline constexpr std::string_view kIndexOutOfRange = "ERR index out of range";
inline constexpr std::string_view kRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
inline constexpr std::string_view kCountNegative = "ERR COUNT can't be negative";
inline constexpr std::string_view kMaxlenNegative = "ERR MAXLEN can't be negative";
inline constexpr std::string_view kNumkeysNotPositive = "ERR numkeys should be greater than 0";
inline constexpr std::string_view kCountNotPositive = "ERR count should be greater than 0";
inline constexpr std::string_view kTimeoutNegative = "ERR timeout is negative";

// Pub/sub (pubsub/pubsub.cpp, commands/pubsub.cpp).
// "ERR Can't execute 'get': only (P|S)SUBSCRIBE / ... are allowed in this context" (RESP2
// subscribe mode; `command_name` as COMMAND prints it, "client|id" for a subcommand).
std::string subscribe_mode_only(std::string_view command_name);
// "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP."
std::string subcommand_syntax(std::string_view sub, std::string_view container);

// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string unknown_command(std::span<const std::string_view> argv);
// "ERR wrong number of arguments for 'get' command"
std::string wrong_arity(std::string_view command_name);
// "ERR unknown subcommand 'foo'. Try CLIENT HELP."
std::string unknown_subcommand(std::string_view sub, std::string_view container);
// "ERR invalid expire time in 'set' command"
std::string invalid_expire(std::string_view command_name);
// "ERR Unsupported option foo" (EXPIRE's NX | XX | GT | LT), the word as typed.
std::string unsupported_option(std::string_view option);
// "ERR Unknown client type 'foo'" (CLIENT LIST / CLIENT KILL TYPE)
std::string unknown_client_type(std::string_view type);
// "ERR No such user 'foo'"
std::string no_such_user(std::string_view user);
// "ERR Unrecognized option 'foo'" (CLIENT SETINFO)
std::string unrecognized_option(std::string_view option);
// "ERR lib-name cannot contain spaces, newlines or special characters." (CLIENT SETINFO)
std::string invalid_client_attr(std::string_view attr);
// "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
std::string config_set_unknown(std::string_view name);
// "ERR CONFIG SET failed (possibly related to argument 'hz') - <reason>"
std::string config_set_failed(std::string_view name, std::string_view reason);
// Lower-cases a command name as Redis prints it in errors.
std::string lower(std::string_view s);

}  // namespace rill::errors
