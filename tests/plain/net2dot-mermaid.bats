#!/usr/bin/env bats
# net2dot --mermaid, --live and hosts: Mermaid flowcharts checked against golden
# files (tests/files/net2dot/*.mmd) and, when installed, by Mermaid's own
# parser (scripts/install-deps.sh: /usr/local/lib/conlink-mermaid); --live
# against a stand-in control socket serving a fixed status (the real
# daemon: tests/netns/net2dot-live.bats).
# Regenerate a golden file after a deliberate change with the command its
# test runs, then read the diff.

load ../lib/common

G=tests/files/net2dot
MERMAID_DIR=${CONLINK_MERMAID_DIR:-/usr/local/lib/conlink-mermaid}

setup() {
	cd "$TOP"
}

teardown() {
	[ -z "${SRV_PID:-}" ] || kill "$SRV_PID" 2>/dev/null || true
}

# serve $G/$1 as the daemon's status on $SOCK
status_server() {
	SOCK=$BATS_TEST_TMPDIR/conlink.sock
	python3 "$G/status-server.py" "$SOCK" "$G/$1" &
	SRV_PID=$!
	wait_until -q 5 test -S "$SOCK"
}

@test "mermaid golden: bridges and replicas (test9), patch, tunnels (test5), every kind (net2dot), compose merge (test4)" {
	for n in test9 test9-patch test5 net2dot test4-all; do
		"$CONLINK" net2dot --mermaid "examples/golden/$n.json" | diff -u "$G/$n.mmd" - ||
			{ echo "differs: $n"; return 1; }
	done
	# what the golden files show: a bridge's mode when not linux, tunnels
	# and their remote host, a service drawn once for all its replicas
	grep -qF 'subgraph b0["s1 (patch)"]' "$G/test9-patch.mmd"
	grep -qF 'subgraph b1["s2"]' "$G/test9-patch.mmd"
	grep -qE '^  t0 --> r0$' "$G/test5.mmd"
	grep -qF "r0[\"remote host '192.168.100.2'\"]" "$G/test5.mmd"
	[ "$(grep -c 'subgraph c0\["service '"'node'"'"\]' "$G/test9.mmd")" = 1 ]
}

@test "mermaid: names with characters Mermaid reads are written as entity codes" {
	"$CONLINK" net2dot --mermaid "$G/special.json" | diff -u "$G/special.mmd" -
	"$CONLINK" net2dot "$G/special.json" | diff -u "$G/special.dot" -
	# no raw quote, <, >, |, backtick or & inside any label; ids are ours
	! grep -E '\["[^"]*[<>|`&][^"]*"\]' "$G/special.mmd" || false
	grep -qF 'subgraph c0["container '"'a#124;b#96;c'"'"]' "$G/special.mmd"
	grep -qF 'i0["e#quot;1"]' "$G/special.mmd"
	grep -qF 'subgraph b0["b#35;2#amp;#lt;x#gt; (patch)"]' "$G/special.mmd"
	grep -qF "r0[\"remote host 'fe80::1%eth0 #quot;x#quot; #35;1;'\"]" "$G/special.mmd"
	# a container named like a keyword is only a label
	grep -qF 'subgraph c1["container '"'end'"'"]' "$G/special.mmd"
	command -v dot >/dev/null || skip "graphviz dot not installed"
	"$CONLINK" net2dot "$G/special.json" | dot -Tsvg | grep -q '<svg'
}

@test "mermaid: Mermaid's parser accepts every example, the special names and the live marks" {
	[ -f "$MERMAID_DIR/node_modules/mermaid/package.json" ] ||
		skip "Mermaid's parser not installed in $MERMAID_DIR (scripts/install-deps.sh)"
	command -v node >/dev/null || skip "node not installed"
	local files=()
	for n in $(grep -v '^#' tests/files/config/examples.list | cut -d'|' -f1); do
		"$CONLINK" net2dot --mermaid "examples/golden/$n.json" >"$BATS_TEST_TMPDIR/$n.mmd"
		files+=("$BATS_TEST_TMPDIR/$n.mmd")
	done
	run node "$G/mermaid-parse.mjs" "$MERMAID_DIR" "${files[@]}" "$G/special.mmd" \
		"$G/net2dot-live.mmd" "$G/multihost.mmd" "$G/multihost-live.mmd"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok flowchart' <<<"$output")" = $(( ${#files[@]} + 4 )) ]
	# and it is a parser that can fail: a raw quote inside a label
	printf 'flowchart LR\n  i0["e"1"]\n' >"$BATS_TEST_TMPDIR/bad.mmd"
	run node "$G/mermaid-parse.mjs" "$MERMAID_DIR" "$BATS_TEST_TMPDIR/bad.mmd"
	[ "$status" -eq 1 ]
	[[ $output == *"parse error"* ]]
}

# mh_show: --show-config of the many-host fixture (geneve over three hosts,
# vxlan over two, a vlan per host, a tunnel of every host, one of h2)
mh_show() {
	"$CONLINK" --show-config --network-file "$G/multihost.yaml"
}

@test "hosts: a cluster per host with its containers and bridges, the mesh host to host, in both outputs" {
	mh_show | "$CONLINK" net2dot | diff -u "$G/multihost.dot" -
	mh_show | "$CONLINK" net2dot --mermaid | diff -u "$G/multihost.mmd" -
	"$CONLINK" net2dot --mermaid examples/golden/multihost.json | diff -u "$G/multihost-example.mmd" -
	# read back (dot): one cluster per host naming its address, holding
	# only its own containers; a bridge per host that has a member of it
	grep -qF 'subgraph "cluster_host_h1" {' "$G/multihost.dot"
	grep -qF 'label = "host '"'h3'"' (10.99.0.3)";' "$G/multihost.dot"
	[ "$(grep -c 'subgraph "cluster_host_' "$G/multihost.dot")" = 3 ]
	! grep -q 'cluster_host"' "$G/multihost.dot" || false
	sed -n '/cluster_host_h3/,/end of host h3/p' "$G/multihost.dot" >"$BATS_TEST_TMPDIR/h3"
	grep -qF 'subgraph "cluster_a3"' "$BATS_TEST_TMPDIR/h3"
	! grep -q 'cluster_a1\|cluster_a2\|cluster_bridge_h3/s2' "$BATS_TEST_TMPDIR/h3" || false
	# geneve: each host's device toward each other host, one edge per
	# pair joining the two ends (h1's gnv-1 toward h2, h2's gnv-0 toward h1)
	grep -qxF '  "h1/gnv5355721-1" -> "h2/gnv5355721-0" [label="geneve 5355721" dir=none penwidth=2 color="#6c8ebf" fontcolor="#6c8ebf"];' "$G/multihost.dot"
	[ "$(grep -c 'label="geneve 5355721" dir=none' "$G/multihost.dot")" = 3 ]
	# vxlan over two hosts: one device each, one edge
	grep -qF '"h1/vxlan-5354512" -> "h2/vxlan-5354512" [label="vxlan 5354512"' "$G/multihost.dot"
	[ "$(grep -c 'label="vxlan 5354512" dir=none' "$G/multihost.dot")" = 1 ]
	# a host NIC of the same name on two hosts: two nodes; a tunnel of
	# every host: a copy on each, to the one remote
	grep -qF '"v1:v0" -> "h1/eni0" [label="vlan 5"];' "$G/multihost.dot"
	grep -qF '"v2:v0" -> "h2/eni0" [label="vlan 5"];' "$G/multihost.dot"
	[ "$(grep -c -- '-> "remote_192.168.77.7";' "$G/multihost.dot")" = 3 ]
	# a tunnel naming its host (h2): drawn there only
	[ "$(grep -c -- '-> "remote_192.168.77.8";' "$G/multihost.dot")" = 1 ]
	grep -qxF '  "h2/vxlan-78" -> "remote_192.168.77.8";' "$G/multihost.dot"
	# Mermaid: the same, with generated ids
	grep -qxF '  subgraph h0["host '"'h1'"' (10.99.0.1)"]' "$G/multihost.mmd"
	grep -qxF '  m0_0_1 ---|"geneve 5355721"| m0_1_0' "$G/multihost.mmd"
	grep -qxF '  m1_0 ---|"vxlan 5354512"| m1_1' "$G/multihost.mmd"
	[ "$(grep -c -- '--> r0$' "$G/multihost.mmd")" = 3 ]
	command -v dot >/dev/null || skip "graphviz dot not installed"
	dot -Tsvg "$G/multihost.dot" | grep -q '<svg'
}

@test "--live with hosts: a mesh edge says the state of the status host's end; other hosts' copies are not in status" {
	status_server multihost-status.json	# h1's daemon: one geneve end deleted
	mh_show >"$BATS_TEST_TMPDIR/cfg.json"
	"$CONLINK" net2dot --live --control "$SOCK" "$BATS_TEST_TMPDIR/cfg.json" |
		diff -u "$G/multihost-live.dot" -
	"$CONLINK" net2dot --live --mermaid --control "$SOCK" "$BATS_TEST_TMPDIR/cfg.json" |
		diff -u "$G/multihost-live.mmd" -
	grep -qxF '  "h1/gnv5355721-2" -> "h3/gnv5355721-0" [label="geneve 5355721\nh1 deleted" dir=none penwidth=2 color="#ef6c00" fontcolor="#ef6c00" style=dashed];' "$G/multihost-live.dot"
	grep -qxF '  "h1/gnv5355721-1" -> "h2/gnv5355721-0" [label="geneve 5355721\nh1 up" dir=none penwidth=2 color="#2e7d32" fontcolor="#2e7d32"];' "$G/multihost-live.dot"
	grep -qF '"h2/gnv5355721-2" -> "h3/gnv5355721-1" [label="geneve 5355721\nnot in status"' "$G/multihost-live.dot"
	# a tunnel of every host: h1's copy marked, the others' not in h1's status
	grep -qF '"h1/vxlan-77" -> "remote_192.168.77.7" [label="made"' "$G/multihost-live.dot"
	grep -qF '"h3/vxlan-77" -> "remote_192.168.77.7" [label="not in status"' "$G/multihost-live.dot"
	grep -qxF '  m0_0_2 ---|"geneve 5355721<br>h1 deleted"| m0_2_0' "$G/multihost-live.mmd"
	grep -qxF '  linkStyle 12 stroke:#ef6c00,stroke-width:2px,color:#ef6c00,stroke-dasharray:5 5' "$G/multihost-live.mmd"
}

@test "--live: each edge marked with its state, replicas, drift and netem, in both outputs" {
	status_server net2dot-status.json
	"$CONLINK" net2dot --live --control "$SOCK" --mermaid examples/golden/net2dot.json |
		diff -u "$G/net2dot-live.mmd" -
	"$CONLINK" net2dot --live --control "$SOCK" examples/golden/net2dot.json |
		diff -u "$G/net2dot-live.dot" -
	# read back: a service's replicas each with their state, the worst
	# one's colour; drift and how; netem; a link the daemon does not list
	grep -qxF '  i2 -->|"1 made, 2 failed<br>netem rate 10mbit delay 40ms"| o2' "$G/net2dot-live.mmd"
	grep -qxF '  linkStyle 0 stroke:#c62828,stroke-width:2px,color:#c62828' "$G/net2dot-live.mmd"
	grep -qxF '  i3 -->|"1 drifted (down), 2 made"| o3' "$G/net2dot-live.mmd"
	grep -qxF '  i4 -->|"down"| o4' "$G/net2dot-live.mmd"
	grep -qxF '  t1 -->|"failed"| r1' "$G/net2dot-live.mmd"
	# taken down on purpose (admin down, its state still made); netem set
	# at run time (ctl netem) says so
	grep -qxF '  linkStyle 4 stroke:#6a1b9a,stroke-width:2px,color:#6a1b9a,stroke-dasharray:5 5' "$G/net2dot-live.mmd"
	grep -qxF '  t0 -->|"made<br>netem delay 250ms loss 2% (set at run time)"| r0' "$G/net2dot-live.mmd"
	grep -qxF '  i8 -->|"macvlan<br>not in status"| n6' "$G/net2dot-live.mmd"
	grep -qF '"nodeC:eth0" -> "nodeC-eth0" [label="made\nnetem delay 40ms, loss 1%" color="#2e7d32"' "$G/net2dot-live.dot"
	grep -qF '"S_nodeE:mv0" -> "eni0" [label="macvlan\nretrying" color="#f9a825" fontcolor="#f9a825" penwidth=2 style=dashed]' "$G/net2dot-live.dot"
	# the default socket is $CONLINK_CONTROL, as for conlink ctl
	CONLINK_CONTROL=$SOCK "$CONLINK" net2dot --live examples/golden/net2dot.json |
		diff -u "$G/net2dot-live.dot" -
	command -v dot >/dev/null || skip "graphviz dot not installed"
	dot -Tsvg "$G/net2dot-live.dot" | grep -q '<svg'
}

@test "--live without a daemon: an error naming the socket, exit 1" {
	run "$CONLINK" net2dot --live --control /nonexistent/x.sock examples/golden/test1.json
	[ "$status" -eq 1 ]
	[[ $output == "net2dot: cannot reach conlink at /nonexistent/x.sock: No such file or directory" ]]
	run "$CONLINK" net2dot --bogus
	[ "$status" -eq 2 ]
}
