#!/usr/bin/env bash
# bench-sigterm.sh - the daemon with a hung engine: the fake engine
# (tests/files/engine/fake-engine.py) accepts one endpoint's requests and
# never answers them, while conlink also follows a --netns-dir.
#
# Usage: scripts/bench-sigterm.sh [ENDPOINT...]   (root; default: _ping list
#                                                 inspect events)
# Env:   RUNS=N     runs per endpoint [11]
#        CONLINK=PATH   binary [build/conlink]
#        WAIT_S=N   how long a link is waited for [10] (an older conlink,
#                   blocked on the engine, needs over 30)
#
# For each endpoint, over RUNS runs, median and max (ms) of:
#   start-link  from starting conlink until a namespace already in the
#               --netns-dir has its link (eth0 with its address)
#   hung-link   the hung request in flight: from adding a namespace until
#               its link exists
#   sigterm     the hung request still in flight: from SIGTERM until the
#               daemon exited (exit status 0 checked)
# Times come from date +%s%N around polls every 5 ms. The daemon runs in a
# network namespace of the script's own; nothing outside it is touched.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$TOP/build/conlink}
RUNS=${RUNS:-11}
endpoints=("$@")
[ ${#endpoints[@]} -gt 0 ] || endpoints=(_ping list inspect events)
[ "$(id -u)" = 0 ] || { echo "bench-sigterm: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-sigterm: $CONLINK missing: run make" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench-sigterm: needs python3" >&2; exit 1; }

work=$(mktemp -d /tmp/conlink-bench-sigterm.XXXXXX)
self=$work/self		# conlink's own namespace
nsdir=$work/ns		# its --netns-dir
fake=$work/fake
sock=$work/engine.sock
engine_pid= conlink_pid= sleeper=
ID=4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9

now_ms() { echo $(($(date +%s%N) / 1000000)); }

stop_pid() {	# PID: SIGTERM, waited for
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null && { wait "$1" 2>/dev/null || true; }
}

ns_del_all() {
	local f
	for f in "$nsdir"/*; do
		[ -e "$f" ] || continue
		umount "$f" 2>/dev/null || true
		rm -f "$f"
	done
}

cleanup() {
	set +e
	stop_pid "$conlink_pid"
	stop_pid "$engine_pid"
	stop_pid "$sleeper"
	ns_del_all
	umount "$self" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns_add() {	# NAME: a namespace in the --netns-dir
	touch "$nsdir/$1.tmp"
	unshare --net="$nsdir/$1.tmp" true
	mv "$nsdir/$1.tmp" "$nsdir/$1" 2>/dev/null || {
		# a bind mount cannot always be renamed: bind it again
		touch "$nsdir/$1" && mount --bind "$nsdir/$1.tmp" "$nsdir/$1" &&
			umount "$nsdir/$1.tmp" && rm -f "$nsdir/$1.tmp"
	}
}

# until CMD succeeds, polled every 5 ms, WAIT_S at most
poll() {
	local end=$(($(now_ms) + ${WAIT_S:-10} * 1000))
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || { echo "bench-sigterm: timed out: $*" >&2; exit 1; }
		sleep 0.005
	done
}

linked() {	# NAME ADDR
	nsenter --net="$nsdir/$1" ip -o -4 addr show dev eth0 | grep -q "$2"
}

requested() { grep -qF -- "$1" "$fake/requests.log" 2>/dev/null; }

median_max() {	# numbers on stdin: "median max"
	sort -n | awk '{ v[NR] = $1 } END { printf "%d %d\n", v[int((NR + 1) / 2)], v[NR] }'
}

mkdir -p "$nsdir" "$fake/containers"
mkfifo "$fake/events"
touch "$self"
unshare --net="$self" true
nsenter --net="$self" ip link set lo up
cat >"$work/net.yaml" <<'YAML'
links:
  - {container: evnode, bridge: s1, ip: 10.98.0.1/24}
  - {container: nc1, bridge: s1, ip: 10.98.0.11/24}
  - {container: nc2, bridge: s1, ip: 10.98.0.12/24}
YAML
# the engine's container: a process in a namespace of its own
unshare --net sleep 86400 &
sleeper=$!
printf '{"Id":"%s","Name":"/evnode","State":{"Running":true,"Pid":%d,"StartedAt":"%s"},"Config":{"Labels":{}}}' \
	"$ID" "$sleeper" "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" >"$fake/containers/$ID.json"
python3 "$TOP/tests/files/engine/fake-engine.py" "$sock" "$fake" 2>"$work/engine.log" &
engine_pid=$!
poll test -S "$sock"

printf '%-8s %-22s %-22s %-22s\n' endpoint "start-link med/max" "hung-link med/max" \
	"sigterm med/max"
for ep in "${endpoints[@]}"; do
	case $ep in
	_ping) req="GET /_ping" ;;
	list) req="GET /containers/json" ;;
	inspect) req="GET /containers/$ID/json" ;;
	events) req="GET /events" ;;
	*) echo "bench-sigterm: unknown endpoint '$ep'" >&2; exit 2 ;;
	esac
	echo "$ep" >"$fake/hang"
	: >"$work/start" ; : >"$work/hung" ; : >"$work/term"
	for ((r = 0; r < RUNS; r++)); do
		: >"$fake/requests.log"
		ns_add nc1
		t0=$(now_ms)
		nsenter --net="$self" env CONLINK_BRIDGE_MODE=linux "$CONLINK" \
			--docker-socket "$sock" --podman-socket '' --netns-dir "$nsdir" \
			--network-file "$work/net.yaml" >"$work/conlink.log" 2>&1 &
		conlink_pid=$!
		poll linked nc1 10.98.0.11/24
		echo $(($(now_ms) - t0)) >>"$work/start"
		poll requested "$req"
		sleep 0.1	# in flight, unanswered
		ns_add nc2
		t0=$(now_ms)
		poll linked nc2 10.98.0.12/24
		echo $(($(now_ms) - t0)) >>"$work/hung"
		t0=$(now_ms)
		kill -TERM "$conlink_pid"
		status=0
		wait "$conlink_pid" || status=$?
		echo $(($(now_ms) - t0)) >>"$work/term"
		conlink_pid=
		[ "$status" = 0 ] || { cat "$work/conlink.log" >&2; echo "bench-sigterm: conlink exited $status" >&2; exit 1; }
		ns_del_all
	done
	read -r sm sx < <(median_max <"$work/start")
	read -r hm hx < <(median_max <"$work/hung")
	read -r tm tx < <(median_max <"$work/term")
	printf '%-8s %-22s %-22s %-22s\n' "$ep" "$sm / $sx ms" "$hm / $hx ms" "$tm / $tx ms"
done
rm -f "$fake/hang"
echo "($RUNS runs per endpoint; hung requests stay unanswered while SIGTERM is sent)"
