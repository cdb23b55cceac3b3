#!/usr/bin/env bats
# copy: overlay a tree (nested dirs, modes, symlinks, atomic replace),
# {{NAME}} templating, errors, exec of COMMAND.

load ../lib/common
bats_require_minimum_version 1.5.0

TREE=$FILES/copy/tree

setup() {
	S=$BATS_TEST_TMPDIR/src D=$BATS_TEST_TMPDIR/dst
	cp -a "$TREE" "$S"
	mkdir -p "$D"
}

@test "copy --help prints its usage" {
	run "$CONLINK" copy --help
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: copy "* ]]
}

@test "nested tree: every file copied byte for byte, one line per file" {
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	for f in top.txt bin/run.sh etc/app/conf.txt; do
		cmp "$S/$f" "$D/$f"
		[[ "$output" == *"'$S/$f' -> '$D/$f'"* ]]
	done
	# 3 files + 2 symlinks, no lines for directories
	[ "$(grep -c -- "' -> '" <<<"$output")" -eq 5 ]
}

@test "permission bits are kept, plus owner write, whatever the umask" {
	chmod 0750 "$S/bin/run.sh"; chmod 0444 "$S/top.txt"; chmod 0640 "$S/etc/app/conf.txt"
	(umask 077 && "$CONLINK" copy "$S" "$D")
	[ "$(stat -c %a "$D/bin/run.sh")" = 750 ]
	[ "$(stat -c %a "$D/top.txt")" = 644 ]
	[ "$(stat -c %a "$D/etc/app/conf.txt")" = 640 ]
	[ "$(stat -c %u "$D/top.txt")" = "$(id -u)" ]
}

@test "another user's setuid/setgid file copied by root: the bits are dropped" {
	require_root
	# chown first: chown(2) itself clears the bits
	cp /bin/true "$S/su" && chown 65534:65534 "$S/su" && chmod 4755 "$S/su"
	cp /bin/true "$S/sg" && chown 0:65534 "$S/sg" && chmod 2755 "$S/sg"
	cp /bin/true "$S/both" && chown 65534:0 "$S/both" && chmod 6750 "$S/both"
	echo old >"$D/su" && chmod 4755 "$D/su"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a:%u:%g "$D/su")" = 755:0:0 ]
	[ "$(stat -c %a:%u:%g "$D/sg")" = 755:0:0 ]
	[ "$(stat -c %a:%u:%g "$D/both")" = 750:0:0 ]
	cmp /bin/true "$D/su"
	[[ "$output" == *"'$S/su': setuid/setgid bits dropped: owner 65534:65534, the copy's 0:0"* ]]
	[[ "$output" == *"'$S/sg': setuid/setgid bits dropped: owner 0:65534, the copy's 0:0"* ]]
	# the sources are untouched
	[ "$(stat -c %a:%u:%g "$S/su")" = 4755:65534:65534 ]
}

@test "a setuid/setgid file whose owner and group the copy has keeps its bits" {
	cp /bin/true "$S/own" && chmod 6750 "$S/own"
	[ "$(stat -c %u:%g "$S/own")" = "$(id -u):$(id -g)" ] || skip "TMPDIR gives files another group"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a:%u:%g "$D/own")" = "6750:$(id -u):$(id -g)" ]
	[[ "$output" != *"dropped"* ]]
}

@test "setgid DST directory: the copy's group is the source's, the bits stay" {
	require_root
	chgrp 65534 "$D" && chmod 2775 "$D"
	cp /bin/true "$S/g" && chown 0:65534 "$S/g" && chmod 2755 "$S/g"
	cp /bin/true "$S/u" && chown 0:0 "$S/u" && chmod 4755 "$S/u"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a:%u:%g "$D/g")" = 2755:0:65534 ]
	# u's group (0) is not the copy's (65534): dropped
	[ "$(stat -c %a:%u:%g "$D/u")" = 755:0:65534 ]
}

@test "symlinks are copied as symlinks, dangling ones too, replacing old ones" {
	ln -s /nonexistent/target "$S/dangling"
	ln -s somewhere-else "$D/link"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(readlink "$D/link")" = top.txt ]
	[ "$(readlink "$D/etc/uplink")" = ../top.txt ]
	[ "$(readlink "$D/dangling")" = /nonexistent/target ]
}

@test "existing directories are merged: other files stay" {
	mkdir -p "$D/etc/app" && echo keep >"$D/etc/app/other.txt"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(cat "$D/etc/app/other.txt")" = keep ]
	cmp "$S/etc/app/conf.txt" "$D/etc/app/conf.txt"
}

@test "a read-only file is replaced atomically; an open reader keeps the old data" {
	echo old >"$D/top.txt" && chmod 0444 "$D/top.txt"
	old_inode=$(stat -c %i "$D/top.txt")
	exec 7<"$D/top.txt"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 0 ]
	cmp "$S/top.txt" "$D/top.txt"
	[ "$(cat <&7)" = old ]
	exec 7<&-
	[ "$(stat -c %i "$D/top.txt")" != "$old_inode" ]
	# no temporary file left behind
	[ -z "$(find "$D" -name '.*.??????')" ]
}

@test "-T replaces set tokens: several per line, next to text; unset and spaced stay" {
	APP_NAME=web APP_PORT=8080 run "$CONLINK" copy -T "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(cat "$D/etc/app/conf.txt")" = "name=web
pair=web:8080
glued=prewebpost
unset={{APP_UNSET}}
spaced={{ APP_NAME }}
braces={8080}" ]
	[[ "$output" == *"Replacing '{{APP_NAME}}' with 'web' in '$D/etc/app/conf.txt'"* ]]
	[[ "$output" == *"Replacing '{{APP_PORT}}' with '8080' in '$D/etc/app/conf.txt'"* ]]
	[[ "$output" != *APP_UNSET*"with"* ]]
}

@test "-T: values are inserted literally (/, &, backslash, newline)" {
	printf 'v={{V}}\n' >"$S/top.txt"
	V='a/b&c\d
e' run "$CONLINK" copy --template "$S" "$D"
	[ "$status" -eq 0 ]
	[ "$(cat "$D/top.txt")" = 'v=a/b&c\d
e' ]
}

@test "-T: a variable set to the empty string replaces its token with nothing" {
	printf 'x={{EMPTY_V}}.\n' >"$S/top.txt"
	EMPTY_V= "$CONLINK" copy -T "$S" "$D"
	[ "$(cat "$D/top.txt")" = "x=." ]
}

@test "-T: a binary file changes only inside its tokens" {
	printf '\x00\xff{{BIN_V}}\x00{{\x00}}\xfe{{BIN_V}}\n\x80' >"$S/blob"
	printf '\x00\xffXY\x00{{\x00}}\xfeXY\n\x80' >"$BATS_TEST_TMPDIR/expected"
	BIN_V=XY run "$CONLINK" copy -T "$S" "$D"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/expected" "$D/blob"
}

@test "without -T, tokens are left alone" {
	APP_NAME=web "$CONLINK" copy "$S" "$D"
	cmp "$S/etc/app/conf.txt" "$D/etc/app/conf.txt"
}

@test "SRC or DST not a directory: Not a directory, exit 2" {
	run "$CONLINK" copy "$S/top.txt" "$D"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Not a directory: '$S/top.txt'"* ]]
	run "$CONLINK" copy "$S" "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Not a directory: '$BATS_TEST_TMPDIR/missing'"* ]]
}

@test "missing arguments and unknown options are usage errors (exit 2)" {
	run "$CONLINK" copy "$S"
	[ "$status" -eq 2 ]
	run "$CONLINK" copy -x "$S" "$D"
	[ "$status" -eq 2 ]
}

@test "a failure names the path and exits 1" {
	mkdir -p "$D/top.txt/sub" && touch "$D/top.txt/sub/f"
	run "$CONLINK" copy "$S" "$D"
	[ "$status" -eq 1 ]
	[[ "$output" == *"'$D/top.txt'"* ]]
}

@test "COMMAND after -- is exec'd after the copy" {
	run "$CONLINK" copy "$S" "$D" -- cat "$D/top.txt"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "$(cat "$S/top.txt")" ]
}

@test "COMMAND not found: clear error, exit 127" {
	run -127 "$CONLINK" copy "$S" "$D" -- no-such-command-here
	[ "$status" -eq 127 ]
	[[ "$output" == *"no-such-command-here"* ]]
}
