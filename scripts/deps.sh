#!/usr/bin/env bash
# Installs what ReplDesk needs to build, run and test on Debian 12, if it is missing.
# Sourced by scripts/run and scripts/test; safe to run again.
set -euo pipefail

REPLDESK_PACKAGES=(
    g++ cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev qt6-declarative-dev
    libqt6sql6-sqlite libqt6svg6 qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools qtkeychain-qt6-dev
    libsqlite3-dev libgl-dev
    xvfb xauth dbus dbus-x11 gnome-keyring
    dpkg-dev file desktop-file-utils appstream
    python3-prometheus-client
)

repldesk_install_deps() {
    local missing=()
    for p in "${REPLDESK_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

repldesk_build() {
    local dir="$1"; shift
    cmake -S "$REPLDESK_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
    cmake --build "$dir" -j2
}

# The real CouchDB-protocol peers the interop tests and benchmarks run against, from npm, each
# installed once (no native build needed):
# - pouchdb-server 4.2.0 into <build dir>/peers (a server, tst_pouchdb_interop, benchmarks);
# - PouchDB 9.0.0 with its memory adapter (memdown, pure JS) into <build dir>/peers-pouchdb9
#   (a client, tst_pouchdb_client). A folder of its own: pouchdb-server brings PouchDB 7.
repldesk_install_peers() {
    _repldesk_npm_install "$1/peers" node_modules/pouchdb-server/bin/pouchdb-server \
        pouchdb-server@4.2.0
    _repldesk_npm_install "$1/peers-pouchdb9" node_modules/pouchdb-adapter-memory/package.json \
        pouchdb@9.0.0 pouchdb-adapter-memory@9.0.0
    # Just installed: prove it runs without native builds (the memory adapter is memdown).
    if [ -n "${_repldesk_npm_installed:-}" ] &&
        ! NODE_PATH="$1/peers-pouchdb9/node_modules" node -e \
            "const P = require('pouchdb'); P.plugin(require('pouchdb-adapter-memory'));
             new P('check', {adapter: 'memory'}).info().catch(() => process.exit(1));"; then
        echo "PouchDB 9 with the memory adapter does not run from $1/peers-pouchdb9" >&2
        return 1
    fi
}

# _repldesk_npm_install DIR MARKER PACKAGE...: npm install PACKAGE... into DIR unless DIR/MARKER
# is there (then nothing is asked of the registry).
_repldesk_npm_install() {
    local dir="$1" marker="$2"; shift 2
    _repldesk_npm_installed=""
    [ -f "$dir/$marker" ] && return
    if ! command -v npm >/dev/null 2>&1; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends nodejs npm
    fi
    mkdir -p "$dir"
    (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install "$@" --ignore-scripts --no-audit --no-fund --loglevel=error)
    _repldesk_npm_installed=1
}
