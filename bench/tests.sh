# The redis-benchmark tests of bench/run.sh and bench/profile.sh, by name, and the set-ups
# they need. Sourced, not run: the caller defines CLIENT_CPU, CLIENTS and RUN_TIMEOUT.
# shellcheck shell=bash

# The tests redis-benchmark runs, by name: one of its own -t names, or a command of ours
# given after its options (it has no stream or PUBLISH test, and its own -t lrange_* would
# run its LPUSH fill inside our measured window). Sets SPEC_ARGS (what follows the options),
# SPEC_SETUP (run before the measured window, to put the key in the state the test needs)
# and SPEC_DIV / SPEC_DIV_PIPE: the test runs N / SPEC_DIV requests at -P 1 and
# N_PIPE / SPEC_DIV_PIPE when pipelined, so that a slow command still takes about two
# seconds a run rather than a minute. Keys and values are redis-benchmark's own: mylist,
# a 3-byte value "xxx".
test_spec() {
  SPEC_ARGS=(-t "$1") SPEC_SETUP=: SPEC_DIV=1 SPEC_DIV_PIPE=1
  case $1 in
    xadd)        SPEC_ARGS=(XADD mystream '*' myfield xxx) SPEC_SETUP=reset_stream SPEC_DIV_PIPE=3 ;;
    xadd_maxlen) SPEC_ARGS=(XADD mystream MAXLEN '~' 1000 '*' myfield xxx)
                 SPEC_SETUP=reset_stream SPEC_DIV_PIPE=3 ;;
    xrange_10)   SPEC_ARGS=(XRANGE mystream - + COUNT 10) SPEC_SETUP=fill_stream SPEC_DIV_PIPE=10 ;;
    lpop|rpop)   SPEC_SETUP=fill_list_for_pops ;;
    lrange_100)  SPEC_ARGS=(LRANGE mylist 0 99) SPEC_SETUP=fill_list_600 SPEC_DIV=3 SPEC_DIV_PIPE=25 ;;
    lrange_600)  SPEC_ARGS=(LRANGE mylist 0 599) SPEC_SETUP=fill_list_600 SPEC_DIV=10 SPEC_DIV_PIPE=100 ;;
    publish)     SPEC_ARGS=(PUBLISH mychannel xxx) ;;  # no subscriber: fan-out is a driver scenario
  esac
}

# Set-ups: unmeasured, run by the load generator's tools on its own core. Each gets the port,
# the requests the test will run and the pipeline depth.
quiet_bench() {  # port, then redis-benchmark arguments
  local port=$1
  shift
  # redis-benchmark retries a refused connection forever: a server gone must not hang us.
  timeout "$RUN_TIMEOUT" taskset -c "$CLIENT_CPU" redis-benchmark -p "$port" -q "$@" \
    >/dev/null 2>&1 </dev/null || true
}
reset_stream() { redis-cli -p "$1" DEL mystream >/dev/null; }
# XRANGE reads the first 10 of 1,000 entries of one field each.
fill_stream() {
  reset_stream "$1"
  quiet_bench "$1" -c 1 -n 1000 -P 100 XADD mystream '*' myfield xxx
}
list_top_up() {  # port elements: LPUSH "xxx" until mylist holds at least that many
  local len
  len=$(redis-cli -p "$1" LLEN mylist)
  [[ $len =~ ^[0-9]+$ ]] || { redis-cli -p "$1" DEL mylist >/dev/null; len=0; }
  (( len >= $2 )) || quiet_bench "$1" -c 50 -P 16 -n $(($2 - len)) LPUSH mylist xxx
}
# Every pop must find an element (redis-benchmark may send up to a pipeline per connection
# past -n); after LPUSH and RPUSH in the same round the list is usually long enough already.
fill_list_for_pops() { list_top_up "$1" $(($2 + CLIENTS * $3)); }
fill_list_600() { list_top_up "$1" 600; }
