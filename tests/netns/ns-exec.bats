#!/usr/bin/env bats
# ns-exec with PID and netns: targets, in namespaces these tests make.

load ../lib/netns
bats_require_minimum_version 1.5.0

setup() {
	require_root
	NS=$BATS_TEST_TMPDIR/ns
	PIDS=()
	NAMED_NS=
}

teardown() {
	local p
	# SIGKILL: the init of a pid namespace ignores SIGTERM from outside
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	[ -z "$NAMED_NS" ] || ip netns del "$NAMED_NS" 2>/dev/null
	netns_teardown
}

# A file-bound namespace holding a veth pair named $MARK / ${MARK}p.
make_marked_ns() {
	netns_add "$NS" "$1"
	MARK=$(rand_dev)
	in_ns "$NS/$1" ip link add "$MARK" type veth peer name "${MARK}p"
}

# spawn CMD...: run CMD in the background, detached from bats' output (bats
# waits for every holder of fd 3), and remember its PID for teardown.
spawn() {
	"$@" >/dev/null 2>&1 3>&- &
	SPAWNED=$!
	PIDS+=("$SPAWNED")
}

# sleeper NSFILE [UNSHARE-OPTIONS [sh -c SCRIPT]]: a `sleep 1000` in the
# network namespace NSFILE, and in new namespaces from UNSHARE-OPTIONS. PID
# is sleep's own: nsenter, unshare and sh exec into it, and with --fork it
# is unshare's child.
sleeper() {
	local ns=$1; shift
	if [ $# -eq 0 ]; then
		spawn nsenter --net="$ns" sleep 1000
	else
		case "$*" in *"sh -c"*) ;; *) set -- "$@" sleep 1000 ;; esac
		spawn nsenter --net="$ns" unshare "$@"
	fi
	PID=$SPAWNED
	case "$*" in
	*--fork*) wait_until -q 5 eval 'PID=$(pgrep -P "$SPAWNED" -x sleep)' && PIDS+=("$PID") && return 0 ;;
	*) wait_until -q 5 eval '[ "$(cat /proc/$PID/comm 2>/dev/null)" = sleep ]' && return 0 ;;
	esac
	echo "no sleep started by: $*"
	return 1
}

@test "ns-exec --help starts with its usage line" {
	run "$CONLINK" ns-exec --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: ns-exec "* ]]
}

@test "netns:NAME runs the command in /var/run/netns/NAME" {
	NAMED_NS=cltest$RANDOM$RANDOM
	ip netns add "$NAMED_NS"
	MARK=$(rand_dev)
	ip -n "$NAMED_NS" link add "$MARK" type veth peer name "${MARK}p"
	run "$CONLINK" ns-exec "netns:$NAMED_NS" ip -o link show
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	# and the host's own interfaces are not there
	! ip -o link show | grep -q " $MARK@" || false
}

@test "netns:PATH runs the command in a file-bound namespace" {
	make_marked_ns a
	run "$CONLINK" ns-exec "netns:$NS/a" ip -o link show
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	[ "$(echo "$output" | wc -l)" -eq 3 ]	# lo and the pair, nothing else
}

@test "a PID target runs the command in that process's network namespace" {
	make_marked_ns a
	sleeper "$NS/a"
	run "$CONLINK" ns-exec "$PID" ip -o link show
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
}

@test "-- separates TARGET from COMMAND and its options" {
	make_marked_ns a
	run "$CONLINK" ns-exec "netns:$NS/a" -- ip -o link show dev "$MARK"
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
}

@test "the command's exit status is ns-exec's" {
	make_marked_ns a
	sleeper "$NS/a"
	run "$CONLINK" ns-exec "$PID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run "$CONLINK" ns-exec "netns:$NS/a" false
	[ "$status" -eq 1 ]
	run "$CONLINK" ns-exec "netns:$NS/a" true
	[ "$status" -eq 0 ]
}

@test "the command is exec'd with its arguments as they are, never through a shell" {
	netns_add "$NS" a
	run "$CONLINK" ns-exec "netns:$NS/a" printf '%s|' 'a b' '$HOME' '*' ';true'
	[ "$status" -eq 0 ]
	[ "$output" = 'a b|$HOME|*|;true|' ]
}

@test "without COMMAND it runs \$SHELL, else /bin/sh" {
	make_marked_ns a
	run sh -c "echo 'ip -o link show dev $MARK; exit 4' | SHELL=/bin/sh '$CONLINK' ns-exec 'netns:$NS/a'"
	[ "$status" -eq 4 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	run sh -c "echo 'echo \$0' | env -u SHELL '$CONLINK' ns-exec 'netns:$NS/a'"
	[ "$status" -eq 0 ]
	[ "$output" = /bin/sh ]
}

@test "-u enters the UTS namespace: the target's hostname" {
	netns_add "$NS" a
	sleeper "$NS/a" --uts sh -c 'hostname cl-uts-test && exec sleep 1000'
	run "$CONLINK" ns-exec -u "$PID" hostname
	[ "$status" -eq 0 ]
	[ "$output" = cl-uts-test ]
	# network only by default
	run "$CONLINK" ns-exec "$PID" hostname
	[ "$output" = "$(hostname)" ]
}

@test "-m enters the mount namespace: files only the target sees" {
	netns_add "$NS" a
	mkdir "$BATS_TEST_TMPDIR/m"
	sleeper "$NS/a" --mount sh -c \
		"mount -t tmpfs cltest '$BATS_TEST_TMPDIR/m' && echo mine >'$BATS_TEST_TMPDIR/m/f' && exec sleep 1000"
	run "$CONLINK" ns-exec -m "$PID" cat "$BATS_TEST_TMPDIR/m/f"
	[ "$status" -eq 0 ]
	[ "$output" = mine ]
	run "$CONLINK" ns-exec "$PID" cat "$BATS_TEST_TMPDIR/m/f"
	[ "$status" -eq 1 ]
}

@test "-p runs the command as a child inside the pid namespace, status kept" {
	netns_add "$NS" a
	# --fork: sleep is unshare's child, pid 1 of the new namespace
	sleeper "$NS/a" --pid --fork
	run "$CONLINK" ns-exec -p "$PID" sh -c 'echo $$; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" -lt 10 ]	# a pid of the new namespace, not the host's
	run "$CONLINK" ns-exec -p "$PID" sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
}

@test "-a enters all of them at once" {
	netns_add "$NS" a
	mkdir "$BATS_TEST_TMPDIR/m"
	sleeper "$NS/a" --pid --fork --mount-proc --uts --ipc sh -c \
		"hostname cl-all && mount -t tmpfs cltest '$BATS_TEST_TMPDIR/m' && echo mine >'$BATS_TEST_TMPDIR/m/f' && exec sleep 1000"
	run "$CONLINK" ns-exec -a "$PID" sh -c 'echo $(hostname) $(cat '"$BATS_TEST_TMPDIR/m/f"') $(cat /proc/1/comm) $$'
	[ "$status" -eq 0 ]
	read -r host file init self <<<"$output"
	[ "$host" = cl-all ]
	[ "$file" = mine ]
	[ "$init" = sleep ]	# /proc is the target's: its pid 1 is our sleep
	[ "$self" -lt 10 ]
}

@test "a command that is not there exits 127, one that cannot run 126" {
	netns_add "$NS" a
	run -127 "$CONLINK" ns-exec "netns:$NS/a" cl-no-such-command
	[[ "$output" == *"cannot run 'cl-no-such-command': command not found"* ]]
	echo 'echo hi' >"$BATS_TEST_TMPDIR/not-executable"
	chmod 644 "$BATS_TEST_TMPDIR/not-executable"
	run "$CONLINK" ns-exec "netns:$NS/a" "$BATS_TEST_TMPDIR/not-executable"
	[ "$status" -eq 126 ]
	[[ "$output" == *"cannot run '$BATS_TEST_TMPDIR/not-executable': Permission denied"* ]]
}

@test "error: no such PID" {
	run "$CONLINK" ns-exec 999999999 true
	[ "$status" -eq 1 ]
	[ "$output" = "ns-exec: no such PID 999999999 (no /proc/999999999)" ]
}

@test "error: no such named namespace" {
	run "$CONLINK" ns-exec netns:cl-no-such-ns true
	[ "$status" -eq 1 ]
	[ "$output" = "ns-exec: no network namespace 'netns:cl-no-such-ns' (/var/run/netns/cl-no-such-ns)" ]
	run "$CONLINK" ns-exec "netns:$BATS_TEST_TMPDIR/none" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"no network namespace 'netns:$BATS_TEST_TMPDIR/none'"* ]]
}

@test "error: a file that is not a network namespace" {
	echo x >"$BATS_TEST_TMPDIR/plain"
	run "$CONLINK" ns-exec "netns:$BATS_TEST_TMPDIR/plain" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"'$BATS_TEST_TMPDIR/plain' is not a network namespace"* ]]
	# nor is another kind of namespace
	run "$CONLINK" ns-exec "netns:/proc/self/ns/uts" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"'/proc/self/ns/uts' is not a network namespace"* ]]
}

@test "error: not permitted without root" {
	netns_add "$NS" a
	sleeper "$NS/a"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$CONLINK" ns-exec "$PID" true
	[ "$status" -eq 1 ]
	[[ "$output" == "ns-exec: PID $PID: "*"(not permitted without root)" ]]
	# a namespace file anyone may open still needs CAP_SYS_ADMIN to enter
	NAMED_NS=cltest$RANDOM$RANDOM
	ip netns add "$NAMED_NS"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$CONLINK" ns-exec "netns:$NAMED_NS" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot enter the net namespace"*"(not permitted without root)" ]]
}

@test "usage errors exit 2" {
	run "$CONLINK" ns-exec
	[ "$status" -eq 2 ]
	[[ "$output" == *"no TARGET given (see ns-exec --help)" ]]
	run "$CONLINK" ns-exec -z 1 true
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '-z'"* ]]
	run "$CONLINK" ns-exec --bogus 1 true
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--bogus'"* ]]
	run "$CONLINK" ns-exec --compose-project
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--compose-project' needs an argument"* ]]
	run "$CONLINK" ns-exec -m netns:x true
	[ "$status" -eq 2 ]
	[[ "$output" == *"'netns:x' is only a network namespace"* ]]
	run "$CONLINK" ns-exec netns: true
	[ "$status" -eq 2 ]
}

@test "options after TARGET belong to COMMAND" {
	netns_add "$NS" a
	run "$CONLINK" ns-exec "netns:$NS/a" printf '%s\n' -m
	[ "$status" -eq 0 ]
	[ "$output" = -m ]
}

static_binary() {
	STATIC=$TOP/build/conlink-static
	[ -x "$STATIC" ] || skip "no $STATIC (make static)"
}

@test "static binary: a PID target works" {
	static_binary
	make_marked_ns a
	sleeper "$NS/a"
	run "$STATIC" ns-exec "$PID" ip -o link show
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	run "$STATIC" ns-exec "$PID" sh -c 'exit 9'
	[ "$status" -eq 9 ]
}

@test "static binary: a netns: target works, container names are refused" {
	static_binary
	make_marked_ns a
	run "$STATIC" ns-exec "netns:$NS/a" ip -o link show dev "$MARK"
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	run "$STATIC" ns-exec some-container true
	[ "$status" -eq 1 ]
	[[ "$output" == *"'some-container' is not a PID or netns:NAME, and this static build cannot look up containers" ]]
}

@test "usage errors in SERVICE:INDEX, found before any engine is asked" {
	run "$CONLINK" ns-exec --docker-socket /nonexistent/d.sock svc:abc true
	[ "$status" -eq 2 ]
	[[ "$output" == *"'svc:abc': INDEX after ':' must be a number from 1"* ]]
	run "$CONLINK" ns-exec svc:0 true
	[ "$status" -eq 2 ]
	run "$CONLINK" ns-exec :1 true
	[ "$status" -eq 2 ]
	[[ "$output" == *"':1' names no SERVICE before ':'"* ]]
	run "$CONLINK" ns-exec --docker-socket '' --podman-socket '' web true
	[ "$status" -eq 2 ]
}

@test "error: no engine answers on either socket, both named with why" {
	d=$BATS_TEST_TMPDIR/d.sock p=$BATS_TEST_TMPDIR/p.sock
	run "$CONLINK" ns-exec --docker-socket "$d" --podman-socket "$p" web true
	[ "$status" -eq 1 ]
	[ "$output" = "ns-exec: cannot look up 'web': no engine answers on $d (not answering: no such socket) or $p (not answering: no such socket)" ]
	# a socket only root may use
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d"
	chmod 600 "$d"
	chmod 755 "$BATS_TEST_TMPDIR"
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$CONLINK" ns-exec --docker-socket "$d" --podman-socket '' web:2 true
	[ "$status" -eq 1 ]
	[ "$output" = "ns-exec: cannot look up 'web:2': no engine answers on $d (not answering: permission denied, not permitted without root)" ]
}
