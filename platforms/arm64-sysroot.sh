#!/bin/sh
# Debian's arm64 Node.js and the arm64 libraries it needs, unpacked into
# DIR for qemu-aarch64 -L DIR DIR/usr/bin/node. Downloads the packages with
# apt-get download (no root needed; the arm64 architecture must be enabled:
# dpkg --add-architecture arm64 && apt-get update), never installs them.
#   platforms/arm64-sysroot.sh DIR
set -eu
dir=${1:?usage: $0 DIR}
mkdir -p "$dir.debs"
# the dependency closure of nodejs:arm64: its arm64 libraries and the
# architecture-independent node-* modules it loads at start; zlib1g and
# libsqlite3-0 for the system library and callback tests
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances nodejs:arm64 |
	grep -v '^ ' | grep -E '^((lib[^<>]*|nodejs|zlib1g):arm64|node-[a-z0-9.-]+)$' | sort -u)
[ -n "$pkgs" ] || { echo "$0: no nodejs:arm64 (try dpkg --add-architecture arm64 && apt-get update)" >&2; exit 1; }
# shellcheck disable=SC2086
(cd "$dir.debs" && apt-get -o APT::Sandbox::User=root download $pkgs zlib1g:arm64 libsqlite3-0:arm64 >/dev/null)
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
for deb in "$dir.debs"/*.deb; do
	dpkg -x "$deb" "$dir.tmp"
done
rm -rf "$dir" "$dir.debs"
mv "$dir.tmp" "$dir"
