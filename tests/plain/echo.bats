#!/usr/bin/env bats
# echo: arguments printed as busybox's and GNU's echo print them (-n, -e,
# -E, option groups, what is no option), in the dynamic and the static
# binary; compared byte for byte with printf.

load ../lib/common
bats_require_minimum_version 1.5.0

STATIC=$TOP/build/conlink-static

# same WANT ARGS...: echo ARGS prints exactly the bytes of printf WANT, with
# the dynamic binary and (when built) the static one.
same() {
	local want=$1 bin
	shift
	for bin in "$CONLINK" "$STATIC"; do
		[ -x "$bin" ] || continue
		cmp <("$bin" echo "$@") <(printf -- "$want") ||
			{ echo "$bin echo $*: $("$bin" echo "$@" | od -c)"; return 1; }
	done
}

@test "words joined by one space, then a newline"	{ same 'a b  c\n' a b '' c; }
@test "no arguments: just a newline"			{ same '\n'; }
@test "-n: no newline"					{ same 'a b' -n a b; }
@test "-e: escapes"					{ same 'a\tb\\c\n\033[0m\n' -e 'a\tb\\c\n\e[0m'; }
@test "-e: octal \\0NNN and hex \\xHH"			{ same 'AA.B\n' -e '\0101\x41.\x42'; }
@test "-e: \\c stops all output, newline too"		{ same 'a b' -e a 'b\cde' f; }
@test "-e: an unknown escape prints as written"		{ same '\\q \\x\n' -e '\q' '\x'; }
@test "-E, and no -e: backslashes as they are"		{ same 'a\\tb\n' -E 'a\tb'; same 'a\\nb\n' 'a\nb'; }
@test "option groups; the last of -e/-E wins"		{ same 'a\\tb' -neE 'a\tb'; same 'x\ty' -n -Ee 'x\ty'; }
@test "not options: -h, -x, -, --, and all after a word"	{ same '-h -x - -- w -n\n' -h -x - -- w -n; }
@test "--help alone is the usage; with more it is printed" {
	run "$CONLINK" echo --help
	[[ "$output" == "Usage: echo "* ]]
	same '--help x\n' --help x
}
@test "a symlink named echo (a scratch image's /utils/echo)" {
	local bin=$STATIC
	[ -x "$bin" ] || bin=$CONLINK
	ln -s "$bin" "$BATS_TEST_TMPDIR/echo"
	run "$BATS_TEST_TMPDIR/echo" hello world
	[ "$status" -eq 0 ]
	[ "$output" = "hello world" ]
}
@test "a write error is exit 1 with the reason" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -1 --separate-stderr sh -c '"$1" echo hi >/dev/full' sh "$CONLINK"
	[[ "$stderr" == "echo: write: "* ]]
}
