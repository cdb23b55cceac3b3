#!/usr/bin/env bats
# Many hosts, one config: three "hosts" (namespaces h1 h2 h3 on an
# underlay bridge in a namespace of their own, 10.99.90.N/24), each with
# its own conlink (--host-id hN) and --netns-dir containers, all reading
# the same config. Bridge s1 spans the three hosts (a1 a2 a3), s2 two of
# them (b1 on h1, b2 on h2); the mesh joins them with one vxlan (or, for
# the geneve variant, geneve ports) per bridge and host.

load ../lib/netns

setup() {
	netns_setup
	netns_add "$HOSTS" underlay
	UL=$HOSTS/underlay
	in_ns "$UL" ip link add ul type bridge
	in_ns "$UL" ip link set ul up
	for i in 1 2 3; do
		netns_add "$HOSTS" h$i
		mkdir -p "$BATS_TEST_TMPDIR/ns$i"
		in_ns "$UL" ip link add p$i type veth peer u0 netns "$HOSTS/h$i"
		in_ns "$UL" ip link set p$i master ul up
		in_ns "$HOSTS/h$i" ip addr add 10.99.90.$i/24 dev u0
		in_ns "$HOSTS/h$i" ip link set u0 up
	done
	MH_PIDS=()
}

teardown() {
	local i
	[ -z "${EV_PID:-}" ] || kill "$EV_PID" 2>/dev/null || true
	for i in 1 2 3; do mh_stop $i; done
	for i in 1 2 3; do
		[ -f "$BATS_TEST_TMPDIR/h$i.log" ] || continue
		echo "--- host h$i conlink log"; tail -30 "$BATS_TEST_TMPDIR/h$i.log"
	done
	netns_teardown
}

# mh_config [MESH]: the one config every host reads (bridges meshed with
# MESH, default vxlan).
mh_config() {
	cat >"$CFG" <<-Y
	hosts:
	  - {host: h1, address: 10.99.90.1, containers: [a1, b1]}
	  - {host: h2, address: 10.99.90.2, containers: [a2, b2]}
	  - {host: h3, address: 10.99.90.3, containers: [a3]}
	bridges:
	  - {bridge: s1, mesh: ${1:-vxlan}}
	  - {bridge: s2, mesh: ${1:-vxlan}}
	links:
	  - {container: a1, bridge: s1, ip: 10.99.1.1/24}
	  - {container: a2, bridge: s1, ip: 10.99.1.2/24}
	  - {container: a3, bridge: s1, ip: 10.99.1.3/24}
	  - {container: b1, bridge: s2, ip: 10.99.2.1/24}
	  - {container: b2, bridge: s2, ip: 10.99.2.2/24}
	Y
}

# mh_start N: host hN's conlink, in its namespace, on its own containers
# (MH_ARGS: more options).
mh_start() {
	local log=$BATS_TEST_TMPDIR/h$1.log
	: >"$log"
	nsenter --net="$HOSTS/h$1" env CONLINK_BRIDGE_MODE=linux "$CONLINK" --no-engine \
		--netns-dir "$BATS_TEST_TMPDIR/ns$1" --network-file "$CFG" --host-id "h$1" \
		--control "$BATS_TEST_TMPDIR/h$1.sock" ${MH_ARGS:-} >>"$log" 2>&1 3>&- &
	MH_PIDS[$1]=$!
}

# mh_stop N: SIGTERM to hN's conlink, wait; it exits 0 with no sanitizer report.
mh_stop() {
	local pid=${MH_PIDS[$1]:-} st=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" || st=$?
	MH_PIDS[$1]=
	[ "$st" = 0 ] || { echo "h$1's conlink exited $st"; return 1; }
	! grep -E "Sanitizer|runtime error" "$BATS_TEST_TMPDIR/h$1.log" || false
}

mh_wait_log() {	# N PATTERN
	wait_until 20 grep -qE -- "$2" "$BATS_TEST_TMPDIR/h$1.log"
}

# mh_up [MESH]: config, five containers, three conlinks, all connected.
mh_up() {
	mh_config "$@"
	netns_add "$BATS_TEST_TMPDIR/ns1" a1
	netns_add "$BATS_TEST_TMPDIR/ns1" b1
	netns_add "$BATS_TEST_TMPDIR/ns2" a2
	netns_add "$BATS_TEST_TMPDIR/ns2" b2
	netns_add "$BATS_TEST_TMPDIR/ns3" a3
	for i in 1 2 3; do mh_start $i; done
	for i in 1 2 3; do mh_wait_log $i "All links connected"; done
}

no_link() {	# NS DEV: DEV is not in NS (for wait_until)
	! has_link "$@"
}

C() {	# container namespace: C a1
	echo "$BATS_TEST_TMPDIR/ns${1#?}/$1"
}

ctl_h() {	# N ARGS...: ctl of host hN's conlink
	local n=$1; shift
	"$CONLINK" ctl --control "$BATS_TEST_TMPDIR/h$n.sock" "$@"
}

vni_of() {	# the VNI --show-config gives bridge $1
	CONLINK_BRIDGE_MODE=linux "$CONLINK" --show-config --network-file "$CFG" |
		jq -r ".bridges.$1.vni"
}

every_pair_pings() {
	local a b
	for a in a1 a2 a3; do
		for b in 1 2 3; do
			[ "$a" = "a$b" ] || ping_ok "$(C "$a")" 10.99.1.$b
		done
	done
	ping_ok "$(C b1)" 10.99.2.2
	ping_ok "$(C b2)" 10.99.2.1
}

# one_broadcast: one ICMP echo to 10.99.1.255 from a1 arrives exactly once
# at a2 and at a3, and never back at a1. A loop in the mesh would bring
# copies within milliseconds; the capture runs 1 s after the send.
one_broadcast() {
	local n d
	for n in a1 a2 a3; do
		# nsenter execs tcpdump: $! is tcpdump's own PID
		nsenter --net="$(C $n)" tcpdump -l -n -Q in -i eth0 'icmp[icmptype] == icmp-echo' \
			>"$BATS_TEST_TMPDIR/$n.cap" 2>"$BATS_TEST_TMPDIR/$n.err" 3>&- &
		eval "TD_$n=\$!"
	done
	for n in a1 a2 a3; do
		wait_until 10 grep -q "listening on" "$BATS_TEST_TMPDIR/$n.err"
	done
	in_ns "$(C a1)" ping -b -c1 -W1 10.99.1.255 >/dev/null 2>&1 || true
	sleep 1
	for n in a1 a2 a3; do
		eval "kill -INT \$TD_$n; wait \$TD_$n" || true
	done
	for n in a2 a3; do
		d=$(grep -c "10.99.1.1 > 10.99.1.255: ICMP echo request" "$BATS_TEST_TMPDIR/$n.cap" || true)
		[ "$d" = 1 ] || { echo "$n got the broadcast $d times"; cat "$BATS_TEST_TMPDIR/$n.cap"; return 1; }
	done
	d=$(grep -c "ICMP echo request" "$BATS_TEST_TMPDIR/a1.cap" || true)
	[ "$d" = 0 ] || { echo "a1 got its own broadcast back $d times"; return 1; }
}

@test "three hosts: one vxlan per meshed bridge with a flood entry per host sharing it; every pair pings" {
	mh_up
	local v1 v2
	v1=$(vni_of s1) v2=$(vni_of s2)
	# h1 and h2 share s1 and s2, h3 only s1: tunnels to exactly those hosts
	for i in 1 2; do
		in_ns "$HOSTS/h$i" ip -d link show dev vxlan-$v1 | grep -q "master s1"
		in_ns "$HOSTS/h$i" ip -d link show dev vxlan-$v2 | grep -q "master s2"
		[ "$(in_ns "$HOSTS/h$i" bridge fdb show dev vxlan-$v1 | grep -c '^00:00:00:00:00:00 dst')" = 2 ]
		[ "$(in_ns "$HOSTS/h$i" bridge fdb show dev vxlan-$v2 | grep -c '^00:00:00:00:00:00 dst')" = 1 ]
	done
	in_ns "$HOSTS/h1" bridge fdb show dev vxlan-$v2 | grep -q '^00:00:00:00:00:00 dst 10.99.90.2 '
	in_ns "$HOSTS/h3" ip -d link show dev vxlan-$v1 | grep -q "vxlan id $v1 local 10.99.90.3"
	! has_link "$HOSTS/h3" s2
	! has_link "$HOSTS/h3" vxlan-$v2
	[ "$(in_ns "$HOSTS/h3" ip -o link show type vxlan | wc -l)" = 1 ]
	# each host linked only its own containers
	! grep -q "a2\|b2\|a3" "$BATS_TEST_TMPDIR/h1.log"
	every_pair_pings
	# the members' MTU left room for the encapsulation: 1500 - 50
	in_ns "$(C a1)" ip -o link show dev eth0 | grep -q " mtu 1450 "
	in_ns "$(C a1)" ping -c1 -W2 -M do -s 1422 10.99.1.3
	one_broadcast
}

@test "three hosts: a bridge's tunnel lives while it has a member here; a host's conlink stopped removes only its own" {
	mh_up
	local v1 v2
	v1=$(vni_of s1) v2=$(vni_of s2)
	# a1 goes: h1 has no member of s1 any more, its s1 tunnel goes, s2's stays
	netns_del "$(C a1)"
	wait_until 10 no_link "$HOSTS/h1" vxlan-$v1
	has_link "$HOSTS/h1" vxlan-$v2
	ping_ok "$(C b1)" 10.99.2.2
	# back: tunnel again, traffic again
	netns_add "$BATS_TEST_TMPDIR/ns1" a1
	wait_until 10 has_link "$HOSTS/h1" vxlan-$v1
	wait_until 10 ping_ok "$(C a1)" 10.99.1.3
	# h3's conlink stops: its tunnel, bridge and member go; nothing else
	mh_stop 3
	! has_link "$HOSTS/h3" vxlan-$v1
	! has_link "$HOSTS/h3" s1
	! has_link "$(C a3)" eth0
	for i in 1 2; do
		has_link "$HOSTS/h$i" vxlan-$v1
		has_link "$HOSTS/h$i" vxlan-$v2
		has_link "$HOSTS/h$i" s1
	done
	has_link "$(C a2)" eth0
	ping_ok "$(C a1)" 10.99.1.2
	ping_ok "$(C a2)" 10.99.1.1
	ping_ok "$(C b1)" 10.99.2.2
	# the rest stop cleanly: nothing of theirs is left on any host
	mh_stop 1
	mh_stop 2
	for i in 1 2 3; do
		[ -z "$(in_ns "$HOSTS/h$i" ip -o link show | grep -v ': lo:\|: u0@')" ]
	done
}

@test "three hosts: a host's conlink killed (SIGKILL) and started again replaces its marked tunnels" {
	mh_up
	local v1
	v1=$(vni_of s1)
	in_ns "$HOSTS/h1" ip -d link show dev vxlan-$v1 | grep -q "alias conlink:conlink"
	kill -KILL "${MH_PIDS[1]}"
	wait "${MH_PIDS[1]}" || true
	MH_PIDS[1]=
	has_link "$HOSTS/h1" vxlan-$v1	# nothing ran at the kill
	mv "$BATS_TEST_TMPDIR/h1.log" "$BATS_TEST_TMPDIR/h1-first.log"
	mh_start 1
	mh_wait_log 1 "All links connected"
	grep -q "Reconciled with a previous life" "$BATS_TEST_TMPDIR/h1.log"
	[ "$(in_ns "$HOSTS/h1" ip -o link show type vxlan | wc -l)" = 2 ]
	[ "$(in_ns "$HOSTS/h1" bridge fdb show dev vxlan-$v1 | grep -c '^00:00:00:00:00:00 dst')" = 2 ]
	ping_ok "$(C a1)" 10.99.1.3
	ping_ok "$(C a3)" 10.99.1.1
	ping_ok "$(C b1)" 10.99.2.2
}

@test "three hosts, geneve mesh: isolated geneve ports per remote host (one metrics device each); every pair pings, one broadcast arrives once" {
	kernel_has_link_type geneve || skip "kernel lacks geneve (Unknown device type)"
	MH_ARGS="--metrics 127.0.0.1:9464" mh_up geneve
	local v1 v2 m
	v1=$(vni_of s1) v2=$(vni_of s2)
	# metrics: one device per remote host, remote_host that one host
	m=$(scrape_h 1)
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_up "conlink_instance=\"conlink\",host=\"h1\",bridge=\"s1\",dev=\"gnv$v1-2\",kind=\"geneve\",vni=\"$v1\",remote_host=\"h3\"")" = 1 ]
	[ "$(echo "$m" | grep -c '^conlink_mesh_tunnel_up{.*kind="geneve"')" = 3 ]
	# h1: one port per host sharing the bridge, each isolated
	[ "$(in_ns "$HOSTS/h1" ip -o link show type geneve | grep -c "master s1")" = 2 ]
	[ "$(in_ns "$HOSTS/h1" ip -o link show type geneve | grep -c "master s2")" = 1 ]
	[ "$(in_ns "$HOSTS/h3" ip -o link show type geneve | wc -l)" = 2 ]
	# named gnvVNI-I, I: the remote's place in the bridge's hosts (h2 1, h3 2)
	in_ns "$HOSTS/h1" bridge -d link show dev gnv$v1-1 | grep -q "isolated on"
	in_ns "$HOSTS/h1" bridge -d link show dev gnv$v1-2 | grep -q "isolated on"
	in_ns "$HOSTS/h1" ip -d link show dev gnv$v1-2 | grep -q "geneve id $v1 remote 10.99.90.3"
	every_pair_pings
	one_broadcast
	# a geneve port deleted by hand: made again, isolated again (a port
	# merely put back would not be: a loop), still one broadcast each
	in_ns "$HOSTS/h1" ip link del gnv$v1-2
	wait_until 5 bash -c "nsenter --net='$HOSTS/h1' bridge -d link show dev gnv$v1-2 | grep -q 'isolated on'"
	[ "$(ctl_h 1 status --json | jq -c --arg d "gnv$v1-2" '.mesh[] | select(.name == $d) | [.heals, [.hosts[].host]]')" = '[1,["h3"]]' ]
	ping_ok "$(C a1)" 10.99.1.3
	one_broadcast
}

@test "three hosts: ctl status lists each host's mesh tunnels (device, bridge, kind, VNI, remote hosts, there and up)" {
	mh_up
	local v1 v2
	v1=$(vni_of s1) v2=$(vni_of s2)
	ctl_h 1 status --json | jq -c '.mesh | sort_by(.bridge)[] |
		[.name, .bridge, .kind, .vni, [.hosts[] | "\(.host) \(.address)"], .made, .exists, .up, .attached, .heals]' \
		>"$BATS_TEST_TMPDIR/m1"
	diff - "$BATS_TEST_TMPDIR/m1" <<-E
	["vxlan-$v1","s1","vxlan",$v1,["h2 10.99.90.2","h3 10.99.90.3"],true,true,true,true,0]
	["vxlan-$v2","s2","vxlan",$v2,["h2 10.99.90.2"],true,true,true,true,0]
	E
	# h3 shares s1 only
	[ "$(ctl_h 3 status --json | jq -c '[.mesh[] | [.name, [.hosts[].host]]]')" = "[[\"vxlan-$v1\",[\"h1\",\"h2\"]]]" ]
	# the text view, one line each
	ctl_h 1 status >"$BATS_TEST_TMPDIR/t1"
	grep -E "^mesh vxlan-$v1 +bridge s1 +vxlan $v1 up +heals 0 to h2 \(10.99.90.2\), h3 \(10.99.90.3\)$" "$BATS_TEST_TMPDIR/t1"
	grep -E "^mesh vxlan-$v2 +bridge s2 +vxlan $v2 up +heals 0 to h2 \(10.99.90.2\)$" "$BATS_TEST_TMPDIR/t1"
	# under each, its device's counters: s1's carried the pings above
	grep -A1 -E "^mesh vxlan-$v1 " "$BATS_TEST_TMPDIR/t1" | tail -1 >"$BATS_TEST_TMPDIR/c1"
	grep -E "^ +rx [0-9]+ B [0-9]+ pkt [0-9]+ drop, tx [0-9]+ B [1-9][0-9]* pkt [0-9]+ drop$" "$BATS_TEST_TMPDIR/c1"
	[ "$(ctl_h 1 status --json | jq -c '[.mesh[].state]')" = '["up","up"]' ]
	# net2dot --live with h1's daemon: each mesh edge with an end on h1
	# says its state; the others are not in h1's status
	CONLINK_BRIDGE_MODE=linux "$CONLINK" --show-config --network-file "$CFG" >"$BATS_TEST_TMPDIR/cfg.json"
	"$CONLINK" net2dot --live --control "$BATS_TEST_TMPDIR/h1.sock" "$BATS_TEST_TMPDIR/cfg.json" \
		>"$BATS_TEST_TMPDIR/live.dot"
	grep -F "\"h1/vxlan-$v1\" -> \"h2/vxlan-$v1\" [label=\"vxlan $v1\\nh1 up\" dir=none penwidth=2 color=\"#2e7d32\"" "$BATS_TEST_TMPDIR/live.dot"
	grep -F "\"h2/vxlan-$v1\" -> \"h3/vxlan-$v1\" [label=\"vxlan $v1\\nnot in status\"" "$BATS_TEST_TMPDIR/live.dot"
	# s2's member on h1 goes: its tunnel goes, status says so
	netns_del "$(C b1)"
	wait_until 10 no_link "$HOSTS/h1" vxlan-$v2
	[ "$(ctl_h 1 status --json | jq -c --arg d "vxlan-$v2" '.mesh[] | select(.name == $d) | [.made, .exists, .state]')" = '[false,false,"not-made"]' ]
	"$CONLINK" net2dot --live --mermaid --control "$BATS_TEST_TMPDIR/h1.sock" "$BATS_TEST_TMPDIR/cfg.json" |
		grep -xF "  m1_0 ---|\"vxlan $v2<br>h1 not-made\"| m1_1"
}

# ev_ns FILE TEXT: the timestamp (ns since the epoch) of the first event with TEXT
ev_ns() {
	date -d "$(grep -F -- "$2" "$1" | head -1 | jq -r .timestamp)" +%s%N
}

@test "three hosts: a mesh tunnel deleted by hand is made again within 100 ms (flood entries too), an event, counted; traffic crosses again" {
	mh_up
	local v1 ev=$BATS_TEST_TMPDIR/ev bound=100 e0 e1
	v1=$(vni_of s1)
	[[ $CONLINK == *build-san* ]] && bound=500	# sanitizers slow every step
	ctl_h 1 events --json >"$ev" &
	EV_PID=$!
	sleep 0.2
	in_ns "$HOSTS/h1" ip link del vxlan-$v1
	wait_until 5 grep -q "\"action\":\"restored\",\"actor_name\":\"vxlan-$v1\"" "$ev"
	kill "$EV_PID"; wait "$EV_PID" || true
	e0=$(ev_ns "$ev" "\"action\":\"deleted\",\"actor_name\":\"vxlan-$v1\"")
	e1=$(ev_ns "$ev" "\"action\":\"restored\",\"actor_name\":\"vxlan-$v1\"")
	echo "deleted to restored: $(( (e1 - e0) / 1000 )) us (bound $bound ms)"
	[ $(( (e1 - e0) / 1000000 )) -lt "$bound" ]
	# made again whole: on its bridge, a flood entry per remote host
	in_ns "$HOSTS/h1" ip -d link show dev vxlan-$v1 | grep -q "master s1"
	[ "$(in_ns "$HOSTS/h1" bridge fdb show dev vxlan-$v1 | grep -c '^00:00:00:00:00:00 dst')" = 2 ]
	ping_ok "$(C a1)" 10.99.1.2
	ping_ok "$(C a3)" 10.99.1.1
	[ "$(ctl_h 1 status --json | jq -c --arg d "vxlan-$v1" '[(.mesh[] | select(.name == $d) | .heals), .summary.heals]')" = "[1,1]" ]
	grep -q "Mesh tunnel vxlan-$v1 (bridge s1) made again" "$BATS_TEST_TMPDIR/h1.log"
	# taken off its bridge: made again too
	in_ns "$HOSTS/h1" ip link set vxlan-$v1 nomaster
	wait_until 5 bash -c "nsenter --net='$HOSTS/h1' ip -d link show dev vxlan-$v1 | grep -q 'master s1'"
	wait_until 5 bash -c "[ \$(nsenter --net='$HOSTS/h1' bridge fdb show dev vxlan-$v1 | grep -c '^00:00:00:00:00:00 dst') = 2 ]"
	ping_ok "$(C a1)" 10.99.1.3
}

@test "three hosts, --no-heal: a mesh tunnel deleted by hand stays deleted, status says so" {
	MH_ARGS=--no-heal mh_up
	local v1
	v1=$(vni_of s1)
	in_ns "$HOSTS/h2" ip link del vxlan-$v1
	wait_until 5 bash -c "[ \"\$('$CONLINK' ctl --control '$BATS_TEST_TMPDIR/h2.sock' status --json | jq -r '.mesh[] | select(.name == \"vxlan-$v1\") | .drift')\" = deleted ]"
	sleep 0.3
	no_link "$HOSTS/h2" vxlan-$v1
	grep -q "vxlan-$v1 was deleted by hand (not restored: --no-heal)" "$BATS_TEST_TMPDIR/h2.log"
	ctl_h 2 status | grep -E "^mesh vxlan-$v1 +bridge s1 +vxlan $v1 deleted "
	[ "$(ctl_h 2 status --json | jq -r --arg d "vxlan-$v1" '.mesh[] | select(.name == $d) | .state')" = deleted ]
}

# scrape_h N: host hN's /metrics (--metrics on 127.0.0.1:9464 in its namespace)
scrape_h() {
	in_ns "$HOSTS/h$1" curl -sf --max-time 5 http://127.0.0.1:9464/metrics
}

# mesh_sample METRICS NAME LABELS: the value of the one sample NAME{LABELS}
mesh_sample() {
	echo "$1" | grep -F "$2{$3} " | awk '{print $2}'
}

@test "three hosts, --metrics: per mesh tunnel series (bridge, dev, kind, remote hosts), counters grow with cross-host traffic" {
	MH_ARGS="--metrics 127.0.0.1:9464" mh_up
	local v1 v2 m l1 l2 l3 tx0 tx1 rx0 rx1
	v1=$(vni_of s1) v2=$(vni_of s2)
	l1="conlink_instance=\"conlink\",host=\"h1\",bridge=\"s1\",dev=\"vxlan-$v1\",kind=\"vxlan\",vni=\"$v1\",remote_host=\"h2,h3\""
	l2="conlink_instance=\"conlink\",host=\"h1\",bridge=\"s2\",dev=\"vxlan-$v2\",kind=\"vxlan\",vni=\"$v2\",remote_host=\"h2\""
	l3="conlink_instance=\"conlink\",host=\"h3\",bridge=\"s1\",dev=\"vxlan-$v1\",kind=\"vxlan\",vni=\"$v1\",remote_host=\"h1,h2\""
	m=$(scrape_h 1)
	echo "$m" | grep '^conlink_mesh'
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_up "$l1")" = 1 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_up "$l2")" = 1 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_state "$l1,state=\"up\"")" = 1 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_state "$l1,state=\"not-made\"")" = 0 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_heals_total "$l1")" = 0 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_remote_info "$l1,remote=\"h2\",remote_address=\"10.99.90.2\"")" = 1 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_remote_info "$l1,remote=\"h3\",remote_address=\"10.99.90.3\"")" = 1 ]
	[ "$(echo "$m" | grep -c '^conlink_mesh_tunnel_up{')" = 2 ]
	echo "$m" | grep -q '^# TYPE conlink_mesh_tunnel_tx_bytes_total counter$'
	# h3 shares s1 only, with h1 and h2
	[ "$(mesh_sample "$(scrape_h 3)" conlink_mesh_tunnel_up "$l3")" = 1 ]
	[ "$(scrape_h 3 | grep -c '^conlink_mesh_tunnel_up{')" = 1 ]
	# a1 (h1) pings a3 (h3): h1's s1 tunnel sent and received more, the
	# metrics agree with status
	tx0=$(mesh_sample "$m" conlink_mesh_tunnel_tx_packets_total "$l1")
	rx0=$(mesh_sample "$m" conlink_mesh_tunnel_rx_bytes_total "$l1")
	in_ns "$(C a1)" ping -c3 -i0.2 -W2 10.99.1.3 >/dev/null
	m=$(scrape_h 1)
	tx1=$(mesh_sample "$m" conlink_mesh_tunnel_tx_packets_total "$l1")
	rx1=$(mesh_sample "$m" conlink_mesh_tunnel_rx_bytes_total "$l1")
	echo "tx packets $tx0 -> $tx1, rx bytes $rx0 -> $rx1"
	[ "$tx1" -ge $((tx0 + 3)) ]
	[ "$rx1" -ge $((rx0 + 3 * 98)) ]	# 3 echo replies, 98 bytes of frame each at least
	[ "$(ctl_h 1 status --json | jq --arg d "vxlan-$v1" '.mesh[] | select(.name == $d) | .stats.tx_packets')" -ge "$tx1" ]
	# s2's member on h1 goes: its tunnel is not made, no counters for it
	netns_del "$(C b1)"
	wait_until 10 no_link "$HOSTS/h1" vxlan-$v2
	m=$(scrape_h 1)
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_state "$l2,state=\"not-made\"")" = 1 ]
	[ "$(mesh_sample "$m" conlink_mesh_tunnel_up "$l2")" = 0 ]
	[ -z "$(mesh_sample "$m" conlink_mesh_tunnel_tx_bytes_total "$l2")" ]
}

@test "three hosts: a tunnel naming its host is made there only (its bridge placed there, meshed to its members), one naming none on every host" {
	mh_config
	cat >>"$CFG" <<-'Y'
	  - {container: w2, bridge: wan, ip: 10.99.5.2/24}
	tunnels:
	  - {type: vxlan, vni: 4242, remote: 10.99.90.100, bridge: wan, host: h1}
	  - {type: vxlan, vni: 4343, remote: 10.99.90.101, bridge: every}
	Y
	sed -i 's/containers: \[a2, b2\]/containers: [a2, b2, w2]/' "$CFG"
	# the remote end of h1's tunnel: a vxlan in the underlay's namespace
	in_ns "$UL" ip addr add 10.99.90.100/24 dev ul
	in_ns "$UL" ip link add vx type vxlan id 4242 remote 10.99.90.1 local 10.99.90.100 dstport 8472
	in_ns "$UL" ip addr add 10.99.5.100/24 dev vx
	in_ns "$UL" ip link set vx up
	[ "$(vni_of wan)" != null ]	# wan spans h1 (the tunnel) and h2 (w2): meshed
	CONLINK_BRIDGE_MODE=linux "$CONLINK" --show-config --network-file "$CFG" |
		jq -e '.bridges.wan.hosts == ["h1","h2"] and .bridges.every.hosts == null'
	for n in a1 b1; do netns_add "$BATS_TEST_TMPDIR/ns1" $n; done
	for n in a2 b2 w2; do netns_add "$BATS_TEST_TMPDIR/ns2" $n; done
	netns_add "$BATS_TEST_TMPDIR/ns3" a3
	for i in 1 2 3; do mh_start $i; done
	for i in 1 2 3; do mh_wait_log $i "All links connected"; done
	# h1's tunnel on h1 only, on its bridge wan
	in_ns "$HOSTS/h1" ip -d link show dev vxlan-4242 | grep -q "master wan"
	! has_link "$HOSTS/h2" vxlan-4242
	! has_link "$HOSTS/h3" vxlan-4242
	! has_link "$HOSTS/h3" wan
	# the one naming no host: on every host, as before
	for i in 1 2 3; do has_link "$HOSTS/h$i" vxlan-4343; done
	[ "$(ctl_h 2 status --json | jq -c '[.tunnels[].link] | sort')" = '["vxlan-4343"]' ]
	[ "$(ctl_h 1 status --json | jq -c '[.tunnels[].link] | sort')" = '["vxlan-4242","vxlan-4343"]' ]
	# the mesh joins wan on h1 (whose only member is the tunnel) to h2; w2
	# on h2 reaches the tunnel's remote end through it and h1's tunnel
	in_ns "$HOSTS/h1" ip -d link show dev "vxlan-$(vni_of wan)" | grep -q "master wan"
	ping_ok "$(C w2)" 10.99.5.100
}
