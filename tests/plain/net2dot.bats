#!/usr/bin/env bats
# net2dot: --show-config JSON to GraphViz dot; dot must accept every example.

load ../lib/common

setup() {
	cd "$TOP"
	command -v dot >/dev/null || skip "graphviz dot not installed"
}

@test "dot accepts net2dot's output for every example" {
	for n in $(grep -v '^#' tests/files/config/examples.list | cut -d'|' -f1); do
		"$CONLINK" net2dot "examples/golden/$n.json" >"$BATS_TEST_TMPDIR/$n.dot" ||
			{ echo "net2dot failed on $n"; return 1; }
		dot -Tsvg "$BATS_TEST_TMPDIR/$n.dot" >"$BATS_TEST_TMPDIR/$n.svg" ||
			{ echo "dot rejected $n"; return 1; }
		grep -q '<svg' "$BATS_TEST_TMPDIR/$n.svg"
	done
}

@test "the show-config | net2dot | dot pipeline works" {
	run bash -c 'env REMOTE1=192.168.100.1 REMOTE2=192.168.100.2 "$0" conlink --show-config \
		--network-file examples/net2dot.yaml 2>/dev/null | "$0" net2dot | dot -Tsvg | grep -c "<svg"' "$CONLINK"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "the graph has the clusters, edges and labels of the combined example" {
	run "$CONLINK" net2dot examples/golden/net2dot.json
	[ "$status" -eq 0 ]
	[[ "$output" == *'subgraph "cluster_host"'* ]]
	[[ "$output" == *'subgraph "cluster_conlink"'* ]]
	[[ "$output" == *'subgraph "cluster_bridge_s1"'* ]]
	[[ "$output" == *'label = "service '"'nodeA'"'"'* ]]
	[[ "$output" == *'label = "container '"'nodeC'"'"'* ]]
	[[ "$output" == *'"S_nodeA:e1" -> "nodeA_1-e1";'* ]]
	[[ "$output" == *'"nodeC:eth0" -> "nodeC-eth0";'* ]]
	[[ "$output" == *'"S_nodeE:v0" -> "eni0" [label="vlan 5"];'* ]]
	[[ "$output" == *'"S_nodeG:iv0" -> "eni1" [label="ipvlan"];'* ]]
	[[ "$output" == *'"geneve-1002" -> "remote_192.168.100.2";'* ]]
	# a dummy link has no outer interface
	! [[ "$output" == *'"nodeD:dummy0" ->'* ]] || false
}

@test "output is deterministic and reads stdin" {
	a=$("$CONLINK" net2dot examples/golden/test4-all.json)
	b=$("$CONLINK" net2dot <examples/golden/test4-all.json)
	c=$("$CONLINK" net2dot - <examples/golden/test4-all.json)
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "bad input: an error naming where, exit 1" {
	run "$CONLINK" net2dot <<<'{"bridges": '
	[ "$status" -eq 1 ]
	[[ "$output" == "net2dot: stdin:2:0: unexpected token near end of file" ]]
	run "$CONLINK" net2dot <<<'[1]'
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a conlink --show-config JSON"* ]]
	run "$CONLINK" net2dot a b
	[ "$status" -eq 2 ]
}
