#!/usr/bin/env bats
# examples-bridges.bats - upstream's examples test9 (bridge modes, a replica
# that goes and comes back), test10 (port forwards, routing through a router
# container) and test11 (wait and copy in service commands) end to end on
# Docker and on Podman, with the daemon on the host in a test namespace.

load ../lib/examples

in_conlink() {
	nsenter --net="$CONLINK_NETNS" "$@"
}

has_outer() {
	in_conlink ip link show dev "$1" >/dev/null 2>&1
}

# test9 MODE: s1 in bridge mode MODE (BRIDGE_MODE; "" leaves the example's
# default, auto), s2 from --default-bridge-mode linux. Both replicas reach
# each other over both; then node_2 goes (scale 1): its links go; it comes
# back (scale 2): it is relinked and reachable again.
test9() {
	local mode=$1
	ex_compose examples/test9-compose.yaml
	compose up -d node
	BRIDGE_MODE=$mode conlink_start --default-bridge-mode linux \
		--compose-file examples/test9-compose.yaml
	conlink_wait_log "All links connected"
	case $mode in
	patch)
		# no bridge: the two outer veths are patched by tc mirred
		! has_outer s1 || false
		run in_conlink tc filter show dev node_1-eth0 ingress
		[[ "$output" == *"mirred"*"node_2-eth0"* ]] ;;
	linux)
		run in_conlink ip -d link show dev s1
		[[ "$output" == *" bridge "* ]] ;;
	"")
		if [ -e /sys/module/openvswitch ]; then
			grep -q "Creating bridge/switch s1 (mode ovs)" "$CONLINK_LOG"
		else
			grep -q "bridge s1 mode is 'auto'.*falling back to 'linux'" "$CONLINK_LOG"
			run in_conlink ip -d link show dev s1
			[[ "$output" == *" bridge "* ]]
		fi ;;
	esac
	run in_conlink ip -d link show dev s2
	[[ "$output" == *" bridge "* ]]
	ex_wait_addr node 1 eth0 10.0.1.1/24
	ex_wait_addr node 2 eth1 10.0.2.2/24
	ex_ping node 1 10.0.1.2
	ex_ping node 2 10.0.1.1
	ex_ping node 1 10.0.2.2
	[ -n "$mode" ] || return 0

	compose up -d --scale node=1 node
	wait_until 20 eval '! has_outer node_2-eth0 && ! has_outer node_2-eth1'
	has_outer node_1-eth0
	compose up -d --scale node=2 node
	ex_wait_addr node 2 eth0 10.0.1.2/24
	ex_wait_addr node 2 eth1 10.0.2.2/24
	ex_ping node 1 10.0.1.2
	ex_ping node 2 10.0.1.1
	ex_ping node 2 10.0.2.1
}

@test "test9 [docker]: bridge mode linux; a replica scaled away and back is relinked" { on_engine docker test9 linux; }
@test "test9 [podman]: bridge mode linux; a replica scaled away and back is relinked" { on_engine podman test9 linux; }
@test "test9 [docker]: bridge mode patch; a replica scaled away and back is relinked" { on_engine docker test9 patch; }
@test "test9 [podman]: bridge mode patch; a replica scaled away and back is relinked" { on_engine podman test9 patch; }
@test "test9 [docker]: bridge mode auto" { on_engine docker test9 ""; }
@test "test9 [podman]: bridge mode auto" { on_engine podman test9 ""; }

# fetch PORT: what conlink's external address serves on PORT, fetched from
# the "outside" namespace (the far end of the external interface).
fetch() {
	in_ns "$HOSTS/outside" curl -sS --max-time 1 "http://192.168.250.1:$1/"
}

# test10: conlink's external interface (ext0, 192.168.250.1, a veth whose
# far end is a namespace of the test's own) forwards 1080 and 1180 to
# node1:80, 80 and 81 to node2's two replicas (the external port moves with
# the replica index); node1 and node2 route to each other through router.
test10() {
	local p21 p22
	conlink_netns
	netns_add "$HOSTS" outside
	ip link add ext0 netns "$CONLINK_NETNS" type veth peer name out0 netns "$HOSTS/outside"
	in_conlink ip addr add 192.168.250.1/24 dev ext0
	in_conlink ip link set ext0 up
	in_ns "$HOSTS/outside" ip addr add 192.168.250.2/24 dev out0
	in_ns "$HOSTS/outside" ip link set out0 up

	ex_compose examples/test10-compose.yaml
	compose up -d node1 node2 router
	conlink_start --external-intf ext0 --compose-file examples/test10-compose.yaml
	conlink_wait_log "All links connected"
	p21=$(ex_pid node2 1)
	p22=$(ex_pid node2 2)
	wait_until 10 fetch 1080
	[ "$(fetch 1080)" = node1 ]
	[ "$(fetch 1180)" = node1 ]
	wait_until 10 fetch 80
	[ "$(fetch 80)" = "$(cat "/proc/$p21/root/www/index.html")" ]
	wait_until 10 fetch 81
	[ "$(fetch 81)" = "$(cat "/proc/$p22/root/www/index.html")" ]
	[ "$(fetch 80)" != "$(fetch 81)" ]

	ex_ping node1 1 10.2.0.1
	ex_ping node1 1 10.2.0.2
	ex_ping node2 2 10.1.0.1
	run ex_in node1 1 ip route show
	[[ "$output" == *"10.0.0.0/8 via 10.1.0.100 dev eth0"* ]]
}

@test "test10 [docker]: port forwards to node1 (twice) and two node2 replicas; routing via router" { on_engine docker test10; }
@test "test10 [podman]: port forwards to node1 (twice) and two node2 replicas; routing via router" { on_engine podman test10; }

# test11: webserver's command chains copy (a templated tree: {{VAL2}} from
# its environment) and wait (for its eth0 address) before httpd; client's
# waits for eth0 and webserver's TCP port, then fetches the templated file
# in a loop, appending it to /tmp/test.log, for as long as it reads val2.
test11() {
	local pw pc
	[ -x "$TOP/build/conlink-static" ] || { echo "build/conlink-static is missing: make static"; return 1; }
	ex_compose examples/test11-compose.yaml
	compose up -d webserver client
	pw=$(ex_pid webserver 1)
	pc=$(ex_pid client 1)
	# nothing runs before the network exists: httpd waits, the client too
	[ ! -e "/proc/$pc/root/tmp/test.log" ]
	conlink_start --compose-file examples/test11-compose.yaml
	conlink_wait_log "All links connected"
	wait_until 20 grep -q val2 "/proc/$pc/root/tmp/test.log" ||
		{ compose logs webserver client; false; }
	[ "$(cat "/proc/$pw/root/tmp/www/dir1/dir2/file2")" = val2 ]
	# the client keeps reading val2: its loop is still running
	[ "$(ecli inspect -f '{{.State.Running}}' "$(ex_cid client 1)")" = true ]
}

@test "test11 [docker]: wait and copy chained in service commands; client fetches a templated file" { on_engine docker test11; }
@test "test11 [podman]: wait and copy chained in service commands; client fetches a templated file" { on_engine podman test11; }
