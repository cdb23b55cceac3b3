#!/usr/bin/env bats
# examples-basic.bats - upstream's examples test1, test2, test3 and test7 end
# to end on Docker and on Podman, with the daemon on the host (in a
# namespace of the test's own; see tests/lib/examples.bash).

load ../lib/examples

# test1: a router and three hosts on three bridges; the containers run
# before conlink starts (handled as starts). Every host pings every other
# one: they sit in three different subnets, so each ping crosses r0.
test1() {
	ex_compose examples/test1-compose.yaml
	compose up -d r0 h1 h2 h3
	conlink_start --compose-file examples/test1-compose.yaml
	conlink_wait_log "All links connected"
	[ "$(ex_links_in_ns | grep -cxE 's[123]')" = 3 ]
	ex_ping h1 1 172.16.0.100
	ex_ping h1 1 10.0.0.100
	ex_ping h2 1 192.168.1.100
	ex_ping h2 1 10.0.0.100
	ex_ping h3 1 192.168.1.100
	ex_ping h3 1 172.16.0.100
	# the far side of the router answers too, and h1's route goes via r0
	ex_ping h1 1 10.0.0.1
	run ex_in h1 1 ip route show default
	[[ "$output" == *"via 192.168.1.1 dev eth0"* ]]
}

@test "test1 [docker]: pings across the router between all hosts" { on_engine docker test1; }
@test "test1 [podman]: pings across the router between all hosts" { on_engine podman test1; }

# test2: the network file beside the compose file; scale 2, then 5. Replica
# N gets 10.0.1.N (the ip offset by its index). conlink starts first here:
# every link comes from an event. internet's dummy i0 needs a kernel with
# dummy links: without it that one link fails (and the summary says so);
# the test "test2 dummy" covers it where the kernel can.
test2() {
	local i j
	ex_compose examples/test2-compose.yaml
	conlink_start --compose-file examples/test2-compose.yaml \
		--network-file examples/test2-network.yaml
	compose up -d node internet
	if kernel_has_link_type dummy; then
		conlink_wait_log "All links connected"
	else
		# node_1, node_2, internet's eth0 made; its i0 failed, and said so
		conlink_wait_log "3 of 4 links connected"
		run grep "not connected:" "$CONLINK_LOG"
		[ "${#lines[@]}" -ge 1 ]
		for j in "${lines[@]}"; do
			[[ "$j" == *"internet_1:i0: "*"dummy"* ]]
		done
		! grep -q "All links connected" "$CONLINK_LOG" || false
	fi
	ex_wait_addr node 1 eth0 10.0.1.1/16
	ex_wait_addr node 2 eth0 10.0.1.2/16
	ex_ping node 1 10.0.1.2
	ex_ping node 2 10.0.0.1

	compose up -d --scale node=5 node
	for i in 3 4 5; do
		ex_wait_addr node "$i" eth0 "10.0.1.$i/16"
	done
	for i in 1 2 3 4 5; do
		ex_ping node "$i" 10.0.0.1
		for j in 1 2 3 4 5; do
			[ "$i" = "$j" ] || ex_ping node "$i" "10.0.1.$j"
		done
	done
	run ex_in node 5 ip route show default
	[[ "$output" == *"via 10.0.0.1 dev eth0"* ]]
}

@test "test2 [docker]: scale 2, then --scale node=5: offset IPs, all reach each other" { on_engine docker test2; }
@test "test2 [podman]: scale 2, then --scale node=5: offset IPs, all reach each other" { on_engine podman test2; }

# The dummy half of test2: the internet's far address answers the nodes.
test2_dummy() {
	kernel_has_link_type dummy || skip "kernel lacks link type dummy (Unknown device type)"
	ex_compose examples/test2-compose.yaml
	compose up -d node internet
	conlink_start --compose-file examples/test2-compose.yaml \
		--network-file examples/test2-network.yaml
	conlink_wait_log "All links connected"
	ex_wait_addr internet 1 i0 10.200.0.1/24
	ex_ping node 1 10.200.0.1
	ex_ping node 2 10.200.0.1
}

@test "test2 dummy [docker]: the internet's dummy address answers" { on_engine docker test2_dummy; }
@test "test2 dummy [podman]: the internet's dummy address answers" { on_engine podman test2_dummy; }

# test3: no compose; containers started by name with the engine's own CLI
# (one before conlink starts, one after) and a network file that names them
# through ${NODE_NAME_1} and ${NODE_NAME_2}.
test3() {
	local n1 n2
	require_image conlink-test-busybox
	n1=$(printf 'clt3%s%04x_node_1' "${ENGINE_NAME:0:1}" $RANDOM)
	n2=${n1%_1}_2
	ecli_run --name "$n1" --network none conlink-test-busybox sleep 864000 >/dev/null
	NODE_NAME_1=$n1 NODE_NAME_2=$n2 \
		conlink_start --network-file examples/test3-network.yaml
	conlink_wait_log "Using $ENGINE_NAME engine"
	ecli_run --name "$n2" --network none conlink-test-busybox sleep 864000 >/dev/null
	conlink_wait_log "All links connected"
	ex_wait_addr "$n1" - ext-intf 10.0.1.1/16
	ex_wait_addr "$n2" - ext-intf 10.0.1.2/16
	ex_ping "$n1" - 10.0.1.2
	ex_ping "$n2" - 10.0.1.1
}

@test "test3 [docker]: containers run by name, network file with \${NODE_NAME_1}" { on_engine docker test3; }
@test "test3 [podman]: containers run by name, network file with \${NODE_NAME_1}" { on_engine podman test3; }

# mtu_of SERVICE INDEX DEV
mtu_of() {
	# (not /sys/class/net: sysfs shows the namespace that mounted it)
	ex_in "$1" "$2" ip -o link show dev "$3" | grep -o 'mtu [0-9]*' | cut -d' ' -f2
}

mac_in() {
	ex_in "$1" "$2" ip -o link show dev "$3" | grep -o 'link/ether [^ ]*' | cut -d' ' -f2
}

# feature SERVICE INDEX DEV NAME: ethtool -k's value (on/off) of NAME.
feature() {
	ex_in "$1" "$2" ethtool -k "$3" | awk -F': ' -v f="$4" '$1 == f {print $2}' | cut -d' ' -f1
}

# test7 without its netem settings (this kernel has no netem): MAC, MTU,
# ethtool as configured, --default-mtu on eth1, replica offsets of the MAC.
test7() {
	local file=$BATS_TEST_TMPDIR/test7-compose.yaml
	if kernel_has_qdisc netem; then
		file=examples/test7-compose.yaml
	else
		sed '/netem:/d' "$TOP/examples/test7-compose.yaml" >"$file"
	fi
	ex_compose "$file"
	compose up -d node
	conlink_start --default-mtu 5111 --compose-file "$file"
	conlink_wait_log "All links connected"
	ex_wait_addr node 1 eth0 10.0.1.1/16
	ex_wait_addr node 2 eth0 10.0.1.2/16
	ex_wait_addr node 1 eth1 10.2.1.1/16
	ex_wait_addr node 2 eth1 10.2.1.2/16
	[ "$(mac_in node 1 eth0)" = 00:0a:0b:0c:0d:01 ]
	[ "$(mac_in node 2 eth0)" = 00:0a:0b:0c:0d:02 ]
	[ "$(mtu_of node 1 eth0)" = 4111 ]
	[ "$(mtu_of node 2 eth0)" = 4111 ]
	[ "$(mtu_of node 1 eth1)" = 5111 ]
	[ "$(mtu_of node 2 eth1)" = 5111 ]
	# "--offload tx off" leads every veth's settings; eth0 adds rx off
	[ "$(feature node 1 eth0 tx-checksumming)" = off ]
	[ "$(feature node 1 eth0 rx-checksumming)" = off ]
	[ "$(feature node 1 eth1 tx-checksumming)" = off ]
	[ "$(feature node 1 eth1 rx-checksumming)" = on ]
	ex_ping node 1 10.0.1.2
	ex_ping node 2 10.2.1.1
}

@test "test7 [docker]: MAC, MTU, ethtool as configured; --default-mtu on eth1" { on_engine docker test7; }
@test "test7 [podman]: MAC, MTU, ethtool as configured; --default-mtu on eth1" { on_engine podman test7; }

# test7's netem: the service's "rate 10mbit delay 40ms" replaces the top
# level's "delay 200ms"; pings between the replicas take 40 ms or more.
test7_netem() {
	local rtt
	kernel_has_qdisc netem || skip "kernel lacks qdisc netem (Specified qdisc kind is unknown)"
	ex_compose examples/test7-compose.yaml
	compose up -d node
	conlink_start --default-mtu 5111 --compose-file examples/test7-compose.yaml
	conlink_wait_log "All links connected"
	run ex_in node 1 tc qdisc show dev eth0
	[[ "$output" == *"netem"*"delay 40ms"*"rate 10Mbit"* ]]
	[[ "$output" != *"200ms"* ]]
	rtt=$(ex_in node 1 "${EX_PING[@]}" -c1 -W2 10.0.1.2 | grep -o 'time=[0-9.]*' | cut -d= -f2)
	echo "rtt $rtt ms"
	[ "${rtt%.*}" -ge 40 ]
}

@test "test7 netem [docker]: the service's netem overrides the top level's" { on_engine docker test7_netem; }
@test "test7 netem [podman]: the service's netem overrides the top level's" { on_engine podman test7_netem; }
