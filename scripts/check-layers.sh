#!/bin/sh
# check-layers.sh - fail when a file includes a header from a layer below it.
#
# Layers, lowest first (docs/architecture.md): a file may include headers
# of its own layer and of those before it, never after.
#   lib nl config engine daemon mdc applets
# core/lib is what `make static` links: libc and kernel UAPI only, so no
# libmnl, libnftnl, jansson, libyaml or libcurl header there.
# A header in include/ belongs to the folder holding the .c of its name
# (nl.h: core/nl/nl.c), or of its prefix (engine_exec.h: core/engine/);
# the few contracts without one are named below.
set -eu
cd "$(dirname "$0")/.."
layers="lib nl config engine daemon mdc applets"

rank() {	# layer name -> position
	i=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo "check-layers: unknown layer '$1'" >&2
	exit 1
}

layer_of_file() {	# core/nl/link.c -> nl, applets/x.c -> applets
	case $1 in
	applets/*) echo applets ;;
	core/*/*) f=${1#core/}; echo "${f%%/*}" ;;
	include/*) owner "$(basename "$1" .h)" ;;
	esac
}

owner() {	# header base name -> owning layer
	case $1 in
	applet) echo applets; return ;;
	conlink) echo config; return ;;	# the daemon's options, read by the loader
	container) echo daemon; return ;;	# what sources tell the daemon
	esac
	for c in core/*/"$1".c applets/"$1".c core/*/"${1%%_*}".c; do
		[ -e "$c" ] && { layer_of_file "$c"; return; }
	done
	echo "check-layers: include/$1.h has no owner (add it to owner())" >&2
	exit 1
}

bad=0
for f in $(find core applets include -name '*.[ch]' | sort); do
	[ -e "$f" ] || continue
	me=$(layer_of_file "$f")
	my=$(rank "$me")
	if [ "$me" = lib ] && grep -nE '#include <(libmnl|libnftnl|jansson|yaml|curl)' "$f"; then
		echo "check-layers: $f: core/lib is libc and kernel UAPI only" >&2
		bad=1
	fi
	for h in $(sed -nE 's/^#include "([a-z0-9_]+)\.h"/\1/p' "$f"); do
		[ -e "include/$h.h" ] || continue	# private: beside its source
		o=$(owner "$h")
		if [ "$(rank "$o")" -gt "$my" ]; then
			echo "check-layers: $f ($me) includes $h.h ($o), a layer above it" >&2
			bad=1
		fi
	done
done
exit $bad
