#!/usr/bin/env bats
# conlink as a CNI plugin, driven as a runtime drives it: the binary named
# conlink in a plugin directory, exec'd with CNI_* in the environment and
# the network config on stdin, for containers that are namespaces this
# test made. Bridges and outer ends live in another namespace of the test
# (the config's "namespace"); IPAM is the reference host-local plugin,
# delegated to through CNI_PATH.

load ../lib/netns

bats_require_minimum_version 1.5.0

setup() {
	netns_setup
	[ -x /usr/lib/cni/host-local ] ||
		skip "no /usr/lib/cni/host-local (Debian's containernetworking-plugins)"
	BIN=$BATS_TEST_TMPDIR/cni-bin
	mkdir -p "$BIN"
	ln -s "$CONLINK" "$BIN/conlink"
	ln -s /usr/lib/cni/host-local "$BIN/host-local"
	IPAM=$BATS_TEST_TMPDIR/ipam
	SHAPE=$FILES/cni/result-shape.jq
}

# conf [VERSION]: the test network's config (jq filters can change it).
conf() {
	jq -n --arg v "${1:-1.1.0}" --arg ns "$CONLINK_NETNS" --arg d "$IPAM" '{
		cniVersion: $v, name: "cnitest", type: "conlink", namespace: $ns,
		link: {bridge: "cnbr0", mtu: 1500},
		ipam: {type: "host-local", subnet: "10.99.8.0/24", dataDir: $d}}'
}

# plugin VERB CID IFNAME NETNS < CONFIG: exec'd as a runtime does it: no
# arguments, only CNI_* (and PATH) in the environment.
plugin() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$1" CNI_CONTAINERID="$2" \
		CNI_IFNAME="$3" CNI_NETNS="$4" CNI_PATH="$BIN" "$BIN/conlink"
}

# with_prev RESULT < CONFIG: the config with RESULT as its prevResult.
with_prev() {
	jq --argjson r "$1" '.prevResult = $r'
}

# add NAME [VERSION]: container namespace NAME added with eth0; $ADD: the result.
add() {
	netns_add "$NS" "$1"
	ADD=$(conf "${2:-1.1.0}" | plugin ADD "$1" eth0 "$NS/$1")
}

# alias_of NS DEV: DEV's interface alias.
alias_of() {
	in_ns "$1" ip -o link show dev "$2" | grep -o 'alias .*' | cut -d' ' -f2
}

@test "ADD: the veth is born in the container as CNI_IFNAME, on the bridge, with IPAM's address; two containers ping" {
	add c1
	add c2
	ip1=$(jq -r '.ips[0].address' <<<"$ADD")
	[ "$ip1" = 10.99.8.3/24 ]
	[ "$(addr_of "$NS/c2" eth0)" = 10.99.8.3/24 ]
	[ "$(addr_of "$NS/c1" eth0)" = 10.99.8.2/24 ]
	in_ns "$NS/c1" ip -o link show dev eth0 | grep -q "mtu 1500"
	# the result names what was made: the outer end and the container's end
	outer=$(jq -r '.interfaces[0].name' <<<"$ADD")
	[ "$(jq -r '.interfaces[1] | "\(.name) \(.sandbox) \(.mac)"' <<<"$ADD")" = \
		"eth0 $NS/c2 $(mac_of "$NS/c2" eth0)" ]
	[ "$(jq -r '.interfaces[0].mac' <<<"$ADD")" = "$(mac_of "$CONLINK_NETNS" "$outer")" ]
	[ "$(jq -r '.ips[0].interface' <<<"$ADD")" = 1 ]
	in_ns "$CONLINK_NETNS" ip -o link show dev "$outer" | grep -q "master cnbr0"
	[ "$(alias_of "$CONLINK_NETNS" "$outer")" = conlink:cni:cnitest ]
	[ "$(alias_of "$CONLINK_NETNS" cnbr0)" = conlink:cni:cnitest ]
	[ "$(alias_of "$NS/c2" eth0)" = conlink:cni:cnitest ]
	# nothing in the namespace the plugin ran in
	! ip link show dev cnbr0 2>/dev/null
	ping_ok "$NS/c1" 10.99.8.3
	ping_ok "$NS/c2" 10.99.8.2
}

@test "ADD: conlink's link vocabulary (route, mac from runtimeConfig, netem when the kernel has it) and runtimeConfig.ips without IPAM" {
	netns_add "$NS" c1
	conf | jq '.link.route = "10.99.20.0/24 via 10.99.8.1" | .runtimeConfig = {mac: "c2:00:00:00:08:01"}' |
		plugin ADD c1 eth0 "$NS/c1" >/dev/null
	[ "$(mac_of "$NS/c1" eth0)" = c2:00:00:00:08:01 ]
	in_ns "$NS/c1" ip route show | grep -q "^10.99.20.0/24 via 10.99.8.1 dev eth0"
	netns_add "$NS" c2
	conf | jq 'del(.ipam) | .runtimeConfig = {ips: ["10.99.9.7/24"]}' | plugin ADD c2 eth0 "$NS/c2" >/dev/null
	[ "$(addr_of "$NS/c2" eth0)" = 10.99.9.7/24 ]
	kernel_has_qdisc "netem delay 1ms" || skip "kernel lacks the netem qdisc (checked in kernel-lab)"
	netns_add "$NS" c3
	r=$(conf | jq '.link.netem = "delay 3ms"' | plugin ADD c3 eth0 "$NS/c3")
	in_ns "$NS/c3" tc qdisc show dev eth0 | grep -q "netem .*delay 3ms"
	# CHECK finds the traffic shaping, and says when it is gone
	conf | jq '.link.netem = "delay 3ms"' | with_prev "$r" | plugin CHECK c3 eth0 "$NS/c3"
	in_ns "$NS/c3" tc qdisc del dev eth0 root
	run --separate-stderr plugin CHECK c3 eth0 "$NS/c3" < <(conf | jq '.link.netem = "delay 3ms"' | with_prev "$r")
	[ "$status" = 1 ] && [[ $(jq -r .msg <<<"$output") == *"no netem qdisc"* ]]
}

@test "IPAM's IPv4 and IPv6 addresses and its routes, each through the gateway of its family" {
	netns_add "$NS" c1
	r=$(conf | jq '.ipam = {type: "host-local", dataDir: .ipam.dataDir,
		ranges: [[{subnet: "10.99.8.0/24"}], [{subnet: "fd00:99:8::/64"}]],
		routes: [{dst: "10.99.60.0/24"}, {dst: "fd00:60::/64"}]}' | plugin ADD c1 eth0 "$NS/c1")
	[ "$(addr_of "$NS/c1" eth0 -4)" = 10.99.8.2/24 ]
	[ "$(addr_of "$NS/c1" eth0 -6)" = fd00:99:8::2/64 ]
	in_ns "$NS/c1" ip route show | grep -q "^10.99.60.0/24 via 10.99.8.1 dev eth0"
	in_ns "$NS/c1" ip -6 route show | grep -q "^fd00:60::/64 via fd00:99:8::1 dev eth0"
	[ "$(jq -r '[.ips[].address] | join(",")' <<<"$r")" = "10.99.8.2/24,fd00:99:8::2/64" ]
	[ "$(jq -r '[.routes[].dst] | join(",")' <<<"$r")" = "10.99.60.0/24,fd00:60::/64" ]
}

@test "a macvlan link on a parent in the bridges' namespace: made in the container, DEL removes it there" {
	in_ns "$CONLINK_NETNS" ip link add cnpar0 type veth peer name cnpar1
	netns_add "$NS" c1
	r=$(conf | jq '.link = {type: "macvlan", mode: "bridge", "outer-dev": "cnpar0"}' |
		plugin ADD c1 eth1 "$NS/c1")
	in_ns "$NS/c1" ip -d link show dev eth1 | grep -q "macvlan mode bridge"
	[ "$(addr_of "$NS/c1" eth1)" = 10.99.8.2/24 ]
	[ "$(jq -r '[.interfaces[].name] | join(",")' <<<"$r")" = eth1 ]
	[ "$(jq -r '.ips[0].interface' <<<"$r")" = 0 ]
	conf | jq '.link = {type: "macvlan", mode: "bridge", "outer-dev": "cnpar0"}' |
		plugin DEL c1 eth1 "$NS/c1"
	! has_link "$NS/c1" eth1
	has_link "$CONLINK_NETNS" cnpar0
}

@test "results in every version 0.3.0 .. 1.1.0 have that version's shape" {
	for v in 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0; do
		netns_add "$NS" "v$v"
		r=$(conf "$v" | plugin ADD "v$v" eth0 "$NS/v$v")
		problems=$(jq -r --arg v "$v" -f "$SHAPE" <<<"$r")
		[ -z "$problems" ] || { echo "$v: $problems"; false; }
		[ "$(jq -r '.ips[0].address' <<<"$r")" != null ]
		conf "$v" | plugin DEL "v$v" eth0 "$NS/v$v"
	done
	# and the shape check itself refuses a wrong one
	problems=$(jq -r --arg v 0.4.0 -f "$SHAPE" <<<"$r")
	[[ $problems == *"lacks version"* ]]
}

@test "DEL twice, and DEL after the netns is gone, succeed; the last one takes the bridge and the address" {
	add c1
	outer=$(jq -r '.interfaces[0].name' <<<"$ADD")
	add c2
	conf | with_prev "$ADD" | plugin DEL c2 eth0 "$NS/c2"
	! has_link "$NS/c2" eth0
	run plugin DEL c2 eth0 "$NS/c2" < <(conf)
	[ "$status" = 0 ] && [ -z "$output" ]
	# c1's namespace goes first (the kernel takes its veth), then DEL
	has_link "$CONLINK_NETNS" cnbr0
	netns_del "$NS/c1"
	run plugin DEL c1 eth0 "$NS/c1" < <(conf)
	[ "$status" = 0 ] && [ -z "$output" ]
	run plugin DEL c1 eth0 "" < <(conf)
	[ "$status" = 0 ]
	! has_link "$CONLINK_NETNS" "$outer"
	! has_link "$CONLINK_NETNS" cnbr0
	# host-local released both addresses
	! ls "$IPAM/cnitest/10.99.8.2" 2>/dev/null
	! ls "$IPAM/cnitest/10.99.8.3" 2>/dev/null
}

@test "CHECK is silent on success and names what differs" {
	add c1
	run --separate-stderr plugin CHECK c1 eth0 "$NS/c1" < <(conf | with_prev "$ADD")
	[ "$status" = 0 ] && [ -z "$output" ]
	in_ns "$NS/c1" ip addr del 10.99.8.2/24 dev eth0
	run --separate-stderr plugin CHECK c1 eth0 "$NS/c1" < <(conf | with_prev "$ADD")
	[ "$status" = 1 ]
	[ "$(jq -r .code <<<"$output")" -ge 100 ]
	[[ $(jq -r .msg <<<"$output") == *"lacks address 10.99.8.2/24"* ]]
	# before 0.4.0 there was no CHECK: incompatible version
	run --separate-stderr plugin CHECK c1 eth0 "$NS/c1" < <(conf 0.3.1 | with_prev "$ADD")
	[ "$(jq -r .code <<<"$output")" = 1 ]
	outer=$(jq -r '.interfaces[0].name' <<<"$ADD")
	in_ns "$NS/c1" ip addr add 10.99.8.2/24 dev eth0
	in_ns "$CONLINK_NETNS" ip link set "$outer" nomaster
	run --separate-stderr plugin CHECK c1 eth0 "$NS/c1" < <(conf | with_prev "$ADD")
	[[ $(jq -r .msg <<<"$output") == *"not on bridge cnbr0"* ]]
}

@test "GC removes the attachments cni.dev/valid-attachments does not list (cni.dev/attachments too), and empty bridges" {
	add c1
	o1=$(jq -r '.interfaces[0].name' <<<"$ADD")
	add c2
	o2=$(jq -r '.interfaces[0].name' <<<"$ADD")
	add c3
	o3=$(jq -r '.interfaces[0].name' <<<"$ADD")
	conf | jq '.["cni.dev/valid-attachments"] = [{containerID: "c1", ifname: "eth0"},
						     {containerID: "c3", ifname: "eth0"}]' |
		plugin GC "" "" ""
	has_link "$NS/c1" eth0 && has_link "$CONLINK_NETNS" "$o1"
	! has_link "$NS/c2" eth0 && ! has_link "$CONLINK_NETNS" "$o2"
	has_link "$CONLINK_NETNS" "$o3"
	# an interface without our mark is never taken
	in_ns "$CONLINK_NETNS" ip link add cnother type veth peer name cnother2
	conf | jq '.["cni.dev/attachments"] = [{containerID: "c3", ifname: "eth0"}]' |
		plugin GC "" "" ""
	! has_link "$CONLINK_NETNS" "$o1" && has_link "$CONLINK_NETNS" "$o3"
	has_link "$CONLINK_NETNS" cnother
	# no list at all is an error, not "nothing is valid"
	run --separate-stderr plugin GC "" "" "" < <(conf)
	[ "$(jq -r .code <<<"$output")" = 7 ] && has_link "$CONLINK_NETNS" "$o3"
	conf | jq '.["cni.dev/valid-attachments"] = []' | plugin GC "" "" ""
	! has_link "$CONLINK_NETNS" "$o3"
	! has_link "$CONLINK_NETNS" cnbr0
	has_link "$CONLINK_NETNS" cnother
}

@test "STATUS answers nothing when ready, code 50 when the bridges' namespace is missing; VERSION lists 0.3.0 .. 1.1.0" {
	run --separate-stderr plugin STATUS "" "" "" < <(conf)
	[ "$status" = 0 ] && [ -z "$output" ]
	run --separate-stderr plugin STATUS "" "" "" < <(conf | jq '.namespace = "/nonexistent/netns"')
	[ "$status" = 1 ]
	[ "$(jq -r .code <<<"$output")" = 50 ]
	[[ $(jq -r .msg <<<"$output") == *"/nonexistent/netns does not exist"* ]]
	run plugin VERSION "" "" "" <<<'{"cniVersion": "1.0.0"}'
	[ "$(jq -c . <<<"$output")" = \
		'{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}' ]
}

@test "a chained prevResult is passed through, our entries after it" {
	netns_add "$NS" c1
	prev='{"cniVersion":"1.0.0","interfaces":[{"name":"lo0","sandbox":"'"$NS/c1"'"}],
	       "ips":[{"address":"10.99.50.1/32","interface":0}],"routes":[{"dst":"10.99.51.0/24"}],
	       "dns":{"nameservers":["10.99.50.53"]}}'
	r=$(conf 0.4.0 | with_prev "$prev" | plugin ADD c1 eth0 "$NS/c1")
	[ -z "$(jq -r --arg v 0.4.0 -f "$SHAPE" <<<"$r")" ]
	[ "$(jq -r '[.interfaces[].name] | join(",")' <<<"$r")" = "lo0,$(jq -r '.interfaces[1].name' <<<"$r"),eth0" ]
	[ "$(jq -r '[.ips[] | "\(.address)@\(.interface)/\(.version)"] | join(",")' <<<"$r")" = \
		"10.99.50.1/32@0/4,10.99.8.2/24@2/4" ]
	[ "$(jq -r '.routes[0].dst' <<<"$r")" = 10.99.51.0/24 ]
	[ "$(jq -r '.dns.nameservers[0]' <<<"$r")" = 10.99.50.53 ]
}

@test "bad input: the spec's error object on stdout with the right code, the problem at file:line:col" {
	netns_add "$NS" c1
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" <<<'{"cniVersion": "1.1.0",'
	[ "$status" = 1 ] && [ "$(jq -r .code <<<"$output")" = 6 ]
	[[ $(jq -r .msg <<<"$output") == "stdin:"*"not a JSON document"* ]]
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf | jq '.link.mtu = 20')
	[ "$(jq -r .code <<<"$output")" = 7 ]
	[[ $(jq -r .msg <<<"$output") == "stdin:"*": link.mtu: found the number 20, expected an MTU"* ]]
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf | jq '.link.netem = "delay fast"')
	[ "$(jq -r .code <<<"$output")" = 7 ]
	[[ $(jq -r .msg <<<"$output") == *"link.netem"* ]]
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf 0.2.0)
	[ "$(jq -r .code <<<"$output")" = 1 ]
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf | jq '.link.ip = "10.0.0.1/24"')
	[ "$(jq -r .code <<<"$output")" = 2 ]
	[[ $(jq -r .msg <<<"$output") == *"link.ip: unsupported field"*"ipam"* ]]
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf | jq '.mtu = 1500')
	[ "$(jq -r .code <<<"$output")" = 2 ]
	run --separate-stderr plugin ADD c1 "" "$NS/c1" < <(conf)
	[ "$(jq -r .code <<<"$output")" = 4 ]
	[[ $(jq -r .msg <<<"$output") == *CNI_IFNAME* ]]
	run --separate-stderr plugin ADD c1 eth0 "$NS/nonexistent" < <(conf)
	[ "$(jq -r .code <<<"$output")" = 3 ]
	# nothing was made, no address taken
	! has_link "$NS/c1" eth0
	! has_link "$CONLINK_NETNS" cnbr0
	! ls "$IPAM/cnitest/10.99.8.2" 2>/dev/null
}

# adds NAME...: ADD each at once (a runtime may run containers in parallel)
adds() {
	local c
	for c; do
		netns_add "$NS" "$c"
		conf | plugin ADD "$c" eth0 "$NS/$c" >"$BATS_TEST_TMPDIR/add-$c" 2>&1 &
	done
	wait
	for c; do
		jq -e '.ips[0].address' "$BATS_TEST_TMPDIR/add-$c" >/dev/null ||
			{ cat "$BATS_TEST_TMPDIR/add-$c"; return 1; }
	done
}

@test "ADDs and DELs at once: the first ADDs race to make the bridge, a DEL taking the last port races the next ADDs" {
	adds a1 a2 a3 a4 a5 a6
	[ "$(in_ns "$CONLINK_NETNS" ip -o link show master cnbr0 | wc -l)" = 6 ]
	for c in a1 a2 a3 a4 a5 a6; do
		conf | plugin DEL "$c" eth0 "$NS/$c" &
	done
	adds b1 b2 b3
	wait
	[ "$(in_ns "$CONLINK_NETNS" ip -o link show master cnbr0 | wc -l)" = 3 ]
	ping_ok "$NS/b1" "$(addr_of "$NS/b3" eth0 -4 | cut -d/ -f1)"
}

@test "a failed ADD undoes what it made and releases its address" {
	netns_add "$NS" c1
	# the interface name is taken in the container: the link fails after IPAM
	in_ns "$NS/c1" ip link add eth0 type veth peer name eth0p
	run --separate-stderr plugin ADD c1 eth0 "$NS/c1" < <(conf)
	[ "$status" = 1 ]
	[ "$(jq -r .code <<<"$output")" = 11 ]
	! ls "$IPAM/cnitest/10.99.8.2" 2>/dev/null
	! has_link "$CONLINK_NETNS" cnbr0
	[ -z "$(in_ns "$CONLINK_NETNS" ip -o link show type veth)" ]
}
