#!/usr/bin/env bash
# bench-mdc.sh - time mdc's dependency resolution on generated mode graphs.
#
# Usage: scripts/bench-mdc.sh [SIZES...]      (default: 20 60 200)
# Env:   CONLINK (binary, default build/conlink), RUNS (default 20), SEED
#
# For each size N it writes N mode directories where every mode after the
# first two has an alternative "mJ|mK" of two random earlier modes, and
# half of them also a plain dep on a random earlier mode; the request is the
# last three modes. Families:
#   random  the graph above
#   ladder  mI: "m(I-1)|m(I-2)" plus a plain dep on m(I-3): long chains
#           of alternatives where taking one side costs more later
#   tree    every mode an alternative between its two children (a binary
#           tree of choices), request = the root
#   cover   half the modes are plain leaves; each of the other half has an
#           alternative of two random leaves and all of those are requested:
#           a minimum vertex cover (NP-hard in general), the hard case
# Reported: the mean wall time of one `mdc --resolve` run (process start,
# loading the N deps files, resolving, printing), and the result size.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
conlink=${CONLINK:-$top/build/conlink}
runs=${RUNS:-20}
sizes=${*:-20 60 200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen_random() {
	local dir=$1 n=$2 i deps
	RANDOM=${SEED:-42}
	for ((i = 0; i < n; i++)); do
		mkdir -p "$dir/m$i"
		deps=""
		if ((i >= 2)); then
			local j=$((RANDOM % i)) k=$((RANDOM % i))
			((k != j)) || k=$(((j + 1) % i))
			deps="m$j|m$k"
			((RANDOM % 2)) && deps="$deps m$((RANDOM % i))"
		fi
		echo "$deps" >"$dir/m$i/deps"
	done
	echo "m$((n - 1)),m$((n - 2)),m$((n - 3))"
}

gen_ladder() {
	local dir=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		mkdir -p "$dir/m$i"
		if ((i >= 3)); then
			echo "m$((i - 1))|m$((i - 2)) m$((i - 3))" >"$dir/m$i/deps"
		elif ((i >= 1)); then
			echo "m$((i - 1))" >"$dir/m$i/deps"
		fi
	done
	echo "m$((n - 1))"
}

gen_tree() {
	local dir=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		mkdir -p "$dir/m$i"
		if ((2 * i + 2 < n)); then
			echo "m$((2 * i + 1))|m$((2 * i + 2))" >"$dir/m$i/deps"
		fi
	done
	echo "m0"
}

gen_cover() {
	local dir=$1 n=$2 i h=$(($2 / 2)) req=""
	RANDOM=${SEED:-42}
	for ((i = 0; i < n; i++)); do
		mkdir -p "$dir/m$i"
		if ((i >= h)); then
			local j=$((RANDOM % h)) k=$((RANDOM % h))
			((k != j)) || k=$(((j + 1) % h))
			echo "m$j|m$k" >"$dir/m$i/deps"
			req="$req${req:+,}m$i"
		fi
	done
	echo "$req"
}

printf '%-8s %6s %8s %12s\n' family modes result "ms/resolve"
for fam in random ladder tree cover; do
	for n in $sizes; do
		dir="$tmp/$fam-$n"
		req=$(gen_$fam "$dir" "$n")
		out=$(MODES_DIR=$dir "$conlink" mdc --resolve "$req")
		start=$(date +%s%N)
		for ((r = 0; r < runs; r++)); do
			MODES_DIR=$dir "$conlink" mdc --resolve "$req" >/dev/null
		done
		end=$(date +%s%N)
		printf '%-8s %6d %8d %12.2f\n' "$fam" "$n" "$(wc -w <<<"$out")" \
			"$(echo "($end - $start) / $runs / 1000000" | bc -l)"
	done
done
