#!/usr/bin/env bats
# netem's built-in distribution tables (core/nl/netem_dist.c) equal, value
# for value, the tables iproute2 ships (Debian's iproute2: NAME.dist), so a
# scratch image without tc's files gets what tc would load.

load ../lib/common

DIST_DIR=/usr/lib/x86_64-linux-gnu/tc

setup() {
	DUMP=$BATS_TEST_TMPDIR/dist_dump
	cc -std=gnu11 -D_GNU_SOURCE -I"$TOP/include" $(pkg-config --cflags libmnl) \
		-o "$DUMP" "$TOP/tests/files/netem/dist_dump.c" "$TOP/core/nl/netem_dist.c" -lm
}

@test "normal, pareto and paretonormal equal iproute2's NAME.dist" {
	local name
	for name in normal pareto paretonormal; do
		[ -f "$DIST_DIR/$name.dist" ] || skip "iproute2's $DIST_DIR/$name.dist is not installed"
		grep -v '^#' "$DIST_DIR/$name.dist" | tr -s ' \n' '\n\n' | sed '/^$/d' >"$BATS_TEST_TMPDIR/tc"
		"$DUMP" "$name" >"$BATS_TEST_TMPDIR/ours"
		echo "$name: $(wc -l <"$BATS_TEST_TMPDIR/ours") values, iproute2's $(wc -l <"$BATS_TEST_TMPDIR/tc")"
		cmp "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/tc"
	done
}

@test "another name is not built in (read from tc's files instead)" {
	run "$DUMP" experimental
	[ "$status" -eq 1 ]
	grep -qF "no built-in table 'experimental'" <<<"$output"
}
