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

# The real CouchDB-protocol peer the interop tests and benchmarks run against: pouchdb-server
# 4.2.0 from npm, installed once into <build dir>/peers (no native build needed).
repldesk_install_peers() {
    local dir="$1/peers"
    if [ -x "$dir/node_modules/pouchdb-server/bin/pouchdb-server" ] || \
       [ -f "$dir/node_modules/pouchdb-server/bin/pouchdb-server" ]; then
        return
    fi
    if ! command -v npm >/dev/null 2>&1; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends nodejs npm
    fi
    mkdir -p "$dir"
    (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install pouchdb-server@4.2.0 --ignore-scripts --no-audit --no-fund --loglevel=error)
}
