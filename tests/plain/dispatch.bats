#!/usr/bin/env bats
# dispatch: argv[0] and first-argument dispatch, --list, --install, --help.

load ../lib/common

APPLETS="cni conlink copy copy.sh ctl echo mdc net2dot ns-exec wait wait.sh"

@test "--list prints every applet, one per line" {
	run "$CONLINK" --list
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "$APPLETS" ]
}

@test "conlink APPLET runs that applet" {
	run "$CONLINK" wait --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:\ wait* ]]
}

@test "a symlink named after an applet runs it" {
	ln -s "$CONLINK" "$BATS_TEST_TMPDIR/net2dot"
	run "$BATS_TEST_TMPDIR/net2dot" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:\ net2dot* ]]
}

@test "--install DIR makes a working symlink per applet" {
	run "$CONLINK" --install "$BATS_TEST_TMPDIR/bin"
	[ "$status" -eq 0 ]
	for a in $APPLETS; do
		[ -L "$BATS_TEST_TMPDIR/bin/$a" ]
		[ "$(readlink -f "$BATS_TEST_TMPDIR/bin/$a")" = "$(readlink -f "$CONLINK")" ]
	done
	run "$BATS_TEST_TMPDIR/bin/copy" --help
	[[ "$output" == Usage:\ copy* ]]
}

@test "every applet answers --help and -h with its usage" {
	for a in $APPLETS; do
		run "$CONLINK" $a --help
		[ "$status" -eq 0 ] || { echo "$a --help: $status"; false; }
		# copy.sh and wait.sh are copy and wait under upstream's names
		[[ "$output" == Usage:\ ${a%.sh}\ * ]] || { echo "$a: $output"; false; }
		[ "$a" = echo ] && continue	# echo -h prints -h (echo.bats)
		run "$CONLINK" $a -h
		[ "$status" -eq 0 ]
	done
}

@test "copy.sh and wait.sh run copy and wait, as argv[0] and as an argument" {
	ln -s "$CONLINK" "$BATS_TEST_TMPDIR/wait.sh"
	run "$BATS_TEST_TMPDIR/wait.sh" -f "$FILES/copy/tree/top.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "File '$FILES/copy/tree/top.txt' exists" ]
	mkdir "$BATS_TEST_TMPDIR/dst"
	run "$CONLINK" copy.sh "$FILES/copy/tree" "$BATS_TEST_TMPDIR/dst"
	[ "$status" -eq 0 ]
	cmp "$FILES/copy/tree/top.txt" "$BATS_TEST_TMPDIR/dst/top.txt"
}

@test "an unknown applet name is an error, exit 2" {
	run "$CONLINK" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown applet 'frobnicate'"* ]]
	ln -s "$CONLINK" "$BATS_TEST_TMPDIR/frob"
	run "$BATS_TEST_TMPDIR/frob"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown applet 'frob'"* ]]
}

@test "upstream's entry name conlink.js runs the daemon" {
	ln -s "$CONLINK" "$BATS_TEST_TMPDIR/conlink.js"
	run "$BATS_TEST_TMPDIR/conlink.js" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:\ conlink* ]]
}

@test "the daemon without a config is a usage error, exit 2" {
	run "$CONLINK"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no network config"* ]]
}
