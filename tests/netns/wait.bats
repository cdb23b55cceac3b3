#!/usr/bin/env bats
# wait in network namespaces: interfaces and IPv4 routing (rtnetlink-driven),
# TCP listeners by address and by /etc/hosts name, and the static binary
# running -c with no shell.

load ../lib/netns
bats_require_minimum_version 1.5.0

setup() {
	require_root
	NS=$BATS_TEST_TMPDIR/ns
	netns_add "$NS" a
	A=$NS/a
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	netns_teardown
}

# bg_wait OUT ARGS...: run wait inside namespace A in the background
# (nsenter, not the in_ns function, so that $! is the wait itself).
bg_wait() {
	local out=$1; shift
	nsenter --net="$A" "$CONLINK" wait "$@" >"$out" 2>&1 3>&- &
	WAIT_PID=$!
	PIDS+=("$WAIT_PID")
}

# Wait for the background wait to end; its exit status in WAIT_STATUS.
join_wait() {
	WAIT_STATUS=0
	wait "$WAIT_PID" || WAIT_STATUS=$?
}

@test "-i: an interface that exists already" {
	dev=$(rand_dev)
	in_ns "$A" ip link add "$dev" type veth peer name "${dev}p"
	run in_ns "$A" "$CONLINK" wait --timeout 10 -i "$dev" -- true
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Interface '$dev' exists" ]
}

@test "-i with -s 30: a veth made after start ends the wait at once (rtnetlink, not polling)" {
	dev=$(rand_dev)
	bg_wait "$BATS_TEST_TMPDIR/out" -s 30 --timeout 10 -i "$dev" -- echo ran
	sleep 0.5
	in_ns "$A" ip link add "$dev" type veth peer name "${dev}p"
	# a 30 s poll would hit --timeout 10 and exit 1
	join_wait
	cat "$BATS_TEST_TMPDIR/out"
	[ "$WAIT_STATUS" -eq 0 ]
	grep -qx "Interface '$dev' exists" "$BATS_TEST_TMPDIR/out"
	[ "$(tail -1 "$BATS_TEST_TMPDIR/out")" = ran ]
}

@test "-i: an interface moved into the namespace after start (as conlink does)" {
	netns_add "$NS" b
	dev=$(rand_dev)
	nsenter --net="$A" sleep 60 3>&- &	# not in_ns: $! must be sleep itself
	holder=$!
	PIDS+=("$holder")
	bg_wait "$BATS_TEST_TMPDIR/out" -s 30 --timeout 10 -i "$dev"
	in_ns "$NS/b" ip link add "$dev" type veth peer name "${dev}p"
	sleep 0.3
	in_ns "$NS/b" ip link set "$dev" netns "$holder"
	join_wait
	cat "$BATS_TEST_TMPDIR/out"
	[ "$WAIT_STATUS" -eq 0 ]
	grep -qx "Interface '$dev' exists" "$BATS_TEST_TMPDIR/out"
}

@test "-I: routing that exists already" {
	dev=$(rand_dev)
	in_ns "$A" ip link add "$dev" type veth peer name "${dev}p"
	in_ns "$A" ip addr add 10.201.0.1/24 dev "$dev"
	in_ns "$A" ip link set "$dev" up
	in_ns "$A" ip link set "${dev}p" up
	run in_ns "$A" "$CONLINK" wait --timeout 10 -I "$dev"
	[ "$status" -eq 0 ]
	[ "$output" = "Interface '$dev' has IP/routing" ]
}

@test "-I with -s 30: address and link-up after start end the wait (rtnetlink)" {
	dev=$(rand_dev)
	bg_wait "$BATS_TEST_TMPDIR/out" -s 30 --timeout 10 -i "$dev" -I "$dev"
	sleep 0.3
	in_ns "$A" ip link add "$dev" type veth peer name "${dev}p"
	sleep 0.3
	in_ns "$A" ip addr add 10.201.0.1/24 dev "$dev"
	sleep 0.3
	in_ns "$A" ip link set "${dev}p" up
	in_ns "$A" ip link set "$dev" up
	join_wait
	cat "$BATS_TEST_TMPDIR/out"
	[ "$WAIT_STATUS" -eq 0 ]
	[ "$(tail -1 "$BATS_TEST_TMPDIR/out")" = "Interface '$dev' has IP/routing" ]
}

@test "-I: an interface with an address but no route is not ready (timeout names it)" {
	dev=$(rand_dev)
	in_ns "$A" ip link add "$dev" type veth peer name "${dev}p"
	in_ns "$A" ip addr add 10.201.0.1/24 dev "$dev"
	# link down: no main-table route, as in /proc/net/route
	run -1 in_ns "$A" "$CONLINK" wait --timeout 0.5 -I "$dev"
	[[ "$output" == *"timed out after 0.5 seconds: interface '$dev' has no IPv4 route"* ]]
}

@test "-t: a TCP listener that is up already, and one started after wait" {
	nsenter --net="$A" busybox nc -l -p 7001 >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	sleep 0.3
	run in_ns "$A" "$CONLINK" wait --timeout 10 -t 127.0.0.1:7001
	[ "$status" -eq 0 ]
	[ "$output" = "TCP listener is reachable at '127.0.0.1:7001'" ]

	bg_wait "$BATS_TEST_TMPDIR/out" -s 0.2 --timeout 10 --tcp 127.0.0.1:7002
	sleep 0.5
	nsenter --net="$A" busybox nc -l -p 7002 >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	join_wait
	cat "$BATS_TEST_TMPDIR/out"
	[ "$WAIT_STATUS" -eq 0 ]
	grep -q "^Failed: TCP '127.0.0.1:7002' not reachable: Connection refused" "$BATS_TEST_TMPDIR/out"
	[ "$(tail -1 "$BATS_TEST_TMPDIR/out")" = "TCP listener is reachable at '127.0.0.1:7002'" ]
}

@test "-t: a name from /etc/hosts and an IPv6 address in brackets" {
	nsenter --net="$A" busybox nc -l -p 7003 >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	nsenter --net="$A" busybox nc -l -p 7004 >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	printf '# test hosts\n127.0.0.9 other\n127.0.0.1\tlocalhost  svc-a.test svc-a  # alias\n' \
		>"$BATS_TEST_TMPDIR/hosts"
	sleep 0.3
	# a private mount namespace, so only this wait sees the test's hosts file
	run unshare --mount sh -c 'mount --bind "$1" /etc/hosts && exec nsenter --net="$2" "$3" wait --timeout 10 -t SVC-A:7003 -t [::1]:7004' \
		sh "$BATS_TEST_TMPDIR/hosts" "$A" "$CONLINK"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "TCP listener is reachable at 'SVC-A:7003'" ]
	[ "${lines[1]}" = "TCP listener is reachable at '[::1]:7004'" ]
}

@test "static binary with no shell around: -c runs CMD split into words" {
	static=$TOP/build/conlink-static
	[ -x "$static" ] || skip "no $static (make static)"
	root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root"
	cp "$static" "$root/conlink"
	run chroot "$root" /conlink wait --timeout 10 -c "/conlink wait -q -f /conlink" -- /conlink wait -i lo
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Command successful: /conlink wait -q -f /conlink" ]
	[ "${lines[-1]}" = "Interface 'lo' exists" ]
}
