#!/usr/bin/env bats
# config-golden: --show-config of every example matches examples/golden/.
# The goldens are exact (stable MACs); regenerate one after a deliberate
# change with: CONLINK=build/conlink tests/files/config/run-example.sh NAME \
#   >examples/golden/NAME.json

load ../lib/common
bats_require_minimum_version 1.5.0

setup() {
	cd "$TOP"
	# "auto" bridges resolve to ovs where the module is loaded; goldens say linux
	[ ! -e /sys/module/openvswitch ] || skip "openvswitch loaded: auto bridges would be ovs"
}

golden() {
	run --separate-stderr env CONLINK="$CONLINK" tests/files/config/run-example.sh "$1"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	diff -u "examples/golden/$1.json" <(echo "$output")
}

@test "every example in examples.list has a golden and every golden an entry" {
	listed=$(grep -v '^#' tests/files/config/examples.list | cut -d'|' -f1 | sort)
	have=$(cd examples/golden && ls *.json | sed 's/\.json$//' | sort)
	[ "$listed" = "$have" ]
}

@test "golden: test1" {
	golden test1
}

@test "golden: test2" {
	golden test2
}

@test "golden: test3" {
	golden test3
}

@test "golden: test4-base" {
	golden test4-base
}

@test "golden: test4-all" {
	golden test4-all
}

@test "golden: test5" {
	golden test5
}

@test "golden: test7" {
	golden test7
}

@test "golden: test8" {
	golden test8
}

@test "golden: test9" {
	golden test9
}

@test "golden: test9-patch" {
	golden test9-patch
}

@test "golden: test10" {
	golden test10
}

@test "golden: test11" {
	golden test11
}

@test "golden: net2dot" {
	golden net2dot
}

@test "auto bridge falls back to linux with upstream's warning" {
	run --separate-stderr tests/files/config/run-example.sh test1
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"WARNING: bridge s1 mode is 'auto', but no 'openvswitch' kernel module loaded, so falling back to 'linux'"* ]]
}

@test "--keep-veth-offload drops the leading '--offload tx off'" {
	run "$CONLINK" conlink --show-config --keep-veth-offload --compose-file examples/test7-compose.yaml
	[ "$status" -eq 0 ]
	! [[ "$output" == *"--offload tx off"* ]] || false
	[[ "$output" == *"--offload rx off"* ]]
}

@test "--default-mtu sets the mtu of links that give none" {
	run "$CONLINK" conlink --show-config --default-mtu 1400 --compose-file examples/test1-compose.yaml
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '"mtu": 1400')" -eq 6 ]
}

@test "MACs are stable across runs and differ per link" {
	a=$("$CONLINK" conlink --show-config --compose-file examples/test1-compose.yaml 2>/dev/null | grep '"mac"')
	b=$("$CONLINK" conlink --show-config --compose-file examples/test1-compose.yaml 2>/dev/null | grep '"mac"')
	[ "$a" = "$b" ]
	[ "$(echo "$a" | sort -u | wc -l)" -eq 6 ]
	# first octet c2: locally administered, unicast
	[ "$(echo "$a" | grep -c '"c2:')" -eq 6 ]
}

@test "no config source is a usage error (exit 2)" {
	run "$CONLINK" conlink --show-config
	[ "$status" -eq 2 ]
}

@test "golden: multihost" {
	golden multihost
}
