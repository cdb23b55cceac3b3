#!/usr/bin/env bats
# A conlink killed with SIGKILL and started again converges: what carries
# its mark (alias conlink:INSTANCE) is adopted (bridges) or replaced (links,
# the nft table), what is no longer configured removed; nothing of anyone
# else's is touched.

load ../lib/netns

setup() {
	netns_setup
	HTTPD_PIDS=()
}

teardown() {
	local p
	for p in "${HTTPD_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	netns_teardown
}

# conlink_kill9: SIGKILL: none of conlink's cleanup runs.
conlink_kill9() {
	kill -KILL "$CONLINK_PID"
	wait "$CONLINK_PID" 2>/dev/null || true
	CONLINK_PID=
}

# names NS: the interface names of NS, sorted, on one line.
names() {
	in_ns "$1" ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | xargs
}

# marked NS [INSTANCE]: the names of NS's interfaces with an owner mark.
marked() {
	in_ns "$1" ip -d -o link show | grep "alias conlink:${2:-}" |
		awk -F': ' '{print $2}' | sed 's/@.*//' | sort | xargs
}

# log_clean: no error, nothing "exists" in the log.
log_clean() {
	! grep -Ei "exists|ERROR" "$CONLINK_LOG" || false
}

# group_of NS DEV: DEV's interface group.
group_of() {
	in_ns "$1" ip -d link show dev "$2" | grep -o 'group [0-9a-z]*' | head -1
}

two_on_s1() {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, mac: "02:00:00:00:00:01"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24, mac: "02:00:00:00:00:02"}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
}

# converged: c1 and c2 each have one eth0 with its MAC and address, both
# outer ends on s1 (ARGS: the bridge expected in conlink's namespace).
converged() {
	[ "$(names "$NS/c1")" = "eth0 lo" ]
	[ "$(names "$NS/c2")" = "eth0 lo" ]
	[ "$(mac_of "$NS/c1" eth0)" = 02:00:00:00:00:01 ]
	[ "$(mac_of "$NS/c2" eth0)" = 02:00:00:00:00:02 ]
	[ "$(addr_of "$NS/c1" eth0)" = 10.0.0.1/24 ]
	[ "$(addr_of "$NS/c2" eth0)" = 10.0.0.2/24 ]
	ping_ok "$NS/c1" 10.0.0.2
}

@test "kill -9, restart in the same namespace: the bridge adopted, the links replaced, one each" {
	two_on_s1
	local ns before=() i=0 group
	for ns in "$CONLINK_NETNS" "$NS/c1" "$NS/c2"; do before[i++]=$(net_snapshot "$ns"); done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	group=$(group_of "$CONLINK_NETNS" s1)
	conlink_kill9
	# the killed one left all it made, marked
	[ "$(marked "$CONLINK_NETNS" conlink)" = "c1-eth0 c2-eth0 s1" ]
	[ "$(marked "$NS/c1" conlink)" = eth0 ]
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	grep -qx "Adopting bridge s1 (instance conlink)" "$CONLINK_LOG"
	grep -qx "Reconciled with a previous life (instance conlink): 1 adopted, 2 replaced, 0 removed" \
		"$CONLINK_LOG"
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 c2-eth0 lo s1" ]
	in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "master s1"
	in_ns "$CONLINK_NETNS" ip -o link show dev c2-eth0 | grep -q "master s1"
	# the same instance, the same interface group
	[ "$(group_of "$CONLINK_NETNS" s1)" = "$group" ]
	[ "$(group_of "$CONLINK_NETNS" c1-eth0)" = "$group" ]
	converged
	conlink_stop_clean
	i=0
	for ns in "$CONLINK_NETNS" "$NS/c1" "$NS/c2"; do
		[ -z "$(marked "$ns")" ]
		diff <(echo "${before[i]}") <(net_snapshot "$ns")
		i=$((i + 1))
	done
}

@test "kill -9, restart in the same namespace with a patch bridge: one filter each way" {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: p1, mode: patch}
	links:
	  - {container: c1, bridge: p1, ip: 10.0.0.1/24, mac: "02:00:00:00:00:01"}
	  - {container: c2, bridge: p1, ip: 10.0.0.2/24, mac: "02:00:00:00:00:02"}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	local before
	before=$(net_snapshot "$CONLINK_NETNS")
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	conlink_kill9
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 c2-eth0 lo" ]
	[ "$(in_ns "$CONLINK_NETNS" tc filter show dev c1-eth0 ingress | grep -c mirred)" -eq 1 ]
	in_ns "$CONLINK_NETNS" tc filter show dev c1-eth0 ingress |
		grep -q "mirred (Egress Redirect to device c2-eth0)"
	in_ns "$CONLINK_NETNS" tc filter show dev c2-eth0 ingress |
		grep -q "mirred (Egress Redirect to device c1-eth0)"
	converged
	conlink_stop_clean
	[ -z "$(marked "$CONLINK_NETNS")$(marked "$NS/c1")$(marked "$NS/c2")" ]
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
}

@test "kill -9, restart at once in a fresh namespace: the old container ends replaced" {
	two_on_s1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# The kernel tears a namespace down asynchronously (over 1.5 s with
	# many links), its veths' container ends with it; here it is quicker,
	# so a process in it holds it for as long as the test needs.
	nsenter --net="$CONLINK_NETNS" sleep 60 &
	local holder=$!
	conlink_kill9
	# as a restarted container: the old namespace goes, a new one comes
	netns_del "$CONLINK_NETNS"
	netns_add "$HOSTS" conlink2
	CONLINK_NETNS=$HOSTS/conlink2
	[ "$(marked "$NS/c1" conlink)" = eth0 ]
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	kill "$holder"
	log_clean
	grep -qx "Replacing stale eth0 in a container's namespace (instance conlink)" "$CONLINK_LOG"
	grep -qx "Reconciled with a previous life (instance conlink): 0 adopted, 2 replaced, 0 removed" \
		"$CONLINK_LOG"
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 c2-eth0 lo s1" ]
	converged
	conlink_stop_clean
	[ -z "$(marked "$CONLINK_NETNS")$(marked "$NS/c1")$(marked "$NS/c2")" ]
}

@test "kill -9, restart in a fresh namespace while the kernel removes the old one: converges" {
	two_on_s1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	conlink_kill9
	netns_del "$CONLINK_NETNS"
	netns_add "$HOSTS" conlink2
	CONLINK_NETNS=$HOSTS/conlink2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 c2-eth0 lo s1" ]
	converged
	conlink_stop_clean
	[ -z "$(marked "$CONLINK_NETNS")$(marked "$NS/c1")$(marked "$NS/c2")" ]
}

# httpd NS ADDR:PORT TEXT: serve TEXT as /x in namespace NS.
httpd() {
	local www
	www=$(mktemp -d "$BATS_TEST_TMPDIR/www.XXXX")
	echo "$3" >"$www/x"
	nsenter --net="$1" busybox httpd -f -p "$2" -h "$www" &
	HTTPD_PIDS+=($!)
}

fetch() {
	in_ns "$1" curl -s -m 3 "${@:2}"
}

@test "kill -9 with nat and forward, the nat address changed: only the new rules, packets follow them" {
	netns_add "$HOSTS" outside
	in_ns "$CONLINK_NETNS" ip link add ext0 type veth peer ext1 netns "$HOSTS/outside"
	in_ns "$CONLINK_NETNS" ip addr add 10.99.100.1/24 dev ext0
	in_ns "$CONLINK_NETNS" ip link set ext0 up
	in_ns "$HOSTS/outside" ip addr add 10.99.100.2/24 dev ext1
	in_ns "$HOSTS/outside" ip link set ext1 up
	netns_add "$NS" c1
	netns_add "$NS" c2
	in_ns "$NS/c1" ip addr add 10.99.1.1/32 dev lo
	in_ns "$NS/c1" ip addr add 10.99.1.2/32 dev lo
	# c2 reaches port 8080 over the bridge, the outside port 80 through
	# the forward (the forward's masquerade would take bridged traffic to
	# its own port too: br_netfilter)
	local a
	for a in 10.99.1.1:8080 10.99.1.1:80; do httpd "$NS/c1" $a old; done
	for a in 10.99.1.2:8080 10.99.1.2:80; do httpd "$NS/c1" $a new; done
	local net
	net=$(cat <<-'Y'
	links:
	  - container: c1
	    bridge: s1
	    ip: 10.99.0.1/24
	    nat: NAT
	    forward: ["8081:80/tcp"]
	    route: "10.99.100.1/32 dev eth0"
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24}
	Y
	)
	echo "${net/NAT/10.99.1.1}" >"$CFG"
	# the snapshot once ext0's link-local address is past DAD
	wait_until 5 eval '[ -z "$(in_ns "$CONLINK_NETNS" ip -6 addr show dev ext0 tentative)" ]'
	local before
	before=$(net_snapshot "$CONLINK_NETNS")
	conlink_start --netns-dir "$NS" --network-file "$CFG" --external-intf ext0
	conlink_wait_log "All links connected"
	wait_until 5 fetch "$NS/c2" http://10.99.0.1:8080/x
	[ "$(fetch "$NS/c2" http://10.99.0.1:8080/x)" = old ]
	conlink_kill9
	echo "${net/NAT/10.99.1.2}" >"$CFG"
	conlink_start --netns-dir "$NS" --network-file "$CFG" --external-intf ext0
	conlink_wait_log "All links connected"
	log_clean
	# the container's table: one dnat, one snat, the new address only
	local t
	t=$(in_ns "$NS/c1" nft list table ip conlink)
	[ "$(grep -c 'dnat to' <<<"$t")" -eq 1 ]
	grep -q 'iifname "eth0" dnat to 10.99.1.2' <<<"$t"
	! grep -q '10.99.1.1' <<<"$t" || false
	[ "$(grep -c 'snat to 10.99.0.1' <<<"$t")" -eq 1 ]
	# conlink's table: the forward once
	t=$(in_ns "$CONLINK_NETNS" nft list table ip conlink)
	[ "$(grep -c 'dnat to 10.99.0.1:80$' <<<"$t")" -eq 1 ]
	[ "$(grep -c masquerade <<<"$t")" -eq 1 ]
	# packets take the new dnat, from the bridge and from outside
	wait_until 5 fetch "$NS/c2" http://10.99.0.1:8080/x
	[ "$(fetch "$NS/c2" http://10.99.0.1:8080/x)" = new ]
	wait_until 5 fetch "$HOSTS/outside" http://10.99.100.1:8081/x
	[ "$(fetch "$HOSTS/outside" http://10.99.100.1:8081/x)" = new ]
	conlink_stop_clean
	! in_ns "$NS/c1" nft list table ip conlink 2>/dev/null || false
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
}

@test "kill -9, restart with a link and a bridge gone from the config: they are removed" {
	two_on_s1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	conlink_kill9
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s2, ip: 10.0.0.1/24, mac: "02:00:00:00:00:01"}
	Y
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	grep -qx "Removing stale bridge s1 (instance conlink)" "$CONLINK_LOG"
	grep -qx "Removing stale veth c2-eth0 (instance conlink)" "$CONLINK_LOG"
	grep -qx "Reconciled with a previous life (instance conlink): 0 adopted, 1 replaced, 2 removed" \
		"$CONLINK_LOG"
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 lo s2" ]
	[ "$(names "$NS/c2")" = lo ]
	[ "$(addr_of "$NS/c1" eth0)" = 10.0.0.1/24 ]
	conlink_stop_clean
	[ "$(names "$CONLINK_NETNS")" = lo ]
}

@test "an interface without our mark named as a configured bridge is refused, untouched" {
	two_on_s1
	in_ns "$CONLINK_NETNS" ip link add s1 type bridge
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_exit
	[ "$CONLINK_STATUS" -eq 1 ]
	grep -qx "ERROR: bridge s1: Bridge s1 already exists" "$CONLINK_LOG"
	has_link "$CONLINK_NETNS" s1
	[ "$(names "$CONLINK_NETNS")" = "lo s1" ]
}

@test "an outer interface without our mark is not replaced: that link fails, it stays" {
	two_on_s1
	in_ns "$CONLINK_NETNS" ip link add c1-eth0 type veth peer name keep1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "c1:eth0: cannot create veth link 'c1-eth0': File exists" "$CONLINK_LOG"
	has_link "$CONLINK_NETNS" keep1
	[ "$(marked "$CONLINK_NETNS")" = "c2-eth0 s1" ]
	[ "$(addr_of "$NS/c2" eth0)" = 10.0.0.2/24 ]
	conlink_stop_clean
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 keep1 lo" ]
}

@test "what another instance marked is never touched, and its group is not ours" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c2, bridge: s2, ip: 10.0.0.2/24}
	Y
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --instance other
	conlink_wait_log "All links connected"
	conlink_kill9
	[ "$(marked "$CONLINK_NETNS" other)" = "c2-eth0 s2" ]
	# its bridge is not ours to adopt: refused as anyone else's
	conlink_start --netns-dir "$NS" --network-file "$CFG" --instance mine
	conlink_wait_exit
	[ "$CONLINK_STATUS" -eq 1 ]
	grep -qx "ERROR: bridge s2: Bridge s2 already exists" "$CONLINK_LOG"
	# an unmarked interface in the group this instance would pick
	local group
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	group=$(group_of "$CONLINK_NETNS" s1)
	conlink_stop_clean
	in_ns "$CONLINK_NETNS" ip link add keep0 $group type veth peer name keep1 $group
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	! grep -q "Removing\|Replacing\|Reconciled" "$CONLINK_LOG" || false
	[ "$(group_of "$CONLINK_NETNS" s1)" != "$group" ]
	conlink_stop_clean
	# the other instance's and the unmarked ones are all still there
	[ "$(marked "$CONLINK_NETNS" other)" = "c2-eth0 s2" ]
	[ "$(marked "$NS/c2" other)" = eth0 ]
	[ "$(names "$CONLINK_NETNS")" = "c2-eth0 keep0 keep1 lo s2" ]
}

@test "kill -9, restart with a vxlan tunnel: the tunnel replaced, once, on its bridge" {
	cat >"$CFG" <<-'Y'
	tunnels:
	  - {type: vxlan, bridge: s1, remote: 10.99.200.2, vni: 1001}
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	local tun
	tun=$(in_ns "$CONLINK_NETNS" ip -o link show type vxlan | awk -F': ' '{print $2}')
	[ -n "$tun" ]
	conlink_kill9
	[ "$(marked "$CONLINK_NETNS" conlink)" = "c1-eth0 s1 $tun" ]
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	grep -qx "Removing stale vxlan $tun (instance conlink)" "$CONLINK_LOG"
	grep -qx "Reconciled with a previous life (instance conlink): 1 adopted, 2 replaced, 0 removed" \
		"$CONLINK_LOG"
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 lo s1 $tun" ]
	in_ns "$CONLINK_NETNS" ip -o link show dev "$tun" | grep -q "master s1"
	[ "$(addr_of "$NS/c1" eth0)" = 10.0.0.1/24 ]
	conlink_stop_clean
	[ "$(names "$CONLINK_NETNS")" = lo ]
}

@test "kill -9, restart with a macvlan and a veth in one container: both replaced, a stale one removed" {
	netns_add "$HOSTS" host
	netns_add "$HOSTS" peer
	local host=$HOSTS/host peer=$HOSTS/peer
	in_ns "$host" ip link add up0 type veth peer up1 netns "$peer"
	in_ns "$host" ip link set up0 up
	in_ns "$peer" ip link set up1 up
	in_ns "$peer" ip addr add 10.99.0.2/24 dev up1
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: macvlan, mode: bridge, outer-dev: up0, dev: eth0, ip: 10.99.0.1/24, mac: "c2:00:00:99:00:01"}
	  - {container: c1, dev: eth1, bridge: s1, ip: 10.0.0.1/24}
	  - {container: c1, type: macvlan, mode: bridge, outer-dev: up0, dev: eth2, ip: 10.99.0.3/24}
	Y
	netns_add "$NS" c1
	if ! unshare --net sh -c "ip link add p0 type veth peer p1 && ip link add x0 link p0 type macvlan" 2>/dev/null; then
		skip "kernel lacks link type macvlan"
	fi
	conlink_start --netns-dir "$NS" --network-file "$CFG" --host-netns "$host"
	conlink_wait_log "All links connected"
	[ "$(marked "$NS/c1" conlink)" = "eth0 eth1 eth2" ]
	conlink_kill9
	# eth2 is no longer configured
	sed -i '/eth2/d' "$CFG"
	conlink_start --netns-dir "$NS" --network-file "$CFG" --host-netns "$host"
	conlink_wait_log "All links connected"
	log_clean
	grep -qx "Replacing stale eth0 in a container's namespace (instance conlink)" "$CONLINK_LOG"
	grep -qx "Removing stale eth2 in a container's namespace (instance conlink)" "$CONLINK_LOG"
	grep -qx "Reconciled with a previous life (instance conlink): 1 adopted, 2 replaced, 1 removed" \
		"$CONLINK_LOG"
	[ "$(names "$NS/c1")" = "eth0 eth1 lo" ]
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "macvlan mode bridge"
	[ "$(mac_of "$NS/c1" eth0)" = c2:00:00:99:00:01 ]
	[ "$(addr_of "$NS/c1" eth0)" = 10.99.0.1/24 ]
	[ "$(addr_of "$NS/c1" eth1)" = 10.0.0.1/24 ]
	ping_ok "$NS/c1" 10.99.0.2
	conlink_stop_clean
	[ "$(names "$NS/c1")" = lo ]
	[ -z "$(marked "$host")" ]
}

@test "kill -9, restart where a name of ours is now a bridge: the old interface replaced" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, outer-dev: s2, bridge: s1, ip: 10.0.0.1/24}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip -d link show dev s2 | grep -q veth
	conlink_kill9
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s2, ip: 10.0.0.1/24}
	Y
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	log_clean
	grep -qx "Replacing veth s2 (instance conlink): now a bridge of mode linux" "$CONLINK_LOG"
	in_ns "$CONLINK_NETNS" ip -d link show dev s2 | grep -q " bridge "
	in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "master s2"
	[ "$(names "$CONLINK_NETNS")" = "c1-eth0 lo s2" ]
	[ "$(names "$NS/c1")" = "eth0 lo" ]
	conlink_stop_clean
	[ "$(names "$CONLINK_NETNS")" = lo ]
}
