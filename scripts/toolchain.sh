# shellcheck shell=bash
# Makes Node >= 22 and pnpm 12 available on PATH, installing them into a cache when the machine
# lacks them. Sourced by ./dev and .ci/run; safe to source more than once.
#
# Node: when `node` is missing or older than 22, the official Node 24 binary is taken from the
# npm package node-linux-<arch> (the registry is the only network these machines reach) and
# unpacked into $OTEL_SENTINEL_CACHE (default ~/.cache/otel-sentinel), where later runs reuse it.
# pnpm: when `pnpm` is missing or not major 12, pnpm is installed with npm into the same cache.

OTEL_SENTINEL_NODE_VERSION="${OTEL_SENTINEL_NODE_VERSION:-24.21.0}"
OTEL_SENTINEL_PNPM_VERSION="${OTEL_SENTINEL_PNPM_VERSION:-12.21.0}"
OTEL_SENTINEL_CACHE="${OTEL_SENTINEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otel-sentinel}"

_os_say() { printf 'toolchain: %s\n' "$*" >&2; }

# Major version of a command, or nothing when it is missing; never fails (callers use set -e).
_os_major() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | sed -E -n '1s/^v?([0-9]+).*/\1/p' || true
}

_os_ensure_node() {
  local major
  major="$(_os_major node)"
  if [ -n "$major" ] && [ "$major" -ge 22 ] 2>/dev/null; then return 0; fi
  local arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) _os_say "no Node >= 22 on PATH and no packaged Node for $(uname -m); install Node 24 yourself"; return 1 ;;
  esac
  local dir="$OTEL_SENTINEL_CACHE/node-v$OTEL_SENTINEL_NODE_VERSION-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null || { _os_say "need npm to fetch Node $OTEL_SENTINEL_NODE_VERSION"; return 1; }
    _os_say "node $(node --version 2>/dev/null || echo missing) is older than 22; fetching Node $OTEL_SENTINEL_NODE_VERSION (npm package node-linux-$arch)"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$OTEL_SENTINEL_NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; _os_say "npm pack node-linux-$arch failed"; return 1; }
    mkdir -p "$dir.partial"
    tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir.partial" --strip-components=1 package/bin/node package/LICENSE || { rm -rf "$tmp" "$dir.partial"; return 1; }
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
  # ./dev otel-sentinel and ./dev env keep quiet about a Node that is already there.
  if [ "${OTEL_SENTINEL_TOOLCHAIN_QUIET:-}" != 1 ]; then _os_say "using node $(node --version) from $dir"; fi
}

_os_ensure_pnpm() {
  local major
  major="$(_os_major pnpm)"
  if [ "$major" = "12" ]; then return 0; fi
  local dir="$OTEL_SENTINEL_CACHE/pnpm-$OTEL_SENTINEL_PNPM_VERSION"
  if [ ! -x "$dir/bin/pnpm" ]; then
    _os_say "installing pnpm $OTEL_SENTINEL_PNPM_VERSION with npm into $dir"
    npm install --global --silent --no-fund --no-audit --prefix "$dir" "pnpm@$OTEL_SENTINEL_PNPM_VERSION" >/dev/null 2>&1 ||
      { _os_say "npm install pnpm@$OTEL_SENTINEL_PNPM_VERSION failed"; return 1; }
  fi
  export PATH="$dir/bin:$PATH"
}

# Node 22 (the oldest line users run) beside the Node 24 the project runs on: the store's crash
# tests run their child processes on both when OTEL_SENTINEL_NODE22_BIN names it, and the npm
# install test also runs its apps on the oldest release `engines` accepts
# (OTEL_SENTINEL_NODE22_MIN_BIN). Both come from npm's node-linux-<arch> packages. Used by .ci/run.
OTEL_SENTINEL_NODE22_VERSION="${OTEL_SENTINEL_NODE22_VERSION:-22.23.3}"
OTEL_SENTINEL_NODE22_MIN_VERSION="${OTEL_SENTINEL_NODE22_MIN_VERSION:-22.13.0}"
# A Node older than engines accepts, for the test that an old Node gets one line saying what to do
# (OTEL_SENTINEL_OLD_NODE_BIN).
OTEL_SENTINEL_OLD_NODE_VERSION="${OTEL_SENTINEL_OLD_NODE_VERSION:-20.20.2}"
# Prints the path of a Node binary of the given version, fetched into the cache when missing.
_os_packaged_node() {
  local version="$1" arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) return 2 ;;
  esac
  local dir="$OTEL_SENTINEL_CACHE/node-v$version-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null) || { rm -rf "$tmp"; _os_say "npm pack node-linux-$arch@$version failed"; return 1; }
    mkdir -p "$dir.partial"
    tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir.partial" --strip-components=1 package/bin/node package/LICENSE || { rm -rf "$tmp" "$dir.partial"; return 1; }
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"
  fi
  printf '%s\n' "$dir/bin/node"
}
_os_fetch_node22() {
  local bin status=0
  bin="$(_os_packaged_node "$OTEL_SENTINEL_NODE22_VERSION")" || status=$?
  if [ "$status" -eq 2 ]; then
    _os_say "no packaged Node 22 for $(uname -m); the Node 22 checks are skipped"
    return 0
  fi
  [ "$status" -eq 0 ] || return 1
  export OTEL_SENTINEL_NODE22_BIN="$bin"
  bin="$(_os_packaged_node "$OTEL_SENTINEL_NODE22_MIN_VERSION")" || return 1
  export OTEL_SENTINEL_NODE22_MIN_BIN="$bin"
  bin="$(_os_packaged_node "$OTEL_SENTINEL_OLD_NODE_VERSION")" || return 1
  export OTEL_SENTINEL_OLD_NODE_BIN="$bin"
  _os_say "Node 22 for the Node 22 checks: $($OTEL_SENTINEL_NODE22_BIN --version), and $($OTEL_SENTINEL_NODE22_MIN_BIN --version), the oldest engines accepts"
}

# Debian packages some tests run against, so they check us with code nobody here wrote:
# protoc and Python's protobuf runtime (an OTLP encoder), Azure's Python SDK clients; curl and jq, which the
# README blocks the tests run as written use; and Chromium, the headless browser the console tests
# (test/e2e/console.test.ts) drive. Installs
# what is missing when it can (root, or sudo without a password); otherwise it says what to
# install, and the tests that need a package fail naming it.
OTEL_SENTINEL_DEBIAN_PACKAGES=(protobuf-compiler python3-protobuf python3-azure curl jq chromium)
_os_debian_packages() {
  local missing=() p
  for p in "${OTEL_SENTINEL_DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      _os_say "tests need these Debian packages: apt-get install -y ${missing[*]}"
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _os_say "tests need these Debian packages (no apt-get here): ${missing[*]}"
    return 0
  fi
  _os_say "installing Debian packages for the tests: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

_os_ensure_node && _os_ensure_pnpm
