# common.bash - helpers every bats file loads: paths, root, the poller,
# netns, probes. The level prologues (netns.bash, engine.bash) load it; a
# plain file loads it alone:
#
#   load ../lib/common
#
# Namespaces made here are files in the test's own temporary directory
# (unshare --net=FILE), never in /var/run/netns, so parallel runs and the
# host stay apart; teardown_common unmounts and removes every one of them.
# Scripts may source it too (scripts/bench-*.sh through engine.bash): it
# only defines things.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CONLINK=${CONLINK:-$TOP/build/conlink}
FILES=$TOP/tests/files

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# wait_until [-q] SECONDS CMD...: run CMD, its output discarded, until it
# succeeds; true as soon as it does. SECONDS (whole) bound the wall time;
# CMD is tried at least once, and once more at the end. A try follows the
# last one after 50 ms, or after as long as that try took when it took
# longer (at most 1 s): a slow CMD gets at most half the machine. When CMD
# never succeeded: false, after "still failing after SECONDSs: CMD" and the
# output of one more try (-q: silently). This is the one poller of the
# suites; conlink_wait_log (daemon.bash) and the engine start (engine.bash)
# use it too. CMD runs in this shell: it sees the caller's variables
# (locals here start with _wu_).
wait_until() {
	local _wu_quiet= _wu_limit _wu_end _wu_t0 _wu_now _wu_pause
	[ "$1" = -q ] && { _wu_quiet=1; shift; }
	_wu_limit=$1; shift
	_wu_now=${EPOCHREALTIME/[.,]/}
	_wu_end=$((_wu_now + _wu_limit * 1000000))
	while :; do
		_wu_t0=${EPOCHREALTIME/[.,]/}
		"$@" >/dev/null 2>&1 && return 0
		_wu_now=${EPOCHREALTIME/[.,]/}
		[ "$_wu_now" -lt "$_wu_end" ] || break
		_wu_pause=$((_wu_now - _wu_t0))
		[ "$_wu_pause" -gt 50000 ] || _wu_pause=50000
		[ "$_wu_pause" -lt 1000000 ] || _wu_pause=1000000
		sleep "$((_wu_pause / 1000000)).$(printf '%06d' $((_wu_pause % 1000000)))"
	done
	[ -z "$_wu_quiet" ] || return 1
	echo "still failing after ${_wu_limit}s: $*"
	"$@"
	return 1
}

# config_bad YAML-TEXT EXPECTED [COUNT]: `conlink --show-config` of that
# text (as n.yaml) fails with status 1 and a message holding
# "n.yaml:EXPECTED"; COUNT: that many "conlink: " error lines
config_bad() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ] || { echo "status $status: $output"; return 1; }
	[[ "$output" == *"n.yaml:$2"* ]] || { echo "want: n.yaml:$2"; echo "got: $output"; return 1; }
	[ -z "${3:-}" ] || [ "$(echo "$output" | grep -c "^conlink: ")" -eq "$3" ]
}

# A short random name usable as an interface name (iproute2's rand_dev).
rand_dev() {
	printf 'cl%04x%04x' $RANDOM $RANDOM
}

# netns_add DIR NAME: make a network namespace bound to DIR/NAME.
netns_add() {
	mkdir -p "$1"
	touch "$1/$2.tmp"
	unshare --net="$1/$2.tmp" true || return 1
	mv "$1/$2.tmp" "$1/$2" 2>/dev/null || {
		# a bind mount cannot always be renamed: bind it again
		touch "$1/$2" && mount --bind "$1/$2.tmp" "$1/$2" &&
			umount "$1/$2.tmp" && rm -f "$1/$2.tmp"
	}
	echo "$1/$2" >>"$BATS_TEST_TMPDIR/.netns"
	nsenter --net="$1/$2" ip link set lo up
}

# netns_del PATH: unmount and remove one namespace made by netns_add.
netns_del() {
	umount "$1" 2>/dev/null
	rm -f "$1"
}

# in_ns PATH CMD...: run CMD inside the namespace bound at PATH.
in_ns() {
	local ns=$1; shift
	nsenter --net="$ns" "$@"
}

# Probe whether the kernel can make a link of TYPE (in a throw-away netns).
kernel_has_link_type() {
	local t=$1 extra=""
	# kinds that need a parent or an id get one; the parent is a veth end
	case $t in
	vlan) extra="link clprobep type vlan id 5" ;;
	macvlan|macvtap|ipvlan|ipvtap) extra="link clprobep type $t" ;;
	vxlan) extra="type vxlan id 5 dstport 4789 local 127.0.0.1" ;;
	geneve) extra="type geneve id 5 remote 127.0.0.2" ;;
	esac
	unshare --net sh -c "ip link add clprobep type veth peer name clprobeq &&
		ip link add cltestprobe ${extra:-type $t}" 2>/dev/null
}

skip_unless_link_type() {
	kernel_has_link_type "$1" || skip "kernel lacks link type $1 (Unknown device type)"
}

# Probe whether a qdisc kind exists (netem, ...).
kernel_has_qdisc() {
	unshare --net sh -c "ip link set lo up && tc qdisc add dev lo root $1 2>/dev/null"
}

# Remove every namespace this test made, also after a failure.
teardown_common() {
	local ns
	if [ -f "$BATS_TEST_TMPDIR/.netns" ]; then
		while read -r ns; do netns_del "$ns"; done <"$BATS_TEST_TMPDIR/.netns"
		rm -f "$BATS_TEST_TMPDIR/.netns"
	fi
}
