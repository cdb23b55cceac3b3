#!/usr/bin/env bats
# wait: file and command conditions (met before and after start), order,
# --timeout, umask, -q, exec after --, usage errors. Interfaces, addresses
# and TCP are in tests/netns/wait.bats.

load ../lib/common
bats_require_minimum_version 1.5.0

# Run "$@" after DELAY seconds in the background (the "after start" cases).
later() {
	local delay=$1; shift
	(sleep "$delay"; "$@") &
}

@test "wait --help prints its usage" {
	run "$CONLINK" wait --help
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: wait "* ]]
}

@test "-f: a file that exists already" {
	run "$CONLINK" wait -f "$FILES/copy/tree/top.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "File '$FILES/copy/tree/top.txt' exists" ]
}

@test "-f: a file made after start, in directories made after start (inotify, not -s)" {
	f=$BATS_TEST_TMPDIR/a/b/c/ready
	later 0.3 sh -c "mkdir -p '${f%/*}' && touch '$f'"
	# -s 30: a polling wait would time out first
	run "$CONLINK" wait -s 30 --timeout 10 -f "$f"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "File '$f' exists" ]
	[[ "${lines[0]}" == "Changed sleep interval from 1 to 30 seconds" ]]
}

@test "-f: a file renamed into place after start" {
	f=$BATS_TEST_TMPDIR/moved
	echo x >"$BATS_TEST_TMPDIR/tmpname"
	later 0.3 mv "$BATS_TEST_TMPDIR/tmpname" "$f"
	run "$CONLINK" wait -s 30 --timeout 10 --file "$f"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "File '$f' exists" ]
}

@test "-i: an interface that exists already (lo)" {
	run "$CONLINK" wait --intf lo
	[ "$status" -eq 0 ]
	[ "$output" = "Interface 'lo' exists" ]
}

@test "-c: a command that succeeds already" {
	run "$CONLINK" wait -c "test -d /"
	[ "$status" -eq 0 ]
	[ "$output" = "Command successful: test -d /" ]
}

@test "-c: a command that succeeds after start is retried every -s seconds" {
	f=$BATS_TEST_TMPDIR/flag
	later 0.5 touch "$f"
	run "$CONLINK" wait -s 0.1 --timeout 10 --cmd "test -e $f"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "Command successful: test -e $f" ]
	[[ "$output" == *"Failed: command 'test -e $f' failed (exit 1). Sleep 0.1 seconds before retry"* ]]
}

@test "conditions are checked in the order given, each only after the one before" {
	log=$BATS_TEST_TMPDIR/log
	run "$CONLINK" wait --timeout 0.5 -c "echo one >>$log" -f "$BATS_TEST_TMPDIR/never" \
		-c "echo two >>$log"
	[ "$status" -eq 1 ]
	[ "$(cat "$log")" = one ]
	run "$CONLINK" wait -c "echo one >>$log" -i lo -c "echo two >>$log"
	[ "$status" -eq 0 ]
	[ "$(cat "$log" | tr '\n' ' ')" = "one one two " ]
	[ "${lines[1]}" = "Interface 'lo' exists" ]
}

@test "--timeout: gives up, names the condition, exit 1" {
	run "$CONLINK" wait --timeout 0.3 -f /nonexistent/file -- echo never
	[ "$status" -eq 1 ]
	[[ "$output" == *"wait: timed out after 0.3 seconds: file '/nonexistent/file' does not exist"* ]]
	[[ "$output" != *never* ]]
}

@test "--timeout also stops a -c command that hangs" {
	run "$CONLINK" wait --timeout=0.5 -c "sleep 60"
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out after 0.5 seconds: command 'sleep 60' failed"* ]]
}

@test "COMMAND after -- is exec'd (same process) once all conditions hold" {
	"$CONLINK" wait -q -i lo -- sh -c 'echo $$' >"$BATS_TEST_TMPDIR/pid" &
	pid=$!
	wait "$pid"
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	run "$CONLINK" wait -i lo -- echo hello world
	[ "$status" -eq 0 ]
	[ "${lines[-2]}" = "Running: echo hello world" ]
	[ "${lines[-1]}" = "hello world" ]
}

@test "COMMAND not found: clear error, exit 127" {
	run -127 "$CONLINK" wait -i lo -- no-such-command-here
	[[ "$output" == *"wait: cannot run 'no-such-command-here': command not found"* ]]
}

@test "-u sets the umask for what follows and for COMMAND" {
	run "$CONLINK" wait -u 027 -- sh -c 'umask'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Set umask to 027" ]
	[ "${lines[-1]}" = 0027 ]
	run "$CONLINK" wait --umask 077 -c "touch $BATS_TEST_TMPDIR/made"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/made")" = 600 ]
}

@test "-q: no progress lines, errors still shown" {
	run "$CONLINK" wait -q -i lo -u 022 -c true -- echo ran
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
	run "$CONLINK" wait -q --timeout 0.2 -f /nonexistent
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out"* ]]
}

@test "usage errors exit 2 before any waiting" {
	run -2 "$CONLINK" wait -x
	[[ "$output" == *"unknown option '-x'"* ]]
	run -2 "$CONLINK" wait -f
	[[ "$output" == *"option '-f' needs an argument"* ]]
	run -2 "$CONLINK" wait -c true -f -- true
	run -2 "$CONLINK" wait -t nohostport
	run -2 "$CONLINK" wait -t host:99999
	run -2 "$CONLINK" wait -u 999
	run -2 "$CONLINK" wait -s soon
	run -2 "$CONLINK" wait -i name-longer-than-15
	run -2 "$CONLINK" wait -f /nonexistent -c "true" --timeout x
}
@test "an interface name is checked as everywhere (ifname_check)" {
	run "$CONLINK" wait -i "a/b" true
	[ "$status" -eq 2 ]
	[[ "$output" == *"-i: bad interface name 'a/b' ('/' is not allowed)"* ]]
}
