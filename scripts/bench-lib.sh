# bench-lib.sh - what the --netns-dir benchmarks share, sourced first:
#
#   . "$(dirname "$0")/bench-lib.sh" NAME
#
# gives $top, $conlink (CONLINK or build/conlink), $dir (a temporary
# directory /tmp/bench-NAME.XXXXXX with conlink's own namespace at
# $dir/self and the containers' under $dir/ns), and removes it all at
# exit: the daemon ($pid) and an events reader ($evpid) stopped by PID,
# every namespace unmounted.
#   bench_ns NAME...           a container namespace in $dir/ns
#   bench_start ARGS...        conlink --no-engine --netns-dir $dir/ns
#                              --control $dir/ctl.sock --instance bench
#                              ARGS, in $dir/self, log in $dir/log
#   bench_wait_linked [SEC]    until "All links connected" (default 30 s)
#   bench_events               `ctl events --json` into $dir/ev ($evpid)
#   bench_stop                 the events reader and the daemon, waited for
#   median                     the median of stdin's numbers, one per line
#   in_self CMD...             CMD in conlink's namespace
top=$(cd "$(dirname "$0")/.." && pwd)
conlink=${CONLINK:-$top/build/conlink}
dir=$(mktemp -d "/tmp/bench-$1.XXXXXX")
pid= evpid=

bench_stop() {
	[ -n "$evpid" ] && kill "$evpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	pid= evpid=
	return 0
}
bench_cleanup() {
	bench_stop
	for f in "$dir"/ns/* "$dir/self"; do umount "$f" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap bench_cleanup EXIT
mkdir -p "$dir/ns"
touch "$dir/self" && unshare --net="$dir/self" ip link set lo up

bench_ns() {
	local n
	for n; do touch "$dir/ns/$n" && unshare --net="$dir/ns/$n" true; done
}
in_self() { nsenter --net="$dir/self" "$@"; }
bench_start() {
	in_self "$conlink" --no-engine --netns-dir "$dir/ns" --control "$dir/ctl.sock" \
		--instance bench "$@" >"$dir/log" 2>&1 &
	pid=$!
}
bench_wait_linked() {
	local _
	for _ in $(seq $(( ${1:-30} * 10 ))); do
		grep -q "All links connected" "$dir/log" && return 0
		sleep 0.1
	done
	tail "$dir/log" >&2
	exit 1
}
bench_events() {
	"$conlink" ctl --control "$dir/ctl.sock" events --json >"$dir/ev" &
	evpid=$!
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
