#!/usr/bin/env bats
# upstream's test5 at namespace level: examples/test5-geneve-compose.yaml,
# the same file on two "hosts" (namespaces joined by a veth underlay, each
# with its own conlink and --netns-dir), only REMOTE and NODE_IP differing
# as upstream's README runs it. The nodes ping each other through the
# tunnel. Once as written (geneve: kernel-lab where this kernel lacks it),
# once with the tunnel's type changed to vxlan (runs on any kernel). The
# engine-level test with two conlink containers: tests/engine/example-test5.bats.

load ../lib/netns

setup()    { two_hosts_setup 10.99.201; }
teardown() { two_hosts_teardown; }

# test5 FILE TYPE: FILE on both hosts, its tunnel of TYPE
test5() {
	local file=$1 type=$2
	netns_add "$NS" node_1
	netns_add "$NS2" node_1
	REMOTE=10.99.201.2 NODE_IP=10.9.0.1 conlink_start --netns-dir "$NS" --compose-file "$file"
	REMOTE=10.99.201.1 NODE_IP=10.9.0.2 conlink2_start --netns-dir "$NS2" --compose-file "$file"
	conlink_wait_log "All links connected"
	wait_until 10 grep -q "All links connected" "$BATS_TEST_TMPDIR/conlink2.log"
	in_ns "$H1" ip -d link show dev "$type-1001" | grep -qE "$type id 1001 remote 10.99.201.2 .*"
	in_ns "$H2" ip -d link show dev "$type-1001" | grep -q "master s1"
	# the same file on both hosts, yet two MACs (one layer 2 between them)
	[ "$(mac_of "$NS/node_1" eth0)" != "$(mac_of "$NS2/node_1" eth0)" ]
	ping_ok "$NS/node_1" 10.9.0.2
	ping_ok "$NS2/node_1" 10.9.0.1
	conlink_stop_clean
}

@test "test5 as written: two hosts, one compose file, joined by geneve; the nodes ping" {
	skip_unless_link_type geneve
	test5 "$TOP/examples/test5-geneve-compose.yaml" geneve
}

@test "test5 with a vxlan tunnel: two hosts, one compose file; the nodes ping" {
	sed 's/type: geneve/type: vxlan/' "$TOP/examples/test5-geneve-compose.yaml" \
		>"$BATS_TEST_TMPDIR/test5-vxlan.yaml"
	test5 "$BATS_TEST_TMPDIR/test5-vxlan.yaml" vxlan
}
