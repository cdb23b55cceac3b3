#!/bin/sh
# install-deps.sh - install every build and test dependency (idempotent).
# Debian bookworm; run as root. Skips apt entirely when all are present.
set -eu

PKGS="build-essential pkg-config git
 libmnl-dev libnftnl-dev libyaml-dev libcurl4-openssl-dev libjansson-dev
 libmicrohttpd-dev
 clang libclang-rt-14-dev
 bats iproute2 ethtool nftables graphviz procps psmisc python3 jq curl
 tcpdump iputils-ping prometheus
 docker.io containerd runc podman containernetworking-plugins docker-compose busybox-static musl-tools
 openvswitch-switch debootstrap nodejs
 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
 libmnl-dev:arm64 libnftnl-dev:arm64 libyaml-dev:arm64
 libcurl4-openssl-dev:arm64 libjansson-dev:arm64 libmicrohttpd-dev:arm64 musl-dev:arm64"

missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing="$missing $p"
done
# npm comes with nodesource's nodejs, separately with Debian's
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# Mermaid's own parser for net2dot --mermaid's tests (tests/plain/
# net2dot-mermaid.bats: parse only, no browser): mermaid, and jsdom for
# the window its sanitizer wants, pinned, from the npm registry
MERMAID_DIR=/usr/local/lib/conlink-mermaid
mermaid_parser() {
  [ -f "$MERMAID_DIR/node_modules/mermaid/package.json" ] &&
    [ -f "$MERMAID_DIR/node_modules/jsdom/package.json" ] && return 0
  echo "install-deps: Mermaid's parser into $MERMAID_DIR"
  mkdir -p "$MERMAID_DIR"
  npm install --prefix "$MERMAID_DIR" --no-audit --no-fund --omit=dev \
    mermaid@11.12.2 jsdom@24.1.3 >/dev/null ||
    echo "install-deps: WARNING: npm failed; net2dot's Mermaid output is checked against golden files only"
}

[ -z "$missing" ] && { echo "install-deps: all present"; mermaid_parser; exit 0; }

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# the arm64 cross build (tests/plain/arm64.bats) takes the :arm64 -dev
# packages from Debian's archive as a second (multiarch) architecture
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -q
# openvswitch-switch and docker.io try to start services; no systemd here.
apt-get install -y -q --no-install-recommends $missing
mermaid_parser
