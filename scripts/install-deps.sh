#!/usr/bin/env bash
# Installs the Debian packages rill needs, only those missing; silent when all are there.
set -euo pipefail
packages=(cmake g++ make pkg-config libasio-dev libhiredis-dev robin-map-dev libsnappy-dev
          libgtest-dev redis-server redis-tools python3 python3-redis tcl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# ioredis for the client programs in tests/clients/node comes from the npm registry, not
# Debian. Best effort: a machine that cannot reach the registry (or has no npm) still builds
# and tests, and the ioredis tests skip themselves. Reinstalls only when the lock file changed.
install_node_clients() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/clients/node"
  [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
  if ! command -v npm >/dev/null; then
    echo "npm not found: the ioredis client tests will be skipped"
    return 0
  fi
  if ! (cd "$dir" && timeout -k 5 60 npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 \
          --fetch-timeout=20000 >/dev/null 2>&1); then
    rm -rf "$dir/node_modules"
    echo "npm ci failed in tests/clients/node: the ioredis client tests will be skipped"
  fi
}

[ ${#missing[@]} -eq 0 ] && { install_node_clients; exit 0; }
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The packaged redis-server starts a service on 6379 where an init system runs; rill's tests
# never use it (they start their own servers on free ports), so keep it from starting.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_clients
