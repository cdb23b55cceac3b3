#!/usr/bin/env bats
# usage: the front door all applets share (applets/main.c, core/lib/xgetopt.c):
# -h/--help answered with the applet's usage, and usage errors worded alike,
# one line on stderr and exit 2; a COMMAND run as a shell would (xexec.c:
# 127 not found, 126 cannot run). Static applets are checked in
# build/conlink-static too.

load ../lib/common
bats_require_minimum_version 1.5.0

STATIC=$TOP/build/conlink-static

setup() {
	NX=$BATS_TEST_TMPDIR/not-executable
	printf 'echo hi\n' >"$NX"
	chmod 644 "$NX"
	mkdir -p "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/dst"
}

static() {
	[ -x "$STATIC" ] || skip "$STATIC is missing: run make static"
	BIN=$STATIC
}

# helps APPLET [ARGS...]: "$BIN APPLET ARGS..." prints APPLET's usage on
# stdout, nothing on stderr, exit 0 (ARGS default to --help, then -h).
helps() {
	local a=$1 args list=("${@:2}")
	[ ${#list[@]} -gt 0 ] || list=(--help -h)
	for args in "${list[@]}"; do
		run --separate-stderr "${BIN:-$CONLINK}" "$a" $args
		[ "$status" -eq 0 ] && [ -z "$stderr" ] && [[ "$output" == "Usage: $a "* ]] ||
			{ echo "$a $args: status $status, stderr '$stderr', output '${output:0:80}'"; return 1; }
	done
}

# refused 'LINE' ARGS...: "$BIN ARGS..." prints exactly LINE on stderr and
# nothing on stdout, exit 2.
refused() {
	local line=$1
	shift
	run --separate-stderr "${BIN:-$CONLINK}" "$@"
	[ "$status" -eq 2 ] && [ -z "$output" ] && [ "$stderr" = "$line" ] ||
		{ echo "status $status, stdout '$output', stderr '$stderr'"; return 1; }
}

# exits STATUS 'LINE' ARGS...: "$BIN ARGS..." exits STATUS, its last line on
# stderr is LINE.
exits() {
	local want=$1 line=$2
	shift 2
	run "-$want" --separate-stderr "${BIN:-$CONLINK}" "$@"
	[ "${stderr##*$'\n'}" = "$line" ] ||
		{ echo "status $status, stderr '$stderr'"; return 1; }
}

copy_to() {
	echo copy "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/dst" --
}

@test "conlink --help, -h"			{ helps conlink; }
@test "copy --help, -h"				{ helps copy; }
@test "mdc --help, -h"				{ helps mdc; }
@test "net2dot --help, -h"			{ helps net2dot; }
@test "ns-exec --help, -h"			{ helps ns-exec; }
@test "wait --help, -h"				{ helps wait; }
@test "echo --help (alone; echo -h prints -h)"	{ helps echo --help; run "$CONLINK" echo -h; [ "$output" = -h ]; }
@test "--help after other options"		{ helps wait "-q --help"; helps ns-exec "-n -h"; helps conlink "-v --help"; }
@test "--help after a command is the command's"	{ run "$CONLINK" wait -- sh -c 'echo "$1"' sh --help; [ "${lines[-1]}" = --help ]; }
@test "a symlink: wait --help"			{ ln -s "$CONLINK" "$BATS_TEST_TMPDIR/wait"; run "$BATS_TEST_TMPDIR/wait" --help; [ "$status" -eq 0 ]; [[ "$output" == "Usage: wait "* ]]; }
@test "conlink --help is the daemon's"		{ run "$CONLINK" --help; [ "$status" -eq 0 ]; [[ "$output" == "Usage: conlink [OPTIONS]"* ]]; }

@test "static: copy --help, -h"			{ static; helps copy; }
@test "static: ns-exec --help, -h"		{ static; helps ns-exec; }
@test "static: wait --help, -h"			{ static; helps wait; }
@test "static: echo --help (alone)"		{ static; helps echo --help; }
@test "static: --help lists the applets"	{ static; run "$STATIC" --help; [ "$status" -eq 0 ]; [[ "$output" == "Usage: conlink APPLET"* ]]; [ "${lines[-1]}" = wait.sh ]; }

@test "conlink: unknown option"			{ refused "conlink: unknown option '--foo' (see conlink --help)" --foo; }
@test "conlink APPLET: unknown option"		{ refused "conlink: unknown option '--foo' (see conlink --help)" conlink --show-config --foo; }
@test "copy: unknown option"			{ refused "copy: unknown option '--foo' (see copy --help)" copy --foo a b; }
@test "mdc: unknown option, not a MODES"	{ refused "mdc: unknown option '--foo' (see mdc --help)" mdc --foo; }
@test "mdc --resolve: unknown option"		{ refused "mdc: unknown option '--bogus' (see mdc --help)" mdc --resolve a --bogus; }
@test "net2dot: unknown option, not a FILE"	{ refused "net2dot: unknown option '--foo' (see net2dot --help)" net2dot --foo; }
@test "ns-exec: unknown option"			{ refused "ns-exec: unknown option '--foo' (see ns-exec --help)" ns-exec --foo 1 true; }
@test "wait: unknown option"			{ refused "wait: unknown option '--foo' (see wait --help)" wait --foo; }
@test "wait: unknown short option in a group"	{ refused "wait: unknown option '-x' (see wait --help)" wait -qx; }
@test "unknown option with =VALUE"		{ refused "wait: unknown option '--foo' (see wait --help)" wait --foo=bar; }

@test "conlink: missing argument"		{ refused "conlink: option '--network-file' needs an argument (see conlink --help)" --network-file; }
@test "mdc: missing argument"			{ refused "mdc: option '--format' needs an argument (see mdc --help)" mdc --resolve a --format; }
@test "ns-exec: missing argument"		{ refused "ns-exec: option '--docker-socket' needs an argument (see ns-exec --help)" ns-exec --docker-socket; }
@test "wait: missing argument"			{ refused "wait: option '--timeout' needs an argument (see wait --help)" wait --timeout; }
@test "wait: missing argument, short"		{ refused "wait: option '-f' needs an argument (see wait --help)" wait -f; }
@test "wait: -- is no option argument"		{ refused "wait: option '-c' needs an argument (see wait --help)" wait -c -- true; }
@test "copy: missing operands"			{ refused "copy: needs SRC_DIR and DST_DIR (see copy --help)" copy -T a; }
@test "net2dot: too many operands"		{ refused "net2dot: too many arguments (see net2dot --help)" net2dot a b; }
@test "mdc: --format without --resolve"		{ refused "mdc: --format needs --resolve (see mdc --help)" mdc --format json web; }
@test "an argument to an option without one"	{ refused "copy: option '--template' takes no argument (see copy --help)" copy --template=yes a b; }

@test "static: unknown option"			{ static; refused "conlink: unknown option '--foo' (see conlink --help)" --foo; }
@test "static: copy: unknown option"		{ static; refused "copy: unknown option '-x' (see copy --help)" copy -x a b; }
@test "static: ns-exec: unknown option"		{ static; refused "ns-exec: unknown option '--foo' (see ns-exec --help)" ns-exec --foo=1 1 true; }
@test "static: wait: unknown option"		{ static; refused "wait: unknown option '--foo' (see wait --help)" wait --foo; }
@test "static: ns-exec: missing argument"	{ static; refused "ns-exec: option '--podman-socket' needs an argument (see ns-exec --help)" ns-exec --podman-socket; }
@test "static: wait: missing argument"		{ static; refused "wait: option '-s' needs an argument (see wait --help)" wait -s; }
@test "static: wait: takes no argument"		{ static; refused "wait: option '--quiet' takes no argument (see wait --help)" wait --quiet=1; }

@test "wait: conditions run in the order given"	{ run "$CONLINK" wait -c 'echo 1' -s 0 --cmd='echo 2' -f / -c 'echo 3'; [ "$(printf '%s,' "${lines[@]}")" = "1,Command successful: echo 1,Changed sleep interval from 1 to 0 seconds,2,Command successful: echo 2,File '/' exists,3,Command successful: echo 3," ]; }

@test "wait -- CMD not found: 127"		{ exits 127 "wait: cannot run 'cl-no-such-cmd': command not found" wait -- cl-no-such-cmd; }
@test "wait -- /PATH not there: 127"		{ exits 127 "wait: cannot run '/cl/none': No such file or directory" wait -- /cl/none; }
@test "wait -- CMD not executable: 126"		{ exits 126 "wait: cannot run '$NX': Permission denied" wait -- "$NX"; }
@test "copy -- CMD not found: 127"		{ exits 127 "copy: cannot run 'cl-no-such-cmd': command not found" $(copy_to) cl-no-such-cmd; }
@test "copy -- CMD not executable: 126"		{ exits 126 "copy: cannot run '$NX': Permission denied" $(copy_to) "$NX"; }
@test "ns-exec CMD not found: 127"		{ require_root; exits 127 "ns-exec: cannot run 'cl-no-such-cmd': command not found" ns-exec netns:/proc/self/ns/net cl-no-such-cmd; }
@test "ns-exec CMD not executable: 126"		{ require_root; exits 126 "ns-exec: cannot run '$NX': Permission denied" ns-exec netns:/proc/self/ns/net "$NX"; }
@test "mdc: DOCKER_COMPOSE not found: 127"	{ cd "$BATS_TEST_TMPDIR"; mkdir -p modes/m; DOCKER_COMPOSE=cl-no-compose exits 127 "mdc: cannot run 'cl-no-compose': command not found" mdc m ps; }
@test "static: wait -- CMD not found: 127"	{ static; exits 127 "wait: cannot run 'cl-no-such-cmd': command not found" wait -- cl-no-such-cmd; }
@test "static: wait -- CMD not executable: 126"	{ static; exits 126 "wait: cannot run '$NX': Permission denied" wait -- "$NX"; }
@test "static: copy -- CMD not found: 127"	{ static; exits 127 "copy: cannot run 'cl-no-such-cmd': command not found" $(copy_to) cl-no-such-cmd; }
@test "static: copy -- CMD not executable: 126"	{ static; exits 126 "copy: cannot run '$NX': Permission denied" $(copy_to) "$NX"; }
@test "static: ns-exec CMD not found: 127"	{ static; require_root; exits 127 "ns-exec: cannot run 'cl-no-such-cmd': command not found" ns-exec netns:/proc/self/ns/net cl-no-such-cmd; }
@test "static: ns-exec CMD not executable: 126"	{ static; require_root; exits 126 "ns-exec: cannot run '$NX': Permission denied" ns-exec netns:/proc/self/ns/net "$NX"; }

# VERBOSE has one reading (log_init_from_env), mdc's included.
@test "VERBOSE unset, empty, 0 or false: quiet"	{ cd "$BATS_TEST_TMPDIR"; mkdir -p modes/m; for v in 0 false ''; do VERBOSE=$v run "$CONLINK" mdc m; [ "$output" = "MODES: m" ]; done; }
@test "VERBOSE=yes or 2: say what is done"	{ cd "$BATS_TEST_TMPDIR"; mkdir -p modes/m; for v in yes 2; do VERBOSE=$v run "$CONLINK" mdc m; [[ "$output" == *"ENV_FILE: .env"* ]]; done; }
