#!/usr/bin/env bats
# arm64: the daemon and the static utilities cross-built for aarch64
# (make CROSS=aarch64-linux-gnu BUILD=build-arm64: Debian's cross gcc, the
# :arm64 -dev packages, musl-dev:arm64) run under qemu-user here: the
# static binary is aarch64 with no interpreter and runs echo, wait and
# copy -T; the dynamic one's --show-config equals the native build's.
# Skipped, with the reason, without the cross toolchain or qemu-user.

load ../lib/common
bats_require_minimum_version 1.5.0

ARM=$TOP/build-arm64
QEMU=qemu-aarch64-static

setup_file() {
	command -v aarch64-linux-gnu-gcc >/dev/null || return 0
	# incremental: only what changed since the last run is compiled
	make -s -C "$TOP" CROSS=aarch64-linux-gnu BUILD=build-arm64 all static >&2
}

setup() {
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		skip "no aarch64 cross gcc (gcc-aarch64-linux-gnu; scripts/install-deps.sh)"
	command -v "$QEMU" >/dev/null || skip "no $QEMU (qemu-user-static)"
	[ -x "$ARM/conlink" ] && [ -x "$ARM/conlink-static" ] ||
		skip "the arm64 build failed (see setup_file's output)"
}

@test "arm64 static: aarch64, no interpreter (no libc), every static applet" {
	run readelf -h "$ARM/conlink-static"
	[[ "$output" == *"Machine:"*"AArch64"* ]]
	run readelf -l "$ARM/conlink-static"
	[[ "$output" != *INTERP* ]]
	run "$QEMU" "$ARM/conlink-static" --list
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "copy copy.sh echo ns-exec wait wait.sh" ]
}

@test "arm64 static: echo, wait -f and --timeout, copy -T under qemu-user" {
	run "$QEMU" "$ARM/conlink-static" echo -e 'a\tb'
	[ "$output" = $'a\tb' ]
	run "$QEMU" "$ARM/conlink-static" wait -f "$FILES/copy/tree/top.txt" -- \
		"$QEMU" "$ARM/conlink-static" echo waited
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = waited ]
	run "$QEMU" "$ARM/conlink-static" wait --timeout 0.3 -f "$BATS_TEST_TMPDIR/never"
	[ "$status" -eq 1 ]
	mkdir -p "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/dst"
	printf 'x={{ARCH_T}}\n' >"$BATS_TEST_TMPDIR/src/f"
	ARCH_T=arm64 run "$QEMU" "$ARM/conlink-static" copy -T "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/dst"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/dst/f")" = x=arm64 ]
}

@test "arm64 daemon: --show-config under qemu-user equals the native build's" {
	run readelf -h "$ARM/conlink"
	[[ "$output" == *"AArch64"* ]]
	[ -e /lib/ld-linux-aarch64.so.1 ] || skip "no arm64 libc to run the dynamic binary (libc6:arm64)"
	local want
	want=$(cd "$TOP/examples" && NODE_NAME_1=n1 NODE_NAME_2=n2 "$CONLINK" --show-config \
		--network-file test3-network.yaml 2>/dev/null)
	run --separate-stderr env -C "$TOP/examples" NODE_NAME_1=n1 NODE_NAME_2=n2 \
		"$QEMU" "$ARM/conlink" --show-config --network-file test3-network.yaml
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	[ -n "$want" ]
}
