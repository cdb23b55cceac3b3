#!/usr/bin/env bash
# make-base-image.sh - a local, offline base image for the Dockerfile: this
# machine's own runtime libraries of build/conlink plus iproute2 (ip, tc,
# bridge), nft, ethtool, tcpdump, ping, curl, jq, ps and a small shell
# userland, with their ldd libraries, imported into the engine. No registry
# and no network needed.
#
# Usage: scripts/make-base-image.sh [IMAGE]        (default IMAGE conlink-base)
# Env:   ENGINE=docker|podman  engine to import into [docker]; docker talks
#                              to DOCKER_HOST like the docker CLI does
#        CONLINK=PATH          binary whose libraries go in [build/conlink]
#
# Then:  docker build --build-arg BUILD_BASE=conlink-build-base
#          --build-arg BASE=conlink-base --build-arg INSTALL_DEPS=0 .
# (the build stage's base: scripts/make-build-image.sh)
#
# The image is labelled with a hash of its files and re-imported only when
# that changed, so a second run takes well under a second. The rootfs keeps
# Debian's merged /usr layout (bin, lib, lib64, sbin link into usr/), so the
# binary's loader path and library paths are the ones it was built with.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-conlink-base}
engine=${ENGINE:-docker}
conlink=${CONLINK:-$top/build/conlink}
version=3	# bump when the file list or layout below changes

die() { echo "make-base-image: $*" >&2; exit 1; }

case $engine in
docker) cli=(docker) quiet=() ;;
podman) cli=(podman) quiet=(--quiet) ;;
*) die "ENGINE must be docker or podman, not '$engine'" ;;
esac
[ -x "$conlink" ] || die "$conlink is missing: run make first"

# Programs in the image (found on this machine's PATH).
progs=(sh dash ip tc bridge nft ethtool tcpdump ping curl jq ps cat ls mkdir
	ln rm cp mv env sleep grep sed head tail readlink uname id true false kill)

declare -A files=()
add_file() { files[$1]=1; }

for p in "${progs[@]}"; do
	path=$(type -P "$p") || die "$p is not installed on this machine"
	add_file "$path"
done
# the libraries conlink loads only when used (libcurl for an engine,
# libmicrohttpd for --metrics): their sonames are strings in the binary,
# found beside its libc
libdir=$(dirname "$(ldd "$conlink" | grep -o '/[^ ]*/libc\.so\.6')")
for so in $(grep -aoE 'lib[a-z0-9_]+\.so\.[0-9]+' "$conlink" | sort -u); do
	[ -e "$libdir/$so" ] && add_file "$libdir/$so"
done
# every shared library (and the loader) the programs and conlink need
for f in "$conlink" "${!files[@]}"; do
	[ -L "$f" ] && continue	# sh -> dash: its target is in the list
	while read -r lib; do
		add_file "$lib"
	done < <(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true)
done
# iproute2's name tables (rt_tables, ...); nss for user/group lookups
for f in /etc/iproute2/* /etc/nsswitch.conf; do
	[ -f "$f" ] && add_file "$f"
done

mapfile -t list < <(printf '%s\n' "${!files[@]}" | sort)
hash=$version-$( { cat "$0"; for f in "${list[@]}"; do echo "$f"; cat "$f"; done; } |
	sha256sum | cut -c1-32)
have=$("${cli[@]}" image inspect --format '{{ index .Config.Labels "conlink.base.hash" }}' \
	"$image" 2>/dev/null || true)
if [ "$have" = "$hash" ]; then
	echo "make-base-image: $image is up to date on $engine"
	exit 0
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/conlink-base.XXXXXX")
trap 'rm -rf "$root" "$root.tar"' EXIT
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,proc,sys,dev,tmp,root,run,var/tmp}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
chmod 1777 "$root/tmp" "$root/var/tmp"
for f in "${list[@]}"; do
	# files by the path they are asked for; a symlink keeps being one
	# (sh -> dash) when its target is in the image too
	mkdir -p "$root$(dirname "$f")"
	if [ -L "$f" ] && [ -n "${files[$(readlink -f "$f")]:-}" ]; then
		cp -P "$f" "$root$f"
	else
		cp -L "$f" "$root$f"
	fi
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
# tcpdump drops to its own user after opening the capture, as Debian's does
grep '^tcpdump:' /etc/passwd >>"$root/etc/passwd" || true
grep '^tcpdump:' /etc/group >>"$root/etc/group" || true
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

tar --numeric-owner -C "$root" -cf "$root.tar" .
old=$("${cli[@]}" image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)
"${cli[@]}" import "${quiet[@]}" \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change "LABEL conlink.base.hash=$hash" \
	"$root.tar" "$image" >/dev/null
new=$("${cli[@]}" image inspect --format '{{ .Id }}' "$image")
# the image this one replaced is of no use any more
[ -n "$old" ] && [ "$old" != "$new" ] && "${cli[@]}" rmi "$old" >/dev/null 2>&1 || true
echo "make-base-image: $image imported into $engine ($(du -sh "$root" | cut -f1) rootfs, ${#list[@]} files)"
